/**
 * Worker thread of the `iscc sum` pool: receives batches of `[index, path]`, hashes each file
 * with the same read loop as the main thread (sum/hash.ts) and posts the results back in one
 * message per batch (one message per small file would cost more than hashing it).
 */
import { parentPort } from 'node:worker_threads';
import type { FileSum } from './compose.ts';
import { ReadError, setupBlake3, sumFile } from './hash.ts';

/** A batch sent to a worker. */
export interface WorkerBatch {
  items: [number, string][];
  wide: boolean;
  units: boolean;
}

/** The answer for one file. */
export interface WorkerResult {
  index: number;
  result?: FileSum;
  error?: string;
}

/** The answer to a batch: results and the bytes read. */
export interface WorkerReply {
  results: WorkerResult[];
  bytes: number;
}

// The pool's threads hash many files each: no helper thread of their own.
setupBlake3(process.env, false);

parentPort?.on('message', (batch: WorkerBatch) => {
  const results: WorkerResult[] = [];
  let bytes = 0;
  for (const [index, path] of batch.items) {
    try {
      const result = sumFile(path, batch.wide, batch.units, (n) => (bytes += n));
      results.push({ index, result });
    } catch (e) {
      results.push({ index, error: e instanceof ReadError ? e.message : String((e as Error)?.message ?? e) });
    }
  }
  const reply: WorkerReply = { results, bytes };
  parentPort!.postMessage(reply);
});
