/**
 * The ISCC-SUM of one file from its two digests, without core's general composer: `iscc sum`
 * computes the 256-bit Data-Hash and the BLAKE3 digest itself (one-shot for small files, BLAKE3
 * on a helper thread for big ones), and composing through `genIsccCodeV0` (encode two units,
 * decode them again, sort, re-encode: ~12 µs) would cost more than hashing a 4 KiB file.
 *
 * Steps (the same bytes as core's `IsccSumHasher.result`, which the tests compare against):
 * 1. Header of an ISCC-CODE, MainType ISCC, SubType SUM (narrow) or WIDE, version 0, no
 *    optional units: computed once with core's `encodeHeader`.
 * 2. Body: the first 8 (narrow) or 16 (wide) bytes of the Data-Hash, then as many of the
 *    BLAKE3 digest (the Data-Code comes first, MainType order).
 * 3. `ISCC:` + base32 (RFC 4648, no padding) of header + body.
 * 4. With units: each 256-bit unit through core's `encodeComponent`.
 */
import { encodeBase32, encodeComponent, encodeHeader, encodeUnits, MT, ST, ST_ISCC, VS } from '@iscc-ts/core';

/** What `iscc sum` prints for one file. */
export interface FileSum {
  /** `ISCC:` + the ISCC-SUM (SubType SUM, or WIDE). */
  iscc: string;
  /** `[Data-Code, Instance-Code]`, 256-bit each with `ISCC:`, when asked for. */
  units?: [string, string];
}

let narrowHeader: Uint8Array | null = null;
let wideHeader: Uint8Array | null = null;

function header(wide: boolean): Uint8Array {
  if (wide) return (wideHeader ??= encodeHeader(MT.ISCC, ST_ISCC.WIDE, VS.V0, encodeUnits([])));
  return (narrowHeader ??= encodeHeader(MT.ISCC, ST_ISCC.SUM, VS.V0, encodeUnits([])));
}

/**
 * Compose the ISCC-SUM.
 * @param dataHash - the 32-byte Data-Hash (minhash digest)
 * @param instanceHash - the 32-byte BLAKE3 digest
 * @param wide - 2 x 128 bits (SubType WIDE) instead of 2 x 64 (SubType SUM)
 * @param units - also give the two 256-bit units
 */
export function composeSum(dataHash: Uint8Array, instanceHash: Uint8Array, wide: boolean, units: boolean): FileSum {
  const h = header(wide);
  const w = wide ? 16 : 8;
  const body = new Uint8Array(h.length + 2 * w);
  body.set(h);
  body.set(dataHash.subarray(0, w), h.length);
  body.set(instanceHash.subarray(0, w), h.length + w);
  const out: FileSum = { iscc: 'ISCC:' + encodeBase32(body) };
  if (units) {
    out.units = [
      'ISCC:' + encodeComponent(MT.DATA, ST.NONE, VS.V0, 256, dataHash),
      'ISCC:' + encodeComponent(MT.INSTANCE, ST.NONE, VS.V0, 256, instanceHash),
    ];
  }
  return out;
}
