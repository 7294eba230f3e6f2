/**
 * Big files: reading and BLAKE3 on a helper thread, the Data-Code on the calling thread, so
 * that the Data-Code kernel (the slower of the two hashes) is the only limit of `iscc sum` on
 * one big file. Each byte is still read once and fed to both hashers, and the caller never
 * copies it: the helper reads straight into the caller's Data-Code kernel memory.
 *
 * How (one helper per process, started on the first big file, reused for later ones):
 * 1. The ring: {@link RING_SLOTS} slots of {@link SLOT_BYTES} inside a shared WebAssembly
 *    memory, the caller's `DataHashStream` (core data-stream.ts; constant memory whatever the
 *    file size). A small SharedArrayBuffer holds the control block.
 * 2. The caller opens the file, reads the first piece itself (it had to, to see that the file
 *    is big), puts it into slot 0 and hands the helper the file descriptor (file descriptors
 *    are per process).
 * 3. The helper hashes slot 0 with the native BLAKE3, then reads slot after slot: it waits for
 *    a slot to be empty, reads into it, marks it full (Atomics.notify) and hashes it.
 * 4. The caller waits for each full slot in order, runs the Data-Code kernel on it in place
 *    (the stream puts the open tail chunk into the free bytes before the slot) and marks it
 *    empty again. At end of file the helper writes the digest and marks the slot END; a read
 *    error is passed back as ERROR with the error's code and message.
 * Both sides block in Atomics.wait, so neither needs its event loop: the caller's hashing stays
 * synchronous, like the in-process path.
 *
 * Small files (the batch command, {@link SmallBatch}): the caller hands the helper the ordered
 * list of paths (through a message port it reads synchronously); the helper opens, reads and
 * closes each file into the ring, packing consecutive files into one slot (at most
 * {@link BATCH_FILES_PER_SLOT}, each at a 16-byte aligned offset), computes each file's BLAKE3
 * one-shot into the slot's entry table (a second shared buffer: status, offset, length, fd and
 * the 32-byte digest per file) and marks the slot full; the caller runs the Data-Code of each
 * file in place, in order. An unreadable file gets an error entry (the error's code, errno and
 * message as JSON in the slot) at its place. A file that does not fit into what is left of a
 * slot is moved to the next slot (a copy, never a second read); one that fills a whole slot is
 * handed over open (its fd and first {@link SLOT_BYTES}) and ends the batch, so the caller can
 * hash it as any big file (with this helper, idle again) and start a new batch after it. The
 * sync cost of a slot (Atomics.wait/notify) is shared by all the files in it.
 *
 * A whole file on its own (a free run, {@link Blake3Thread.free}; a split file, hash.ts
 * `sumSplit`): the caller reads and hashes its own part of the file, and the helper hashes the
 * whole file with positioned reads into a buffer of its own, never more than a limit the caller
 * raises as it goes ahead of it ({@link FreeRun.allow}), so that its pages are still cached when
 * the caller reads them; a control word says RUNNING, END (digest in the control block) or ERROR.
 * The caller can take back a command the helper has not taken yet, so a helper that never
 * starts never touches a file that was closed meanwhile.
 *
 * The helper is a tiny CommonJS script evaluated from a string: it loads only node:fs and the
 * addon (by the path resolved here), so it starts fast, and it runs the same from the
 * TypeScript sources (tests) and from the build. It is only used with the native addon (the
 * built-in WebAssembly BLAKE3 would need core in the helper) and with at least 2 cores.
 */
import { closeSync } from 'node:fs';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';

/** Bytes per slot (iscc-sum's read size). */
export const SLOT_BYTES = 2 * 1024 * 1024;
/** Slots in the ring: the helper can read up to three slots ahead of the Data-Code. */
export const RING_SLOTS = 4;

/** Where the ring lies: a shared memory and the byte offset of each slot in it. */
export interface Ring {
  buffer: SharedArrayBuffer;
  /** {@link RING_SLOTS} offsets of slots of {@link SLOT_BYTES}. */
  slots: number[];
}

/** At most this many small files share one slot (the size of a slot's entry table). */
export const BATCH_FILES_PER_SLOT = 256;
/** Files start at multiples of this in a slot (aligned reads and kernel loads). */
export const BATCH_ALIGN = 16;
/** Bytes of an error's JSON text at most (the rest is cut). */
export const BATCH_ERROR_BYTES = 1024;

/** Per-file status in a slot's entry table. */
export const ENTRY_OK = 0;
/** The file could not be opened or read: JSON of the error at its offset. */
export const ENTRY_FAIL = 1;
/** The file filled the slot: it stays open (fd in the entry) and the batch ends after it. */
export const ENTRY_HANDOFF = 2;

/** Int32 fields of an entry, then the digest. */
const E_STATUS = 0;
const E_OFFSET = 1;
const E_LENGTH = 2;
const E_FD = 3;
/** Bytes of an entry: 4 int32 fields and a 32-byte BLAKE3 digest. */
export const ENTRY_BYTES = 48;
const E_DIGEST = 16;
/** Bytes of a slot's table: the count (padded to an entry) and the entries. */
const TABLE_BYTES = ENTRY_BYTES * (BATCH_FILES_PER_SLOT + 1);

/** Commands in C_CMD. */
const CMD_FILE = 1;
const CMD_BATCH = 2;
const CMD_FREE = 3;

/** Int32 indexes of the control block. */
const C_CMD = 0; // CMD_FILE: a big file is waiting for the helper; CMD_BATCH: a list of small files
const C_FD = 1;
const C_FIRST = 2; // bytes already in slot 0
const C_ERRLEN = 3; // bytes of the error JSON
const C_READY = 4; // 1 once the helper runs
const C_CANCEL = 5; // 1: stop the batch after the current slot (or a free run at its next read)
const C_LIMIT = 6; // free run: the helper reads only below this many MiB of the file
const C_FREE = 7; // free run: RUNNING, then END or ERROR
const C_STATE = 8; // RING_SLOTS states
const C_LEN = 16; // RING_SLOTS lengths
/** Byte offsets in the control block. */
const B_DIGEST = 128;
const B_ERROR = 256;
const CONTROL_BYTES = 4096;

const EMPTY = 0;
const FULL = 1;
const END = 2;
const ERROR = 3;
/** {@link C_FREE} while a free run has not ended. */
const RUNNING = 1;
/** {@link C_LIMIT} without a limit. */
const NO_LIMIT = 0x7fffffff;
const MIB = 1024 * 1024;

/** The helper's source (CommonJS, evaluated in the worker; see the module comment). */
const HELPER_SOURCE = `
const { workerData, receiveMessageOnPort } = require('node:worker_threads');
const { closeSync, openSync, readSync } = require('node:fs');
const { sab, ring, offsets, addon, slotBytes, port, tables } = workerData;
const table32 = new Int32Array(tables);
const tableBytes = new Uint8Array(tables);
const ctl = new Int32Array(sab, 0, 64);
const bytes = new Uint8Array(sab);
const slots = offsets.length;
const views = offsets.map((o) => new Uint8Array(ring, o, slotBytes));
Atomics.store(ctl, ${C_READY}, 1);
Atomics.notify(ctl, ${C_READY});
let hasher = null;
const setState = (k, s) => { Atomics.store(ctl, ${C_STATE} + k, s); Atomics.notify(ctl, ${C_STATE} + k); };
// Wait with the value just seen: a fresh load could read EMPTY after the caller's notify and
// then sleep forever.
const waitEmpty = (k) => { let s; while ((s = Atomics.load(ctl, ${C_STATE} + k)) !== ${EMPTY}) Atomics.wait(ctl, ${C_STATE} + k, s); };
const errorJson = (e) => new TextEncoder().encode(JSON.stringify({ code: e && e.code, errno: e && e.errno, message: String((e && e.message) || e) }));
// An error that ends the current file or batch: its JSON in the control block, then ERROR on
// slot k (or in the free run's state word).
const writeError = (e) => {
  const text = errorJson(e).subarray(0, ${CONTROL_BYTES - B_ERROR});
  bytes.set(text, ${B_ERROR});
  ctl[${C_ERRLEN}] = text.length;
};
const reportError = (e, k) => {
  writeError(e);
  setState(k, ${ERROR});
};
let lib = null;
const align = (n) => (n + ${BATCH_ALIGN - 1}) & ~${BATCH_ALIGN - 1};
// Small files, packed into the slots in order (see the module comment).
const batch = () => {
  let got = receiveMessageOnPort(port);
  while (got === undefined) {
    Atomics.wait(ctl, ${C_CMD}, 0, 1);
    got = receiveMessageOnPort(port);
  }
  const paths = got.message === '' ? [] : got.message.split('\0');
  let k = 0;
  let i = 0;
  let carry = null; // [fd, bytes] of a file moved on from the last slot
  let handoff = false;
  try {
  if (lib === null) lib = require(addon);
  const oneShot = lib.blake3;
  while ((i < paths.length || carry !== null) && !handoff && Atomics.load(ctl, ${C_CANCEL}) === 0) {
    waitEmpty(k);
    const view = views[k];
    const t = (k * ${TABLE_BYTES}) >> 2;
    let off = 0;
    let count = 0;
    while (i < paths.length && count < ${BATCH_FILES_PER_SLOT} && slotBytes - off >= ${BATCH_ERROR_BYTES}) {
      const e = t + ((count + 1) * ${ENTRY_BYTES}) / 4;
      let fd = -1;
      let n = 0;
      let status = ${ENTRY_OK};
      try {
        if (carry !== null) {
          fd = carry[0];
          view.set(carry[1], off);
          n = carry[1].length;
          carry = null;
        } else fd = openSync(paths[i], 'r');
        const cap = slotBytes - off;
        while (n < cap) {
          const m = readSync(fd, view, off + n, cap - n, null);
          if (m === 0) break;
          n += m;
        }
        if (n === cap) {
          if (off > 0) {
            // Does not fit here: the next slot takes it (a copy of what was read).
            carry = [fd, view.slice(off, off + n)];
            break;
          }
          status = ${ENTRY_HANDOFF};
        } else tableBytes.set(oneShot(view.subarray(off, off + n)), (e << 2) + ${E_DIGEST});
      } catch (err) {
        status = ${ENTRY_FAIL};
        const text = errorJson(err).subarray(0, ${BATCH_ERROR_BYTES});
        view.set(text, off);
        n = text.length;
      }
      if (fd >= 0 && status !== ${ENTRY_HANDOFF}) closeSync(fd);
      table32[e + ${E_STATUS}] = status;
      table32[e + ${E_OFFSET}] = off;
      table32[e + ${E_LENGTH}] = n;
      table32[e + ${E_FD}] = fd;
      count++;
      i++;
      off = align(off + n);
      if (status === ${ENTRY_HANDOFF}) {
        handoff = true;
        break;
      }
    }
    table32[t] = count;
    setState(k, ${FULL});
    k = (k + 1) % slots;
  }
  } catch (e) {
    // Not a file's error (those are entries): the addon did not load, or worse. The caller
    // takes the files given so far, then gets ERROR and hashes the rest itself.
    if (carry !== null) closeSync(carry[0]);
    waitEmpty(k);
    reportError(e, k);
    return;
  }
  if (carry !== null) closeSync(carry[0]);
  waitEmpty(k);
  setState(k, ${END});
};
// A whole file on its own (see Blake3Thread.free): positioned reads into a buffer of the
// helper's own, at most up to the caller's limit; the caller takes nothing from the ring.
let own = null;
const free = () => {
  const fd = ctl[${C_FD}];
  const setFree = (s) => { Atomics.store(ctl, ${C_FREE}, s); Atomics.notify(ctl, ${C_FREE}); };
  try {
    if (lib === null) lib = require(addon);
    if (hasher === null) hasher = new lib.Blake3Hasher();
    else hasher.reset();
    if (own === null) own = new Uint8Array(slotBytes);
    let pos = 0;
    for (;;) {
      let lim;
      while (Atomics.load(ctl, ${C_CANCEL}) === 0 && pos / ${MIB} >= (lim = Atomics.load(ctl, ${C_LIMIT}))) Atomics.wait(ctl, ${C_LIMIT}, lim);
      if (Atomics.load(ctl, ${C_CANCEL}) !== 0) break;
      const n = readSync(fd, own, 0, slotBytes, pos);
      if (n === 0) {
        bytes.set(hasher.digestBuffer(), ${B_DIGEST});
        break;
      }
      hasher.update(own.subarray(0, n));
      pos += n;
    }
    setFree(${END});
  } catch (e) {
    writeError(e);
    setFree(${ERROR});
  }
};
for (;;) {
  Atomics.wait(ctl, ${C_CMD}, 0);
  // Taken atomically: the caller may withdraw a command the helper has not taken yet.
  const cmd = Atomics.exchange(ctl, ${C_CMD}, 0);
  if (cmd === 0) continue;
  if (cmd === ${CMD_BATCH}) {
    batch();
    continue;
  }
  if (cmd === ${CMD_FREE}) {
    free();
    continue;
  }
  const fd = ctl[${C_FD}];
  const first = ctl[${C_FIRST}];
  let k = 1;
  try {
    if (lib === null) lib = require(addon);
    if (hasher === null) hasher = new lib.Blake3Hasher();
    else hasher.reset();
    hasher.update(views[0].subarray(0, first));
    for (;;) {
      waitEmpty(k);
      const n = readSync(fd, views[k], 0, slotBytes, null);
      if (n === 0) {
        bytes.set(hasher.digestBuffer(), ${B_DIGEST});
        setState(k, ${END});
        break;
      }
      ctl[${C_LEN} + k] = n;
      setState(k, ${FULL});
      const cur = k;
      k = (k + 1) % slots;
      hasher.update(views[cur].subarray(0, n));
    }
  } catch (e) {
    // Report on the next slot the caller will look at, once it is free.
    waitEmpty(k);
    reportError(e, k);
  }
}
`;

/** An error of the helper's read: the fields of a Node errno error. */
export interface HelperReadError {
  code?: string;
  errno?: number;
  message: string;
}

/** Thrown by {@link Blake3Thread.hash} when the helper's read failed. */
export class HelperError extends Error {
  override readonly name = 'HelperError';
  /** The error as the helper saw it. */
  readonly readError: HelperReadError;
  constructor(cause: HelperReadError) {
    super(cause.message);
    this.readError = cause;
  }
}

/** The error the helper left in the control block with an ERROR state. */
function readHelperError(ctl: Int32Array, bytes: Uint8Array): HelperReadError {
  // TextDecoder does not take views of shared memory: copy first.
  return JSON.parse(new TextDecoder().decode(bytes.slice(B_ERROR, B_ERROR + ctl[C_ERRLEN]!))) as HelperReadError;
}

/** One small file of a batch, as the helper left it in the ring (see {@link SmallBatch.next}). */
export interface BatchEntry {
  /** {@link ENTRY_OK}, {@link ENTRY_FAIL} or {@link ENTRY_HANDOFF}. */
  status: number;
  /** Where the file's bytes (or the error's JSON) lie in the ring memory. */
  offset: number;
  /** Bytes of the file (all of it for OK, the first slot for HANDOFF) or of the JSON. */
  length: number;
  /** The open file of a HANDOFF entry (the caller closes it), else -1. */
  fd: number;
  /** The file's BLAKE3 digest (OK only): a view valid until the next {@link SmallBatch.next}. */
  digest: Uint8Array;
}

/**
 * The caller's side of a batch of small files: {@link next} gives them in order, each valid
 * until the next call (which hands its slot back to the helper once all its files are taken).
 */
export class SmallBatch {
  readonly #ctl: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #table32: Int32Array;
  readonly #tableBytes: Uint8Array;
  readonly #slots: readonly number[];
  #k = 0;
  #i = 0;
  /** Files in slot #k, or -1 when the slot is not taken yet. */
  #count = -1;
  #done = false;

  /** @internal made by {@link Blake3Thread.batch} */
  constructor(ctl: Int32Array, tables: SharedArrayBuffer, slots: readonly number[]) {
    this.#ctl = ctl;
    this.#bytes = new Uint8Array(ctl.buffer);
    this.#table32 = new Int32Array(tables);
    this.#tableBytes = new Uint8Array(tables);
    this.#slots = slots;
  }

  /**
   * The next file of the batch, or null when the batch is over: all files were given, or the
   * last one given was a HANDOFF (then the helper is idle again).
   * @throws HelperError when the helper could not go on (the addon did not load); the batch is
   *   over, the files after the last one given were not read
   */
  next(): BatchEntry | null {
    for (;;) {
      if (this.#done) return null;
      if (this.#count >= 0 && this.#i < this.#count) {
        const e = (this.#k * TABLE_BYTES + (this.#i + 1) * ENTRY_BYTES) >> 2;
        this.#i++;
        const t = this.#table32;
        const at = e << 2;
        return {
          status: t[e + E_STATUS]!,
          offset: this.#slots[this.#k]! + t[e + E_OFFSET]!,
          length: t[e + E_LENGTH]!,
          fd: t[e + E_FD]!,
          digest: this.#tableBytes.subarray(at + E_DIGEST, at + E_DIGEST + 32),
        };
      }
      this.#advance();
    }
  }

  /** Hand the current slot back (if taken) and wait for the next one. */
  #advance(): void {
    const ctl = this.#ctl;
    if (this.#count >= 0) {
      Atomics.store(ctl, C_STATE + this.#k, EMPTY);
      Atomics.notify(ctl, C_STATE + this.#k);
      this.#k = (this.#k + 1) % RING_SLOTS;
      this.#count = -1;
    }
    let s = Atomics.load(ctl, C_STATE + this.#k);
    while (s === EMPTY) {
      Atomics.wait(ctl, C_STATE + this.#k, EMPTY);
      s = Atomics.load(ctl, C_STATE + this.#k);
    }
    if (s === END || s === ERROR) {
      ctl[C_STATE + this.#k] = EMPTY;
      this.#done = true;
      if (s === ERROR) throw new HelperError(readHelperError(ctl, this.#bytes));
      return;
    }
    this.#count = this.#table32[(this.#k * TABLE_BYTES) >> 2]!;
    this.#i = 0;
  }

  /**
   * Stop the batch early (after an exception of the caller): the helper stops after its
   * current slot, the rest is drained (files handed over and not taken are closed).
   */
  close(): void {
    if (this.#done) return;
    Atomics.store(this.#ctl, C_CANCEL, 1);
    try {
      for (let e = this.next(); e !== null; e = this.next()) if (e.status === ENTRY_HANDOFF) closeSync(e.fd);
    } catch (e) {
      if (!(e instanceof HelperError)) throw e;
    }
  }
}

/** {@link C_LIMIT} for a limit of `bytes` (whole MiB, at most {@link NO_LIMIT}). */
function limitOf(bytes: number): number {
  return Math.min(NO_LIMIT, Math.floor(bytes / MIB));
}

/** The caller's side of a file the helper hashes by itself (see {@link Blake3Thread.free}). */
export class FreeRun {
  readonly #thread: Blake3Thread;
  readonly #ctl: Int32Array;
  readonly #bytes: Uint8Array;
  #ended = false;

  /** @internal made by {@link Blake3Thread.free} */
  constructor(thread: Blake3Thread, ctl: Int32Array, bytes: Uint8Array) {
    this.#thread = thread;
    this.#ctl = ctl;
    this.#bytes = bytes;
  }

  /** Let the helper read up to `bytes` of the file (only ever raised). */
  allow(bytes: number): void {
    const lim = limitOf(bytes);
    if (lim <= Atomics.load(this.#ctl, C_LIMIT)) return;
    Atomics.store(this.#ctl, C_LIMIT, lim);
    Atomics.notify(this.#ctl, C_LIMIT);
  }

  /**
   * Wait for the digest.
   * @param startMs - how long to wait at most for a helper that has not started
   * @returns the BLAKE3 digest (32 bytes), or null when the helper never started (it will not
   *   touch the file: the command was taken back)
   * @throws HelperError when the helper's read failed
   */
  digest(startMs: number): Uint8Array | null {
    this.allow(Infinity);
    if (!this.#settle(startMs)) return null;
    if (Atomics.load(this.#ctl, C_FREE) === ERROR) throw new HelperError(readHelperError(this.#ctl, this.#bytes));
    return this.#bytes.slice(B_DIGEST, B_DIGEST + 32);
  }

  /** Stop the run and wait until the helper has let go of the file (after an error of the caller). */
  cancel(startMs: number): void {
    Atomics.store(this.#ctl, C_CANCEL, 1);
    this.allow(Infinity);
    this.#settle(startMs);
  }

  /** Wait for the end of the run; false when the helper never took it (then it never will). */
  #settle(startMs: number): boolean {
    if (this.#ended) return true;
    const ctl = this.#ctl;
    if (!this.#thread.ready(startMs) && Atomics.compareExchange(ctl, C_CMD, CMD_FREE, 0) === CMD_FREE) {
      this.#ended = true;
      return false;
    }
    let s = Atomics.load(ctl, C_FREE);
    while (s === RUNNING) {
      Atomics.wait(ctl, C_FREE, s);
      s = Atomics.load(ctl, C_FREE);
    }
    this.#ended = true;
    return true;
  }
}

/** The helper thread, seen from the caller. */
export class Blake3Thread {
  readonly #worker: Worker;
  readonly #ctl: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #ring: Ring;
  readonly #tables: SharedArrayBuffer;
  readonly #port: MessagePort;

  /**
   * @param addonPath - the file of `@napi-rs/blake-hash` to `require` in the helper
   * @param ring - the shared memory and slot offsets the helper reads into
   * @param source - the helper's code (tests pass a broken one)
   */
  constructor(addonPath: string, ring: Ring, source: string = HELPER_SOURCE) {
    const sab = new SharedArrayBuffer(CONTROL_BYTES);
    this.#ctl = new Int32Array(sab, 0, 64);
    this.#bytes = new Uint8Array(sab);
    this.#ring = ring;
    this.#tables = new SharedArrayBuffer(RING_SLOTS * TABLE_BYTES);
    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#port.unref();
    this.#worker = new Worker(source, {
      eval: true,
      // Not the parent's flags: with --input-type=module the source would be an ES module,
      // where `require` does not exist.
      execArgv: [],
      workerData: { sab, ring: ring.buffer, offsets: ring.slots, addon: addonPath, slotBytes: SLOT_BYTES, port: channel.port2, tables: this.#tables },
      transferList: [channel.port2],
    });
    // Never keep the process alive for it; it is blocked in Atomics.wait between files.
    this.#worker.unref();
    // A helper that fails to start is detected through ready(); its 'error' event must not
    // become an uncaught exception of this process.
    this.#worker.on('error', () => {});
  }

  /**
   * Wait until the helper runs. The caller blocks in Atomics.wait while the helper works, so
   * it could not notice a helper that never started (its 'error' event needs the event loop);
   * this is checked once, before the first file is handed over.
   * @param timeoutMs - how long to wait at most
   * @returns false when the helper did not start in time (then do not use it)
   */
  ready(timeoutMs: number): boolean {
    if (Atomics.load(this.#ctl, C_READY) === 1) return true;
    Atomics.wait(this.#ctl, C_READY, 0, timeoutMs);
    return Atomics.load(this.#ctl, C_READY) === 1;
  }

  /**
   * Hash the rest of an open file whose first piece the caller has put into slot 0 already;
   * the file position is right after it.
   * @param fd - the open file (the caller closes it)
   * @param firstLen - bytes in slot 0 (at most {@link SLOT_BYTES})
   * @param onData - each piece, slot 0 first, as `(offset in the ring memory, length)`; the
   *   slot is handed back to the helper when it returns
   * @returns the BLAKE3 digest (32 bytes)
   * @throws HelperError when a read fails
   */
  hash(fd: number, firstLen: number, onData: (offset: number, length: number) => void): Uint8Array {
    const ctl = this.#ctl;
    for (let k = 1; k < RING_SLOTS; k++) ctl[C_STATE + k] = EMPTY;
    // Slot 0 is full already: the helper hashes it and the caller releases it as any other.
    ctl[C_STATE] = FULL;
    ctl[C_LEN] = firstLen;
    ctl[C_FD] = fd;
    ctl[C_FIRST] = firstLen;
    Atomics.store(ctl, C_CMD, CMD_FILE);
    Atomics.notify(ctl, C_CMD);
    const slots = this.#ring.slots;
    let k = 0;
    let failed: unknown = null;
    for (;;) {
      let s = Atomics.load(ctl, C_STATE + k);
      while (s === EMPTY) {
        Atomics.wait(ctl, C_STATE + k, EMPTY);
        s = Atomics.load(ctl, C_STATE + k);
      }
      if (s === FULL) {
        // After a failure in onData, keep draining so the helper finishes this file.
        if (failed === null) {
          try {
            onData(slots[k]!, ctl[C_LEN + k]!);
          } catch (e) {
            failed = e;
          }
        }
        this.#release(k);
        k = (k + 1) % RING_SLOTS;
        continue;
      }
      // END or ERROR: the helper is done with this file and waits for the next command.
      ctl[C_STATE + k] = EMPTY;
      if (failed !== null) throw failed;
      if (s === END) return this.#bytes.slice(B_DIGEST, B_DIGEST + 32);
      throw new HelperError(readHelperError(ctl, this.#bytes));
    }
  }

  /**
   * Start a batch of small files (see the module comment); the helper must be idle (no file
   * or batch in progress). Take its files with {@link SmallBatch.next} until it gives null.
   * @param paths - the files, in the order they are wanted
   */
  batch(paths: readonly string[]): SmallBatch {
    const ctl = this.#ctl;
    for (let k = 0; k < RING_SLOTS; k++) ctl[C_STATE + k] = EMPTY;
    ctl[C_CANCEL] = 0;
    // One string (paths hold no NUL): cloned at a fraction of the cost of an array of strings.
    this.#port.postMessage(paths.join('\0'));
    Atomics.store(ctl, C_CMD, CMD_BATCH);
    Atomics.notify(ctl, C_CMD);
    return new SmallBatch(ctl, this.#tables, this.#ring.slots);
  }

  /**
   * Hash a whole open file on the helper by itself, while the caller reads and hashes parts of
   * it on its own (a split file, hash.ts): the helper reads with positioned reads into a buffer
   * of its own, never ahead of the limit the caller gives with {@link FreeRun.allow}, and
   * nothing goes through the ring. The helper need not run yet: it takes the command when it
   * starts. The caller must end the run ({@link FreeRun.digest} or {@link FreeRun.cancel})
   * before it closes `fd` or gives the helper anything else.
   * @param fd - the open file (the caller closes it); its file position is not used
   * @param limitBytes - the helper reads only below this many bytes for now
   */
  free(fd: number, limitBytes: number): FreeRun {
    const ctl = this.#ctl;
    ctl[C_FD] = fd;
    ctl[C_CANCEL] = 0;
    ctl[C_LIMIT] = limitOf(limitBytes);
    ctl[C_FREE] = RUNNING;
    Atomics.store(ctl, C_CMD, CMD_FREE);
    Atomics.notify(ctl, C_CMD);
    return new FreeRun(this, ctl, this.#bytes);
  }

  #release(k: number): void {
    Atomics.store(this.#ctl, C_STATE + k, EMPTY);
    Atomics.notify(this.#ctl, C_STATE + k);
  }

  /** Stop the helper. */
  async close(): Promise<void> {
    await this.#worker.terminate();
  }
}
