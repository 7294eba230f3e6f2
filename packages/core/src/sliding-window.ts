/**
 * Sliding window over a sequence, as iscc-core `utils.sliding_window`.
 *
 * Steps:
 * 1. Reject a window narrower than 2 (the reference asserts this).
 * 2. Emit every slice `seq[i, i + width)` for `i = 0 .. len - width`.
 * 3. When the sequence is shorter than the window (or empty), emit exactly one slice: the
 *    whole sequence. The reference does this so that short titles and texts still hash.
 *
 * Strings are measured and sliced in Unicode CODE POINTS, as Python `str` is (a JavaScript
 * string slice would count UTF-16 code units and split astral characters). Slices of a
 * `Uint8Array` are copies, like Python `bytes` slices; slices of arrays are new arrays.
 */
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';

/** Any UTF-16 surrogate (paired or lone): strings without one can be sliced by code unit. */
const SURROGATE = /[\uD800-\uDFFF]/;

function checkWidth(width: unknown): number {
  if (typeof width !== 'number' || !Number.isInteger(width)) typeError('width', 'an integer', width);
  if (width < 2) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `width: sliding window width must be 2 or bigger, got ${width}`,
    );
  }
  return width;
}

/**
 * Equal-width slices of `seq`, each advancing by one element.
 * @param seq - a string (sliced by code point), bytes, or an array
 * @param width - window width in elements, at least 2
 * @returns the windows; a single (shorter) window when `seq` is shorter than `width`
 * @throws IsccError ISCC_INVALID_ARGUMENT when `width < 2`, ISCC_INVALID_TYPE on other inputs
 * @example slidingWindow('Hello', 4) // ['Hell', 'ello']
 */
export function slidingWindow(seq: string, width: number): string[];
export function slidingWindow(seq: Uint8Array, width: number): Uint8Array[];
export function slidingWindow<T>(seq: readonly T[], width: number): T[][];
export function slidingWindow<T>(
  seq: string | Uint8Array | readonly T[],
  width: number,
): string[] | Uint8Array[] | T[][] {
  const w = checkWidth(width);
  if (typeof seq === 'string') {
    if (!SURROGATE.test(seq)) return windows(seq.length, w, (a, b) => seq.slice(a, b));
    // Astral characters present: slice over code points (lone surrogates count as one, as in Python).
    const cps = Array.from(seq);
    return windows(cps.length, w, (a, b) => cps.slice(a, b).join(''));
  }
  if (seq instanceof Uint8Array) return windows(seq.length, w, (a, b) => seq.slice(a, b));
  if (Array.isArray(seq)) return windows(seq.length, w, (a, b) => seq.slice(a, b) as T[]);
  return typeError('seq', 'a string, Uint8Array or array', seq);
}

function windows<S>(len: number, width: number, slice: (a: number, b: number) => S): S[] {
  const count = Math.max(len - width + 1, 1);
  const out = new Array<S>(count);
  for (let i = 0; i < count; i++) out[i] = slice(i, i + width);
  return out;
}
