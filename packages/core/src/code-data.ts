/**
 * Data-Code: a similarity-preserving hash of raw bytes, as iscc-core `code_data.py`
 * (ISO 24138, MainType DATA).
 *
 * Algorithm (`soft_hash_data_v0`):
 * 1. Split the byte stream into content-defined chunks (`algCdcChunks`, average 1024 bytes).
 * 2. Hash each chunk with xxh32 (unsigned 32-bit) - the chunk features.
 *    Empty input has one feature: xxh32 of the empty string.
 * 3. The 256-bit digest is the minhash of the features (`algMinhash256`).
 * 4. `genDataCodeV0` encodes the first `bits` of the digest as an ISCC-UNIT (MT.DATA, ST.NONE, V0).
 *
 * Streaming ({@link DataHasherV0}): every push re-chunks `tail + data` and keeps the last chunk
 * as the new tail, because its end may move when more data arrives; every earlier chunk is
 * final (a cut never depends on bytes after it). So any split of the input gives the same
 * digest as one push - the tests check this for random splits.
 *
 * Acceleration: where the WebAssembly kernels are available (wasm-kernels.ts), `push` copies
 * the input window by window (1 MiB) behind the open tail into kernel memory and one kernel
 * call per window does the chunking, the xxh32 of every finished chunk and the minhash
 * accumulation; the running minima are kept per hasher, so `digest` only folds in the final
 * tail. The pure TypeScript path below is the oracle: the tests compare both on random data
 * split at random points, and on the conformance vectors.
 */
import { _cdcOffset, algCdcParams } from './cdc.ts';
import { encodeComponent } from './codec.ts';
import { MT, ST, VS } from './constants.ts';
import { typeError } from './errors.ts';
import { algMinhash256, MAXH, _minhashCompressU32, _minhashFold } from './minhash.ts';
import { coreOpts } from './options.ts';
import { withStream, type AsyncByteSource, type ByteSource, type SyncByteSource } from './streams.ts';
import { K_FEAT, K_FEAT_SLOTS, K_IN, K_IN_CAP, K_MINS, K_SIZES, K_TAIL, kernels, type Kernels } from './wasm-kernels.ts';
import { xxh32 } from './xxh32.ts';

/** Result of {@link genDataCodeV0}. */
export interface DataCodeResult {
  /** `ISCC:` + the Data-Code unit. */
  iscc: string;
}

const EMPTY = new Uint8Array(0);

/**
 * Incremental Data-Hash generator (iscc-core `DataHasherV0`).
 *
 * Like the reference, {@link digest} finalises the pending tail chunk but leaves the hasher
 * usable: calling `digest()`/`code()` again gives the same value, and data pushed after a
 * digest starts a new chunk sequence whose features are added to the earlier ones (the old
 * tail is not joined with the new data). This mirrors iscc-core exactly; start a new hasher to
 * hash a new input.
 * @example
 * const h = new DataHasherV0();
 * h.push(part1); h.push(part2);
 * h.code(64) // 'GAA...'
 */
export class DataHasherV0 {
  /** xxh32 of every finished chunk, in order (iscc-core `chunk_features`). */
  chunkFeatures: number[] = [];
  /** Byte length of every finished chunk, in order (iscc-core `chunk_sizes`). */
  chunkSizes: number[] = [];
  /**
   * The last, still open chunk (a private copy); `null` once finalised by {@link digest}
   * (iscc-core `tail`).
   */
  tail: Uint8Array | null = null;

  readonly #params = algCdcParams(coreOpts.data_avg_chunk_size);
  /**
   * Running minhash of `chunkFeatures[0, #folded)` kept by the kernel path (null until the
   * kernel is first used), so that a digest of a large input needs no second pass.
   */
  #mins: Uint32Array | null = null;
  #folded = 0;

  /**
   * @param data - optional first piece of data (as `push(data)`)
   * @throws IsccError ISCC_INVALID_TYPE when `data` is given and not a Uint8Array
   */
  constructor(data?: Uint8Array | null) {
    this.push(data ?? EMPTY);
  }

  /**
   * Add the next piece of the input.
   * @param data - bytes (any length, including 0); not retained, the open tail is copied
   * @throws IsccError ISCC_INVALID_TYPE when `data` is not a Uint8Array
   */
  push(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) typeError('data', 'a Uint8Array', data);
    const k = kernels();
    // The kernel needs room for the open tail (at most `maxSize` bytes) plus new data, and for
    // the features of a full window (chunks are longer than `minSize`; 4096 slots).
    const [mi, ma] = this.#params;
    if (k !== null && ma * 2 <= K_IN_CAP && mi >= K_IN_CAP / K_FEAT_SLOTS) this.#pushKernel(k, data);
    else this.#pushPure(data);
  }

  /** The pure TypeScript push: re-chunk `tail + data`, keep the last chunk open. */
  #pushPure(data: Uint8Array): void {
    let buf = data;
    const tail = this.tail;
    if (tail !== null && tail.length > 0) {
      buf = new Uint8Array(tail.length + data.length);
      buf.set(tail);
      buf.set(data, tail.length);
    }
    const [mi, ma, cs, maskS, maskL] = this.#params;
    const end = buf.length;
    let pos = 0;
    // Every chunk but the last is final; the last becomes the tail (empty for empty input).
    while (pos < end) {
      const cut = _cdcOffset(buf, pos, end, mi, ma, cs, maskS, maskL);
      if (pos + cut === end) break;
      this.chunkFeatures.push(xxh32(buf, 0, pos, pos + cut));
      this.chunkSizes.push(cut);
      pos += cut;
    }
    // Copy: the caller may reuse `data` (stream buffers), and a copy frees a large `buf`.
    this.tail = buf.slice(pos, end);
  }

  /**
   * The 256-bit Data-Hash: minhash of the chunk features. Finalises the tail (see the class
   * comment); repeatable.
   * @returns 32 bytes
   */
  digest(): Uint8Array {
    this.#finalize();
    const features = this.chunkFeatures;
    if (this.#mins === null || this.#folded > features.length) return algMinhash256(features);
    _minhashFold(this.#mins, features, this.#folded, features.length);
    this.#folded = features.length;
    return _minhashCompressU32(this.#mins, 4);
  }

  /**
   * The kernel push: the same chunking as {@link #pushPure}, window by window in kernel
   * memory, with the minhash accumulated on the way.
   */
  #pushKernel(k: Kernels, data: Uint8Array): void {
    const [mi, ma, cs, maskS, maskL] = this.#params;
    const features = this.chunkFeatures;
    const sizes = this.chunkSizes;
    const mem = k.bytes;
    const words = k.u32;
    let mins = this.#mins;
    if (mins === null) mins = this.#mins = new Uint32Array(64).fill(MAXH);
    // Features pushed by the pure path (before the kernel was ready) are folded in first.
    if (this.#folded < features.length) _minhashFold(mins, features, this.#folded, features.length);
    const tail = this.tail;
    let tailLen = tail === null ? 0 : tail.length;
    if (tailLen > 0) mem.set(tail!, K_IN);
    words.set(mins, K_MINS >>> 2);
    let off = 0;
    do {
      const take = Math.min(data.length - off, K_IN_CAP - tailLen);
      mem.set(data.subarray(off, off + take), K_IN + tailLen);
      off += take;
      const len = tailLen + take;
      const n = k.dataChunks(K_IN, len, mi, ma, cs, maskS, maskL, 0);
      for (let i = 0, f = K_FEAT >>> 2, z = K_SIZES >>> 2; i < n; i++) {
        features.push(words[f + i]!);
        sizes.push(words[z + i]!);
      }
      const t = words[K_TAIL >>> 2]!;
      tailLen = len - t;
      if (t > 0) mem.copyWithin(K_IN, K_IN + t, K_IN + len);
    } while (off < data.length);
    mins.set(words.subarray(K_MINS >>> 2, (K_MINS >>> 2) + 64));
    this.#folded = features.length;
    this.tail = mem.slice(K_IN, K_IN + tailLen);
  }

  /**
   * The Data-Code unit (without `ISCC:`), from the first `bits` of {@link digest}.
   * @param bits - bit length of the code (default 64)
   * @returns the base32 ISCC-UNIT
   * @throws IsccError from `encodeComponent` for an unsupported bit length
   */
  code(bits: number = coreOpts.data_bits): string {
    return encodeComponent(MT.DATA, ST.NONE, VS.V0, bits, this.digest());
  }

  #finalize(): void {
    const tail = this.tail;
    if (tail === null) return;
    if (tail.length > 0) {
      this.chunkFeatures.push(xxh32(tail));
      this.chunkSizes.push(tail.length);
    } else if (this.chunkFeatures.length === 0) {
      // Empty input: one feature, the hash of the empty chunk.
      this.chunkFeatures.push(xxh32(EMPTY));
      this.chunkSizes.push(0);
    }
    this.tail = null;
  }
}

/** The latest Data-Hash generator (iscc-core `DataHasher`). */
export const DataHasher: typeof DataHasherV0 = DataHasherV0;
/** Instance type of {@link DataHasher}. */
export type DataHasher = DataHasherV0;

/** Validate `bits` before reading any input, with the same rules as the final encoding. */
function checkBits(bits: number): void {
  encodeComponent(MT.DATA, ST.NONE, VS.V0, bits, new Uint8Array(32));
}

/**
 * ISCC Data-Code, algorithm v0 (iscc-core `gen_data_code_v0`).
 * @param stream - the data: bytes, a sync/async iterable of bytes, a ReadableStream or a reader
 * @param bits - bit length of the code (default 64)
 * @returns `{ iscc }`, or a Promise of it for asynchronous inputs
 * @throws IsccError ISCC_INVALID_TYPE for an unsupported input; encoding errors for bad `bits`
 * @example genDataCodeV0(new Uint8Array([0xff])) // { iscc: 'ISCC:GAAV5ZIQC4WCUBIK' }
 */
export function genDataCodeV0(stream: AsyncByteSource, bits?: number): Promise<DataCodeResult>;
export function genDataCodeV0(stream: SyncByteSource, bits?: number): DataCodeResult;
export function genDataCodeV0(stream: ByteSource, bits?: number): DataCodeResult | Promise<DataCodeResult>;
export function genDataCodeV0(
  stream: ByteSource,
  bits: number = coreOpts.data_bits,
): DataCodeResult | Promise<DataCodeResult> {
  checkBits(bits);
  const hasher = new DataHasherV0();
  return withStream(stream, (c) => hasher.push(c), () => ({ iscc: 'ISCC:' + hasher.code(bits) }));
}

/**
 * ISCC Data-Code with the latest algorithm (iscc-core `gen_data_code`).
 * @param stream - the data (see {@link genDataCodeV0})
 * @param bits - bit length of the code (default 64)
 * @returns `{ iscc }`, or a Promise of it for asynchronous inputs
 * @throws IsccError as {@link genDataCodeV0}
 * @example genDataCode(new Uint8Array(0)) // { iscc: 'ISCC:GAASL4F2WZY7KBXB' }
 */
export function genDataCode(stream: AsyncByteSource, bits?: number): Promise<DataCodeResult>;
export function genDataCode(stream: SyncByteSource, bits?: number): DataCodeResult;
export function genDataCode(stream: ByteSource, bits?: number): DataCodeResult | Promise<DataCodeResult>;
export function genDataCode(
  stream: ByteSource,
  bits: number = coreOpts.data_bits,
): DataCodeResult | Promise<DataCodeResult> {
  return genDataCodeV0(stream, bits);
}

/**
 * The 256-bit Data-Hash of a stream (iscc-core `soft_hash_data_v0`), the Data-Code body.
 * @param stream - the data (see {@link genDataCodeV0})
 * @returns 32 bytes, or a Promise of them for asynchronous inputs
 * @throws IsccError ISCC_INVALID_TYPE for an unsupported input
 * @example softHashDataV0(new Uint8Array(0)) // bytes 25f0bab671f506e1...
 */
export function softHashDataV0(stream: AsyncByteSource): Promise<Uint8Array>;
export function softHashDataV0(stream: SyncByteSource): Uint8Array;
export function softHashDataV0(stream: ByteSource): Uint8Array | Promise<Uint8Array>;
export function softHashDataV0(stream: ByteSource): Uint8Array | Promise<Uint8Array> {
  const hasher = new DataHasherV0();
  return withStream(stream, (c) => hasher.push(c), () => hasher.digest());
}
