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
 * Splitting one input between two streams (`iscc sum` on one big file, two threads): the cut
 * after a chunk start depends only on that position and the bytes after it, and the Data-Hash is
 * the minhash of the set of chunk features, so a second stream may hash `[c, end)` from any
 * position `c` that is a true cut of the whole input, and the two raw minhash states merge by
 * element-wise minimum. {@link DataHashStream.cutAfter} picks a candidate cut `c` after a point
 * `x` (the k-th cut of a chunk chain started at `x`), {@link DataHashStream.cutsAt} tells the
 * first stream, which has hashed `[0, x)`, whether the true chain from its open chunk passes
 * through `c`; if it does, the first stream takes `[x, c)` and {@link DataHashStream.digest}
 * merges the second's {@link DataHashStream.digestState}; if not (zeros, periodic data), the
 * second stream's work is discarded.
 *
 * Only available with the WebAssembly kernels: {@link DataHashStream.create} returns null
 * without them (or after `setTurbo(false)`), and callers use `DataHasherV0`, the oracle the
 * tests compare every stream against (random data, random splits, one-shot and streamed).
 */
import { _cdcCertainCut, algCdcParams, type CdcParams } from './cdc.ts';
import { argError } from './errors.ts';
import { MAXH, _minhashCompressU32 } from './minhash.ts';
import { coreOpts } from './options.ts';
import { K_FEAT, K_IN, K_MINS, K_TAIL, K_TAILBUF, K_TAILBUF_CAP, _kernelInstance, type Kernels } from './wasm-kernels.ts';

/** Values of the 256-bit minhash state (one u32 per permutation). */
const MINHASH_VALUES = 64;

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

  /** Bytes of the open last chunk (carried to the next {@link update}; it starts at `length - openChunkLength`). */
  get openChunkLength(): number {
    return this.#tailLen;
  }

  /**
   * Offset in `bytes[ptr, ptr+len)` of the `k`-th cut of a chunk chain started at `ptr` (as if
   * an input started there), or -1 when the window does not decide `k` cuts before its end
   * (see cdc.ts `_cdcCertainCut`). Reads only; for picking where a second stream starts.
   * @throws IsccError ISCC_INVALID_ARGUMENT when the piece is outside the region or `k` < 1
   */
  cutAfter(ptr: number, len: number, k: number): number {
    this.#check(ptr, len);
    if (!Number.isSafeInteger(k) || k < 1) argError('k', 'an integer >= 1', k);
    const [mi, ma, cs, maskS, maskL] = this.#params;
    const end = ptr + len;
    let p = ptr;
    for (let i = 0; i < k; i++) {
      p = _cdcCertainCut(this.bytes, p, end, mi, ma, cs, maskS, maskL);
      if (p < 0 || p === end) return -1;
    }
    return p - ptr;
  }

  /**
   * Whether the input pushed so far followed by `bytes[ptr, ptr+len)` is cut at `ptr + at`:
   * the true chain of cuts from the open chunk's start passes through it, decided by these
   * bytes alone. False when it passes over `at`, or when the window ends first. Puts the open
   * chunk into the headroom before `ptr` (as {@link update} does); hashes nothing.
   * @throws IsccError ISCC_INVALID_ARGUMENT when the piece is outside the region
   */
  cutsAt(ptr: number, len: number, at: number): boolean {
    this.#check(ptr, len);
    if (!Number.isSafeInteger(at) || at < 0 || at > len) return false;
    const [mi, ma, cs, maskS, maskL] = this.#params;
    const tl = this.#tailLen;
    let p = ptr - tl;
    if (tl > 0) this.bytes.copyWithin(p, K_TAILBUF, K_TAILBUF + tl);
    const target = ptr + at;
    const end = ptr + len;
    while (p < target) {
      p = _cdcCertainCut(this.bytes, p, end, mi, ma, cs, maskS, maskL);
      if (p < 0) return false;
    }
    return p === target;
  }

  /** Forget everything pushed: start a new input. */
  reset(): void {
    this.#k.u32.fill(MAXH, K_MINS >>> 2, (K_MINS >>> 2) + MINHASH_VALUES);
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
   * @param merge - the raw minhash state of a second stream over the rest of the input (from
   *   its {@link digestState}, started at a true cut where this input ends): the Data-Hash is
   *   then that of the whole input
   * @returns 32 bytes
   * @throws IsccError ISCC_INVALID_ARGUMENT when `merge` does not hold 64 values
   */
  digest(merge?: ArrayLike<number>): Uint8Array {
    if (merge !== undefined && merge.length !== MINHASH_VALUES) argError('merge', `${MINHASH_VALUES} minhash values`, merge.length);
    this.#closeLast();
    if (merge !== undefined) {
      const u32 = this.#k.u32;
      const base = K_MINS >>> 2;
      for (let i = 0; i < MINHASH_VALUES; i++) {
        const m = merge[i]! >>> 0;
        if (m < u32[base + i]!) u32[base + i] = m;
      }
    }
    return this.#finish();
  }

  /**
   * The raw minhash state of everything pushed (the tail closed as the last chunk): 64 values,
   * before compression, for {@link digest}'s `merge` of another stream. Resets the stream.
   */
  digestState(): Uint32Array {
    this.#closeLast();
    const base = K_MINS >>> 2;
    const out = this.#k.u32.slice(base, base + MINHASH_VALUES);
    this.reset();
    return out;
  }

  #closeLast(): void {
    const k = this.#k;
    k.u32[K_FEAT >>> 2] = k.xxh32(K_TAILBUF, this.#tailLen, 0);
    k.minhash(K_FEAT, 1);
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
    const out = _minhashCompressU32(k.u32.subarray(K_MINS >>> 2, (K_MINS >>> 2) + MINHASH_VALUES), 4);
    this.reset();
    return out;
  }
}
