/**
 * Instance-Code: a checksum of the exact bytes, as iscc-core `code_instance.py`
 * (ISO 24138, MainType INSTANCE).
 *
 * Algorithm:
 * 1. BLAKE3-256 over the whole byte stream (the Instance-Hash).
 * 2. The Instance-Code is the first `bits` of it, encoded as an ISCC-UNIT (MT.INSTANCE, ST.NONE, V0).
 * 3. `datahash` is the hex multihash of the full hash: `1e` (blake3) `20` (32 bytes) + digest;
 *    `filesize` is the number of bytes hashed.
 *
 * BLAKE3 comes from `blake3.ts`, so a faster installed implementation (`setBlake3`) is used
 * automatically.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { createBlake3, type Blake3Hasher } from './blake3.ts';
import { encodeComponent } from './codec.ts';
import { MT, ST, VS } from './constants.ts';
import { typeError, IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { coreOpts } from './options.ts';
import { withStream, type AsyncByteSource, type ByteSource, type SyncByteSource } from './streams.ts';

/** Result of {@link genInstanceCodeV0}, keys as iscc-core's dict. */
export interface InstanceCodeResult {
  /** `ISCC:` + the Instance-Code unit. */
  iscc: string;
  /** Hex multihash of the BLAKE3 digest (`1e20` + 64 hex digits). */
  datahash: string;
  /** Number of bytes hashed. */
  filesize: number;
}

type Cloneable = Blake3Hasher & { clone(): Blake3Hasher };

function canClone(h: Blake3Hasher): h is Cloneable {
  return typeof (h as Partial<Cloneable>).clone === 'function';
}

/**
 * Incremental Instance-Hash generator (iscc-core `InstanceHasherV0`).
 *
 * As in the reference (Python `blake3`, whose `digest()` does not finalise), `digest()`,
 * `multihash()` and `code()` can be called any number of times and more data may be pushed in
 * between; each digest covers everything pushed so far. This needs a BLAKE3 implementation with
 * `clone()` (the built-in one has it). With an installed implementation that lacks `clone()`,
 * the first digest finalises the hasher: later digests return the same value, and a later
 * `push` throws ISCC_HASHER_FINALIZED.
 * @example
 * const h = new InstanceHasherV0();
 * h.push(new TextEncoder().encode('hello world'));
 * h.multihash() // '1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24'
 */
export class InstanceHasherV0 {
  /** Multihash prefix of a 256-bit BLAKE3 digest: `0x1e 0x20` (iscc-core `mh_prefix`). */
  static readonly mhPrefix: Uint8Array = new Uint8Array([0x1e, 0x20]);

  /** Number of bytes pushed so far (iscc-core `filesize`). */
  filesize = 0;

  readonly #hasher: Blake3Hasher = createBlake3();
  /** Cached digest of the current state; cleared by push. */
  #digest: Uint8Array | null = null;
  #finalized = false;

  /**
   * @param data - optional first piece of data (as `push(data)`)
   * @throws IsccError ISCC_INVALID_TYPE when `data` is given and not a Uint8Array
   */
  constructor(data?: Uint8Array | null) {
    if (data !== undefined && data !== null) this.push(data);
  }

  /**
   * Add the next piece of the input.
   * @param data - bytes (any length)
   * @throws IsccError ISCC_INVALID_TYPE for non-bytes; ISCC_HASHER_FINALIZED after a digest
   *   with a BLAKE3 implementation that cannot clone
   */
  push(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) typeError('data', 'a Uint8Array', data);
    if (this.#finalized) {
      throw new IsccError(
        ISCC_ERROR_CODES.HASHER_FINALIZED,
        'InstanceHasherV0.push: the installed BLAKE3 cannot continue after digest(); start a new hasher',
      );
    }
    if (data.length === 0) return;
    this.filesize += data.length;
    this.#hasher.update(data);
    this.#digest = null;
  }

  /**
   * The BLAKE3-256 digest of everything pushed so far.
   * @returns 32 bytes (a fresh copy)
   */
  digest(): Uint8Array {
    if (this.#digest === null) {
      if (canClone(this.#hasher)) {
        this.#digest = this.#hasher.clone().digest();
      } else {
        this.#digest = this.#hasher.digest();
        this.#finalized = true;
      }
    }
    return this.#digest.slice();
  }

  /**
   * The digest as a hex multihash (`1e20` + digest).
   * @returns 68 lowercase hex digits
   */
  multihash(): string {
    return bytesToHex(InstanceHasherV0.mhPrefix) + bytesToHex(this.digest());
  }

  /**
   * The Instance-Code unit (without `ISCC:`), from the first `bits` of {@link digest}.
   * @param bits - bit length of the code (default 64)
   * @returns the base32 ISCC-UNIT
   * @throws IsccError from `encodeComponent` for an unsupported bit length
   */
  code(bits: number = coreOpts.instance_bits): string {
    return encodeComponent(MT.INSTANCE, ST.NONE, VS.V0, bits, this.digest());
  }
}

/** The latest Instance-Hash generator (iscc-core `InstanceHasher`). */
export const InstanceHasher: typeof InstanceHasherV0 = InstanceHasherV0;
/** Instance type of {@link InstanceHasher}. */
export type InstanceHasher = InstanceHasherV0;

function checkBits(bits: number): void {
  encodeComponent(MT.INSTANCE, ST.NONE, VS.V0, bits, new Uint8Array(32));
}

/**
 * ISCC Instance-Code, algorithm v0 (iscc-core `gen_instance_code_v0`).
 * @param stream - the data: bytes, a sync/async iterable of bytes, a ReadableStream or a reader
 * @param bits - bit length of the code (default 64)
 * @returns `{ iscc, datahash, filesize }`, or a Promise of it for asynchronous inputs
 * @throws IsccError ISCC_INVALID_TYPE for an unsupported input; encoding errors for bad `bits`
 * @example genInstanceCodeV0(new TextEncoder().encode('hello world')).iscc // 'ISCC:IAA5OSMB56TQUDEI'
 */
export function genInstanceCodeV0(stream: AsyncByteSource, bits?: number): Promise<InstanceCodeResult>;
export function genInstanceCodeV0(stream: SyncByteSource, bits?: number): InstanceCodeResult;
export function genInstanceCodeV0(
  stream: ByteSource,
  bits?: number,
): InstanceCodeResult | Promise<InstanceCodeResult>;
export function genInstanceCodeV0(
  stream: ByteSource,
  bits: number = coreOpts.instance_bits,
): InstanceCodeResult | Promise<InstanceCodeResult> {
  checkBits(bits);
  const hasher = new InstanceHasherV0();
  return withStream(
    stream,
    (c) => hasher.push(c),
    () => ({ iscc: 'ISCC:' + hasher.code(bits), datahash: hasher.multihash(), filesize: hasher.filesize }),
  );
}

/**
 * ISCC Instance-Code with the latest algorithm (iscc-core `gen_instance_code`).
 * @param stream - the data (see {@link genInstanceCodeV0})
 * @param bits - bit length of the code (default 64)
 * @returns `{ iscc, datahash, filesize }`, or a Promise of it for asynchronous inputs
 * @throws IsccError as {@link genInstanceCodeV0}
 * @example genInstanceCode(new Uint8Array(0)).iscc // 'ISCC:IAA26E2JXH27TING'
 */
export function genInstanceCode(stream: AsyncByteSource, bits?: number): Promise<InstanceCodeResult>;
export function genInstanceCode(stream: SyncByteSource, bits?: number): InstanceCodeResult;
export function genInstanceCode(
  stream: ByteSource,
  bits?: number,
): InstanceCodeResult | Promise<InstanceCodeResult>;
export function genInstanceCode(
  stream: ByteSource,
  bits: number = coreOpts.instance_bits,
): InstanceCodeResult | Promise<InstanceCodeResult> {
  return genInstanceCodeV0(stream, bits);
}

/**
 * The 256-bit Instance-Hash of a stream (iscc-core `hash_instance_v0`): its BLAKE3 digest.
 * @param stream - the data (see {@link genInstanceCodeV0})
 * @returns 32 bytes, or a Promise of them for asynchronous inputs
 * @throws IsccError ISCC_INVALID_TYPE for an unsupported input
 * @example hashInstanceV0(new Uint8Array(0)) // bytes af1349b9f5f9a1a6...
 */
export function hashInstanceV0(stream: AsyncByteSource): Promise<Uint8Array>;
export function hashInstanceV0(stream: SyncByteSource): Uint8Array;
export function hashInstanceV0(stream: ByteSource): Uint8Array | Promise<Uint8Array>;
export function hashInstanceV0(stream: ByteSource): Uint8Array | Promise<Uint8Array> {
  const hasher = new InstanceHasherV0();
  return withStream(stream, (c) => hasher.push(c), () => hasher.digest());
}
