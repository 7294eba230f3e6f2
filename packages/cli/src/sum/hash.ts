/**
 * Reading files into the ISCC-SUM hashers: one read loop per file, each piece fed once to both
 * the Data-Code and the Instance-Code (BLAKE3) hasher, so memory stays constant whatever the
 * size. Reads are synchronous: for many small files that is several times faster than
 * promises, and the buffer is never shared between files in flight.
 *
 * The Data-Code runs on core's `DataHashStream` (a kernel instance of this thread's own, no
 * per-chunk lists): files are read straight into its WebAssembly memory, {@link IO_READ_SIZE}
 * bytes at a time, and the kernel hashes them in place. Where the kernels are not available,
 * core's `DataHasherV0` takes the same pieces from a plain buffer.
 *
 * Three paths in {@link sumFile}, by what the first read shows (all give the same bytes as
 * core's `IsccSumHasher`; the tests compare them on random files):
 * 1. The file fits in one read (a short read, then end of file): one-shot hashing, no
 *    streaming objects - the Data-Hash in one kernel call, BLAKE3 through the addon's one-shot
 *    function when it is installed (~2.5 µs for 4 KiB), and {@link composeSum} instead of
 *    core's general composer. This is the per-file cost of many small files.
 * 2. A big file ({@link HELPER_MIN_BYTES} or more) with the native addon and a second core:
 *    reads and BLAKE3 on a helper thread, straight into a shared kernel memory, the Data-Code
 *    here (sum/blake3-thread.ts), so the Data-Code kernel is the only limit.
 *    A file of {@link SPLIT_MIN_BYTES} or more also has its Data-Code split: a data thread
 *    hashes the second half (sum/data-thread.ts), exactly or not at all, this thread the first
 *    half from reads of its own, and the helper BLAKE3-hashes the whole file by itself a bounded
 *    distance ahead ({@link sumSplit}): through the ring it would wait for this thread's
 *    Data-Code slot by slot and then hash the second half alone.
 * 3. Otherwise: both hashers streamed in this thread (core's installed BLAKE3).
 *
 * Errors are reported with Python's wording for an `OSError` (`[Errno 2] No such file or
 * directory: 'x'`), because iscc-sum prints `str(e)` of the exception.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { blake3, createBlake3, DataHasherV0, DataHashStream, IsccSumHasher } from '@iscc-ts/core';
import { installNativeBlake3, loadNativeBlake3, resolveNativeBlake3, uninstallNativeBlake3 } from '@iscc-ts/sdk/native-blake3';
import { Blake3Thread, ENTRY_FAIL, ENTRY_HANDOFF, HelperError, RING_SLOTS, SLOT_BYTES, type BatchEntry, type HelperReadError, type SmallBatch } from './blake3-thread.ts';
import { DataThread, dataThreadScript, SPLIT_MIN_BYTES, splitPoint, type SplitJob } from './data-thread.ts';
import { composeSum, type FileSum } from './compose.ts';
import { pyRepr } from './ignore.ts';

/** Bytes per read, as iscc-sum (`IO_READ_SIZE = 2097152`). */
export const IO_READ_SIZE = 2 * 1024 * 1024;

/** Python's errno text for the Node error codes a read can give. */
const ERRNO: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EIO: [5, 'Input/output error'],
  ENXIO: [6, 'No such device or address'],
  EBADF: [9, 'Bad file descriptor'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  EBUSY: [16, 'Device or resource busy'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENFILE: [23, 'Too many open files in system'],
  EMFILE: [24, 'Too many open files'],
  ENAMETOOLONG: [36, 'File name too long'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  ESTALE: [116, 'Stale file handle'],
};

/**
 * `str(OSError)` as Python prints it for a failed `open(path)`/read:
 * `[Errno 13] Permission denied: 'path'`.
 */
export function pyOsError(err: unknown, path: string): string {
  const e = err as NodeJS.ErrnoException;
  const known = e && typeof e.code === 'string' ? ERRNO[e.code] : undefined;
  if (known) return `[Errno ${known[0]}] ${known[1]}: ${pyRepr(path)}`;
  if (e && typeof e.errno === 'number') {
    const text = (e.message ?? '').replace(/^[A-Z]+: /, '').replace(/,.*$/, '');
    return `[Errno ${Math.abs(e.errno)}] ${text}: ${pyRepr(path)}`;
  }
  return String((e && e.message) ?? err);
}

/**
 * The text iscc-sum would print for an exception from a file-system call: Python's OSError
 * text when it is one (Node errors carry the path), else the message.
 */
export function describeError(err: unknown): string {
  if (err instanceof ReadError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') return pyOsError(e, e.path);
  return String((e && e.message) ?? err);
}

/** An error while reading a file, with Python's message (see {@link pyOsError}). */
export class ReadError extends Error {
  override readonly name = 'ReadError';
}

/** Files of at least this size use the helper thread when it is available (path 2). */
export const HELPER_MIN_BYTES = 32 * 1024 * 1024;

/** How this thread hashes: set once by the command (see {@link configureSumHashing}). */
let oneShotBlake3: (data: Uint8Array) => Uint8Array = blake3;
let helperAddon: string | null = null;
/** Whether many small files go through the helper in batches (see {@link FileSums}). */
let batchSmallFiles = false;
let helper: Blake3Thread | null = null;
/** The helper's ring: a Data-Hash stream on shared memory (made with the helper). */
let ring: DataHashStream | null = null;

/** Starts the second half of a split file's Data-Code (see {@link SumHashingOptions.split}). */
export type SplitStarter = (path: string, x: number) => SplitJob | null;
let splitter: SplitStarter | null = null;
let splitMinBytes = SPLIT_MIN_BYTES;
let dataThread: DataThread | null | undefined;
let helperSource: string | undefined;
let helperStartMs: number | undefined;

/** Options of {@link configureSumHashing}. */
export interface SumHashingOptions {
  /** A one-shot BLAKE3 (the addon's `blake3`); default: core's `blake3`. */
  blake3?: ((data: Uint8Array) => Uint8Array) | null;
  /** The addon's file, to enable the helper thread for big files (path 2); null: never. */
  helperAddon?: string | null;
  /** Read and BLAKE3-hash runs of small files on the helper too (needs `helperAddon`). */
  batch?: boolean;
  /**
   * Split the Data-Code of files of `split.minBytes` or more (path 2 only): `start` hands the
   * second half from `x` to someone (default: the data thread); null or unset: never.
   */
  split?: { minBytes: number; start: SplitStarter } | null;
  /** Tests: the helper's code (a broken one) and how long to wait for it to start. */
  helperSource?: string;
  helperStartMs?: number;
}

/**
 * Choose the BLAKE3 of this thread's file hashing. Core's installed BLAKE3 (`setBlake3`) is
 * used for streaming either way; call this after installing it.
 */
export function configureSumHashing(opts: SumHashingOptions): void {
  oneShotBlake3 = opts.blake3 ?? blake3;
  helperAddon = opts.helperAddon ?? null;
  batchSmallFiles = opts.batch === true;
  splitter = opts.split?.start ?? null;
  helperSource = opts.helperSource;
  helperStartMs = opts.helperStartMs;
  splitMinBytes = opts.split?.minBytes ?? SPLIT_MIN_BYTES;
}

/** The data thread, spawned once without waiting for it (null: unavailable). */
function spawnDataThread(): DataThread | null {
  if (dataThread === undefined) {
    const script = dataThreadScript();
    try {
      dataThread = script === null ? null : new DataThread(script);
    } catch {
      dataThread = null;
    }
  }
  return dataThread;
}

/** The default {@link SplitStarter}: the data thread, started on first use (null: unavailable). */
export function startOnDataThread(path: string, x: number): SplitJob | null {
  return spawnDataThread()?.start(path, x) ?? null;
}

/**
 * Spawn, without waiting, the threads that a file of `size` bytes will use: the helper from
 * {@link HELPER_MIN_BYTES}, and the data thread too when its Data-Code will be split (the default
 * splitter, {@link SPLIT_MIN_BYTES} or more). Called before the first file is opened, so that
 * their start-up (~30-50 ms each, a Node worker and its script) overlaps the caller's own instead
 * of following the first read of the big file; a no-op when they are off or spawned already.
 */
export function prestartForSize(size: number): void {
  if (helperAddon === null || size < HELPER_MIN_BYTES) return;
  spawnHelper();
  if (splitter === startOnDataThread && size >= splitMinBytes) spawnDataThread();
}

/**
 * Install the native BLAKE3 (`@napi-rs/blake-hash`, an optional dependency) when it loads and
 * `ISCC_NATIVE_BLAKE3` is not `0`: into core for streamed hashing, as the one-shot hash of small
 * files, and on a helper thread for big files when there is a second core and
 * `ISCC_SUM_THREADS` is not `1` and `allowHelper` (not in pool workers), also for runs of small
 * files with {@link BATCH_MIN_CORES} cores or more (see {@link FileSums}); then the Data-Code of
 * files of {@link SPLIT_MIN_BYTES} or more is split with a data thread unless `ISCC_SUM_SPLIT`
 * is `0`. Without the addon, core's WebAssembly BLAKE3 is used.
 * @param env - `ISCC_NATIVE_BLAKE3=0` disables the addon, `ISCC_SUM_THREADS=1` the helper
 *   thread (and the split), `ISCC_SUM_SPLIT=0` the split
 * @param allowHelper - whether this thread may start the helper thread
 * @returns whether the native BLAKE3 is in use
 */
export function setupBlake3(env: NodeJS.ProcessEnv, allowHelper: boolean): boolean {
  const mod = env.ISCC_NATIVE_BLAKE3 === '0' ? null : loadNativeBlake3();
  if (mod === null || !installNativeBlake3(() => mod)) {
    uninstallNativeBlake3();
    configureSumHashing({});
    return false;
  }
  const threads = allowHelper && env.ISCC_SUM_THREADS !== '1' && availableParallelism() >= 2;
  const oneShot = mod.blake3;
  configureSumHashing({
    blake3: oneShot ? (d) => oneShot(d) : null,
    helperAddon: threads ? resolveNativeBlake3() : null,
    batch: threads && availableParallelism() >= BATCH_MIN_CORES,
    split: threads && env.ISCC_SUM_SPLIT !== '0' ? { minBytes: SPLIT_MIN_BYTES, start: startOnDataThread } : null,
  });
  return true;
}

/** Stop the helper thread, if one was started, and go back to the defaults. */
export async function closeSumHashing(): Promise<void> {
  const h = helper;
  const d = dataThread;
  const p = spawned;
  spawned = null;
  helper = null;
  ring = null;
  dataThread = undefined;
  configureSumHashing({});
  await Promise.all([h?.close(), d?.close(), p?.h.close()]);
}

/** This thread's read target: a Data-Hash stream to read into, else a plain buffer (no kernels). */
let stream: DataHashStream | null | undefined;
let plainBuffer: Uint8Array | null = null;

/** The stream, made on first use (null when core has no kernels). */
function getStream(): DataHashStream | null {
  if (stream === undefined) stream = DataHashStream.create();
  return stream;
}

/** Called after every read with the number of bytes read (for the progress bar). */
export type OnBytes = (n: number) => void;

function readOrThrow(fd: number, buf: Uint8Array, off: number, path: string): number {
  try {
    return readSync(fd, buf, off, buf.length - off, null);
  } catch (e) {
    throw new ReadError(pyOsError(e, path));
  }
}

function openOrThrow(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (e) {
    throw new ReadError(pyOsError(e, path));
  }
}

/**
 * Feed the whole file at `path` to `hasher` (the tree and check modes, which hash several
 * files into one hasher).
 * @throws ReadError with Python's OSError text when the file cannot be opened or read
 */
export function feedFile(hasher: IsccSumHasher, path: string, onBytes?: OnBytes): void {
  const buf = (plainBuffer ??= new Uint8Array(IO_READ_SIZE));
  const fd = openOrThrow(path);
  try {
    for (;;) {
      const n = readOrThrow(fd, buf, 0, path);
      if (n === 0) break;
      hasher.update(n === IO_READ_SIZE ? buf : buf.subarray(0, n));
      onBytes?.(n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * ISCC-SUM of one file (see the module comment for the three paths).
 * @param wide - 128-bit units (iscc-sum's default) instead of 64-bit (`--narrow`)
 * @param addUnits - also return the two 256-bit units
 * @throws ReadError when the file cannot be read
 */
export function sumFile(path: string, wide: boolean, addUnits: boolean, onBytes?: OnBytes): FileSum {
  const s = getStream();
  if (s === null) return sumFilePlain(path, wide, addUnits, onBytes);
  const at = s.inputOffset;
  const buf = s.bytes.subarray(at, at + IO_READ_SIZE);
  const fd = openOrThrow(path);
  try {
    let n = readOrThrow(fd, buf, 0, path);
    if (n < IO_READ_SIZE) {
      // A short read is almost always the end of the file; one more read makes sure.
      const more = n === 0 ? 0 : readOrThrow(fd, buf, n, path);
      if (more === 0) {
        onBytes?.(n);
        return composeSum(s.digestOf(at, n), oneShotBlake3(buf.subarray(0, n)), wide, addUnits);
      }
      n += more;
    }
    return sumRest(s, fd, buf, n, path, wide, addUnits, onBytes);
  } finally {
    closeSync(fd);
  }
}

/**
 * The rest of {@link sumFile} once `buf` (this thread's stream input) holds the file's first
 * `n` bytes (a full read, or a short read that was not the end): the helper for a big file,
 * else both hashers streamed here. The caller closes `fd`.
 */
function sumRest(
  s: DataHashStream,
  fd: number,
  buf: Uint8Array,
  n: number,
  path: string,
  wide: boolean,
  addUnits: boolean,
  onBytes?: OnBytes,
): FileSum {
  const at = s.inputOffset;
  if (helperAddon !== null && n === IO_READ_SIZE) {
    const size = fstatSync(fd).size;
    const x = splitPoint(size);
    if (splitter !== null && size >= splitMinBytes && x > 0) {
      const t = helperThread();
      const job = t === null ? null : splitter(path, x);
      if (job !== null) return sumSplit(t!, job, x, s, fd, n, path, size, wide, addUnits, onBytes);
    }
    if (size >= HELPER_MIN_BYTES && startHelper()) return sumWithHelper(fd, buf, path, wide, addUnits, onBytes);
  }
  const inst = createBlake3();
  try {
    for (;;) {
      inst.update(n === IO_READ_SIZE ? buf : buf.subarray(0, n));
      s.update(at, n);
      onBytes?.(n);
      n = readOrThrow(fd, buf, 0, path);
      if (n === 0) break;
    }
  } catch (e) {
    s.reset();
    throw e;
  }
  return composeSum(s.digest(), inst.digest(), wide, addUnits);
}

/** {@link sumFile} without the kernels: core's DataHasherV0 on a plain buffer. */
function sumFilePlain(path: string, wide: boolean, addUnits: boolean, onBytes?: OnBytes): FileSum {
  const buf = (plainBuffer ??= new Uint8Array(IO_READ_SIZE));
  const fd = openOrThrow(path);
  try {
    const data = new DataHasherV0();
    const inst = createBlake3();
    for (;;) {
      const n = readOrThrow(fd, buf, 0, path);
      if (n === 0) break;
      const piece = n === IO_READ_SIZE ? buf : buf.subarray(0, n);
      data.push(piece);
      inst.update(piece);
      onBytes?.(n);
    }
    return composeSum(data.digest(), inst.digest(), wide, addUnits);
  } finally {
    closeSync(fd);
  }
}

/** How long the first big file waits for the helper thread to start before going on without. */
export const HELPER_START_MS = 10_000;

/** The helper spawned but not yet known to run (see {@link prestartHelper}). */
let spawned: { h: Blake3Thread; r: DataHashStream } | null = null;

/**
 * Spawn the helper thread with its ring (a Data-Hash stream on shared memory whose region holds
 * {@link RING_SLOTS} slots, each after the stream's headroom) without waiting for it, so that
 * its start overlaps the caller's work (the walk of a directory); a no-op when the helper or
 * its batches of small files are off (`batch` of {@link configureSumHashing}), or it is spawned
 * already. Big files start it when they need it.
 */
export function prestartHelper(): void {
  if (batchSmallFiles) spawnHelper();
}

/** Spawn the helper without waiting (see {@link prestartHelper}), whatever it is for. */
function spawnHelper(): void {
  if (helper !== null || spawned !== null || helperAddon === null) return;
  const s = getStream();
  if (s === null) return;
  const step = s.headroom + SLOT_BYTES;
  const r = DataHashStream.create({ regionBytes: RING_SLOTS * step, shared: true });
  if (r === null) {
    helperAddon = null;
    return;
  }
  const slots = Array.from({ length: RING_SLOTS }, (_, k) => r.regionOffset + k * step + s.headroom);
  spawned = { h: new Blake3Thread(helperAddon, { buffer: r.memory.buffer as unknown as SharedArrayBuffer, slots }, helperSource), r };
}

/** The helper thread, spawned if need be, without waiting for it to run (null: unavailable). */
function helperThread(): Blake3Thread | null {
  spawnHelper();
  return helper ?? spawned?.h ?? null;
}

/** Whether the helper thread runs (for tests: a silent fallback to one thread gives the same results). */
export function helperStarted(): boolean {
  return helper !== null;
}

/**
 * Start the helper thread once (see {@link prestartHelper}) and wait until it runs; false (and
 * never again) when it cannot be made or does not come up.
 */
function startHelper(): boolean {
  if (helper !== null) return true;
  spawnHelper();
  const p = spawned;
  spawned = null;
  if (p !== null && p.h.ready(helperStartMs ?? HELPER_START_MS)) {
    helper = p.h;
    ring = p.r;
    return true;
  }
  void p?.h.close();
  helperAddon = null;
  return false;
}

/** Runs with at least this many files read their small files on the helper (see {@link FileSums}). */
export const BATCH_MIN_FILES = 64;

/**
 * Small files go through the helper only with at least this many cores. Measured on 10,000
 * files of 4 KiB (BENCHMARKS.md "sum"): on 2 cores the wall time is the same either way (the
 * main thread's CPU drops by ~60 ms, but Node's own background threads - compilers, garbage
 * collector - already use the second core, and the process uses ~100 ms more CPU, which a
 * shared machine pays); on 4 or more cores the run is ~15-20% shorter.
 */
export const BATCH_MIN_CORES = 4;

/**
 * The ISCC-SUMs of a list of files, one after the other in their order: {@link next} is
 * {@link sumFile} of the next path. With the helper thread available for batches (the native
 * BLAKE3, {@link BATCH_MIN_CORES} cores, `ISCC_SUM_THREADS` not `1`: `batch` of
 * {@link configureSumHashing}) and at least {@link BATCH_MIN_FILES} paths, the
 * helper opens, reads and BLAKE3-hashes the files ahead, packed into its ring
 * (blake3-thread.ts, the batch command), and this thread only runs the Data-Code of each in
 * place and composes: the per-file cost of many small files is split over two threads. A file
 * that fills a whole slot comes back open and is hashed here as by {@link sumFile} from its
 * first piece on (each byte is still read once), then a new batch starts after it.
 */
export class FileSums {
  readonly #paths: readonly string[];
  readonly #wide: boolean;
  readonly #units: boolean;
  readonly #onBytes: OnBytes | undefined;
  #i = 0;
  #batch: SmallBatch | null = null;

  constructor(paths: readonly string[], wide: boolean, addUnits: boolean, onBytes?: OnBytes) {
    this.#paths = paths;
    this.#wide = wide;
    this.#units = addUnits;
    this.#onBytes = onBytes;
    if (batchSmallFiles && paths.length >= BATCH_MIN_FILES && startHelper()) this.#batch = helper!.batch(paths);
  }

  /** Whether the helper is reading ahead (a batch is in progress). */
  get batched(): boolean {
    return this.#batch !== null;
  }

  /**
   * The sum of the next path.
   * @throws ReadError when that file cannot be read (the next call goes on with the one after)
   */
  next(): FileSum {
    const path = this.#paths[this.#i++]!;
    const b = this.#batch;
    if (b === null) return sumFile(path, this.#wide, this.#units, this.#onBytes);
    let e: BatchEntry;
    try {
      e = b.next()!;
    } catch (err) {
      if (!(err instanceof HelperError)) throw err;
      // The helper could not go on: this file and the rest are hashed here.
      this.#batch = null;
      return sumFile(path, this.#wide, this.#units, this.#onBytes);
    }
    if (e.status === ENTRY_HANDOFF) return this.#handoff(b, e.offset, e.length, e.fd, path);
    if (e.status === ENTRY_FAIL) {
      const err = JSON.parse(decodeUtf8(ring!.bytes.subarray(e.offset, e.offset + e.length))) as HelperReadError;
      throw new ReadError(pyOsError(err, path));
    }
    this.#onBytes?.(e.length);
    return composeSum(ring!.digestOf(e.offset, e.length), e.digest, this.#wide, this.#units);
  }

  /** A file that filled a slot: its first piece into this thread's stream, the rest as sumFile. */
  #handoff(b: SmallBatch, offset: number, length: number, fd: number, path: string): FileSum {
    try {
      const s = getStream()!;
      const at = s.inputOffset;
      const buf = s.bytes.subarray(at, at + IO_READ_SIZE);
      buf.set(ring!.bytes.subarray(offset, offset + length));
      // The batch is over after a handoff: drain its end so that the helper is idle (big files use it).
      if (b.next() !== null) throw new Error('iscc sum: the helper went on after a handoff');
      this.#batch = null;
      return sumRest(s, fd, buf, length, path, this.#wide, this.#units, this.#onBytes);
    } finally {
      closeSync(fd);
      if (this.#batch === null && this.#i < this.#paths.length && helper !== null) {
        this.#batch = helper.batch(this.#paths.slice(this.#i));
      }
    }
  }

  /** Stop early (the caller gave up): drains the helper's batch. */
  close(): void {
    this.#batch?.close();
    this.#batch = null;
  }
}

const utf8Decoder = new TextDecoder();
/** Text of bytes in a shared memory (TextDecoder does not take views of shared memory). */
function decodeUtf8(b: Uint8Array): string {
  return utf8Decoder.decode(b.slice());
}

/**
 * Path 2: the first piece (a full read) is in `first`; the helper reads and BLAKE3-hashes the
 * rest into its ring, and this thread runs the Data-Code of each slot in place.
 */
function sumWithHelper(fd: number, first: Uint8Array, path: string, wide: boolean, addUnits: boolean, onBytes?: OnBytes): FileSum {
  const r = ring!;
  // One aligned copy per big file into slot 0 (the first read went to this thread's stream).
  r.bytes.set(first, r.regionOffset + r.headroom);
  let digest: Uint8Array;
  let data: Uint8Array;
  try {
    digest = helper!.hash(fd, first.length, (offset, length) => {
      r.update(offset, length);
      onBytes?.(length);
    });
    data = r.digest();
  } catch (e) {
    r.reset();
    if (e instanceof HelperError) throw new ReadError(pyOsError(e.readError, path));
    throw e;
  }
  return composeSum(data, digest, wide, addUnits);
}

/**
 * How far the helper may read ahead of this thread in a split file ({@link sumSplit}). Both read
 * `[0, x)`; within this lead the helper's pages are still in the page cache when this thread
 * reads them, so a file much larger than memory is not read twice from disk. Up to ~2 GiB it
 * lets the helper run free: BLAKE3 (~3 GiB/s) is done by the time the Data-Code is.
 */
export const HELPER_LEAD_BYTES = 512 * 1024 * 1024;

/**
 * Path 2 with the Data-Code split (sum/data-thread.ts): a file of `size` >= the split size whose
 * first piece (a full read, `n` bytes) is in this thread's stream `s`.
 * - The helper BLAKE3-hashes the whole file by itself ({@link Blake3Thread.free}), at most
 *   {@link HELPER_LEAD_BYTES} ahead of this thread, so that it is not held back by this
 *   thread's slower Data-Code and done when the Data-Code is (through the ring it would have
 *   to wait for this thread slot by slot and then hash the second half alone).
 * - The split job hashes `[c, end)` on the data thread, `c` its cut after `x`.
 * - This thread hashes `[0, x)` with positioned reads of its own, then checks at the piece that
 *   starts at `x` whether the true chain passes through `c`: if so it hashes `[x, c)` and merges
 *   the job's state, else it cancels the job and hashes `[x, end)` itself.
 */
function sumSplit(
  t: Blake3Thread,
  initialJob: SplitJob,
  x: number,
  s: DataHashStream,
  fd: number,
  n: number,
  path: string,
  size: number,
  wide: boolean,
  addUnits: boolean,
  onBytes?: OnBytes,
): FileSum {
  const job = initialJob;
  const at = s.inputOffset;
  const buf = s.bytes.subarray(at, at + IO_READ_SIZE);
  const run = t.free(fd, IO_READ_SIZE + HELPER_LEAD_BYTES);
  /** Bytes of the file before the piece in `buf`. */
  let pos = 0;
  /** The job's cut as a file position once this thread has confirmed it, else -1. */
  let joined = -1;
  let data: Uint8Array;
  let digest: Uint8Array | null;
  try {
    // [0, x) here; n bytes at pos in buf.
    while (pos < x && n > 0) {
      s.update(at, n);
      onBytes?.(n);
      pos += n;
      run.allow(pos + HELPER_LEAD_BYTES);
      n = preadFull(fd, buf, pos, path);
    }
    // Only a piece that starts exactly at x holds the window the job decided its cut in.
    const c = pos === x && n > 0 ? job.cut() : -1;
    if (c >= 0 && s.cutsAt(at, n, c)) {
      s.update(at, c);
      onBytes?.(c);
      joined = x + c;
    } else {
      // The chains did not meet (or the file ended before x): the rest is hashed here, the
      // helper still at most its lead ahead.
      job.cancel();
      if (n > 0) {
        s.update(at, n);
        onBytes?.(n);
        readRest(fd, s, at, pos + n, path, onBytes, (p) => run.allow(p + HELPER_LEAD_BYTES));
      }
    }
    // This thread reads no more of the file unless the job fails: the helper may finish.
    if (joined >= 0) run.allow(Infinity);
    let state: Uint32Array | null = null;
    if (joined >= 0) {
      state = job.result();
      // The job failed after its cut: its part is hashed here (a read error is reported by
      // this read).
      if (state === null) readRest(fd, s, at, joined, path, onBytes);
      else onBytes?.(Math.max(0, size - joined));
    }
    data = s.digest(state ?? undefined);
    digest = run.digest(helperStartMs ?? HELPER_START_MS);
  } catch (e) {
    job.cancel();
    run.cancel(helperStartMs ?? HELPER_START_MS);
    s.reset();
    if (e instanceof HelperError) throw new ReadError(pyOsError(e.readError, path));
    throw e;
  }
  if (digest === null) {
    // The helper never started: never again, and this file's BLAKE3 from a read of its own.
    helperAddon = null;
    if (spawned?.h === t) {
      void t.close();
      spawned = null;
    }
    digest = blake3Of(fd, buf, path);
  }
  return composeSum(data, digest, wide, addUnits);
}

/** BLAKE3 of a whole open file with positioned reads into `buf` (core's installed BLAKE3). */
function blake3Of(fd: number, buf: Uint8Array, path: string): Uint8Array {
  const h = createBlake3();
  for (let pos = 0; ; ) {
    const n = preadFull(fd, buf, pos, path);
    if (n === 0) return h.digest();
    h.update(n === buf.length ? buf : buf.subarray(0, n));
    pos += n;
  }
}

/** Read `buf.length` bytes at `pos` with positioned reads unless the file ends first. */
function preadFull(fd: number, buf: Uint8Array, pos: number, path: string): number {
  let n = 0;
  try {
    while (n < buf.length) {
      const m = readSync(fd, buf, n, buf.length - n, pos + n);
      if (m === 0) break;
      n += m;
    }
  } catch (e) {
    throw new ReadError(pyOsError(e, path));
  }
  return n;
}

/** Feed `[from, end)` of the file to stream `r` with positioned reads into its input at `at`. */
function readRest(
  fd: number,
  r: DataHashStream,
  at: number,
  from: number,
  path: string,
  onBytes?: OnBytes,
  onPos?: (pos: number) => void,
): void {
  const buf = r.bytes.subarray(at, at + SLOT_BYTES);
  for (let pos = from; ; ) {
    const n = preadFull(fd, buf, pos, path);
    if (n === 0) return;
    r.update(at, n);
    onBytes?.(n);
    pos += n;
    onPos?.(pos);
  }
}

/** ISCC-SUM of a byte stream (stdin): its chunks go to the hasher as they come. */
export async function sumStream(
  stream: AsyncIterable<Uint8Array | string>,
  wide: boolean,
  addUnits: boolean,
): Promise<FileSum> {
  const data = new DataHasherV0();
  const inst = createBlake3();
  for await (const chunk of stream) {
    const piece = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    data.push(piece);
    inst.update(piece);
  }
  return composeSum(data.digest(), inst.digest(), wide, addUnits);
}
