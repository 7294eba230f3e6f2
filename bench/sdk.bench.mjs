// @iscc-ts/sdk: files per second of `codeIsccBatch` and the cost of the Image-Code pipeline.
// 1. Batch: every sample under ../shared/samples/{image,audio,video,text} whose mode has a
//    content handler in this build (modes still missing are listed and left out), repeated until
//    there are enough files to keep every core busy (ISCC_BENCH_SDK_FILES, default 8 per core,
//    at least 48). Default sdk options (thumbnails and metadata included, as `iscc batch`).
//    Coded with 1 worker (the calling thread) and with one worker thread per core; files/s and
//    the speed-up. Each run is a fresh batch (worker start-up included, as a user sees it).
// 2. Image-Code pipeline on a 1-megapixel (1000x1000) photo-like JPEG and PNG made with sharp:
//    ms per image for decode, normalise (Pillow-exact transpose/trim/grey/bicubic 32x32), hash
//    (genImageCodeV0), and for the whole `codeImage` without metadata and thumbnail.
// Requires a build (`npm run build`): it loads packages/*/dist.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { bestSeconds, median, table } from './_util.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const samples = process.env.ISCC_SAMPLES_DIR ?? join(root, '..', 'shared', 'samples');
const sdk = await import(join(root, 'packages', 'sdk', 'dist', 'index.js'));
const core = await import(join(root, 'packages', 'core', 'dist', 'index.js'));
const sharp = (await import('sharp')).default;
const cores = availableParallelism();

// --- 1. batch ---------------------------------------------------------------------------
const byMode = new Map();
const missing = new Map();
for (const kind of ['image', 'audio', 'video', 'text']) {
  const dir = join(samples, kind);
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (!statSync(path).isFile()) continue;
    let mode;
    try {
      mode = (await sdk.mediatypeAndMode(path))[1];
    } catch {
      continue; // no mode: not a media sample
    }
    if (!sdk.hasContentHandler(mode)) {
      missing.set(mode, (missing.get(mode) ?? 0) + 1);
      continue;
    }
    // Keep only files the sdk codes without error (a sample a handler rejects is not a benchmark).
    try {
      await sdk.codeIscc(path);
    } catch {
      continue;
    }
    if (!byMode.has(mode)) byMode.set(mode, []);
    byMode.get(mode).push(path);
  }
}
const base = [...byMode.values()].flat();
const want = Number(process.env.ISCC_BENCH_SDK_FILES ?? Math.max(48, 8 * cores));
const files = [];
while (files.length < want) files.push(...base);
console.log(
  `Batch input: ${files.length} files (${[...byMode].map(([m, l]) => `${l.length} ${m}`).join(', ')} samples, repeated)` +
    (missing.size ? `; left out, no handler yet: ${[...missing].map(([m, n]) => `${n} ${m}`).join(', ')}` : '') +
    `\nLoad average before the runs: ${loadavg()[0].toFixed(1)} on ${cores} cores (a busy machine shrinks the speed-up).\n`,
);

const rows = [];
let single = 0;
for (const workers of [1, cores]) {
  let errors = 0;
  const s = await bestSeconds(async () => {
    const recs = await sdk.codeIsccBatch(files, { workers });
    errors = recs.filter((r) => r.status === 'error').length;
  }, 2);
  const fps = files.length / s;
  if (workers === 1) single = fps;
  rows.push([workers === 1 ? '1 (calling thread)' : `${workers} (all cores)`, s.toFixed(2), fps.toFixed(1), `${(fps / single).toFixed(2)}x`, String(errors)]);
}
table(['workers', 'seconds', 'files/s', 'speed-up', 'errors'], rows);

// --- 2. Image-Code pipeline on 1 megapixel ------------------------------------------------
console.log('');
const work = mkdtempSync(join(tmpdir(), 'iscc-sdk-bench-'));
try {
  // Photo-like content: smooth gradients plus noise, so that JPEG/PNG sizes are realistic.
  const W = 1000;
  const H = 1000;
  const raw = Buffer.alloc(W * H * 3);
  let x = 12345;
  for (let y = 0; y < H; y++) {
    for (let c = 0; c < W; c++) {
      x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
      const n = x & 31;
      const i = (y * W + c) * 3;
      raw[i] = ((c * 255) / W + n) & 255;
      raw[i + 1] = ((y * 255) / H + n) & 255;
      raw[i + 2] = (((c + y) * 127) / W + n) & 255;
    }
  }
  const img = () => sharp(raw, { raw: { width: W, height: H, channels: 3 } });
  const jpg = join(work, 'mp.jpg');
  const png = join(work, 'mp.png');
  await img().jpeg({ quality: 90 }).toFile(jpg);
  await img().png().toFile(png);
  const ROUNDS = Number(process.env.ISCC_BENCH_SDK_IMAGE_ROUNDS ?? 15);
  const timeMs = async (fn) => {
    for (let i = 0; i < 3; i++) await fn();
    const xs = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t = process.hrtime.bigint();
      await fn();
      xs.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    return median(xs);
  };
  const prow = [];
  for (const [label, path] of [['JPEG q90', jpg], ['PNG', png]]) {
    const buf = new Uint8Array(await readFile(path));
    const decoded = await sdk.decodeImage(buf, 128_000_000);
    const pixels = core.imageNormalize(decoded.image, { orientation: decoded.orientation });
    const tDecode = await timeMs(() => sdk.decodeImage(buf, 128_000_000));
    const tNorm = await timeMs(() => core.imageNormalize(decoded.image, { orientation: decoded.orientation }));
    const tHash = await timeMs(() => core.genImageCodeV0(pixels, 64));
    const tAll = await timeMs(() => sdk.codeImage(path, { extract_meta: false, create_thumb: false }));
    prow.push([label, `${(statSync(path).size / 1024).toFixed(0)} KiB`, tDecode.toFixed(2), tNorm.toFixed(2), tHash.toFixed(3), tAll.toFixed(2)]);
  }
  console.log('Image-Code pipeline, 1000x1000 pixels (median ms per image):\n');
  table(['image', 'size', 'decode', 'normalise', 'hash', 'codeImage (read+decode+normalise+hash)'], prow);
} finally {
  rmSync(work, { recursive: true, force: true });
}
