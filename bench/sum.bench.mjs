// `iscc sum` against checksum tools, on the same page-cached data in the same run:
// 1. one 1 GiB file: coreutils sha256sum, b3sum --num-threads 1, Node's crypto sha256 (same
//    2 MiB read loop as iscc sum), and `iscc sum` (the built CLI, one process);
// 2. 10,000 files of 4 KiB: sha256sum vs `iscc sum` (start-up and per-file cost; the worker
//    pool is used here).
// Prints MiB/s and ratios against sha256sum and b3sum-1t; tools that are missing are skipped
// with a note (b3sum: `apt-get install -y b3sum`). Data is created under the temp directory and
// removed afterwards. Requires a build (`npm run build`). ISCC_BENCH_SUM_MIB overrides the size.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandSeconds, bestSeconds, table } from './_util.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'packages', 'cli', 'bin', 'iscc.js');
const MIB = 2 ** 20;
const sizeMib = Number(process.env.ISCC_BENCH_SUM_MIB ?? 1024);
const work = mkdtempSync(join(tmpdir(), 'iscc-sum-bench-'));

/** Pseudo-random bytes (xorshift32), so that the Data-Code sees realistic chunking. */
function fillRandom(buf, seed) {
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= buf.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf[i] = x; buf[i + 1] = x >>> 8; buf[i + 2] = x >>> 16; buf[i + 3] = x >>> 24;
  }
  return buf;
}

function nodeSha256File(path) {
  const buf = new Uint8Array(2 * MIB);
  const h = createHash('sha256');
  const fd = openSync(path, 'r');
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    h.update(buf.subarray(0, n));
  }
  closeSync(fd);
  return h.digest('hex');
}

function isccSum(args, env = {}) {
  const r = spawnSync(process.execPath, [bin, 'sum', ...args], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  if (r.status !== 0) throw new Error(`iscc sum ${args.join(' ')} exited ${r.status}`);
}

/** Best of `rounds` runs of `iscc sum`; a run over 20 s is not repeated (the file stays cached). */
function isccSeconds(args, env, rounds = 3) {
  let best = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    isccSum(args, env);
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
    if (best > 20) break;
  }
  return best;
}

const fmt = (s, mib) => (s === null ? ['not installed', '-'] : [(mib / s).toFixed(0), s.toFixed(2)]);
const ratio = (ref, x) => (ref === null || x === null ? "-" : `${(ref / x).toFixed(2)}x`);

/** Whether `iscc sum` will find the optional native BLAKE3 (sum/native-blake3.ts). */
function nativeBlake3() {
  if (process.env.ISCC_NATIVE_BLAKE3 === '0') return false;
  try {
    createRequire(join(here, '..', 'packages', 'cli', 'dist', 'sum', 'native-blake3.js')).resolve('@napi-rs/blake-hash');
    return true;
  } catch {
    return false;
  }
}
console.log(
  `BLAKE3 in iscc sum: ${nativeBlake3() ? 'native addon @napi-rs/blake-hash' : "core's pure JS (@napi-rs/blake-hash not installed)"}\n`,
);

try {
  // --- one big file ---
  const big = join(work, 'big.bin');
  const fd = openSync(big, 'w');
  const block = new Uint8Array(16 * MIB);
  for (let i = 0; i < sizeMib / 16; i++) writeFileSync(fd, fillRandom(block, i + 1));
  closeSync(fd);
  // Page-cache it: one read by each tool happens in the warm-up round anyway.
  spawnSync('cat', [big], { stdio: ['ignore', 'ignore', 'ignore'] });

  const rounds = 3;
  const sha = commandSeconds('sha256sum', [big], rounds);
  const b3 = commandSeconds('b3sum', ['--num-threads', '1', big], rounds);
  const nodeSha = await bestSeconds(() => nodeSha256File(big), rounds);
  const ours = isccSeconds([big], {}, rounds);
  const oursNarrow = isccSeconds(['--narrow', big], {}, 1);
  console.log(`One ${sizeMib} MiB file (page-cached), best of ${rounds} (iscc sum: of 1 when a run takes over 20 s):\n`);
  table(
    ['tool', 'MiB/s', 's', 'vs sha256sum', 'vs b3sum-1t'],
    [
      ['sha256sum (coreutils)', ...fmt(sha, sizeMib), ratio(sha, sha), ratio(b3, sha)],
      ['b3sum --num-threads 1', ...fmt(b3, sizeMib), ratio(sha, b3), ratio(b3, b3)],
      ['Node crypto sha256 (2 MiB reads)', ...fmt(nodeSha, sizeMib), ratio(sha, nodeSha), ratio(b3, nodeSha)],
      ['iscc sum (wide)', ...fmt(ours, sizeMib), ratio(sha, ours), ratio(b3, ours)],
      ['iscc sum --narrow (1 run)', ...fmt(oursNarrow, sizeMib), ratio(sha, oursNarrow), ratio(b3, oursNarrow)],
    ],
  );
  if (b3 === null) console.log('\nb3sum is not installed: apt-get install -y b3sum');
  console.log('\nGoals: iscc sum >= 3x sha256sum and >= 0.3x b3sum-1t.');
  rmSync(big);

  // --- many small files ---
  const many = join(work, 'many');
  mkdirSync(many);
  const small = new Uint8Array(4096);
  for (let i = 0; i < 10000; i++) writeFileSync(join(many, `f${String(i).padStart(5, '0')}`), fillRandom(small, i + 7));
  const names = readdirSync(many).sort().map((n) => join(many, n));
  const manyMib = (names.length * 4096) / MIB;
  const shaMany = commandSeconds('sha256sum', names, rounds);
  const { poolSize } = await import(join(here, '..', 'packages', 'cli', 'dist', 'sum', 'pool.js'));
  const workers = poolSize(process.env);
  const oursMany = isccSeconds([many], {}, rounds);
  const oursManyArgs = isccSeconds(names, {}, 1);
  const oursMany1 = isccSeconds([many], { ISCC_SUM_THREADS: '1' }, 1);
  const oursMany2 = isccSeconds([many], { ISCC_SUM_THREADS: '2' }, 1);
  const start = isccSeconds([join(here, '..', 'package.json')], {}, 5);
  const dflt = workers ? `${workers} workers` : 'in-process: fewer than 3 cores';
  const row = (label, s) => [label, (names.length / s).toFixed(0), s.toFixed(2), ratio(shaMany, s)];
  console.log(`\n10,000 files of 4 KiB (page-cached), best of ${rounds}:\n`);
  table(
    ['tool', 'files/s', 's', 'vs sha256sum'],
    [
      ['sha256sum FILE...', shaMany === null ? '-' : (names.length / shaMany).toFixed(0), shaMany?.toFixed(2) ?? '-', '1.00x'],
      row(`iscc sum DIR (default: ${dflt})`, oursMany),
      row('iscc sum FILE... (default, 1 run)', oursManyArgs),
      row('iscc sum DIR (ISCC_SUM_THREADS=1: in-process, 1 run)', oursMany1),
      row('iscc sum DIR (ISCC_SUM_THREADS=2: 2 workers, 1 run)', oursMany2),
    ],
  );
  console.log(`\n(${manyMib.toFixed(0)} MiB in all.) iscc sum start-up on one small file: ${(start * 1000).toFixed(0)} ms.`);
  console.log('Goal: 10,000 files of 4 KiB >= 1x sha256sum.');
} finally {
  rmSync(work, { recursive: true, force: true });
}
