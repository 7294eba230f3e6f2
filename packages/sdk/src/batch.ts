/**
 * Batch processing: `codeIsccBatch(pathsOrDir, options)` codes many files with a pool of worker
 * threads (iscc-sdk's `iscc-sdk batch`, as a library function).
 *
 * Steps:
 * 1. Expand the input into a file list. A directory is walked bottom-up in a fixed order, as
 *    iscc-sdk's `iter_unprocessed` does: the entries of each directory are sorted by name (code
 *    point order, like Python's `sorted`), its subdirectories are visited first, then its files.
 *    Sidecars (`*.iscc.json`) and stored signatures (`*.iscc.mp7sig`) are not inputs. Symbolic
 *    links are skipped, as iscc-sdk's docstring says, so a link cycle cannot make the walk loop.
 * 2. Resolve the sdk options once in the calling thread (defaults, `ISCC_SDK_*`, overrides) and
 *    hash them with the sdk version ({@link batchOptionsHash}); every worker gets the resolved
 *    object, so all files of a batch are coded with the same options.
 * 3. With `sidecars`, a file whose `<file>.iscc.json` is current is skipped: the sidecar is at
 *    least as new as the file, records the same options hash and the file's size. Its record
 *    carries the stored result.
 * 4. The other files go to the pool, one file per message: each worker takes the next file when
 *    it is done with the previous one, so large and small files balance out. Until the first
 *    worker has loaded the sdk, the calling thread codes files itself (`mainThread`), so a
 *    small batch does not wait for the pool to start. Results come back in any order; the
 *    returned array is in walk order.
 * 5. A file that fails gives an error record `{ path, error: { code, message } }` and the batch
 *    goes on. A worker that dies (a crash in a native library) fails only its current file and
 *    is replaced.
 * 6. With `sidecars`, each result is written to `<file>.iscc.json` (to a temporary name, then
 *    renamed, so a sidecar is never half-written).
 * 7. `signal` aborts: no new file is started, the workers are terminated, and the promise
 *    rejects with the signal's reason once nothing is running any more.
 *
 * Where the worker code comes from: the built package spawns `dist/batch-worker.js` next to
 * this module. When this module runs from its TypeScript sources (tests, the `development`
 * export condition), Node cannot start a `.ts` worker, so files are coded in the calling
 * thread unless `workerScript` names a runnable worker (the tests bundle `batch-worker.ts` with
 * esbuild for that). `workers: 0` or `1` always codes in the calling thread.
 */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { resolveOptions, SDK_OPTION_NAMES, type SdkOptions, type SdkOptionsInput } from './options.ts';
import type { IsccMetaResult } from './main.ts';

/** Suffix of result sidecars, as iscc-sdk's batch writes them. */
export const SIDECAR_SUFFIX = '.iscc.json';
/** Suffix of MPEG-7 signatures that the video mode can store next to a video. */
export const MP7SIG_SUFFIX = '.iscc.mp7sig';
/** Key of the sidecar member that records how the result was made (not part of IsccMeta). */
export const SIDECAR_BATCH_KEY = '$batch';
/** Error code of a record whose failure was not an SdkError (a bug or a crashed worker). */
export const BATCH_INTERNAL_ERROR = 'ISCC_SDK_INTERNAL';

/** What the batch did with one file. */
export type BatchRecord =
  | { path: string; status: 'ok'; result: IsccMetaResult; sidecar?: string }
  | { path: string; status: 'skipped'; result: IsccMetaResult; sidecar: string }
  | { path: string; status: 'error'; error: { code: string; message: string } };

/** Progress after each file (coded, skipped or failed). */
export interface BatchProgress {
  /** Files finished so far, this one included. */
  done: number;
  /** Files in the batch. */
  total: number;
  /** The file just finished. */
  path: string;
  status: BatchRecord['status'];
}

/** Options of {@link codeIsccBatch}: the batch's own plus any sdk option (`bits`, `wide`, ...). */
export interface BatchOptions extends SdkOptionsInput {
  /** Worker threads; default: every core (`os.availableParallelism()`). 0 or 1: no threads. */
  workers?: number;
  /** Cancels the batch (see the module comment). */
  signal?: AbortSignal;
  /** Called after each file, in the calling thread. */
  onProgress?: (progress: BatchProgress) => void;
  /** Write `<file>.iscc.json` next to each file and skip files whose sidecar is current. */
  sidecars?: boolean;
  /** With `sidecars`: recompute even when the sidecar is current. */
  force?: boolean;
  /** Environment for `ISCC_SDK_*` options; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** A worker module to run instead of the built `batch-worker.js` (see the module comment). */
  workerScript?: string | URL;
  /** Code files in the calling thread too while the workers start (default true). */
  mainThread?: boolean;
}

const BATCH_KEYS = new Set(['workers', 'signal', 'onProgress', 'sidecars', 'force', 'env', 'workerScript', 'mainThread']);

/** A file to code, as the worker receives it. */
export interface BatchJob {
  id: number;
  path: string;
  options: SdkOptions;
}

/** A worker's answer. */
export type BatchReply =
  | { id: number; ok: true; result: IsccMetaResult }
  | { id: number; ok: false; error: { code: string; message: string } };

/** Compare strings by Unicode code point, as Python sorts `str` (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Whether a file name is a batch output rather than an input. */
export function isBatchOutput(name: string): boolean {
  return name.endsWith(SIDECAR_SUFFIX) || name.endsWith(MP7SIG_SUFFIX);
}

/**
 * The files under `dir` in iscc-sdk's batch order (module comment, step 1): bottom-up,
 * subdirectories first, names in code point order. Paths are `join(dir, ...)`.
 * @throws SdkError ISCC_SDK_IO when `dir` cannot be listed
 */
export function walkBatchFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      throw new SdkError(SDK_ERROR_CODES.IO, `cannot list directory ${d}: ${(e as Error).message}`, { cause: e, path: d });
    }
    entries.sort((a, b) => compareCodePoints(a.name, b.name));
    for (const e of entries) if (e.isDirectory()) visit(join(d, e.name));
    for (const e of entries) if (e.isFile() && !isBatchOutput(e.name)) out.push(join(d, e.name));
  };
  visit(dir);
  return out;
}

/**
 * Expand batch input: a directory is walked ({@link walkBatchFiles}), a file stays as given.
 * A path that is neither becomes an error record in place.
 */
export function expandBatchInput(pathsOrDir: string | readonly string[]): (string | BatchRecord)[] {
  const inputs = typeof pathsOrDir === 'string' ? [pathsOrDir] : pathsOrDir;
  const out: (string | BatchRecord)[] = [];
  for (const p of inputs) {
    let st;
    try {
      st = lstatSync(p);
      if (st.isSymbolicLink()) st = statSync(p);
    } catch (e) {
      out.push({ path: p, status: 'error', error: { code: SDK_ERROR_CODES.IO, message: `cannot open ${p}: ${(e as Error).message}` } });
      continue;
    }
    if (st.isDirectory()) {
      try {
        out.push(...walkBatchFiles(p));
      } catch (e) {
        out.push({ path: p, status: 'error', error: errorRecord(e) });
      }
    } else if (st.isFile()) out.push(p);
    else out.push({ path: p, status: 'error', error: { code: SDK_ERROR_CODES.IO, message: `not a regular file or directory: ${p}` } });
  }
  return out;
}

/** `{ code, message }` of any thrown value (SdkError and core's IsccError keep their code). */
export function errorRecord(e: unknown): { code: string; message: string } {
  const err = e as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' && err.code.startsWith('ISCC_') ? err.code : BATCH_INTERNAL_ERROR;
  const message = typeof err?.message === 'string' ? err.message : String(e);
  return { code, message };
}

/** Hash of what determines a result besides the file: sdk version and resolved options. */
export function batchOptionsHash(options: SdkOptions, sdkVersion: string): string {
  const sorted: Record<string, unknown> = {};
  for (const k of [...SDK_OPTION_NAMES].sort()) sorted[k] = options[k];
  return createHash('sha256').update(JSON.stringify({ sdk: sdkVersion, options: sorted })).digest('hex').slice(0, 32);
}

/** Path of the sidecar of `path`. */
export function sidecarPath(path: string): string {
  return path + SIDECAR_SUFFIX;
}

/** The stored result when the sidecar of `path` is current (module comment, step 3), else null. */
export async function readCurrentSidecar(path: string, optionsHash: string): Promise<IsccMetaResult | null> {
  const sc = sidecarPath(path);
  try {
    const [fst, sst] = await Promise.all([stat(path), stat(sc)]);
    if (sst.mtimeMs < fst.mtimeMs) return null;
    const doc = JSON.parse(await readFile(sc, 'utf8')) as Record<string, unknown>;
    const batch = doc[SIDECAR_BATCH_KEY] as { options_hash?: unknown } | undefined;
    if (batch?.options_hash !== optionsHash || doc['filesize'] !== fst.size || typeof doc['iscc'] !== 'string') return null;
    delete doc[SIDECAR_BATCH_KEY];
    return doc as IsccMetaResult;
  } catch {
    // No sidecar, or one we cannot read or parse: code the file again.
    return null;
  }
}

/** Write the sidecar of `path` atomically (temporary name, then rename). */
export async function writeSidecar(path: string, result: IsccMetaResult, optionsHash: string): Promise<string> {
  const sc = sidecarPath(path);
  const tmp = `${sc}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  const doc = { ...result, [SIDECAR_BATCH_KEY]: { options_hash: optionsHash } };
  try {
    await writeFile(tmp, JSON.stringify(doc, null, 2) + '\n', 'utf8');
    await rename(tmp, sc);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot write sidecar ${sc}: ${(e as Error).message}`, { cause: e, path });
  }
  return sc;
}

/** The worker script to spawn, or null when files must be coded in this thread. */
function workerScriptFor(option: BatchOptions['workerScript']): URL | string | null {
  if (option !== undefined) return option;
  // Only the built package has a JavaScript worker next to this module.
  return import.meta.url.endsWith('.js') ? new URL('./batch-worker.js', import.meta.url) : null;
}

/** Code one file in this thread (all mode handlers are registered by importing the index). */
async function codeInProcess(job: BatchJob): Promise<BatchReply> {
  const { codeIscc } = await import('./index.ts');
  try {
    return { id: job.id, ok: true, result: await codeIscc(job.path, null, null, null, job.options) };
  } catch (e) {
    return { id: job.id, ok: false, error: errorRecord(e) };
  }
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The batch was aborted', 'AbortError');
}

/**
 * Code every file of `pathsOrDir` (a directory, a file, or a list of both) with `codeIscc`, in
 * parallel, one record per file in walk order (module comment).
 * @throws SdkError ISCC_SDK_INVALID_OPTION for bad options; the signal's reason when aborted
 */
export async function codeIsccBatch(pathsOrDir: string | readonly string[], options: BatchOptions = {}): Promise<BatchRecord[]> {
  const { signal, onProgress, sidecars = false, force = false, env = process.env } = options;
  const sdkInput: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!BATCH_KEYS.has(k)) sdkInput[k] = v;
  const sdkOptions = resolveOptions(sdkInput as SdkOptionsInput, env);
  const workers = options.workers ?? availableParallelism();
  if (!Number.isInteger(workers) || workers < 0) {
    throw new SdkError(SDK_ERROR_CODES.INVALID_OPTION, `option workers: expected a whole number >= 0, got ${JSON.stringify(options.workers)}`);
  }
  signal?.throwIfAborted();
  const { SDK_VERSION } = await import('./main.ts');
  const hash = batchOptionsHash(sdkOptions, SDK_VERSION);

  const expanded = expandBatchInput(pathsOrDir);
  const records: (BatchRecord | undefined)[] = new Array(expanded.length);
  const total = expanded.length;
  let done = 0;
  const finish = (i: number, r: BatchRecord) => {
    records[i] = r;
    done++;
    onProgress?.({ done, total, path: r.path, status: r.status });
  };
  const jobs: BatchJob[] = [];
  for (let i = 0; i < expanded.length; i++) {
    const e = expanded[i]!;
    if (typeof e !== 'string') finish(i, e);
    else if (sidecars && !force) {
      const stored = await readCurrentSidecar(e, hash);
      if (stored) finish(i, { path: e, status: 'skipped', result: stored, sidecar: sidecarPath(e) });
      else jobs.push({ id: i, path: e, options: sdkOptions });
    } else jobs.push({ id: i, path: e, options: sdkOptions });
    signal?.throwIfAborted();
  }

  const settle = async (job: BatchJob, reply: BatchReply) => {
    if (!reply.ok) return finish(job.id, { path: job.path, status: 'error', error: reply.error });
    if (!sidecars) return finish(job.id, { path: job.path, status: 'ok', result: reply.result });
    try {
      const sc = await writeSidecar(job.path, reply.result, hash);
      finish(job.id, { path: job.path, status: 'ok', result: reply.result, sidecar: sc });
    } catch (e) {
      finish(job.id, { path: job.path, status: 'error', error: errorRecord(e) });
    }
  };

  const script = workers > 1 && jobs.length > 1 ? workerScriptFor(options.workerScript) : null;
  if (script === null) {
    for (const job of jobs) {
      signal?.throwIfAborted();
      const reply = await codeInProcess(job);
      signal?.throwIfAborted();
      await settle(job, reply);
    }
  } else {
    await runPool(script, Math.min(workers, jobs.length), jobs, settle, signal, options.mainThread ?? true);
  }
  return records as BatchRecord[];
}

/**
 * Run `jobs` on `size` worker threads; `settle` records each reply. While the workers start
 * (each loads the whole sdk, which takes a while), the calling thread codes files itself when
 * `mainThread` is set, and stops taking new ones as soon as a worker is ready: a small batch is
 * then done before the pool would have been, and a large one is not slowed by a busy main
 * thread that must hand out the work. Workers that cannot start leave their share to the
 * calling thread. Rejects with the abort reason, after terminating the workers, when `signal`
 * fires.
 */
async function runPool(
  script: URL | string,
  size: number,
  jobs: BatchJob[],
  settle: (job: BatchJob, reply: BatchReply) => Promise<void>,
  signal: AbortSignal | undefined,
  mainThread: boolean,
): Promise<void> {
  let next = 0;
  let aborted = false;
  let anyReady = false;
  const live = new Set<Worker>();
  const onAbort = () => {
    aborted = true;
    for (const w of live) void w.terminate();
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const spawn = () => {
    const w = new Worker(script);
    live.add(w);
    return w;
  };
  const drop = async (w: Worker) => {
    live.delete(w);
    await w.terminate();
  };

  // Resolves true when the worker has loaded the sdk, false when it died first.
  const ready = (w: Worker) =>
    new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        w.off('message', onMessage);
        w.off('error', onFail);
        w.off('exit', onFail);
        resolve(ok);
      };
      const onMessage = (m: unknown) => {
        if ((m as { ready?: unknown } | null)?.ready === true) done(true);
      };
      const onFail = () => done(false);
      w.on('message', onMessage);
      w.on('error', onFail);
      w.on('exit', onFail);
    });

  // One job on worker `w`; resolves with the reply, or with an error reply if the worker dies.
  const runOn = (w: Worker, job: BatchJob) =>
    new Promise<{ reply: BatchReply; dead: boolean }>((resolve) => {
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (reply: BatchReply) => {
        if (reply.id !== job.id) return;
        cleanup();
        resolve({ reply, dead: false });
      };
      const onError = (e: Error) => {
        cleanup();
        resolve({ reply: { id: job.id, ok: false, error: { code: BATCH_INTERNAL_ERROR, message: `worker failed on ${job.path}: ${e.message}` } }, dead: true });
      };
      const onExit = (code: number) => {
        cleanup();
        resolve({ reply: { id: job.id, ok: false, error: { code: BATCH_INTERNAL_ERROR, message: `worker exited (code ${code}) on ${job.path}` } }, dead: true });
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      w.postMessage(job);
    });

  const workerLane = async () => {
    let w = spawn();
    try {
      if (!(await ready(w))) return;
      anyReady = true;
      while (!aborted && next < jobs.length) {
        const job = jobs[next++]!;
        const { reply, dead } = await runOn(w, job);
        if (aborted) return;
        await settle(job, reply);
        if (dead) {
          // Replace the worker (a crash in a native library must not end the batch).
          await drop(w);
          w = spawn();
          if (!(await ready(w))) return;
        }
      }
    } finally {
      await drop(w);
    }
  };

  // The calling thread: until a worker is ready (or to the end when none starts).
  const mainLane = async (untilReady: boolean) => {
    while (!aborted && next < jobs.length && !(untilReady && anyReady)) {
      const job = jobs[next++]!;
      const reply = await codeInProcess(job);
      if (aborted) return;
      await settle(job, reply);
    }
  };

  try {
    const lanes = Array.from({ length: size }, workerLane);
    if (mainThread) lanes.push(mainLane(true));
    await Promise.all(lanes);
    // Files left when no worker could start are coded here.
    await mainLane(false);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all([...live].map((w) => w.terminate()));
  }
  if (aborted && signal) throw abortReason(signal);
}
