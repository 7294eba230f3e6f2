/**
 * Constant-memory Data-Hash streams for checksum tools (`iscc sum`): the same 256-bit
 * Data-Hash as {@link DataHasherV0} (iscc-core `soft_hash_data_v0`), without its per-chunk
 * lists and without copying the input.
 *
 * Why: `DataHasherV0` mirrors iscc-core's object (it keeps `chunkFeatures`/`chunkSizes`, which
 * grow with the input, and copies every piece into the shared kernel memory). A stream here owns
 * a kernel instance of its own (wasm-kernels.ts `_kernelInstance`): the caller reads the input
 * straight into that instance's memory (`bytes`, optionally a shared memory that another thread
 * fills), and the kernel chunks it in place, hashes each chunk (xxh32) and folds it into the
 * running minhash, which stays in kernel memory. Only the open tail chunk (at most the maximum
 * chunk size) is carried between calls: it is copied in front of the next piece, into the
 * `headroom` bytes that every region handed to {@link DataHashStream.update} must leave free
 * before it.
 *
 * Only available with the WebAssembly kernels: {@link DataHashStream.create} returns null
 * without them (or after `setTurbo(false)`), and callers use `DataHasherV0`, the oracle the
 * tests compare every stream against (random data, random splits, one-shot and streamed).
 */
import { algCdcParams, type CdcParams } from './cdc.ts';
import { argError } from './errors.ts';
import { MAXH, _minhashCompressU32 } from './minhash.ts';
import { coreOpts } from './options.ts';
import { K_FEAT, K_IN, K_MINS, K_TAIL, K_TAILBUF, K_TAILBUF_CAP, _kernelInstance, type Kernels } from './wasm-kernels.ts';

/** Alignment of the headroom (keeps regions after it aligned for fast copies). */
const ALIGN = 64;

/** Options of {@link DataHashStream.create}. */
export interface DataHashStreamOptions {
  /** Bytes of the data region (headroom included); default: headroom + 2 MiB. */
  regionBytes?: number;
  /** Put the kernel memory in a SharedArrayBuffer, for another thread to fill. */
  shared?: boolean;
}

/**
 * A reusable Data-Hash stream on its own kernel memory (see the module comment).
 * @example
 * const s = DataHashStream.create()!;
 * const n = readInto(s.bytes.subarray(s.inputOffset, s.inputOffset + s.inputCapacity));
 * s.update(s.inputOffset, n);
 * s.digest() // 32 bytes, as new DataHasherV0(data).digest(); the stream is reset
 */
export class DataHashStream {
  /** The whole kernel memory (over a SharedArrayBuffer when created `shared`). */
  readonly bytes: Uint8Array;
  /** The kernel memory itself (to hand a shared one to another thread). */
  readonly memory: WebAssembly.Memory;
  /** Start of the data region in {@link bytes}. */
  readonly regionOffset: number;
  /** Size of the data region in bytes. */
  readonly regionBytes: number;
  /** Bytes before a piece given to {@link update} that the stream may overwrite (>= max chunk size). */
  readonly headroom: number;
  /** Where a caller with one input buffer reads to: `regionOffset + headroom`. */
  readonly inputOffset: number;
  /** Bytes available at {@link inputOffset}. */
  readonly inputCapacity: number;

  readonly #k: Kernels;
  readonly #params: CdcParams;
  #tailLen = 0;
  #length = 0;

  private constructor(k: Kernels, params: CdcParams, headroom: number, regionBytes: number) {
    this.#k = k;
    this.#params = params;
    this.bytes = k.bytes;
    this.memory = k.memory;
    this.regionOffset = K_IN;
    this.regionBytes = regionBytes;
    this.headroom = headroom;
    this.inputOffset = K_IN + headroom;
    this.inputCapacity = regionBytes - headroom;
    this.reset();
  }

  /**
   * A new stream with the current average chunk size (`coreOpts.data_avg_chunk_size`).
   * @param opts - region size and whether the memory is shared
   * @returns the stream, or null when the kernels are unavailable or disabled, a shared memory
   *   cannot be made, or the chunk size is too large for the tail area (then use DataHasherV0)
   * @throws IsccError ISCC_INVALID_ARGUMENT for a region that leaves no room after the headroom
   */
  static create(opts: DataHashStreamOptions = {}): DataHashStream | null {
    const params = algCdcParams(coreOpts.data_avg_chunk_size);
    const ma = params[1];
    if (ma > K_TAILBUF_CAP) return null;
    const headroom = Math.ceil(ma / ALIGN) * ALIGN;
    const regionBytes = opts.regionBytes ?? headroom + 2 * 1024 * 1024;
    if (!Number.isSafeInteger(regionBytes) || regionBytes <= headroom) {
      argError('regionBytes', `an integer > ${headroom}`, regionBytes);
    }
    const k = _kernelInstance(K_IN + regionBytes, opts.shared === true);
    return k === null ? null : new DataHashStream(k, params, headroom, regionBytes);
  }

  /** Bytes hashed since the last {@link digest} or {@link reset}. */
  get length(): number {
    return this.#length;
  }

  /** Forget everything pushed: start a new input. */
  reset(): void {
    this.#k.u32.fill(MAXH, K_MINS >>> 2, (K_MINS >>> 2) + 64);
    this.#tailLen = 0;
    this.#length = 0;
  }

  #check(ptr: number, len: number): void {
    if (!Number.isSafeInteger(ptr) || !Number.isSafeInteger(len) || len < 0 || ptr - this.headroom < this.regionOffset || ptr + len > this.regionOffset + this.regionBytes) {
      argError('ptr/len', `a piece inside the region after ${this.headroom} bytes of headroom`, `${ptr}/${len}`);
    }
  }

  /**
   * Hash the next `len` bytes of the input, which the caller has put at `bytes[ptr, ptr+len)`.
   * The `headroom` bytes before `ptr` are overwritten (the open tail goes there); the piece
   * itself is not changed.
   * @throws IsccError ISCC_INVALID_ARGUMENT when the piece or its headroom is outside the region
   */
  update(ptr: number, len: number): void {
    this.#check(ptr, len);
    if (len === 0) return;
    const k = this.#k;
    const [mi, ma, cs, maskS, maskL] = this.#params;
    const tl = this.#tailLen;
    const start = ptr - tl;
    if (tl > 0) k.bytes.copyWithin(start, K_TAILBUF, K_TAILBUF + tl);
    const total = tl + len;
    k.dataChunks(start, total, mi, ma, cs, maskS, maskL, 0);
    const t = k.u32[K_TAIL >>> 2]!;
    // The last chunk stays open (at most `ma` bytes): keep it for the next piece.
    this.#tailLen = total - t;
    k.bytes.copyWithin(K_TAILBUF, start + t, start + total);
    this.#length += len;
  }

  /**
   * Hash a copy of `data` (for inputs that are not read into {@link bytes}), piece by piece
   * through the input area.
   */
  push(data: Uint8Array): void {
    for (let off = 0; off < data.length; ) {
      const take = Math.min(this.inputCapacity, data.length - off);
      this.bytes.set(data.subarray(off, off + take), this.inputOffset);
      this.update(this.inputOffset, take);
      off += take;
    }
  }

  /**
   * The Data-Hash of everything pushed (the tail is the last chunk; empty input: the minhash
   * of xxh32 of the empty chunk, as iscc-core). Resets the stream for the next input.
   * @returns 32 bytes
   */
  digest(): Uint8Array {
    const k = this.#k;
    k.u32[K_FEAT >>> 2] = k.xxh32(K_TAILBUF, this.#tailLen, 0);
    k.minhash(K_FEAT, 1);
    return this.#finish();
  }

  /**
   * The Data-Hash of `bytes[ptr, ptr+len)` as a whole input, in one kernel call (the per-file
   * cost of small files); the same as `update(ptr, len)` + `digest()`, which it falls back to
   * when data was pushed before. Resets the stream.
   * @throws IsccError ISCC_INVALID_ARGUMENT when the piece is outside the region
   */
  digestOf(ptr: number, len: number): Uint8Array {
    if (this.#length > 0 || len === 0) {
      this.update(ptr, len);
      return this.digest();
    }
    this.#check(ptr, len);
    const [mi, ma, cs, maskS, maskL] = this.#params;
    this.#k.dataChunks(ptr, len, mi, ma, cs, maskS, maskL, 1);
    return this.#finish();
  }

  #finish(): Uint8Array {
    const k = this.#k;
    const out = _minhashCompressU32(k.u32.subarray(K_MINS >>> 2, (K_MINS >>> 2) + 64), 4);
    this.reset();
    return out;
  }
}
