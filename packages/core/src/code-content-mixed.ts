/**
 * ISCC Content-Code Mixed (iscc-core `code_content_mixed`): a similarity hash over the
 * Content-Codes of the parts of a multimedia asset (e.g. the text and images of a document).
 *
 * Steps:
 * 1. Decode every code (`ISCC:` prefix optional) to its raw bytes (header + body).
 * 2. Require at least two codes, all of main type CONTENT and each at least `bits` long.
 * 3. For each code take the first header byte followed by the first `bits / 8 - 1` body bytes
 *    (so the subtype takes part in the hash and codes of different kinds differ).
 * 4. SimHash those equally long byte strings and encode a CONTENT/MIXED unit of `bits` bits.
 * The result lists the input codes unchanged as `parts`.
 */
import { decodeBase32, decodeHeader, decodeLength, encodeComponent, isccClean } from './codec.ts';
import { MT, ST_CC, VS } from './constants.ts';
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { coreOpts } from './options.ts';
import { algSimhash } from './simhash.ts';

/** Result of {@link genMixedCodeV0}. */
export interface MixedCodeResult {
  /** The Content-Code Mixed, `ISCC:` prefixed. */
  iscc: string;
  /** The input codes, as given. */
  parts: string[];
}

/**
 * Create an ISCC Content-Code Mixed with the latest algorithm (alias of {@link genMixedCodeV0}).
 * @param codes - two or more Content-Codes
 * @param bits - code length in bits (default 64)
 */
export function genMixedCode(codes: readonly string[], bits: number = coreOpts.mixed_bits): MixedCodeResult {
  return genMixedCodeV0(codes, bits);
}

/**
 * Create an ISCC Content-Code Mixed with algorithm v0.
 * @param codes - two or more Content-Codes (with or without `ISCC:`), each at least `bits` long
 * @param bits - code length in bits: a multiple of 32 up to 256 (default 64)
 * @returns `{ iscc, parts }` where `parts` are the input codes
 * @throws IsccError for fewer than two codes, non-CONTENT codes, codes shorter than `bits`,
 *   or undecodable codes
 * @example genMixedCodeV0(['EAASKDNZNYGUUF5A', 'EAA3265Q67Q27P7F']) // { iscc: 'ISCC:EQA...', parts: [...] }
 */
export function genMixedCodeV0(codes: readonly string[], bits: number = coreOpts.mixed_bits): MixedCodeResult {
  if (!Array.isArray(codes)) typeError('codes', 'an array of ISCC code strings', codes);
  const digests = codes.map((code, i) => {
    if (typeof code !== 'string') typeError(`codes[${i}]`, 'an ISCC code string', code);
    return decodeBase32(isccClean(code));
  });
  const digest = softHashCodesV0(digests, bits);
  return { iscc: 'ISCC:' + encodeComponent(MT.CONTENT, ST_CC.MIXED, VS.V0, bits, digest), parts: [...codes] };
}

/**
 * Similarity hash over raw Content-Code bytes (iscc-core `soft_hash_codes_v0`).
 * @param ccDigests - two or more decoded Content-Codes (header + body bytes)
 * @param bits - hash length in bits (default 64)
 * @returns `bits / 8` bytes
 * @throws IsccError ISCC_INVALID_ARGUMENT for fewer than two codes, a non-CONTENT code, or a
 *   code shorter than `bits` (AssertionError upstream)
 */
export function softHashCodesV0(ccDigests: readonly Uint8Array[], bits: number = coreOpts.mixed_bits): Uint8Array {
  if (!Array.isArray(ccDigests)) typeError('ccDigests', 'an array of Uint8Array', ccDigests);
  if (!(ccDigests.length > 1)) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `codes: minimum of 2 codes needed for Content-Code-Mixed, got ${ccDigests.length}`,
    );
  }
  if (typeof bits !== 'number' || !Number.isInteger(bits)) typeError('bits', 'an integer', bits);
  const nbytes = Math.floor(bits / 8);
  const headers = ccDigests.map((d, i) => {
    if (!(d instanceof Uint8Array)) typeError(`ccDigests[${i}]`, 'a Uint8Array', d);
    return decodeHeader(d);
  });
  if (!headers.every((h) => h[0] === MT.CONTENT)) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      'codes: only codes with main-type CONTENT allowed as input for Content-Code-Mixed',
    );
  }
  for (const h of headers) {
    const unitBits = Number(decodeLength(h[0], h[3]));
    if (!(unitBits >= bits)) {
      throw new IsccError(
        ISCC_ERROR_CODES.INVALID_ARGUMENT,
        `codes: code too short for ${bits}-bit length (a ${unitBits}-bit code was given)`,
      );
    }
  }
  // First header byte + body truncated to nbytes - 1 (Python slicing: a negative stop counts from the end).
  const hashBytes = ccDigests.map((full, i) => {
    const body = headers[i]![4];
    const stop = nbytes - 1 < 0 ? Math.max(body.length + nbytes - 1, 0) : Math.min(nbytes - 1, body.length);
    const out = new Uint8Array(1 + stop);
    out[0] = full[0]!;
    out.set(body.subarray(0, stop), 1);
    return out;
  });
  return algSimhash(hashBytes);
}
