/**
 * ISCC Content-Code Image (iscc-core `code_content_image`): a perceptual hash of a normalised
 * 32x32 grayscale image.
 *
 * Callers normalise the image first (EXIF transpose, white background for transparency, crop
 * empty borders, grayscale, resize to 32x32, flatten row-major to 1024 values). Then:
 * 1. DCT each row of 32 pixels ({@link algDct}), then DCT each column of that result.
 * 2. Take four 8x8 blocks of low-frequency coefficients, in this order of (column, row)
 *    offsets: (0,0), (1,0), (0,1), (1,1).
 * 3. For each block, set one bit per coefficient (row-major): 1 when it is above the block's
 *    median (`statistics.median`: mean of the two middle values for an even count).
 * 4. Stop as soon as `bits` bits are collected; the digest is the bit string as big-endian bytes.
 *
 * Other pixel counts follow the reference's list semantics (rows of 32, the last one possibly
 * shorter; the matrix shrinks to the shortest row) and fail where it fails (a row or column
 * length that is not a power of two, no pixels at all).
 */
import { encodeComponent } from './codec.ts';
import { MT, ST_CC, VS } from './constants.ts';
import { _dctInto } from './dct.ts';
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { coreOpts } from './options.ts';

/** Row width of the normalised image (the reference chunks pixels by 32). */
const ROW = 32;
/** (column, row) offsets of the four 8x8 coefficient blocks, in hash order. */
const BLOCKS: readonly (readonly [number, number])[] = [
  [0, 0],
  [1, 0],
  [0, 1],
  [1, 1],
];
/** Largest digest the reference accepts (four blocks of 64 bits). */
const MAX_BITS = 256;

/** Result of {@link genImageCodeV0}. */
export interface ImageCodeResult {
  /** The Content-Code Image, `ISCC:` prefixed. */
  iscc: string;
}

/**
 * Create an ISCC Content-Code Image with the latest algorithm (alias of {@link genImageCodeV0}).
 * @param pixels - 1024 grayscale values (32x32, row-major)
 * @param bits - code length in bits (default 64)
 */
export function genImageCode(pixels: ArrayLike<number>, bits: number = coreOpts.image_bits): ImageCodeResult {
  return genImageCodeV0(pixels, bits);
}

/**
 * Create an ISCC Content-Code Image with algorithm v0.
 * @param pixels - 1024 grayscale values (32x32, row-major), e.g. a `Uint8Array`
 * @param bits - code length in bits: a multiple of 32 up to 256 (default 64)
 * @returns `{ iscc }`
 * @throws IsccError on invalid pixels or bit length
 * @example genImageCodeV0(new Uint8Array(1024)) // { iscc: 'ISCC:EEA...' }
 */
export function genImageCodeV0(pixels: ArrayLike<number>, bits: number = coreOpts.image_bits): ImageCodeResult {
  const digest = softHashImageV0(pixels, bits);
  return { iscc: 'ISCC:' + encodeComponent(MT.CONTENT, ST_CC.IMAGE, VS.V0, bits, digest) };
}

/** Copy the pixels into doubles, rejecting anything that is not a number. */
function toFloat64(pixels: ArrayLike<number>): Float64Array {
  if (pixels === null || typeof pixels !== 'object' || typeof pixels.length !== 'number') {
    typeError('pixels', 'an array of numbers', pixels);
  }
  const n = pixels.length;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = pixels[i];
    if (typeof v !== 'number') typeError(`pixels[${i}]`, 'a number', v);
    out[i] = v;
  }
  return out;
}

/** The reference fails (ValueError) on a row or column length the DCT cannot split. */
function checkDctLength(n: number, what: string): void {
  if (n === 0 || (n & (n - 1)) !== 0) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `pixels: ${what} of length ${n} cannot be transformed (DCT needs 1 or a power of two values)`,
    );
  }
}

/** `statistics.median` of a non-empty list: sorts a copy; even counts average the middle pair. */
function median(values: Float64Array): number {
  const s = Float64Array.from(values).sort();
  const n = s.length;
  const mid = n >>> 1;
  return n % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Big-endian bytes of a bit string of `bl` bits into `bl // 8` bytes (Python `to_bytes`). */
function bitsToBytes(bitsArr: Uint8Array, bl: number): Uint8Array {
  const nbytes = Math.floor(bl / 8);
  const extra = bl - nbytes * 8;
  // int(bitstring, 2).to_bytes(bl // 8) overflows when the leading `extra` bits hold a 1.
  for (let i = 0; i < extra; i++) {
    if (bitsArr[i]) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `pixels: ${bl}-bit hash does not fit ${nbytes} bytes`);
    }
  }
  const out = new Uint8Array(nbytes);
  for (let i = 0; i < nbytes * 8; i++) if (bitsArr[extra + i]) out[i >>> 3]! |= 0x80 >>> (i & 7);
  return out;
}

/**
 * Similarity-preserving hash of normalised image pixels (iscc-core `soft_hash_image_v0`).
 * @param pixels - 1024 grayscale values (32x32, row-major)
 * @param bits - hash length in bits, at most 256 (default 64)
 * @returns digest of the first block count whose bits reach `bits` (8 bytes per block)
 * @throws IsccError ISCC_INVALID_BITS when `bits > 256` (or the pixels give too few bits),
 *   ISCC_INVALID_ARGUMENT / ISCC_INVALID_TYPE on pixels the reference rejects
 */
export function softHashImageV0(pixels: ArrayLike<number>, bits: number = coreOpts.image_bits): Uint8Array {
  if (typeof bits !== 'number' || Number.isNaN(bits)) typeError('bits', 'a number', bits);
  if (!(bits <= MAX_BITS)) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_BITS,
      `bits: expected at most ${MAX_BITS} for soft_hash_image, got ${bits}`,
    );
  }
  const px = toFloat64(pixels);
  if (px.length === 0) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'pixels: expected 1024 values, got an empty list');
  }

  // 1a. DCT per row (rows of 32; the last row may be shorter, and zip() then truncates every
  //     row to the shortest one). rowsT[r * nCols + c] is row r, coefficient c.
  const nRows = Math.ceil(px.length / ROW);
  const lastLen = px.length - (nRows - 1) * ROW;
  const nCols = Math.min(ROW, lastLen);
  const rowBuf = new Float64Array(ROW);
  const rowsT = new Float64Array(nRows * nCols);
  for (let r = 0; r < nRows; r++) {
    const len = r === nRows - 1 ? lastLen : ROW;
    checkDctLength(len, 'row');
    _dctInto(px, r * ROW, len, rowBuf, 0);
    rowsT.set(rowBuf.subarray(0, nCols), r * nCols);
  }
  // 1b. DCT per column. m[r * nCols + c] is row r, column c of the final matrix.
  checkDctLength(nRows, 'column');
  const m = new Float64Array(nRows * nCols);
  const col = new Float64Array(nRows);
  const colOut = new Float64Array(nRows);
  for (let c = 0; c < nCols; c++) {
    for (let r = 0; r < nRows; r++) col[r] = rowsT[r * nCols + c]!;
    _dctInto(col, 0, nRows, colOut, 0);
    for (let r = 0; r < nRows; r++) m[r * nCols + c] = colOut[r]!;
  }

  // 2.-4. Compare each 8x8 block with its median until enough bits are collected.
  const bitsArr = new Uint8Array(BLOCKS.length * 64);
  let bl = 0;
  for (const [x, y] of BLOCKS) {
    const y1 = Math.min(y + 8, nRows);
    const x1 = Math.min(x + 8, nCols);
    const h = Math.max(y1 - y, 0);
    const w = Math.max(x1 - x, 0);
    const block = new Float64Array(h * w);
    for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) block[r * w + c] = m[(y + r) * nCols + x + c]!;
    if (block.length === 0) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'pixels: too few values for an 8x8 coefficient block');
    }
    const med = median(block);
    for (let i = 0; i < block.length; i++) bitsArr[bl++] = block[i]! > med ? 1 : 0;
    if (bl >= bits) return bitsToBytes(bitsArr, bl);
  }
  throw new IsccError(
    ISCC_ERROR_CODES.INVALID_BITS,
    `bits: the pixels yield only ${bl} hash bits, fewer than the ${bits} requested`,
  );
}
