/**
 * SimHash (Charikar) over equally sized hash digests, as iscc-core `alg_simhash`.
 *
 * Bit i of the result (MSB-first over the bytes) is set when at least half of the input
 * digests have bit i set. The output has the byte length of the first digest.
 */
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

/**
 * Similarity-preserving hash of a list of equally sized digests.
 * @param hashDigests - at least one digest; all as long as the first
 * @returns digest of the same length as `hashDigests[0]`
 * @throws IsccError ISCC_INVALID_ARGUMENT for an empty list or a shorter digest
 * @example algSimhash([new Uint8Array([0xff]), new Uint8Array([0x0f])]) // Uint8Array [0xff]
 */
export function algSimhash(hashDigests: readonly Uint8Array[]): Uint8Array {
  if (!Array.isArray(hashDigests) || hashDigests.length === 0) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'hashDigests: expected a non-empty list of digests');
  }
  const nBytes = hashDigests[0]!.length;
  const nBits = nBytes * 8;
  const counts = new Uint32Array(nBits);
  for (const d of hashDigests) {
    if (!(d instanceof Uint8Array) || d.length < nBytes) {
      throw new IsccError(
        ISCC_ERROR_CODES.INVALID_ARGUMENT,
        `hashDigests: expected digests of ${nBytes} bytes, got ${d instanceof Uint8Array ? d.length + ' bytes' : typeof d}`,
      );
    }
    for (let i = 0; i < nBytes; i++) {
      const byte = d[i]!;
      if (byte === 0) continue;
      const base = i * 8;
      for (let b = 0; b < 8; b++) if (byte & (0x80 >>> b)) counts[base + b]!++;
    }
  }
  // Python compares the count with len/2 as a float: ">= n/2" is "2*count >= n".
  const n = hashDigests.length;
  const out = new Uint8Array(nBytes);
  for (let i = 0; i < nBits; i++) {
    if (2 * counts[i]! >= n) out[i >>> 3]! |= 0x80 >>> (i & 7);
  }
  return out;
}
