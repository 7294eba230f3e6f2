/**
 * ISCC Content-Code Audio (iscc-core `code_content_audio`): a similarity hash of a Chromaprint
 * fingerprint (a vector of signed 32-bit integers, e.g. from `fpcalc -raw -signed`).
 *
 * Steps (each feature is its 4-byte big-endian two's-complement encoding):
 * 1. No features: the digest is 32 zero bytes.
 * 2. First 32 bits: SimHash over all features.
 * 3. Then one 32-bit SimHash per quarter of the features in original order (split as evenly as
 *    `more_itertools.divide`: the first `len % 4` parts get one extra); an empty part gives
 *    four zero bytes. Stop as soon as `bits` bits are collected.
 * 4. Then one per third of the features sorted by value, same rules.
 * 5. Otherwise return all 8 parts (256 bits); the encoder truncates to `bits`.
 */
import { encodeComponent } from './codec.ts';
import { MT, ST_CC, VS } from './constants.ts';
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { coreOpts } from './options.ts';

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** Result of {@link genAudioCodeV0}. */
export interface AudioCodeResult {
  /** The Content-Code Audio, `ISCC:` prefixed. */
  iscc: string;
}

/**
 * Create an ISCC Content-Code Audio with the latest algorithm (alias of {@link genAudioCodeV0}).
 * @param cv - Chromaprint vector (signed 32-bit integers)
 * @param bits - code length in bits (default 64)
 */
export function genAudioCode(cv: ArrayLike<number | bigint>, bits: number = coreOpts.audio_bits): AudioCodeResult {
  return genAudioCodeV0(cv, bits);
}

/**
 * Create an ISCC Content-Code Audio with algorithm v0.
 * @param cv - Chromaprint vector (signed 32-bit integers; may be empty), e.g. an `Int32Array`
 * @param bits - code length in bits: a multiple of 32 up to 256 (default 64)
 * @returns `{ iscc }`
 * @throws IsccError on values outside the signed 32-bit range or an invalid bit length
 * @example genAudioCodeV0([]) // { iscc: 'ISCC:EIAQAAAAAAAAAAAA' }
 */
export function genAudioCodeV0(cv: ArrayLike<number | bigint>, bits: number = coreOpts.audio_bits): AudioCodeResult {
  const digest = softHashAudioV0(cv, bits);
  return { iscc: 'ISCC:' + encodeComponent(MT.CONTENT, ST_CC.AUDIO, VS.V0, bits, digest) };
}

/** Validate the vector: every value must fit a signed 32-bit integer (Python `to_bytes(4, signed=True)`). */
function toInt32(cv: ArrayLike<number | bigint>): Int32Array {
  if (cv instanceof Int32Array) return cv;
  if (cv === null || typeof cv !== 'object' || typeof cv.length !== 'number') {
    typeError('cv', 'an array of signed 32-bit integers', cv);
  }
  const out = new Int32Array(cv.length);
  for (let i = 0; i < cv.length; i++) {
    const raw: unknown = cv[i];
    let v: number;
    if (typeof raw === 'number' && Number.isInteger(raw)) v = raw;
    // Python ints may arrive as bigint (out-of-range ones become NaN and fail the range check).
    else if (typeof raw === 'bigint') v = raw >= -(2n ** 31n) && raw < 2n ** 31n ? Number(raw) : NaN;
    // Fractional numbers fail upstream too (a float has no `to_bytes`).
    else return typeError(`cv[${i}]`, 'a signed 32-bit integer', raw);
    if (!(v >= INT32_MIN && v <= INT32_MAX)) {
      throw new IsccError(
        ISCC_ERROR_CODES.INVALID_ARGUMENT,
        `cv[${i}]: expected a signed 32-bit integer (-2147483648..2147483647), got ${String(raw)}`,
      );
    }
    out[i] = v;
  }
  return out;
}

/**
 * SimHash of the 4-byte big-endian encodings of `v[start, end)`: bit k (MSB first) is set
 * when at least half of the values have it. Same result as `algSimhash` on those digests,
 * without building one array per feature. An empty range gives four zero bytes.
 */
function simhash32(v: Int32Array, start: number, end: number): Uint8Array {
  const out = new Uint8Array(4);
  const n = end - start;
  if (n <= 0) return out;
  const counts = new Uint32Array(32);
  for (let i = start; i < end; i++) {
    let x = v[i]! >>> 0;
    // counts[k] counts bit (31 - k), i.e. bit k of the big-endian byte string.
    for (let k = 31; x !== 0; k--, x >>>= 1) if (x & 1) counts[k]!++;
  }
  for (let k = 0; k < 32; k++) if (2 * counts[k]! >= n) out[k >>> 3]! |= 0x80 >>> (k & 7);
  return out;
}

/** Part boundaries of `more_itertools.divide(parts, seq)`: the first `len % parts` get one more. */
function divideBounds(len: number, parts: number): number[] {
  const q = Math.floor(len / parts);
  const r = len % parts;
  const bounds = [0];
  let stop = 0;
  for (let i = 1; i <= parts; i++) {
    stop += i <= r ? q + 1 : q;
    bounds.push(stop);
  }
  return bounds;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.length * 4);
  parts.forEach((p, i) => out.set(p, i * 4));
  return out;
}

/**
 * Similarity hash of a Chromaprint vector (iscc-core `soft_hash_audio_v0`).
 * @param cv - signed 32-bit integers
 * @param bits - hash length in bits (a multiple of 32; default 64)
 * @returns `bits / 8` bytes when `bits` is 64..256, else all 32 bytes (32 zero bytes for `[]`)
 * @throws IsccError ISCC_INVALID_ARGUMENT / ISCC_INVALID_TYPE on values that are not int32
 */
export function softHashAudioV0(cv: ArrayLike<number | bigint>, bits: number = coreOpts.audio_bits): Uint8Array {
  const values = toInt32(cv);
  const n = values.length;
  if (n === 0) return new Uint8Array(32);

  const parts: Uint8Array[] = [simhash32(values, 0, n)];
  let bitLength = 32;

  const quarters = divideBounds(n, 4);
  for (let i = 0; i < 4; i++) {
    parts.push(simhash32(values, quarters[i]!, quarters[i + 1]!));
    bitLength += 32;
    if (bitLength === bits) return concat(parts);
  }

  const sorted = Int32Array.from(values).sort();
  const thirds = divideBounds(n, 3);
  for (let i = 0; i < 3; i++) {
    parts.push(simhash32(sorted, thirds[i]!, thirds[i + 1]!));
    bitLength += 32;
    if (bitLength === bits) return concat(parts);
  }
  return concat(parts);
}
