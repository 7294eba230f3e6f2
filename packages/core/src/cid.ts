/**
 * IPFS CIDv1 and multihash helpers of iscc-core `utils.py`: `cidv1_hex`, `cidv1_to_token_id`,
 * `cidv1_from_token_id`, `multi_hash_blake3`.
 *
 * - `cidv1Hex`: the CIDv1 of data as IPFS makes it for a single raw block (sha2-256, raw
 *   leaves), in base16: `f` + `01` (CIDv1) `55` (raw) `12` (sha2-256) `20` (32 bytes) + digest.
 *   Only one block is supported, so the data may have at most {@link IPFS_MAX_SIZE} bytes.
 * - `cidv1ToTokenId` / `cidv1FromTokenId`: the 32-byte digest of such a CID as a uint256
 *   (ERC-721/1155 token id) and back.
 * - `multiHashBlake3`: `1e20` + BLAKE3-256 digest as hex (the `metahash`/`datahash` format).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { blake3 } from './blake3.ts';
import { argError, describe, typeError, IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { withStream, type AsyncByteSource, type ByteSource, type SyncByteSource } from './streams.ts';

/** Largest input of {@link cidv1Hex}: one IPFS block of 262144 bytes (iscc-core `ipfs_max_size`). */
export const IPFS_MAX_SIZE = 262_144;

/** The binary CIDv1 header: version 1, codec raw, multihash sha2-256, digest length 32. */
const CID_PREFIX = new Uint8Array([0x01, 0x55, 0x12, 0x20]);
const CID_PREFIX_HEX = bytesToHex(CID_PREFIX);
/** Multibase prefix of base16 (lowercase hex). */
const BASE16 = 'f';
const TWO256 = 1n << 256n;

/**
 * CIDv1 (base16, raw leaves, sha2-256) of at most 262144 bytes (iscc-core `cidv1_hex`).
 * @param stream - the data: bytes, a sync/async iterable of bytes, a ReadableStream or a reader
 * @returns `f01551220` + 64 hex digits, or a Promise of it for asynchronous inputs
 * @throws IsccError ISCC_LIMIT_EXCEEDED for more than {@link IPFS_MAX_SIZE} bytes (checked while
 *   reading, before hashing the excess); ISCC_INVALID_TYPE for an unsupported input
 * @example cidv1Hex(new TextEncoder().encode('hello world'))
 * // 'f01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
 */
export function cidv1Hex(stream: AsyncByteSource): Promise<string>;
export function cidv1Hex(stream: SyncByteSource): string;
export function cidv1Hex(stream: ByteSource): string | Promise<string>;
export function cidv1Hex(stream: ByteSource): string | Promise<string> {
  const hasher = sha256.create();
  let size = 0;
  const sink = (chunk: Uint8Array): void => {
    size += chunk.length;
    if (size > IPFS_MAX_SIZE) {
      throw new IsccError(
        ISCC_ERROR_CODES.LIMIT_EXCEEDED,
        `stream: expected at most ${IPFS_MAX_SIZE} bytes (one IPFS block) for cidv1Hex, got more (${size} read so far)`,
      );
    }
    hasher.update(chunk);
  };
  return withStream(stream, sink, () => BASE16 + CID_PREFIX_HEX + bytesToHex(hasher.digest()));
}

const HEX_DIGIT = /^[0-9a-fA-F]{2}$/;
const PY_ASCII_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

/** Python `bytes.fromhex`: pairs of hex digits, ASCII whitespace allowed between pairs. */
function pyFromHex(s: string, name: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < s.length) {
    if (PY_ASCII_SPACE.has(s[i]!)) {
      i++;
      continue;
    }
    const pair = s.slice(i, i + 2);
    if (!HEX_DIGIT.test(pair)) {
      argError(name, `hexadecimal digits in pairs (non-hexadecimal number at position ${i})`, s);
    }
    out.push(parseInt(pair, 16));
    i += 2;
  }
  return Uint8Array.from(out);
}

/**
 * The uint256 token id of a base16 sha2-256 raw CIDv1 (iscc-core `cidv1_to_token_id`):
 * its 32-byte digest read big-endian.
 * @param cidv1 - `f01551220` + 64 hex digits
 * @returns the token id (0 <= id < 2^256)
 * @throws IsccError ISCC_INVALID_ARGUMENT when not base16, not sha2-256/raw, or the digest is
 *   not 32 bytes; ISCC_INVALID_TYPE for a non-string
 * @example cidv1ToTokenId('f01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
 * // 83814198383102558219731078260892729932246618004265700685467928187377105751529n
 */
export function cidv1ToTokenId(cidv1: string): bigint {
  if (typeof cidv1 !== 'string') typeError('cidv1', 'a base16 CIDv1 string', cidv1);
  if (!cidv1.startsWith(BASE16)) argError('cidv1', `a base16 encoded CIDv1 (starting with "${BASE16}")`, cidv1);
  const decoded = pyFromHex(cidv1.slice(1), 'cidv1');
  if (decoded.length < 4 || !CID_PREFIX.every((b, i) => decoded[i] === b)) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `cidv1: expected sha2-256 with raw leaves (${CID_PREFIX_HEX}...), got ${bytesToHex(decoded.subarray(0, 8))}...`,
    );
  }
  const digest = decoded.subarray(4);
  if (digest.length !== 32) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `cidv1: expected a 32-byte sha2-256 digest, got ${digest.length} bytes`,
    );
  }
  return BigInt('0x' + bytesToHex(digest));
}

/**
 * The base16 sha2-256 raw CIDv1 of a uint256 token id (iscc-core `cidv1_from_token_id`),
 * reverse of {@link cidv1ToTokenId}.
 * @param tokenId - integer in [0, 2^256) (bigint, or a safe-integer number)
 * @returns `f01551220` + 64 hex digits
 * @throws IsccError ISCC_INVALID_ARGUMENT outside [0, 2^256) (Python: OverflowError);
 *   ISCC_INVALID_TYPE for a non-integer
 * @example cidv1FromTokenId(83814198383102558219731078260892729932246618004265700685467928187377105751529n)
 * // 'f01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
 */
export function cidv1FromTokenId(tokenId: bigint | number): string {
  let id: bigint;
  if (typeof tokenId === 'bigint') id = tokenId;
  else if (typeof tokenId === 'number' && Number.isSafeInteger(tokenId)) id = BigInt(tokenId);
  else return typeError('tokenId', 'an integer (bigint or safe-integer number)', tokenId);
  if (id < 0n || id >= TWO256) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `tokenId: expected an unsigned 256-bit integer, got ${describe(tokenId)}`,
    );
  }
  return BASE16 + CID_PREFIX_HEX + id.toString(16).padStart(64, '0');
}

/**
 * BLAKE3-256 of `data` as a hex multihash (iscc-core `multi_hash_blake3`).
 * @param data - bytes
 * @returns `1e20` + 64 hex digits
 * @throws IsccError ISCC_INVALID_TYPE for non-bytes
 * @example multiHashBlake3(new Uint8Array(0))
 * // '1e20af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262'
 */
export function multiHashBlake3(data: Uint8Array): string {
  if (!(data instanceof Uint8Array)) typeError('data', 'a Uint8Array', data);
  return '1e20' + bytesToHex(blake3(data));
}
