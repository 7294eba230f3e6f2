/**
 * ISCC-CODE: the composite of two or more ISCC-UNITs under one header (ISO 24138:2024 §7;
 * iscc-core `iscc_code.py`).
 *
 * Steps:
 *  1. clean every unit (`ISCC:` prefix and dashes allowed); at least two units, each at
 *     least 16 base32 characters (64-bit body);
 *  2. decode the headers and sort the units by MainType (stable);
 *  3. the last two must be DATA and INSTANCE; the rest (META, SEMANTIC, CONTENT) become the
 *     header's length field through `encodeUnits`;
 *  4. SubType: WIDE when `wide` is requested for exactly Data + Instance of >= 128 bits each;
 *     else the common SubType of the SEMANTIC/CONTENT units (they must agree), else SUM for
 *     two units, else NONE;
 *  5. body: the first 64 bits of each unit (128 bits for WIDE), concatenated in sorted order.
 */
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { MT, ST_ISCC, VS } from './constants.ts';
import {
  decodeBase32,
  decodeHeader,
  decodeLength,
  encodeBase32,
  encodeHeader,
  encodeUnits,
  isccClean,
} from './codec.ts';
import { concatBytes } from './_pyutil.ts';
import type { IsccTuple } from './codec.ts';

/** Result of {@link genIsccCodeV0}. */
export interface IsccCodeResult {
  /** The ISCC-CODE with `ISCC:` prefix. */
  iscc: string;
}

/**
 * Combine ISCC-UNITs into an ISCC-CODE with algorithm v0.
 * @param codes - ISCC-UNIT strings (with or without `ISCC:`), at least DATA and INSTANCE
 * @param wide - use 128-bit Data and Instance digests (only for exactly those two units,
 *   both >= 128 bits; otherwise ignored)
 * @returns `{ iscc }`
 * @throws IsccError for fewer than two units, units shorter than 64 bits, a missing Data or
 *   Instance unit, SEMANTIC/CONTENT units of different SubTypes or an invalid combination
 * @example genIsccCodeV0(['GAAW2PRCRS5LNVZV', 'IAAUVACQKXE3V44W']) // { iscc: 'ISCC:KUAG2PRCRS5LNVZVJKAFAVOJXLZZM' }
 */
export function genIsccCodeV0(codes: Iterable<string>, wide: boolean = false): IsccCodeResult {
  // Any iterable of strings, like the reference's Sequence (a bare string is refused: the
  // reference would iterate its characters and fail anyway).
  if (typeof codes === 'string' || codes === null || typeof (codes as Iterable<string>)?.[Symbol.iterator] !== 'function') {
    typeError('codes', 'an iterable of ISCC-UNIT strings', codes);
  }
  const cleaned = Array.from(codes, (c) => isccClean(c));
  if (cleaned.length < 2) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      'codes: Minimum two ISCC units required to generate valid ISCC-CODE',
    );
  }
  for (const code of cleaned) {
    if (code.length < 16) {
      throw new IsccError(
        ISCC_ERROR_CODES.INVALID_ARGUMENT,
        `codes: Cannot build ISCC-CODE from units shorter than 64-bits: ${code}`,
      );
    }
  }
  // Array.prototype.sort is stable, like Python's sorted.
  const decoded: IsccTuple[] = cleaned.map((c) => decodeHeader(decodeBase32(c))).sort((a, b) => a[0] - b[0]);
  const mainTypes = decoded.map((d) => d[0]);
  const n = mainTypes.length;
  if (mainTypes[n - 2] !== MT.DATA || mainTypes[n - 1] !== MT.INSTANCE) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'codes: ISCC-CODE requires at least MT.DATA and MT.INSTANCE units.');
  }
  const isWide =
    Boolean(wide) && cleaned.length === 2 && decoded.every((t) => decodeLength(t[0], t[3]) >= 128);

  let st: number;
  if (isWide) {
    st = ST_ISCC.WIDE;
  } else {
    const subTypes = decoded.filter((t) => t[0] === MT.SEMANTIC || t[0] === MT.CONTENT).map((t) => t[1]);
    if (new Set(subTypes).size > 1) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'codes: Semantic-Code and Content-Code must be of same SubType');
    }
    // Python `sub_types.pop()` takes the last one (all equal here).
    st = subTypes.length ? subTypes[subTypes.length - 1]! : cleaned.length === 2 ? ST_ISCC.SUM : ST_ISCC.NONE;
  }
  const encodedLength = encodeUnits(mainTypes.slice(0, -2));
  const width = isWide ? 16 : 8;
  const digest = concatBytes(...decoded.map((t) => t[4].subarray(0, width)));
  const header = encodeHeader(MT.ISCC, st, VS.V0, encodedLength);
  return { iscc: 'ISCC:' + encodeBase32(concatBytes(header, digest)) };
}

/**
 * Combine ISCC-UNITs into an ISCC-CODE with the latest algorithm (v0). Like the reference,
 * this alias takes no `wide` argument; use {@link genIsccCodeV0} for WIDE codes.
 * @example genIsccCode(['GAAW2PRCRS5LNVZV', 'IAAUVACQKXE3V44W']).iscc // 'ISCC:KUAG2PRCRS5LNVZVJKAFAVOJXLZZM'
 */
export function genIsccCode(codes: Iterable<string>): IsccCodeResult {
  return genIsccCodeV0(codes);
}
