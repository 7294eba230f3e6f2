/**
 * One big file's Data-Code split between two threads (sum/data-thread.ts, hash.ts path 2): the
 * caller's side with split jobs run in-process by {@link hashFrom} (joined, cancelled, failed,
 * no chain), and the real data thread from the build in a plain Node process. Every result must
 * equal core's IsccSumHasher on the whole file (the oracle; its Data-Hash is checked against
 * the pure TypeScript one in core).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DataHashStream, IsccSumHasher, setBlake3 } from '@iscc-ts/core';
import { loadNativeBlake3, resolveNativeBlake3 } from '@iscc-ts/sdk/native-blake3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SLOT_BYTES } from './blake3-thread.ts';
import {
  ControlledJob,
  hashFrom,
  S_CANCELLED,
  S_CHAINED,
  S_DONE,
  S_FAILED,
  S_NO_CHAIN,
  SPLIT_CHAIN_CUTS,
  SPLIT_SHARE,
  splitPoint,
  type SplitJob,
} from './data-thread.ts';
import { closeSumHashing, configureSumHashing, HELPER_MIN_BYTES, sumFile, type SplitStarter } from './hash.ts';

const DIST_HASH = join(__dirname, '..', '..', 'dist', 'sum', 'hash.js');
const DIST_THREAD = join(__dirname, '..', '..', 'dist', 'sum', 'data-thread.js');
const addon = resolveNativeBlake3();

function reference(data: Uint8Array): string {
  const h = new IsccSumHasher();
  h.update(data);
  return h.result(true, false).iscc;
}

/** Pseudo-random bytes (xorshift32); `period` > 0 repeats the first `period` bytes. */
function bytes(n: number, seed: number, period = 0): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    if (period > 0 && i >= period) {
      b[i] = b[i - period]!;
      continue;
    }
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    b[i] = x & 0xff;
  }
  return b;
}

let dir: string;
const stream = DataHashStream.create()!;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sum-split-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await closeSumHashing();
  setBlake3(undefined);
});

/** Run the caller's side with `start` as the split starter on every big file. */
function withSplit(start: SplitStarter): void {
  configureSumHashing({ blake3: loadNativeBlake3()!.blake3 ?? null, helperAddon: addon, split: { minBytes: HELPER_MIN_BYTES, start } });
}

/** A job that the data thread's code has run to its end before the caller looks at it. */
function ranJob(path: string, x: number): ControlledJob {
  const job = new ControlledJob();
  hashFrom(stream, path, x, SPLIT_CHAIN_CUTS, job.ctl);
  return job;
}

describe('splitPoint', () => {
  it('is the slot boundary nearest the caller\'s share', () => {
    expect(splitPoint(256 * 2 ** 20)).toBe(Math.round((128 * SPLIT_SHARE) / 1) * 2 * 2 ** 20);
    expect(splitPoint(2 ** 30 + 5) % SLOT_BYTES).toBe(0);
    expect(splitPoint(100)).toBe(0);
  });
});

describe('hashFrom and ControlledJob', () => {
  it('publishes a cut and a state, or no chain for a window too short to decide', () => {
    const p = join(dir, 'short');
    writeFileSync(p, bytes(5000, 1));
    expect(Atomics.load(ranJob(p, 0).ctl, 0)).toBe(S_NO_CHAIN);
    expect(ranJob(p, 0).cut()).toBe(-1);
    writeFileSync(p, bytes(300_000, 1));
    const job = ranJob(p, 1000);
    expect(Atomics.load(job.ctl, 0)).toBe(S_DONE);
    expect(job.cut()).toBeGreaterThan(0);
    expect(job.result()).toHaveLength(64);
  });
  it('a job not started when the caller asks is cancelled, and then never runs', () => {
    const p = join(dir, 'late');
    writeFileSync(p, bytes(300_000, 2));
    const job = new ControlledJob();
    expect(job.cut()).toBe(-1);
    expect(Atomics.load(job.ctl, 0)).toBe(S_CANCELLED);
    hashFrom(stream, p, 0, SPLIT_CHAIN_CUTS, job.ctl);
    expect(Atomics.load(job.ctl, 0)).toBe(S_CANCELLED);
    expect(job.result()).toBeNull();
  });
  it('a missing file fails the job', () => {
    const job = ranJob(join(dir, 'missing'), 0);
    expect(Atomics.load(job.ctl, 0)).toBe(S_FAILED);
    expect(job.result()).toBeNull();
  });
});

describe.skipIf(addon === null)('sumFile with a split Data-Code (jobs run in-process)', () => {
  const size = HELPER_MIN_BYTES + 3 * SLOT_BYTES + 12_345;

  it('joins on random data and equals the oracle; passes on the halves otherwise', () => {
    const data = bytes(size, 11);
    const p = join(dir, 'random');
    writeFileSync(p, data);
    const want = reference(data);
    const used: boolean[] = [];
    withSplit((path, x) => {
      const j = ranJob(path, x);
      const k = used.push(false) - 1;
      return { cut: () => j.cut(), cancel: () => j.cancel(), result: () => ((used[k] = true), j.result()) };
    });
    let seen = 0;
    expect(sumFile(p, true, false, (n) => (seen += n)).iscc).toBe(want);
    expect(seen).toBe(size);
    // The job's cut was on the true chain: this thread merged the job's state.
    expect(used).toEqual([true]);
  });

  it('is exact on zeros and periodic data, and a file just above the split size', () => {
    const cases: [string, Uint8Array][] = [
      ['zeros', new Uint8Array(size)],
      ['period3', bytes(size, 5, 3)],
      ['period8191', bytes(size, 6, 8191)],
      ['period8192', bytes(size, 7, 8192)],
      ['just-above', bytes(HELPER_MIN_BYTES, 8)],
      ['tiny-tail', bytes(2 * SLOT_BYTES * 8 + 1, 9)],
    ];
    for (const [name, data] of cases) {
      const p = join(dir, name);
      writeFileSync(p, data);
      withSplit((path, x) => ranJob(path, x));
      expect(sumFile(p, true, false).iscc, name).toBe(reference(data));
      rmSync(p);
    }
  });

  it('is exact when the job is cancelled, has no chain, or fails after its cut', () => {
    const data = bytes(size, 13);
    const p = join(dir, 'jobs');
    writeFileSync(p, data);
    const want = reference(data);
    const starters: SplitStarter[] = [
      () => new ControlledJob(), // never started: cancelled at the split point
      () => null, // no thread
      (path) => ranJob(path, size - 10), // a window too short: no chain
      (path, x) => {
        // Chained, then failed: this thread hashes the job's part itself.
        const j = ranJob(path, x);
        Atomics.store(j.ctl, 0, S_CHAINED);
        const failing: SplitJob = { cut: () => j.cut(), result: () => null, cancel: () => j.cancel() };
        return failing;
      },
    ];
    for (const start of starters) {
      withSplit(start);
      expect(sumFile(p, true, false).iscc).toBe(want);
    }
  });
});

describe.skipIf(addon === null || !existsSync(DIST_THREAD))('the data thread (from the build)', () => {
  it('splits big files in a plain Node process, exactly', () => {
    const files = [bytes(HELPER_MIN_BYTES + 5 * SLOT_BYTES + 3, 21), new Uint8Array(HELPER_MIN_BYTES + 7), bytes(HELPER_MIN_BYTES + 2, 22, 1000)];
    const paths = files.map((d, i) => {
      const p = join(dir, `thread${i}`);
      writeFileSync(p, d);
      return p;
    });
    const script =
      `const h = await import(${JSON.stringify(pathToFileURL(DIST_HASH).href)});` +
      `const { loadNativeBlake3, resolveNativeBlake3 } = await import('@iscc-ts/sdk/native-blake3');` +
      `h.setupBlake3({}, true);` +
      `const d = await import(${JSON.stringify(pathToFileURL(DIST_THREAD).href)});` +
      `const thread = new d.DataThread(d.dataThreadScript());` +
      // A thread that is not up when the caller reaches the split point is (rightly) passed
      // over; wait for it here so that the split is sure to happen.
      `if (!thread.ready(30000)) throw new Error('data thread did not start');` +
      `const merged = [];` +
      // Count the files whose second half came from the data thread.
      `const start = (p, x) => { const j = thread.start(p, x); return { cut: () => j.cut(), cancel: () => j.cancel(), result: () => { const r = j.result(); merged.push(r !== null); return r; } }; };` +
      `h.configureSumHashing({ blake3: loadNativeBlake3().blake3, helperAddon: resolveNativeBlake3(), split: { minBytes: 1, start } });` +
      `const out = [];` +
      `for (const p of ${JSON.stringify(paths)}) out.push(h.sumFile(p, true, false).iscc);` +
      `process.stdout.write(out.join(' ') + ' ' + merged.filter(Boolean).length); await h.closeSumHashing(); await thread.close();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000, cwd: join(__dirname, '..', '..') });
    for (const p of paths) rmSync(p);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // The random file and the zeros (cut every 8 KiB from 0: x is on the chain) were split.
    const merged = Number(r.stdout.split(' ').pop());
    expect(r.stdout).toBe(files.map(reference).join(' ') + ` ${merged}`);
    expect(merged).toBeGreaterThanOrEqual(2);
  });
});
