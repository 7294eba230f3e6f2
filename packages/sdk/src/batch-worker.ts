/**
 * Worker thread of {@link codeIsccBatch}: receives one {@link BatchJob} at a time, codes the
 * file with `codeIscc` and posts a {@link BatchReply} (the result, or the error as
 * `{ code, message }`). It says `{ ready: true }` once loaded. It imports the package index so that every mode handler (image, audio,
 * video, text) is registered in this thread too. Started by `batch.ts` from the built package
 * (`dist/batch-worker.js`); it has no other entry point.
 */
import { parentPort } from 'node:worker_threads';
import { codeIscc } from './index.ts';
import { errorRecord, type BatchJob, type BatchReply } from './batch.ts';

// Loaded: the pool may send work now.
parentPort?.postMessage({ ready: true });

parentPort?.on('message', (job: BatchJob) => {
  codeIscc(job.path, null, null, null, job.options).then(
    (result) => parentPort!.postMessage({ id: job.id, ok: true, result } satisfies BatchReply),
    (e: unknown) => parentPort!.postMessage({ id: job.id, ok: false, error: errorRecord(e) } satisfies BatchReply),
  );
});
