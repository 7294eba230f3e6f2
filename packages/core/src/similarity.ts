/**
 * Similarity and distance of ISCCs (the comparison part of iscc-core `utils.py`).
 *
 * - Hamming distance / similarity of two ISCCs with identical headers
 *   (`isccDistance`, `isccSimilarity` = ⌊(bits − distance) / bits · 100⌋).
 * - Per-unit distances of two ISCC-CODEs or unit sequences (`isccCompare`).
 * - Normalized Prefix Hamming Distance over the common byte prefix of two bodies of any
 *   lengths (`isccNphDistanceBytes`, `isccNphSimilarityBytes`) and per unit type
 *   (`isccNphCompare`, keys `MAINTYPE_SUBTYPE_VERSION`).
 *
 * Floating-point results are computed with the same IEEE-754 operations as the reference
 * (`1.0 - hd / bits`, `int(((n - hd) / n) * 100)`), so they are identical.
 */
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { MT, VS, mtName, subtypeName, vsName } from './constants.ts';
import { decodeBase32, decodeHeader, isccClean, isccDecompose, isccNormalize } from './codec.ts';
import { Code } from './models.ts';

/** `{ similarity, common_prefix_bits }` of {@link isccNphSimilarityBytes}. */
export interface NphSimilarity {
  similarity: number;
  common_prefix_bits: number;
}

/** `{ distance, common_prefix_bits }` of {@link isccNphDistanceBytes}. */
export interface NphDistance {
  distance: number;
  common_prefix_bits: number;
}

/**
 * Result of {@link isccCompare}: `<maintype>_dist` (e.g. `meta_dist`, `content_dist`,
 * `data_dist`) Hamming distances, `instance_match`, or `id_match` for ISCC-ID v1.
 */
export type IsccCompareResult = Record<string, number | boolean>;

function popcount8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

function hamming(a: Uint8Array, b: Uint8Array, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) d += popcount8(a[i]! ^ b[i]!);
  return d;
}

function assertBytes(name: string, v: unknown): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) typeError(name, 'a Uint8Array', v);
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Hamming distance of two digests of equal length.
 * @throws IsccError ISCC_INVALID_ARGUMENT for different lengths
 * @example isccDistanceBytes(new Uint8Array([0xff]), new Uint8Array([0x0f])) // 4
 */
export function isccDistanceBytes(a: Uint8Array, b: Uint8Array): number {
  assertBytes('a', a);
  assertBytes('b', b);
  if (a.length !== b.length) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `Hash diggest of unequal length: ${a.length} vs ${b.length}`);
  }
  return hamming(a, b, a.length);
}

/** Bodies of two ISCCs whose (MainType, SubType, Version, Length) match (`iscc_pair_unpack`). */
function pairUnpack(a: string, b: string): [Uint8Array, Uint8Array] {
  const ta = decodeHeader(decodeBase32(isccClean(isccNormalize(a))));
  const tb = decodeHeader(decodeBase32(isccClean(isccNormalize(b))));
  for (const t of [ta, tb]) {
    if (t[0] === MT.ID && t[2] === VS.V1) {
      throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, 'Similarity comparison not supported for ISCC-IDv1');
    }
  }
  if (ta[0] !== tb[0] || ta[1] !== tb[1] || ta[2] !== tb[2] || ta[3] !== tb[3]) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `ISCC headers don´t match: (${ta.slice(0, 4).join(', ')}), (${tb.slice(0, 4).join(', ')})`,
    );
  }
  return [ta[4], tb[4]];
}

/**
 * Similarity of two ISCCs with the same header, in percent (integer 0..100).
 * @throws IsccError for different headers, ISCC-ID v1 or undecodable input
 * @example isccSimilarity('AAAQCAAAAABAAAAA', 'AAAQCAAAAABAAAAA') // 100
 */
export function isccSimilarity(a: string, b: string): number {
  const [da, db] = pairUnpack(a, b);
  const hdist = isccDistanceBytes(da, db);
  const nbits = da.length * 8;
  if (nbits === 0) throw new IsccError(ISCC_ERROR_CODES.INVALID_CODE, 'Cannot compare ISCCs with empty bodies');
  return Math.trunc(((nbits - hdist) / nbits) * 100);
}

/**
 * Hamming distance in bits of two ISCCs with the same header.
 * @throws IsccError for different headers, ISCC-ID v1 or undecodable input
 * @example isccDistance('AAAQCAAAAABAAAAA', 'AAAQCAAAAABAAAAB') // 1
 */
export function isccDistance(a: string, b: string): number {
  const [da, db] = pairUnpack(a, b);
  return isccDistanceBytes(da, db);
}

/**
 * Per-unit Hamming distances of two ISCCs (codes or unit sequences): `<maintype>_dist` for
 * every pair of units with equal MainType and SubType, `instance_match` for Instance units.
 *
 * Quirks kept from the reference (iscc-core 1.3.0 `iscc_compare`):
 * - if either side contains an ISCC-ID v1, the result is `{ id_match: true }` regardless
 *   of the IDs (the reference compares a code's hash with itself);
 * - the version of `a`'s unit is used on both sides of the type comparison, so units that
 *   differ only in version are compared;
 * - units of the same type but different lengths throw (unequal digest lengths).
 * @example isccCompare('KUAG2PRCRS5LNVZVJKAFAVOJXLZZM', 'KUAG2PRCRS5LNVZVJKAFAVOJXLZZM') // { data_dist: 0, instance_match: true }
 */
export function isccCompare(a: string, b: string): IsccCompareResult {
  const ac = isccDecompose(a).map((u) => new Code(u));
  const bc = isccDecompose(b).map((u) => new Code(u));
  for (const code of [...ac, ...bc]) {
    if (code.maintype === MT.ID && code.version === VS.V1) {
      // Reference quirk: `code.hash_bytes == code.hash_bytes` is always true.
      return { id_match: true };
    }
  }
  const result: IsccCompareResult = {};
  for (const ca of ac) {
    for (const cb of bc) {
      // Evaluate the properties in the reference's order: they throw for invalid headers.
      const cat = [ca.maintype, ca.subtype, ca.version];
      const cbt = [cb.maintype, cb.subtype, ca.version];
      if (cat[0] === cbt[0] && cat[1] === cbt[1] && cat[2] === cbt[2]) {
        if (ca.maintype !== MT.INSTANCE) {
          result[mtName(ca.maintype).toLowerCase() + '_dist'] = isccDistanceBytes(ca.hashBytes, cb.hashBytes);
        } else {
          result['instance_match'] = bytesEqual(ca.hashBytes, cb.hashBytes);
        }
      }
    }
  }
  return result;
}

/**
 * Normalized Prefix Hamming Similarity: 1 − NPHD over the common byte prefix.
 * Two empty inputs are identical (1.0); one empty input gives 0.0.
 * @example isccNphSimilarityBytes(new Uint8Array([0xff, 0]), new Uint8Array([0xff])) // { similarity: 1, common_prefix_bits: 8 }
 */
export function isccNphSimilarityBytes(a: Uint8Array, b: Uint8Array): NphSimilarity {
  assertBytes('a', a);
  assertBytes('b', b);
  const common = Math.min(a.length, b.length);
  const bits = common * 8;
  if (bits === 0) return { similarity: a.length === 0 && b.length === 0 ? 1.0 : 0.0, common_prefix_bits: 0 };
  return { similarity: 1.0 - hamming(a, b, common) / bits, common_prefix_bits: bits };
}

/**
 * Normalized Prefix Hamming Distance: Hamming distance of the common byte prefix divided by
 * its length in bits. Two empty inputs give 0.0; one empty input gives 1.0.
 * @example isccNphDistanceBytes(new Uint8Array([0xff]), new Uint8Array([0x0f, 1])) // { distance: 0.5, common_prefix_bits: 8 }
 */
export function isccNphDistanceBytes(a: Uint8Array, b: Uint8Array): NphDistance {
  assertBytes('a', a);
  assertBytes('b', b);
  const common = Math.min(a.length, b.length);
  const bits = common * 8;
  if (bits === 0) return { distance: a.length === 0 && b.length === 0 ? 0.0 : 1.0, common_prefix_bits: 0 };
  return { distance: hamming(a, b, common) / bits, common_prefix_bits: bits };
}

/**
 * NPH similarity per unit type of two ISCCs (units or codes, not ISCC-IDs), keyed
 * `MAINTYPE_SUBTYPE_VERSION` (e.g. `CONTENT_TEXT_V0`). Instance units match binarily
 * (similarity 1.0 or 0.0, `common_prefix_bits` = bits of `a`'s unit). ISCC-ID units are skipped.
 * @example isccNphCompare('GAAW2PRCRS5LNVZV', 'GAAW2PRCRS5LNVZV') // { DATA_NONE_V0: { similarity: 1, common_prefix_bits: 64 } }
 */
export function isccNphCompare(a: string, b: string): Record<string, NphSimilarity> {
  const ac = isccDecompose(a).map((u) => new Code(u));
  const bc = isccDecompose(b).map((u) => new Code(u));
  const result: Record<string, NphSimilarity> = {};
  for (const ca of ac) {
    for (const cb of bc) {
      if (ca.maintype === MT.ID || cb.maintype === MT.ID) continue;
      const cat = [ca.maintype, ca.subtype, ca.version];
      const cbt = [cb.maintype, cb.subtype, cb.version];
      if (cat[0] === cbt[0] && cat[1] === cbt[1] && cat[2] === cbt[2]) {
        const key = `${mtName(ca.maintype)}_${subtypeName(ca.maintype, ca.version, ca.subtype)}_${vsName(ca.version)}`;
        if (ca.maintype !== MT.INSTANCE) {
          result[key] = isccNphSimilarityBytes(ca.hashBytes, cb.hashBytes);
        } else {
          result[key] = {
            similarity: bytesEqual(ca.hashBytes, cb.hashBytes) ? 1.0 : 0.0,
            common_prefix_bits: ca.hashBytes.length * 8,
          };
        }
      }
    }
  }
  return result;
}
