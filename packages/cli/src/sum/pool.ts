/**
 * A small pool of worker threads for hashing many files at once (sum/worker.ts). Results come
 * back out of order; {@link SumRun.get} hands them out by index so that the output keeps the
 * argument order.
 *
 * - Used only for runs of at least {@link POOL_MIN_FILES} files: a worker costs a few tens of
 *   milliseconds to start (it loads core), which a short run would not earn back.
 * - Size: `ISCC_SUM_THREADS` if set, else by the work ({@link defaultPoolSize}): one worker per
 *   {@link WORK_PER_WORKER_S} of estimated single-thread hashing time (files and bytes, from a
 *   sample of `stat`s), at most the available cores less one; no pool below 2 workers.
 * - Files go out in batches of {@link BATCH_FILES}, at most two batches in flight per worker,
 *   so a worker is never idle waiting for the main thread and big files spread over workers.
 * - Only available from the built JavaScript (dist/); under a TypeScript test runner the
 *   worker script cannot be loaded and the caller hashes in-process.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { WorkerBatch, WorkerReply, WorkerResult } from './worker.ts';

/** Runs with fewer files are hashed in the main thread. */
export const POOL_MIN_FILES = 64;
/** Files per message to a worker. */
export const BATCH_FILES = 16;

/** One run over a list of files. */
export interface SumRun {
  /** The result for job `index` (resolves when that file is done). */
  get(index: number): Promise<WorkerResult>;
}

/** The pool. */
export interface SumPool {
  /** Start hashing `paths` (null entries are skipped); `onBytes` counts progress. */
  run(paths: (string | null)[], wide: boolean, units: boolean, onBytes: (n: number) => void): SumRun;
  /** Stop the workers. */
  close(): Promise<void>;
}

/**
 * Estimated single-thread cost of one file, in seconds (open, read, both hashes, one line out):
 * 10,000 files of 4 KiB take ~0.35 s in one thread on this project's 2-core test machine.
 */
export const FILE_COST_S = 35e-6;
/** Estimated single-thread cost of one GiB of content, in seconds (the Data-Code kernel). */
export const GIB_COST_S = 1.0;
/**
 * Work a pool worker must get to earn back its start-up: a worker loads core (~0.15 s CPU), and
 * on a 16-core host 15 workers for 10,000 files of 4 KiB (0.39 s of work) were slower than
 * hashing in the main thread (0.43 s wall and 2.76 s CPU against 0.36 s and 0.47 s).
 */
export const WORK_PER_WORKER_S = 0.5;
/** Files whose size is looked up to estimate the bytes of a run (evenly spread over it). */
export const SIZE_SAMPLE_FILES = 256;

/** What a run has to hash, for {@link defaultPoolSize}. */
export interface RunWork {
  files: number;
  bytes: number;
}

/**
 * Workers for a run of this much work when `ISCC_SUM_THREADS` is not set: one per
 * {@link WORK_PER_WORKER_S} of estimated single-thread time, at most one fewer than the cores
 * (the main thread reads results and writes output) and {@link MAX_WORKERS}; 0 (no pool) below
 * 2 workers.
 */
export function defaultPoolSize(work: RunWork, cores: number): number {
  const seconds = work.files * FILE_COST_S + (work.bytes / 2 ** 30) * GIB_COST_S;
  const n = Math.min(Math.floor(seconds / WORK_PER_WORKER_S), cores - 1, MAX_WORKERS);
  return n >= 2 ? n : 0;
}

/**
 * Number of workers to use, or 0 for none: `ISCC_SUM_THREADS` when set, else
 * {@link defaultPoolSize} of `work` (without `work`: as if unbounded, one fewer than the cores).
 * Measured on a 2-core host, two workers beside the main thread were slower than hashing
 * in-process (10,000 files of 4 KiB: 3.9 s vs 2.5 s), so a pool of 1 is never made.
 */
export function poolSize(env: NodeJS.ProcessEnv, cores: number = availableParallelism(), work?: RunWork): number {
  const fromEnv = envThreads(env);
  if (fromEnv > 0) return fromEnv >= 2 ? fromEnv : 0;
  return defaultPoolSize(work ?? { files: Infinity, bytes: 0 }, cores);
}

/** `ISCC_SUM_THREADS` as a positive integer, or 0 when unset or not one. */
export function envThreads(env: NodeJS.ProcessEnv): number {
  const n = Number.parseInt(env.ISCC_SUM_THREADS ?? '', 10);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * The work of a run: its files, and their bytes from the sizes of at most
 * {@link SIZE_SAMPLE_FILES} of them, scaled up (a `stat` per file would cost a tenth of the
 * hashing on small files). Files that cannot be stat-ed count as empty (they fail later).
 */
export function estimateWork(paths: readonly (string | null)[]): RunWork {
  const files = paths.filter((p): p is string => p !== null);
  if (files.length === 0) return { files: 0, bytes: 0 };
  const take = Math.min(files.length, SIZE_SAMPLE_FILES);
  let sampled = 0;
  for (let i = 0; i < take; i++) {
    const st = statSync(files[Math.floor((i * files.length) / take)]!, { throwIfNoEntry: false });
    if (st?.isFile()) sampled += st.size;
  }
  return { files: files.length, bytes: (sampled * files.length) / take };
}

/** Upper bound of the default pool size (more workers mostly contend for the disk). */
export const MAX_WORKERS = 16;

/**
 * Create a pool for hashing `paths` (sized by their work, see {@link poolSize}), or null when
 * workers are not available here (see module comment) or not worth it.
 */
export function createSumPool(env: NodeJS.ProcessEnv, paths: readonly (string | null)[]): SumPool | null {
  if (!import.meta.url.endsWith('.js')) return null;
  const cores = availableParallelism();
  // The sizes are only looked up when the default could give a pool at all.
  const size = poolSize(env, cores, envThreads(env) > 0 || cores < 3 ? undefined : estimateWork(paths));
  if (size === 0) return null;
  const script = new URL('./worker.js', import.meta.url);
  const workers = Array.from({ length: size }, () => new Worker(script));
  return {
    run(paths, wide, units, onBytes) {
      const waiting = new Map<number, (r: WorkerResult) => void>();
      const done = new Map<number, WorkerResult>();
      const todo: [number, string][] = [];
      paths.forEach((p, i) => {
        if (p !== null) todo.push([i, p]);
      });
      let next = 0;
      let failure: Error | null = null;
      const send = (w: Worker) => {
        if (next >= todo.length) return;
        const items = todo.slice(next, next + BATCH_FILES);
        next += items.length;
        const batch: WorkerBatch = { items, wide, units };
        w.postMessage(batch);
      };
      for (const w of workers) {
        w.removeAllListeners('message');
        w.removeAllListeners('error');
        w.on('message', (reply: WorkerReply) => {
          onBytes(reply.bytes);
          for (const r of reply.results) {
            const resolve = waiting.get(r.index);
            if (resolve) {
              waiting.delete(r.index);
              resolve(r);
            } else done.set(r.index, r);
          }
          send(w);
        });
        w.on('error', (e) => {
          failure = e;
          for (const [index, resolve] of waiting) resolve({ index, error: String(e.message) });
          waiting.clear();
        });
        send(w);
        send(w);
      }
      return {
        get(index) {
          const r = done.get(index);
          if (r) {
            done.delete(index);
            return Promise.resolve(r);
          }
          if (failure) return Promise.resolve({ index, error: failure.message });
          return new Promise((resolve) => waiting.set(index, resolve));
        },
      };
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
