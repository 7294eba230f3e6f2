/**
 * One big file's Data-Code on two threads: a data thread hashes the second half of the file
 * with a Data-Hash stream of its own while the calling thread hashes the first half, and the
 * two raw minhash states merge - exactly, or not at all.
 *
 * Why it is exact (core data-stream.ts, "Splitting one input"): the CDC cut after a chunk start
 * depends only on that position and the bytes after it (the gear pattern restarts at every
 * chunk: iscc-core `alg_cdc_offset`, core cdc.ts, the kernel), and the Data-Hash is the
 * element-wise minimum over the chunk features' minhashes. So:
 * 1. The data thread reads `[x, x + SLOT_BYTES)` (x: {@link splitPoint}), takes `c`, the {@link SPLIT_CHAIN_CUTS}-th cut
 *    of a chunk chain started at `x` (`DataHashStream.cutAfter`), publishes it, and hashes
 *    `[c, end)` as an input of its own (its own reads, by path).
 * 2. The caller hashes `[0, x)`, then checks on its own copy of `[x, x + SLOT_BYTES)` whether
 *    the true chain, from the start of its open chunk, passes through `c`
 *    (`DataHashStream.cutsAt`). If it does, `c` is a true cut: the caller hashes `[x, c)`,
 *    closes its last chunk at `c` and merges the thread's state. If not (zeros, periodic data,
 *    a thread that has not started yet), it cancels the thread and hashes `[x, end)` itself.
 * On random data the chains meet after a chunk or two; {@link SPLIT_CHAIN_CUTS} leaves room.
 *
 * The thread is the module that holds this code, started as a worker with
 * `workerData.role === DATA_THREAD_ROLE` (from the single-file bundle that is the bundle, which
 * holds core; from dist/ this module and its imports). It is only available from built
 * JavaScript: under a TypeScript test runner the tests run {@link hashFrom} in-process through
 * {@link SplitJob} objects of their own.
 *
 * Control block (Int32Array over a SharedArrayBuffer, one per file): the state, the cut, and the
 * 64 minhash values. Both sides change the state with compare-exchange, so a cancel and the
 * thread's progress never cross; the caller waits with Atomics.wait (it is synchronous, as the
 * rest of the hashing) and never needs its event loop.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { DataHashStream } from '@iscc-ts/core';
import { SLOT_BYTES } from './blake3-thread.ts';

/** Files of at least this size are split between two threads (with the BLAKE3 helper). */
export const SPLIT_MIN_BYTES = 256 * 1024 * 1024;
/** Cuts of the data thread's chain before its own input starts (room for the chains to meet). */
export const SPLIT_CHAIN_CUTS = 16;
/** `workerData.role` of the data thread. */
export const DATA_THREAD_ROLE = 'iscc-sum-data';

/** States of a job's control block. */
export const S_PENDING = 0;
export const S_RUNNING = 1;
export const S_CHAINED = 2;
export const S_DONE = 3;
export const S_NO_CHAIN = 4;
export const S_FAILED = 5;
export const S_CANCELLED = 6;

const C_STATE = 0;
const C_CUT = 1;
const C_MINS = 16;
const MINS = 64;
const CONTROL_INTS = C_MINS + MINS;

/**
 * The caller's share of a split file: both threads read their own part and run the same kernel
 * (the helper BLAKE3-hashes the whole file beside them), so halves: in process, 1 GiB, the caller
 * ~0.45 s CPU and the data thread ~0.44 s (sum/hash.ts `sumSplit`).
 */
export const SPLIT_SHARE = 0.5;

/**
 * The split point of a file of `size` bytes: the slot boundary nearest {@link SPLIT_SHARE} of
 * it (the caller reads in slots of {@link SLOT_BYTES}, and checks the cut in the slot that
 * starts there).
 */
export function splitPoint(size: number): number {
  return Math.round((size * SPLIT_SHARE) / SLOT_BYTES) * SLOT_BYTES;
}

/** The caller's side of one split file. */
export interface SplitJob {
  /**
   * The thread's cut, as an offset from the split point, once the thread has one; -1 when it
   * has none (no chain in its window, failed, or not started yet: then it is cancelled).
   */
  cut(): number;
  /** The thread's raw minhash state of `[x + cut, end)` (waits for it); null when it failed. */
  result(): Uint32Array | null;
  /** Stop the thread's work on this file (its result is not wanted). */
  cancel(): void;
}

/** A job whose control block is shared with whoever runs {@link hashFrom}. */
export class ControlledJob implements SplitJob {
  /** The control block (hand its buffer to the runner). */
  readonly ctl: Int32Array;

  constructor(ctl: Int32Array = new Int32Array(new SharedArrayBuffer(CONTROL_INTS * 4))) {
    this.ctl = ctl;
  }

  cut(): number {
    const ctl = this.ctl;
    let s = Atomics.load(ctl, C_STATE);
    if (s === S_PENDING) {
      s = Atomics.compareExchange(ctl, C_STATE, S_PENDING, S_CANCELLED);
      if (s === S_PENDING) return -1;
    }
    // Running: the cut comes after one read.
    while (s === S_RUNNING) {
      Atomics.wait(ctl, C_STATE, s);
      s = Atomics.load(ctl, C_STATE);
    }
    return s === S_CHAINED || s === S_DONE ? Atomics.load(ctl, C_CUT) : -1;
  }

  result(): Uint32Array | null {
    const ctl = this.ctl;
    let s = Atomics.load(ctl, C_STATE);
    while (s === S_RUNNING || s === S_CHAINED) {
      Atomics.wait(ctl, C_STATE, s);
      s = Atomics.load(ctl, C_STATE);
    }
    return s === S_DONE ? new Uint32Array(ctl.buffer, C_MINS * 4, MINS).slice() : null;
  }

  cancel(): void {
    const ctl = this.ctl;
    for (;;) {
      const s = Atomics.load(ctl, C_STATE);
      if (s !== S_PENDING && s !== S_RUNNING && s !== S_CHAINED) return;
      if (Atomics.compareExchange(ctl, C_STATE, s, S_CANCELLED) === s) return;
    }
  }
}

/** Move the state from `from` to `to` and wake the caller; false when it was cancelled meanwhile. */
function advance(ctl: Int32Array, from: number, to: number): boolean {
  const ok = Atomics.compareExchange(ctl, C_STATE, from, to) === from;
  Atomics.notify(ctl, C_STATE);
  return ok;
}

/**
 * The data thread's work on one file (also run in-process by tests): hash `[c, end)` of the file
 * at `path`, where `c` is the `k`-th cut of a chain started at `x`, into `ctl`. Ends in state
 * DONE, NO_CHAIN or FAILED, or stops early when the caller cancels.
 * @param stream - a Data-Hash stream to read into (its input area holds {@link SLOT_BYTES})
 */
export function hashFrom(stream: DataHashStream, path: string, x: number, k: number, ctl: Int32Array): void {
  if (Atomics.compareExchange(ctl, C_STATE, S_PENDING, S_RUNNING) !== S_PENDING) return;
  let state = S_RUNNING;
  let fd = -1;
  try {
    fd = openSync(path, 'r');
    const at = stream.inputOffset;
    const buf = stream.bytes.subarray(at, at + Math.min(SLOT_BYTES, stream.inputCapacity));
    let pos = x;
    let n = readFull(fd, buf, pos);
    const c = stream.cutAfter(at, n, k);
    if (c < 0) {
      advance(ctl, state, S_NO_CHAIN);
      return;
    }
    Atomics.store(ctl, C_CUT, c);
    if (!advance(ctl, state, S_CHAINED)) return;
    state = S_CHAINED;
    stream.update(at + c, n - c);
    for (;;) {
      pos += n;
      if (Atomics.load(ctl, C_STATE) !== state) {
        stream.reset();
        return;
      }
      n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      stream.update(at, n);
    }
    new Uint32Array(ctl.buffer, C_MINS * 4, MINS).set(stream.digestState());
    advance(ctl, state, S_DONE);
  } catch {
    // The caller hashes the rest itself (and reports a read error with its own read).
    stream.reset();
    advance(ctl, state, S_FAILED);
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/** Read `buf.length` bytes at `pos` unless the file ends first. */
function readFull(fd: number, buf: Uint8Array, pos: number): number {
  let n = 0;
  while (n < buf.length) {
    const m = readSync(fd, buf, n, buf.length - n, pos + n);
    if (m === 0) break;
    n += m;
  }
  return n;
}

/** A message to the data thread. */
interface DataJobMessage {
  path: string;
  x: number;
  k: number;
  ctl: SharedArrayBuffer;
}

/** The data thread, seen from the caller (one per process, started on the first split file). */
export class DataThread {
  readonly #worker: Worker;
  /** Set to 1 by the thread once it takes jobs. */
  readonly #ready = new Int32Array(new SharedArrayBuffer(4));

  /** @param script - the module to start (this one, or the bundle that holds it) */
  constructor(script: URL) {
    this.#worker = new Worker(script, { workerData: { role: DATA_THREAD_ROLE, ready: this.#ready.buffer }, execArgv: [] });
    // Between files it waits for messages: never keep the process alive for it.
    this.#worker.unref();
    // A thread that fails to start never takes a job, and the caller cancels it at the split
    // point; its 'error' event must not become an uncaught exception.
    this.#worker.on('error', () => {});
  }

  /**
   * Wait until the thread takes jobs (not needed: a job the thread has not taken when the
   * caller reaches the split point is cancelled; tests use it to be sure of a split).
   * @returns false when it did not start within `timeoutMs`
   */
  ready(timeoutMs: number): boolean {
    Atomics.wait(this.#ready, 0, 0, timeoutMs);
    return Atomics.load(this.#ready, 0) === 1;
  }

  /** Hand the thread the second half of the file at `path`, from `x`. */
  start(path: string, x: number): SplitJob {
    const job = new ControlledJob();
    const msg: DataJobMessage = { path, x, k: SPLIT_CHAIN_CUTS, ctl: job.ctl.buffer as SharedArrayBuffer };
    this.#worker.postMessage(msg);
    return job;
  }

  /** Stop the thread. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}

/**
 * The script of the data thread: this module's file, when it is built JavaScript (in the bundle,
 * the bundle); null under a TypeScript runner.
 */
export function dataThreadScript(): URL | null {
  return import.meta.url.endsWith('.js') ? new URL(import.meta.url) : null;
}

// Started as the data thread: take jobs one after the other.
const data = workerData as { role?: unknown; ready?: SharedArrayBuffer } | null;
if (!isMainThread && data?.role === DATA_THREAD_ROLE) {
  let stream: DataHashStream | null | undefined;
  parentPort?.on('message', (msg: DataJobMessage) => {
    const ctl = new Int32Array(msg.ctl);
    stream ??= DataHashStream.create();
    if (stream === null) {
      if (Atomics.compareExchange(ctl, C_STATE, S_PENDING, S_FAILED) === S_PENDING) Atomics.notify(ctl, C_STATE);
      return;
    }
    hashFrom(stream, msg.path, msg.x, msg.k, ctl);
  });
  if (data.ready) {
    const flag = new Int32Array(data.ready);
    Atomics.store(flag, 0, 1);
    Atomics.notify(flag, 0);
  }
}
