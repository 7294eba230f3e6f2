/**
 * ISCC Content-Code Video (iscc-core `code_content_video`): a similarity hash of MPEG-7 video
 * frame signatures (380 small integers per frame, e.g. from ffmpeg's `signature` filter).
 *
 * Steps:
 * 1. Reject an empty list of frames.
 * 2. Drop duplicate frames (the reference puts them in a set; order does not matter for a sum).
 * 3. Sum the remaining frames column by column (`zip` semantics: up to the shortest frame).
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

/** A cheap hash of a frame's values, to find duplicate candidates (equal frames hash equal). */
function frameHash(f: ArrayLike<number>): number {
  let h = f.length | 0;
  for (let i = 0; i < f.length; i++) h = Math.imul(h ^ (f[i]! | 0), 0x9e3779b1) + i;
  return h | 0;
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
  // Unique frames, bucketed by a cheap hash and confirmed element by element.
  const buckets = new Map<number, ArrayLike<number>[]>();
  const unique: ArrayLike<number>[] = [];
  let width = Infinity;
  for (let k = 0; k < frameSigs.length; k++) {
    const f = frameSigs[k];
    if (f === null || typeof f !== 'object' || typeof (f as ArrayLike<number>).length !== 'number') {
      typeError(`frameSigs[${k}]`, 'an array of numbers', f);
    }
    for (let i = 0; i < f.length; i++) {
      if (typeof f[i] !== 'number') typeError(`frameSigs[${k}][${i}]`, 'a number', f[i]);
    }
    const h = frameHash(f);
    const bucket = buckets.get(h);
    if (bucket?.some((g) => sameFrame(f, g))) continue;
    if (bucket) bucket.push(f);
    else buckets.set(h, [f]);
    unique.push(f);
    width = Math.min(width, f.length);
  }
  const vecsum = new Float64Array(width);
  for (const f of unique) for (let i = 0; i < width; i++) vecsum[i]! += f[i]!;
  return algWtahash(vecsum, bits);
}
