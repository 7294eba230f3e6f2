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
 * The helper is a tiny CommonJS script evaluated from a string: it loads only node:fs and the
 * addon (by the path resolved here), so it starts fast, and it runs the same from the
 * TypeScript sources (tests) and from the build. It is only used with the native addon (the
 * built-in WebAssembly BLAKE3 would need core in the helper) and with at least 2 cores.
 */
import { Worker } from 'node:worker_threads';

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

/** Int32 indexes of the control block. */
const C_CMD = 0; // 1: a file is waiting for the helper
const C_FD = 1;
const C_FIRST = 2; // bytes already in slot 0
const C_ERRLEN = 3; // bytes of the error JSON
const C_READY = 4; // 1 once the helper runs
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

/** The helper's source (CommonJS, evaluated in the worker; see the module comment). */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const { sab, ring, offsets, addon, slotBytes } = workerData;
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
for (;;) {
  Atomics.wait(ctl, ${C_CMD}, 0);
  Atomics.store(ctl, ${C_CMD}, 0);
  const fd = ctl[${C_FD}];
  const first = ctl[${C_FIRST}];
  let k = 1;
  try {
    if (hasher === null) hasher = new (require(addon).Blake3Hasher)();
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
    const text = new TextEncoder().encode(JSON.stringify({ code: e && e.code, errno: e && e.errno, message: String((e && e.message) || e) })).subarray(0, ${CONTROL_BYTES - B_ERROR});
    bytes.set(text, ${B_ERROR});
    ctl[${C_ERRLEN}] = text.length;
    setState(k, ${ERROR});
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

/** The helper thread, seen from the caller. */
export class Blake3Thread {
  readonly #worker: Worker;
  readonly #ctl: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #ring: Ring;

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
    this.#worker = new Worker(source, {
      eval: true,
      // Not the parent's flags: with --input-type=module the source would be an ES module,
      // where `require` does not exist.
      execArgv: [],
      workerData: { sab, ring: ring.buffer, offsets: ring.slots, addon: addonPath, slotBytes: SLOT_BYTES },
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
    Atomics.store(ctl, C_CMD, 1);
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
      const text = new TextDecoder().decode(this.#bytes.subarray(B_ERROR, B_ERROR + ctl[C_ERRLEN]!));
      throw new HelperError(JSON.parse(text) as HelperReadError);
    }
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
