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

/** Scratch buffers of {@link softHashVideoV0} for the common sizes (380 columns, <= 64 frames). */
const scratchSums = new Float64Array(380);
const scratchHashes = new Int32Array(64);

/** Remove a duplicate frame's values from the column sums again (columns below the width). */
function subtract(sums: Float64Array, f: ArrayLike<number>): void {
  for (let i = 0; i < sums.length; i++) sums[i]! -= f[i]!;
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
  // Pass 1 validates each frame, finds the width (zip stops at the shortest frame, so no
  // column beyond it is ever used) and hashes a sample of each frame's values (every 8th: a
  // full hash would be one long serial multiply chain) for the duplicate check below.
  // Pass 2 sums the columns below the width two frames at a time (half the loads and
  // stores of the sums; this loop is the whole cost of a call), adding in frame order and type-checks every value.
  // Then every frame equal to an earlier one (same hash, confirmed element by element) is
  // subtracted again: equality is transitive, so comparing with any earlier frame is comparing
  // with the kept ones.
  // Exact for integer signatures; for fractional values Python's own result depends on set
  // iteration order, so no order is "the" reference there.
  const n = frameSigs.length;
  const hashes = n <= scratchHashes.length ? scratchHashes : new Int32Array(n);
  let width = Infinity;
  for (let k = 0; k < n; k++) {
    const f = frameSigs[k];
    if (f === null || typeof f !== 'object' || typeof (f as ArrayLike<number>).length !== 'number') {
      typeError(`frameSigs[${k}]`, 'an array of numbers', f);
    }
    const len = f.length;
    let h = len | 0;
    for (let i = 0; i < len; i += 8) h = (Math.imul(h, 31) + (f[i]! | 0)) | 0;
    hashes[k] = h;
    if (len < width) width = len;
  }
  // Reused scratch for the usual 380 columns (the call is synchronous, so nothing else can be
  // using it meanwhile); a typed-array allocation costs about a tenth of the whole call.
  const sums = width === scratchSums.length ? scratchSums.fill(0) : new Float64Array(width);
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const a = frameSigs[k]!;
    const b = frameSigs[k + 1]!;
    for (let i = 0; i < width; i++) {
      const va = a[i];
      const vb = b[i];
      if (typeof va !== 'number') typeError(`frameSigs[${k}][${i}]`, 'a number', va);
      if (typeof vb !== 'number') typeError(`frameSigs[${k + 1}][${i}]`, 'a number', vb);
      sums[i] = sums[i]! + va + vb; // left to right, as Python's sum adds
    }
  }
  if (k < n) {
    const a = frameSigs[k]!;
    for (let i = 0; i < width; i++) {
      const va = a[i];
      if (typeof va !== 'number') typeError(`frameSigs[${k}][${i}]`, 'a number', va);
      sums[i]! += va;
    }
  }
  // Values beyond the width are never summed, but a non-number there is still refused.
  for (let j = 0; j < n; j++) {
    const f = frameSigs[j]!;
    for (let i = width; i < f.length; i++) {
      if (typeof f[i] !== 'number') typeError(`frameSigs[${j}][${i}]`, 'a number', f[i]);
    }
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
  return algWtahash(sums, bits);
}
