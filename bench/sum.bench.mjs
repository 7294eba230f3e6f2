// `iscc sum` against checksum tools, on the same page-cached data in the same run:
// 1. one 1 GiB file: coreutils sha256sum, b3sum --num-threads 1, Node's crypto sha256 (same
//    2 MiB read loop as iscc sum), and `iscc sum` (the built CLI, one process: reads + native
//    BLAKE3 on a helper thread, the Data-Code of the first half on the main thread and of the
//    second half on a data thread), also with ISCC_SUM_SPLIT=0 (all of the Data-Code on the main
//    thread) and ISCC_SUM_THREADS=1 (all in one thread), and the critical path: CPU time of the
//    busiest thread while the file is hashed in-process (sum/hash.ts from dist/), plus the
//    CLI's start-up CPU time, with and without the split;
// 2. 10,000 files of 4 KiB: sha256sum vs `iscc sum` (start-up and per-file cost; with 4 or more
//    cores the default reads and BLAKE3-hashes the small files on the helper thread).
// The machine may be shared and loaded, so every row gives CPU time beside wall time (children:
// cutime + cstime of /proc/self/stat around each run, 10 ms ticks; in process:
// process.cpuUsage, /proc/self/task/<tid>/stat for one thread), and the ratios are given both
// ways; all ratios are between numbers of the same run. Tools that are missing are skipped
// with a note (b3sum: `apt-get install -y b3sum`). Data is created under the temp directory and
// removed afterwards. Requires a build (`npm run build`). ISCC_BENCH_SUM_MIB overrides the size.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { table } from './_util.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'packages', 'cli', 'bin', 'iscc.js');
const dist = (p) => pathToFileURL(join(here, '..', 'packages', p)).href;
const MIB = 2 ** 20;
const sizeMib = Number(process.env.ISCC_BENCH_SUM_MIB ?? 1024);
const work = mkdtempSync(join(tmpdir(), 'iscc-sum-bench-'));
const TICK = 0.01; // seconds per clock tick of /proc (USER_HZ = 100 on Linux)

/** Pseudo-random bytes (xorshift32), so that the Data-Code sees realistic chunking. */
function fillRandom(buf, seed) {
  let x = seed >>> 0 || 1;
  for (let i = 0; i + 4 <= buf.length; i += 4) {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    buf[i] = x; buf[i + 1] = x >>> 8; buf[i + 2] = x >>> 16; buf[i + 3] = x >>> 24;
  }
  return buf;
}

/** CPU seconds (user + system) of the waited-for children of this process so far. */
function childrenCpu() {
  const f = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(f[13]) + Number(f[14])) * TICK;
}

/** CPU seconds of every thread of this process, by thread id. */
function threadCpus() {
  const out = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(Number(tid), threadCpu(Number(tid)));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return out;
}

/** CPU seconds of one thread of this process (`tid` = pid: the main thread). */
function threadCpu(tid = process.pid) {
  const f = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK;
}

/**
 * Best wall and best CPU seconds over `rounds` runs of a command, or null when it is not
 * installed; a run over 20 s is not repeated.
 */
function measure(cmd, args, rounds = 3, env = {}) {
  const probe = spawnSync('sh', ['-c', `command -v ${cmd}`]);
  if (probe.status !== 0) return null;
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < rounds; r++) {
    const c0 = childrenCpu();
    const t = process.hrtime.bigint();
    const res = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env } });
    const w = Number(process.hrtime.bigint() - t) / 1e9;
    if (res.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')} exited ${res.status}`);
    wall = Math.min(wall, w);
    cpu = Math.min(cpu, childrenCpu() - c0);
    if (w > 20) break;
  }
  return { wall, cpu };
}

/** Best wall and CPU seconds of an in-process function (process CPU, all threads). */
async function measureIn(fn, rounds = 3) {
  let wall = Infinity;
  let cpu = Infinity;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    const t = process.hrtime.bigint();
    await fn();
    wall = Math.min(wall, Number(process.hrtime.bigint() - t) / 1e9);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  return { wall, cpu };
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

const iscc = (args, env = {}, rounds = 3) => measure(process.execPath, [bin, 'sum', ...args], rounds, env);

const ratio = (ref, x) => (ref == null || x == null ? '-' : `${(ref / x).toFixed(2)}x`);
/** A table row: label, MiB/s (wall), wall s, CPU s, x sha256sum by wall, by CPU, x b3sum-1t by CPU. */
const bigRow = (label, m, sha, b3, mib) =>
  m === null
    ? [label, 'not installed', '-', '-', '-', '-', '-', '-']
    : [label, (mib / m.wall).toFixed(0), m.wall.toFixed(2), m.cpu.toFixed(2), ratio(sha?.wall, m.wall), ratio(sha?.cpu, m.cpu), ratio(b3?.wall, m.wall), ratio(b3?.cpu, m.cpu)];

const { loadNativeBlake3 } = await import(dist('sdk/dist/native-blake3.js'));
const native = process.env.ISCC_NATIVE_BLAKE3 !== '0' && loadNativeBlake3() !== null;
const c = cpus();
console.log(
  `machine: ${c[0]?.model.trim()}, ${c.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ` +
    `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
);
console.log(`BLAKE3 in iscc sum: ${native ? 'native addon @napi-rs/blake-hash' : "core's WebAssembly (@napi-rs/blake-hash not installed)"}\n`);

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
  const sha = measure('sha256sum', [big], rounds);
  const b3 = measure('b3sum', ['--num-threads', '1', big], rounds);
  const nodeSha = await measureIn(() => nodeSha256File(big), rounds);
  const ours = iscc([big], {}, rounds);
  const ours1 = iscc([big], { ISCC_SUM_THREADS: '1' }, rounds);
  const oursNoSplit = iscc([big], { ISCC_SUM_SPLIT: '0' }, rounds);
  const oursNarrow = iscc(['--narrow', big], {}, 1);
  const startup = iscc([join(here, '..', 'package.json')], {}, 5);
  // The critical path: the busiest thread's CPU time while the file is hashed in-process.
  const hash = await import(dist('cli/dist/sum/hash.js'));
  const inProcess = async (env) => {
    hash.setupBlake3(env, true);
    hash.sumFile(join(here, '..', 'package.json'), true, false);
    const best = { main: Infinity, other: Infinity, all: Infinity, wall: Infinity };
    for (let r = 0; r < rounds; r++) {
      const before = threadCpus();
      const c0 = process.cpuUsage();
      const t = process.hrtime.bigint();
      hash.sumFile(big, true, false);
      const wall = Number(process.hrtime.bigint() - t) / 1e9;
      const all = process.cpuUsage(c0);
      let other = 0;
      for (const [tid, cpu] of threadCpus()) if (tid !== process.pid) other = Math.max(other, cpu - (before.get(tid) ?? 0));
      best.main = Math.min(best.main, threadCpu() - before.get(process.pid));
      best.other = Math.min(best.other, other);
      best.all = Math.min(best.all, (all.user + all.system) / 1e6);
      best.wall = Math.min(best.wall, wall);
    }
    await hash.closeSumHashing();
    return best;
  };
  const split = await inProcess({ ...process.env, ISCC_SUM_SPLIT: '1' });
  const noSplit = await inProcess({ ...process.env, ISCC_SUM_SPLIT: '0' });
  // What one process would take with cores to spare for its threads: start-up + busiest thread.
  const critical = { wall: split.wall + startup.wall, cpu: Math.max(split.main, split.other) + startup.cpu };
  const critical0 = { wall: noSplit.wall + startup.wall, cpu: Math.max(noSplit.main, noSplit.other) + startup.cpu };
  console.log(`One ${sizeMib} MiB file (page-cached), best of ${rounds} (a run over 20 s: of 1):\n`);
  table(
    ['tool', 'MiB/s (wall)', 'wall s', 'CPU s', 'x sha256sum (wall)', 'x sha256sum (CPU)', 'x b3sum-1t (wall)', 'x b3sum-1t (CPU)'],
    [
      bigRow('sha256sum (coreutils)', sha, sha, b3, sizeMib),
      bigRow('b3sum --num-threads 1', b3, sha, b3, sizeMib),
      bigRow('Node crypto sha256 (2 MiB reads)', nodeSha, sha, b3, sizeMib),
      bigRow('iscc sum (wide; BLAKE3 + reads on a helper thread, Data-Code split with a data thread), CPU of all threads', ours, sha, b3, sizeMib),
      bigRow('iscc sum, critical path: start-up + busiest thread (in-process hashing)', critical, sha, b3, sizeMib),
      bigRow('iscc sum ISCC_SUM_SPLIT=0 (Data-Code all on the main thread), CPU of both threads', oursNoSplit, sha, b3, sizeMib),
      bigRow('iscc sum ISCC_SUM_SPLIT=0, critical path', critical0, sha, b3, sizeMib),
      bigRow('iscc sum ISCC_SUM_THREADS=1 (one thread)', ours1, sha, b3, sizeMib),
      bigRow('iscc sum --narrow (1 run)', oursNarrow, sha, b3, sizeMib),
    ],
  );
  console.log(
    `\nIn process, split: main thread ${split.main.toFixed(2)} s CPU, busiest other thread ${split.other.toFixed(2)} s, ` +
      `all ${split.all.toFixed(2)} s, wall ${split.wall.toFixed(2)} s; ISCC_SUM_SPLIT=0: main thread ${noSplit.main.toFixed(2)} s CPU (Data-Code), ` +
      `helper ${noSplit.other.toFixed(2)} s (reads + BLAKE3), all ${noSplit.all.toFixed(2)} s, wall ${noSplit.wall.toFixed(2)} s; ` +
      `iscc sum start-up ${startup.cpu.toFixed(2)} s CPU, ${startup.wall.toFixed(2)} s wall.`,
  );
  if (b3 === null) console.log('\nb3sum is not installed: apt-get install -y b3sum');
  console.log('Goals: iscc sum >= 3x sha256sum and >= 0.3x b3sum-1t.');
  rmSync(big);

  // --- many small files ---
  const many = join(work, 'many');
  mkdirSync(many);
  const small = new Uint8Array(4096);
  for (let i = 0; i < 10000; i++) writeFileSync(join(many, `f${String(i).padStart(5, '0')}`), fillRandom(small, i + 7));
  const names = readdirSync(many).sort().map((n) => join(many, n));
  spawnSync('cat', names, { stdio: ['ignore', 'ignore', 'ignore'] });
  const shaMany = measure('sha256sum', names, rounds);
  const { estimateWork, poolSize } = await import(dist('cli/dist/sum/pool.js'));
  const workers = poolSize(process.env, undefined, estimateWork(names));
  const oursMany = iscc([many], {}, rounds);
  const oursManyArgs = iscc(names, {}, 1);
  const oursMany1 = iscc([many], { ISCC_SUM_THREADS: '1' }, rounds);
  const oursMany2 = iscc([many], { ISCC_SUM_THREADS: '2' }, rounds);
  const { BATCH_MIN_CORES } = await import(dist('cli/dist/sum/hash.js'));
  const smallPath = availableParallelism() >= BATCH_MIN_CORES ? 'reads + BLAKE3 of the small files on the helper thread' : `one thread: fewer than ${BATCH_MIN_CORES} cores for the helper`;
  const dflt = workers ? `${workers} workers` : `in-process (too little work for a pool), ${smallPath}`;
  const row = (label, m) => [label, (names.length / m.wall).toFixed(0), m.wall.toFixed(2), m.cpu.toFixed(2), ratio(shaMany?.wall, m.wall), ratio(shaMany?.cpu, m.cpu)];
  console.log(`\n10,000 files of 4 KiB (page-cached), best of ${rounds}:\n`);
  table(
    ['tool', 'files/s (wall)', 'wall s', 'CPU s', 'x sha256sum (wall)', 'x sha256sum (CPU)'],
    [
      shaMany === null ? ['sha256sum FILE...', 'not installed', '-', '-', '-', '-'] : row('sha256sum FILE...', shaMany),
      row(`iscc sum DIR (default: ${dflt})`, oursMany),
      row('iscc sum FILE... (default, 1 run)', oursManyArgs),
      row('iscc sum DIR (ISCC_SUM_THREADS=1: one thread)', oursMany1),
      row('iscc sum DIR (ISCC_SUM_THREADS=2: 2 workers)', oursMany2),
    ],
  );
  console.log(`\n(${((names.length * 4096) / MIB).toFixed(0)} MiB in all.) iscc sum start-up on one small file: ${(startup.wall * 1000).toFixed(0)} ms wall, ${(startup.cpu * 1000).toFixed(0)} ms CPU.`);
  console.log('Goal: 10,000 files of 4 KiB >= 1x sha256sum.');
} finally {
  rmSync(work, { recursive: true, force: true });
}
