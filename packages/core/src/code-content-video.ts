/**
 * ISCC Content-Code Video (iscc-core `code_content_video`): a similarity hash of MPEG-7 video
 * frame signatures (380 small integers per frame, e.g. from ffmpeg's `signature` filter).
 *
 * Steps:
 * 1. Reject an empty list of frames.
 * 2. Drop duplicate frames (the reference puts them in a set; order does not matter for a sum).
 * 3. Sum the remaining frames column by column (`zip` semantics: up to the shortest frame).
 *    Done as: sum all frames, then subtract every frame equal to an earlier one.
 * 4. WTA-hash the column sums to `bits` bits ({@link algWtahash}).
 */
import { encodeComponent } from './codec.ts';
import { MT, ST_CC, VS } from './constants.ts';
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { coreOpts } from './options.ts';
import { algWtahash } from './wtahash.ts';

/** Result of {@link genVideoCodeV0}. */
export interface VideoCodeResult {
  /** The Content-Code Video, `ISCC:` prefixed. */
  iscc: string;
}

/**
 * Create an ISCC Content-Code Video with the latest algorithm (alias of {@link genVideoCodeV0}).
 * @param frameSigs - MPEG-7 frame signatures (380 values each)
 * @param bits - code length in bits (default 64)
 */
export function genVideoCode(
  frameSigs: readonly ArrayLike<number>[],
  bits: number = coreOpts.video_bits,
): VideoCodeResult {
  return genVideoCodeV0(frameSigs, bits);
}

/**
 * Create an ISCC Content-Code Video with algorithm v0.
 * @param frameSigs - MPEG-7 frame signatures (380 values each); at least one
 * @param bits - code length in bits: a multiple of 32 up to 256 (default 64)
 * @returns `{ iscc }`
 * @throws IsccError on an empty list, malformed frames or an invalid bit length
 * @example genVideoCodeV0([new Array(380).fill(0)]) // { iscc: 'ISCC:EMAQAAAAAAAAAAAA' }
 */
export function genVideoCodeV0(
  frameSigs: readonly ArrayLike<number>[],
  bits: number = coreOpts.video_bits,
): VideoCodeResult {
  const digest = softHashVideoV0(frameSigs, bits);
  return { iscc: 'ISCC:' + encodeComponent(MT.CONTENT, ST_CC.VIDEO, VS.V0, bits, digest) };
}

/** Remove a duplicate frame's values from the column sums again. */
function subtract(sums: Float64Array, f: ArrayLike<number>): void {
  for (let i = 0; i < f.length; i++) sums[i]! -= f[i]!;
}

/** Element-wise equality, as Python compares tuples of numbers. */
function sameFrame(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Video similarity hash from frame signatures (iscc-core `soft_hash_video_v0`).
 * @param frameSigs - frame signatures (380 numbers each); at least one
 * @param bits - hash length in bits (default 64)
 * @returns `ceil(bits / 8)` bytes (32 bytes for `bits` >= 256)
 * @throws IsccError ISCC_INVALID_ARGUMENT for no frames or frames too short for the WTA pairs,
 *   ISCC_INVALID_TYPE for non-numeric values
 */
export function softHashVideoV0(
  frameSigs: readonly ArrayLike<number>[],
  bits: number = coreOpts.video_bits,
): Uint8Array {
  if (!Array.isArray(frameSigs)) typeError('frameSigs', 'an array of frame signatures', frameSigs);
  if (frameSigs.length === 0) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'frameSigs: frame_sigs cannot be empty');
  }
  // One pass per frame checks its values, adds them to the column sums and hashes a sample of
  // them (every 8th: a full hash would be one long serial multiply chain). Then every frame
  // equal to an earlier one (same hash, confirmed element by element) is subtracted again:
  // equality is transitive, so comparing with any earlier frame is comparing with the kept
  // ones, and a duplicate has the length of its twin, so the width is the minimum over all.
  // Exact for integer signatures; for fractional values Python's own result depends on set
  // iteration order, so no order is "the" reference there.
  const n = frameSigs.length;
  const hashes = new Int32Array(n);
  let sums = new Float64Array(380);
  let width = Infinity;
  for (let k = 0; k < n; k++) {
    const f = frameSigs[k];
    if (f === null || typeof f !== 'object' || typeof (f as ArrayLike<number>).length !== 'number') {
      typeError(`frameSigs[${k}]`, 'an array of numbers', f);
    }
    const len = f.length;
    if (len > sums.length) {
      const grown = new Float64Array(len);
      grown.set(sums);
      sums = grown;
    }
    for (let i = 0; i < len; i++) {
      const v = f[i];
      if (typeof v !== 'number') typeError(`frameSigs[${k}][${i}]`, 'a number', v);
      sums[i]! += v;
    }
    let h = len | 0;
    for (let i = 0; i < len; i += 8) h = (Math.imul(h, 31) + (f[i]! | 0)) | 0;
    hashes[k] = h;
    if (len < width) width = len;
  }
  if (n <= 64) {
    // Few frames: compare hashes pairwise (no allocation).
    for (let k = 1; k < n; k++) {
      for (let j = 0; j < k; j++) {
        if (hashes[j] === hashes[k] && sameFrame(frameSigs[j]!, frameSigs[k]!)) {
          subtract(sums, frameSigs[k]!);
          break;
        }
      }
    }
  } else {
    const kept = new Map<number, ArrayLike<number>[]>();
    for (let k = 0; k < n; k++) {
      const f = frameSigs[k]!;
      const bucket = kept.get(hashes[k]!);
      if (bucket === undefined) kept.set(hashes[k]!, [f]);
      else if (bucket.some((g) => sameFrame(f, g))) subtract(sums, f);
      else bucket.push(f);
    }
  }
  const vecsum = sums.subarray(0, width);
  return algWtahash(vecsum, bits);
}
