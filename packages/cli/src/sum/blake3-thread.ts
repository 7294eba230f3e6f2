/**
 * Big files: reading and BLAKE3 on a helper thread, the Data-Code on the calling thread, so
 * that the Data-Code kernel (the slower of the two hashes) is the only limit of `iscc sum` on
 * one big file. Each byte is still read once and fed to both hashers.
 *
 * How (one helper per process, started on the first big file, reused for later ones):
 * 1. A SharedArrayBuffer holds a control block and a ring of {@link RING_SLOTS} slots of
 *    {@link SLOT_BYTES} (constant memory whatever the file size).
 * 2. The caller opens the file, reads the first piece itself (it had to, to see that the file
 *    is big), copies it into slot 0 and hands the helper the file descriptor (file
 *    descriptors are per process).
 * 3. The helper hashes slot 0 with the native BLAKE3, then reads slot after slot: it waits for
 *    a slot to be empty, reads into it, marks it full (Atomics.notify) and hashes it.
 * 4. The caller waits for each full slot in order, copies it into its own plain buffer, marks
 *    the slot empty again and pushes the copy to its Data-Code hasher. The copy is needed for
 *    speed: V8 copies out of a SharedArrayBuffer byte by byte when source and destination are
 *    not equally aligned, which the Data-Code's copies into kernel memory (behind the open
 *    tail) never are - pushing slots directly cost ~40% more time; one aligned copy costs ~7%. At end of file the helper writes the digest and marks the slot END; a read
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
const { sab, addon, slots, slotBytes, control } = workerData;
const ctl = new Int32Array(sab, 0, 64);
const bytes = new Uint8Array(sab);
const slot = (k) => new Uint8Array(sab, control + k * slotBytes, slotBytes);
const views = Array.from({ length: slots }, (_, k) => slot(k));
Atomics.store(ctl, ${C_READY}, 1);
Atomics.notify(ctl, ${C_READY});
let hasher = null;
const setState = (k, s) => { Atomics.store(ctl, ${C_STATE} + k, s); Atomics.notify(ctl, ${C_STATE} + k); };
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
      while (Atomics.load(ctl, ${C_STATE} + k) !== ${EMPTY}) Atomics.wait(ctl, ${C_STATE} + k, Atomics.load(ctl, ${C_STATE} + k));
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
    while (Atomics.load(ctl, ${C_STATE} + k) !== ${EMPTY}) Atomics.wait(ctl, ${C_STATE} + k, Atomics.load(ctl, ${C_STATE} + k));
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
  readonly #slots: Uint8Array[];
  /** The caller's copy of the current slot (see the module comment). */
  readonly #stage = new Uint8Array(SLOT_BYTES);

  /**
   * @param addonPath - the file of `@napi-rs/blake-hash` to `require` in the helper
   * @param source - the helper's code (tests pass a broken one)
   */
  constructor(addonPath: string, source: string = HELPER_SOURCE) {
    const sab = new SharedArrayBuffer(CONTROL_BYTES + RING_SLOTS * SLOT_BYTES);
    this.#ctl = new Int32Array(sab, 0, 64);
    this.#bytes = new Uint8Array(sab);
    this.#slots = Array.from({ length: RING_SLOTS }, (_, k) => new Uint8Array(sab, CONTROL_BYTES + k * SLOT_BYTES, SLOT_BYTES));
    this.#worker = new Worker(source, {
      eval: true,
      // Not the parent's flags: with --input-type=module the source would be an ES module,
      // where `require` does not exist.
      execArgv: [],
      workerData: { sab, addon: addonPath, slots: RING_SLOTS, slotBytes: SLOT_BYTES, control: CONTROL_BYTES },
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
   * Hash the rest of an open file whose first piece the caller has read already; the file
   * position is right after it.
   * @param fd - the open file (the caller closes it)
   * @param firstPiece - the bytes read so far (at most {@link SLOT_BYTES}); not passed to `onData`
   * @param onData - each later piece, in order, for the Data-Code; may not keep it
   * @returns the BLAKE3 digest (32 bytes)
   * @throws HelperError when a read fails
   */
  hash(fd: number, firstPiece: Uint8Array, onData: (piece: Uint8Array) => void): Uint8Array {
    const ctl = this.#ctl;
    for (let k = 1; k < RING_SLOTS; k++) ctl[C_STATE + k] = EMPTY;
    this.#slots[0]!.set(firstPiece);
    // Slot 0 is the caller's copy: free as soon as the helper has hashed it.
    ctl[C_STATE] = EMPTY;
    ctl[C_FD] = fd;
    ctl[C_FIRST] = firstPiece.length;
    Atomics.store(ctl, C_CMD, 1);
    Atomics.notify(ctl, C_CMD);
    const stage = this.#stage;
    let k = 1;
    for (;;) {
      let s = Atomics.load(ctl, C_STATE + k);
      while (s === EMPTY) {
        Atomics.wait(ctl, C_STATE + k, EMPTY);
        s = Atomics.load(ctl, C_STATE + k);
      }
      if (s === FULL) {
        const n = ctl[C_LEN + k]!;
        // Both views start at offset 0 of their buffers: the fast, aligned copy.
        if (n === SLOT_BYTES) stage.set(this.#slots[k]!);
        else stage.set(this.#slots[k]!.subarray(0, n));
        this.#release(k);
        onData(n === SLOT_BYTES ? stage : stage.subarray(0, n));
        k = (k + 1) % RING_SLOTS;
        continue;
      }
      // END or ERROR: the helper is done with this file and waits for the next command.
      ctl[C_STATE + k] = EMPTY;
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
