// Core generators: per-call latency on iscc-lib's benchmark inputs (crates/iscc-lib/benches),
// with core's accelerated kernels (WebAssembly; `turbo()`) and on the pure TypeScript path
// (`setTurbo(false)`), and Data-/Instance-Code throughput on one 64 MiB buffer against Node's
// SHA-256 (OpenSSL), coreutils `sha256sum` and `b3sum --num-threads 1` (on the same bytes in a
// page-cached file), all measured in the same run: the Data-Code kernel alone, genDataCodeV0
// accelerated and pure, genInstanceCodeV0 with @noble/hashes, core's WebAssembly BLAKE3 and
// the native addon (@napi-rs/blake-hash through the sdk's installNativeBlake3, when installed).
// Uses the built packages (npm run build). All times are CPU time (user + system: in process by
// process.cpuUsage, for the tools by GNU time over repeated runs), which a busy shared machine
// distorts far less than wall time; the throughput table adds wall-clock MiB/s for reference.
// Per-call times are medians per call; throughputs the best of 5.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@iscc-ts/core';
import { commandSeconds, median, table } from './_util.mjs';

/** Median CPU µs per call of `fn` (after warm-up), over `rounds` rounds of ~minMs each. */
function cpuUs(fn, { warmup = 300, minMs = 400, rounds = 7 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  let n = 1;
  for (;;) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const u = process.cpuUsage(t);
    if ((u.user + u.system) / 1000 > minMs / rounds) break;
    n *= 2;
  }
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.cpuUsage();
    for (let i = 0; i < n; i++) fn();
    const u = process.cpuUsage(t);
    samples.push((u.user + u.system) / n);
  }
  return median(samples);
}

/** Best CPU and wall seconds of `rounds` runs of `fn`. */
function bestCpu(fn, rounds = 5) {
  let cpu = Infinity;
  let wall = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    fn();
    const u = process.cpuUsage(c);
    cpu = Math.min(cpu, (u.user + u.system) / 1e6);
    wall = Math.min(wall, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return { cpu, wall };
}

/**
 * CPU and wall seconds of one run of a command-line tool on `file` (best of `rounds`, each
 * `repeat` runs under GNU time, whose 10 ms resolution needs the repetition); null when the
 * tool (or GNU time for CPU time) is missing.
 */
function toolSeconds(cmd, args, file, repeat, rounds = 3) {
  const wall = commandSeconds(cmd, [...args, file], rounds);
  if (wall === null) return null;
  let cpu = null;
  if (spawnSync('sh', ['-c', 'command -v /usr/bin/time']).status === 0) {
    const script = `i=0; while [ $i -lt ${repeat} ]; do ${cmd} ${args.join(' ')} "$0" >/dev/null || exit 1; i=$((i+1)); done`;
    for (let r = 0; r < rounds; r++) {
      const res = spawnSync('/usr/bin/time', ['-f', '%U %S', 'sh', '-c', script, file], { encoding: 'utf8' });
      const m = /([\d.]+) ([\d.]+)\s*$/.exec(res.stderr ?? '');
      if (res.status !== 0 || !m) break;
      const t = (Number(m[1]) + Number(m[2])) / repeat;
      cpu = cpu === null ? t : Math.min(cpu, t);
    }
  }
  return { cpu: cpu ?? wall, wall };
}

/** Like perCallUs, once with the kernels and once on the pure TypeScript path. */
function bothUs(fn) {
  const fast = cpuUs(fn);
  core.setTurbo(false);
  const slow = cpuUs(fn);
  core.setTurbo(true);
  return [fast, slow];
}

const base = 'The quick brown fox jumps over the lazy dog. ';
const text1000 = base.repeat(Math.ceil(1000 / base.length)).slice(0, 1000);
const pixels = Array.from({ length: 1024 }, (_, i) => i % 256);
const cv = Array.from({ length: 300 }, (_, i) => i);
const frames = Array.from({ length: 10 }, (_, f) => Array.from({ length: 380 }, (_, i) => f * 380 + i));
const units = ['AAAYPXW445FTYNJ3', 'EAARMJLTQCUWAND2', 'GABVVC5DMJJGYKZ4ZBYVNYABFFYXG', 'IADWIK7A7JTUAQ2D6QARX7OBEIK3OOUAM42LOBLCZ4ZOGDLRHMDL6TQ'];

const calls = [
  ['genMetaCodeV0 (name + description)', () => core.genMetaCodeV0('Die Unendliche Geschichte', 'Von Michael Ende'), null],
  ['genTextCodeV0 (1,000 chars)', () => core.genTextCodeV0(text1000, 64), 300],
  ['genImageCodeV0 (1,024 px)', () => core.genImageCodeV0(pixels, 64), 650],
  ['genAudioCodeV0 (300 ints)', () => core.genAudioCodeV0(cv, 64), 100],
  ['genVideoCodeV0 (10 frames)', () => core.genVideoCodeV0(frames, 64), 10],
  ['genMixedCodeV0 (2 codes)', () => core.genMixedCodeV0(['EUA6GIKXN42IQV3S', 'EIAUKMOUIOYZCKA5'], 64), null],
  ['genIsccCodeV0 (4 units)', () => core.genIsccCodeV0(units), null],
];
const rows = calls.map(([name, fn, goal]) => {
  const [us, pureUs] = bothUs(fn);
  return [name, us.toFixed(1), pureUs.toFixed(1), goal === null ? '-' : `<= ${goal}`, goal === null ? '-' : us <= goal ? 'met' : 'MISSED'];
});
console.log(`Per call (median CPU time after warm-up; turbo() = ${core.turbo()}):\n`);
table(['call', 'µs', 'pure TS µs', 'goal µs', ''], rows);

const size = 64 * 2 ** 20;
const buf = new Uint8Array(size);
let x = 0x12345678;
for (let i = 0; i < size; i += 4) {
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  buf[i] = x; buf[i + 1] = x >>> 8; buf[i + 2] = x >>> 16; buf[i + 3] = x >>> 24;
}
const mib = size / 2 ** 20;

// The same bytes as a page-cached file for the command-line tools.
const work = mkdtempSync(join(tmpdir(), 'iscc-core-bench-'));
const file = join(work, 'data.bin');
writeFileSync(file, buf);
readFileSync(file); // into the page cache
const sha256sum = toolSeconds('sha256sum', [], file, 4);
const b3sum = toolSeconds('b3sum', ['--num-threads', '1'], file, 32);
rmSync(work, { recursive: true, force: true });

const best = (fn) => bestCpu(fn, 5);
const sha = best(() => createHash('sha256').update(buf).digest());

// The Data-Code kernel alone: one call per 1 MiB window already in kernel memory.
const { kernels, K_IN, K_IN_CAP } = await import('../packages/core/dist/wasm-kernels.js');
const k = kernels();
let kernelAlone = null;
if (k) {
  k.bytes.set(buf.subarray(0, K_IN_CAP), K_IN);
  const [mi, ma, cs, maskS, maskL] = core.algCdcParams(1024);
  kernelAlone = best(() => {
    for (let off = 0; off < size; off += K_IN_CAP) k.dataChunks(K_IN, K_IN_CAP, mi, ma, cs, maskS, maskL, 0);
  });
}
// DataHashStream (what iscc sum runs): the input read into its kernel memory in 2 MiB pieces
// (here copied in, as a read would put it there), chunked in place, the minhash kept in kernel memory.
const stream = core.DataHashStream.create();
const dataStream =
  stream === null
    ? null
    : best(() => {
        for (let off = 0; off < size; off += stream.inputCapacity) {
          const piece = buf.subarray(off, off + stream.inputCapacity);
          stream.bytes.set(piece, stream.inputOffset);
          stream.update(stream.inputOffset, piece.length);
        }
        stream.digest();
      });
const data = best(() => core.genDataCodeV0(buf, 64));
const inst = best(() => core.genInstanceCodeV0(buf, 64));
core.setTurbo(false);
const dataPure = best(() => core.genDataCodeV0(buf, 64));
const instPure = best(() => core.genInstanceCodeV0(buf, 64));
core.setTurbo(true);
let instNative = null;
try {
  const { installNativeBlake3, uninstallNativeBlake3 } = await import('../packages/sdk/dist/native-blake3.js');
  if (installNativeBlake3()) {
    instNative = best(() => core.genInstanceCodeV0(buf, 64));
    uninstallNativeBlake3();
  }
} catch {
  // sdk not built or addon missing: reported below
}

const ratio = (ref, t) => (ref === null || t === null ? '-' : (ref.cpu / t.cpu).toFixed(2));
const row = (name, t) => [
  name,
  t === null ? '-' : (mib / t.cpu).toFixed(0),
  t === null ? '-' : (mib / t.wall).toFixed(0),
  ratio(sha, t),
  ratio(sha256sum, t),
  ratio(b3sum, t),
];
console.log(`\nThroughput on one ${mib} MiB buffer (the tools read the same bytes from a page-cached file; ratios of CPU time):\n`);
table(
  ['what', 'MiB/s (CPU)', 'MiB/s (wall)', 'x Node sha256', 'x sha256sum', 'x b3sum-1t'],
  [
    row('Node crypto sha256', sha),
    row('coreutils sha256sum' + (sha256sum === null ? ' (not installed)' : ''), sha256sum),
    row('b3sum --num-threads 1' + (b3sum === null ? ' (not installed: apt-get install -y b3sum)' : ''), b3sum),
    row('Data-Code kernel alone (WebAssembly)', kernelAlone),
    row('genDataCodeV0 (WebAssembly kernel)', data),
    row('DataHashStream (kernel memory, 2 MiB reads; iscc sum)', dataStream),
    row('genDataCodeV0 (pure TS)', dataPure),
    row('genInstanceCodeV0 (@noble/hashes, pure TS)', instPure),
    row('genInstanceCodeV0 (core WebAssembly BLAKE3)', inst),
    row('genInstanceCodeV0 (native @napi-rs/blake-hash)' + (instNative === null ? ' (not installed)' : ''), instNative),
  ],
);
