/**
 * A small pool of worker threads for hashing many files at once (sum/worker.ts). Results come
 * back out of order; {@link SumRun.get} hands them out by index so that the output keeps the
 * argument order.
 *
 * - Used only for runs of at least {@link POOL_MIN_FILES} files: a worker costs a few tens of
 *   milliseconds to start (it loads core), which a short run would not earn back.
 * - Size: `ISCC_SUM_THREADS` if set, else the available cores less one; no pool below 2 workers.
 * - Files go out in batches of {@link BATCH_FILES}, at most two batches in flight per worker,
 *   so a worker is never idle waiting for the main thread and big files spread over workers.
 * - Only available from the built JavaScript (dist/); under a TypeScript test runner the
 *   worker script cannot be loaded and the caller hashes in-process.
 */
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
 * Number of workers to use, or 0 for none: `ISCC_SUM_THREADS` when set, else one fewer than the
 * available cores (the main thread reads results and writes output). Measured on a 2-core host,
 * two workers beside the main thread were slower than hashing in-process (10,000 files of
 * 4 KiB: 3.9 s vs 2.5 s), so a pool of 1 is never made.
 */
export function poolSize(env: NodeJS.ProcessEnv, cores: number = availableParallelism()): number {
  const fromEnv = Number.parseInt(env.ISCC_SUM_THREADS ?? '', 10);
  const n = Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : Math.min(cores - 1, MAX_WORKERS);
  return n >= 2 ? n : 0;
}

/** Upper bound of the default pool size (more workers mostly contend for the disk). */
export const MAX_WORKERS = 16;

/** Create a pool, or null when workers are not available here (see module comment). */
export function createSumPool(env: NodeJS.ProcessEnv): SumPool | null {
  if (!import.meta.url.endsWith('.js')) return null;
  const size = poolSize(env);
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
