/**
 * Pillow-exact image normalisation for the Image-Code (pure, isomorphic).
 *
 * iscc-sdk turns a decoded image into the 1024 grey pixels that `genImageCodeV0` hashes with
 * Pillow (9.4, as in Debian bookworm). This module reproduces that pipeline bit for bit, on
 * plain interleaved 8-bit pixel buffers, so that Node (after decoding with sharp) and the
 * browser (after decoding with a WASM codec) compute identical Image-Codes:
 *
 *   1. EXIF transpose: the 8 EXIF orientations as pixel permutations
 *      (Pillow's `ImageOps.exif_transpose`).
 *   2. Fill transparency: images with alpha are pasted onto white with the alpha channel as
 *      mask, per channel `DIV255(bg * (255 - a) + src * a)` (Pillow `Paste.c`, "L" matte);
 *      every other image becomes RGB.
 *   3. Trim border: crop to the bounding box of pixels that differ from pixel (0, 0) in any
 *      channel (Pillow `ImageChops.difference` + `getbbox`); a uniform image stays whole.
 *      Pillow's `getbbox` looks only at the alpha channel of LA and RGBA images, which only
 *      matters when fill transparency is switched off; we do the same.
 *   4. Grey: ITU-R 601-2 luma in Pillow's 16-bit fixed point,
 *      `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16` (Pillow `Convert.c`, `L24`).
 *   5. Resize to 32x32 with Pillow's separable bicubic `ImagingResample` (a = -0.5): per output
 *      pixel a window of source pixels with normalised weights, converted to fixed point with
 *      22 fractional bits (rounded half away from zero); horizontal pass first over only the
 *      rows the vertical pass needs, 8-bit rounding between the passes, a pass is skipped when
 *      its dimension does not change.
 *
 * Images are `{ width, height, channels, data }` with `channels` 1 (L), 2 (LA), 3 (RGB) or
 * 4 (RGBA) and `data` row-major interleaved bytes. Every function returns a new image and
 * never changes its input.
 */
import { IsccError, ISCC_ERROR_CODES, argError, typeError } from './errors.ts';

/** An 8-bit image: row-major, interleaved channels (1 = L, 2 = LA, 3 = RGB, 4 = RGBA). */
export interface PixelImage {
  /** Width in pixels (>= 1). */
  width: number;
  /** Height in pixels (>= 1). */
  height: number;
  /** Samples per pixel: 1 (L), 2 (LA), 3 (RGB) or 4 (RGBA); alpha is always last. */
  channels: 1 | 2 | 3 | 4;
  /** `width * height * channels` bytes. */
  data: Uint8Array;
}

/** Options of {@link imageNormalize}; names and defaults are iscc-sdk's `image_*` options. */
export interface ImageNormalizeOptions {
  /** EXIF orientation tag of the source (1-8); other values mean "as stored". Default 1. */
  orientation?: number;
  /** Apply the EXIF orientation (iscc-sdk `image_exif_transpose`). Default true. */
  image_exif_transpose?: boolean;
  /** Paste images with alpha onto white (iscc-sdk `image_fill_transparency`). Default true. */
  image_fill_transparency?: boolean;
  /** Crop a uniform border (iscc-sdk `image_trim_border`). Default true. */
  image_trim_border?: boolean;
}

/**
 * Largest image (in pixels) the pure functions accept: 2^31 - 1 bytes of RGBA is what a single
 * typed array can reliably hold in every engine; callers decoding files apply stricter limits
 * (iscc-sdk's `image_max_pixels`) before decoding.
 */
export const IMAGE_MAX_PIXELS = Math.floor(0x7fffffff / 4);

/** Side length of the normalised image iscc-sdk hashes. */
export const IMAGE_NORMALIZE_SIZE = 32;

/** Fixed-point precision of Pillow's 8-bit resample coefficients (`PRECISION_BITS`). */
const PRECISION_BITS = 22;
const PRECISION_ONE = 1 << PRECISION_BITS; // 4194304
const PRECISION_HALF = 1 << (PRECISION_BITS - 1);
/** Support radius of the bicubic filter (Pillow `BICUBIC`, a = -0.5). */
const BICUBIC_SUPPORT = 2.0;

function checkImage(img: PixelImage, name = 'img'): void {
  if (img === null || typeof img !== 'object') typeError(name, 'an object {width, height, channels, data}', img);
  const { width, height, channels, data } = img;
  if (!Number.isSafeInteger(width) || width < 1) argError(`${name}.width`, 'an integer >= 1', width);
  if (!Number.isSafeInteger(height) || height < 1) argError(`${name}.height`, 'an integer >= 1', height);
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    argError(`${name}.channels`, '1, 2, 3 or 4', channels);
  }
  if (!(data instanceof Uint8Array)) typeError(`${name}.data`, 'Uint8Array', data);
  if (width * height > IMAGE_MAX_PIXELS) {
    throw new IsccError(
      ISCC_ERROR_CODES.LIMIT_EXCEEDED,
      `${name}: ${width}x${height} exceeds IMAGE_MAX_PIXELS (${IMAGE_MAX_PIXELS})`,
    );
  }
  if (data.length !== width * height * channels) {
    argError(`${name}.data`, `${width}*${height}*${channels} = ${width * height * channels} bytes`, data);
  }
}

/**
 * Apply an EXIF orientation (1-8) as Pillow's `ImageOps.exif_transpose` does: 2 mirror,
 * 3 rotate 180, 4 flip, 5 transpose, 6 rotate 270 (clockwise 90), 7 transverse, 8 rotate 90.
 * Any other value returns an unchanged copy.
 */
export function imageExifTranspose(img: PixelImage, orientation: number): PixelImage {
  checkImage(img);
  const { width: w, height: h, channels: c, data } = img;
  if (!Number.isInteger(orientation) || orientation < 2 || orientation > 8) {
    return { width: w, height: h, channels: c, data: data.slice() };
  }
  // Orientations 5-8 swap the axes.
  const swap = orientation >= 5;
  const ow = swap ? h : w;
  const oh = swap ? w : h;
  const out = new Uint8Array(data.length);
  // Source pixel of output (x, y) is (x0 + x*ax + y*bx, y0 + x*ay + y*by): Pillow's transpose
  // methods as affine index maps, walked with constant steps.
  let x0 = 0, y0 = 0, ax = 1, ay = 0, bx = 0, by = 1;
  switch (orientation) {
    case 2: x0 = w - 1; ax = -1; break; // FLIP_LEFT_RIGHT
    case 3: x0 = w - 1; y0 = h - 1; ax = -1; by = -1; break; // ROTATE_180
    case 4: y0 = h - 1; by = -1; break; // FLIP_TOP_BOTTOM
    case 5: ax = 0; ay = 1; bx = 1; by = 0; break; // TRANSPOSE
    case 6: y0 = h - 1; ax = 0; ay = -1; bx = 1; by = 0; break; // ROTATE_270
    case 7: x0 = w - 1; y0 = h - 1; ax = 0; ay = -1; bx = -1; by = 0; break; // TRANSVERSE
    default: x0 = w - 1; ax = 0; ay = 1; bx = -1; by = 0; break; // 8: ROTATE_90
  }
  const stepX = (ay * w + ax) * c; // source step per output column
  const stepY = (by * w + bx) * c; // source step per output row
  let rowStart = (y0 * w + x0) * c;
  let o = 0;
  for (let y = 0; y < oh; y++, rowStart += stepY) {
    let s = rowStart;
    if (c === 1) {
      for (let x = 0; x < ow; x++, s += stepX) out[o++] = data[s]!;
    } else if (c === 3) {
      for (let x = 0; x < ow; x++, s += stepX) { out[o++] = data[s]!; out[o++] = data[s + 1]!; out[o++] = data[s + 2]!; }
    } else {
      for (let x = 0; x < ow; x++, s += stepX) for (let k = 0; k < c; k++) out[o++] = data[s + k]!;
    }
  }
  return { width: ow, height: oh, channels: c, data: out };
}

/** Pillow's `DIV255`: (a + 128 + ((a + 128) >> 8)) >> 8, exact for 0..255*255. */
function div255(a: number): number {
  const t = a + 128;
  return ((t >> 8) + t) >> 8;
}

/**
 * iscc-sdk's `image_fill_transparency`: an image with alpha (LA, RGBA) is pasted onto a white
 * RGB canvas with its alpha as mask (`DIV255(255 * (255 - a) + v * a)` per channel); L and RGB
 * become RGB unchanged. The result always has 3 channels.
 */
export function imageFillTransparency(img: PixelImage): PixelImage {
  checkImage(img);
  const { width, height, channels: c, data } = img;
  const n = width * height;
  if (c === 3) return { width, height, channels: 3, data: data.slice() };
  const out = new Uint8Array(n * 3);
  if (c === 1) {
    for (let i = 0, o = 0; i < n; i++, o += 3) out[o] = out[o + 1] = out[o + 2] = data[i]!;
  } else if (c === 2) {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += 2, o += 3) {
      const a = data[s + 1]!;
      out[o] = out[o + 1] = out[o + 2] = div255(255 * (255 - a) + data[s]! * a);
    }
  } else {
    for (let i = 0, s = 0, o = 0; i < n; i++, s += 4, o += 3) {
      const a = data[s + 3]!;
      if (a === 255) {
        out[o] = data[s]!; out[o + 1] = data[s + 1]!; out[o + 2] = data[s + 2]!;
      } else {
        const bg = 255 * (255 - a);
        out[o] = div255(bg + data[s]! * a);
        out[o + 1] = div255(bg + data[s + 1]! * a);
        out[o + 2] = div255(bg + data[s + 2]! * a);
      }
    }
  }
  return { width, height, channels: 3, data: out };
}

/**
 * The bounding box `[left, top, right, bottom)` of pixels that differ from pixel (0, 0), or
 * `null` when there are none (Pillow `getbbox` of the difference image). L and RGB images
 * compare every channel; LA and RGBA only alpha, as Pillow 9.4's `getbbox` does.
 */
export function imageBorderBox(img: PixelImage): [number, number, number, number] | null {
  checkImage(img);
  const { width: w, height: h, channels: c, data } = img;
  // Channels compared: all for L/RGB, only the alpha (last) channel for LA/RGBA.
  const k0 = c === 2 || c === 4 ? c - 1 : 0;
  const differs = (p: number): boolean => {
    for (let k = k0; k < c; k++) if (data[p + k] !== data[k]) return true;
    return false;
  };
  const rowDiffers = (y: number, x0: number, x1: number): boolean => {
    for (let x = x0, p = (y * w + x0) * c; x < x1; x++, p += c) if (differs(p)) return true;
    return false;
  };
  const colDiffers = (x: number, y0: number, y1: number): boolean => {
    for (let y = y0, p = (y0 * w + x) * c; y < y1; y++, p += w * c) if (differs(p)) return true;
    return false;
  };
  // Scan inwards from each edge; most images stop at the first row/column.
  let top = 0;
  while (top < h && !rowDiffers(top, 0, w)) top++;
  if (top === h) return null;
  let bottom = h;
  while (!rowDiffers(bottom - 1, 0, w)) bottom--;
  let left = 0;
  while (!colDiffers(left, top, bottom)) left++;
  let right = w;
  while (!colDiffers(right - 1, top, bottom)) right--;
  return [left, top, right, bottom];
}

/** Crop `[left, top, right, bottom)` out of an image (a copy). */
export function imageCrop(img: PixelImage, box: readonly [number, number, number, number]): PixelImage {
  checkImage(img);
  const [l, t, r, b] = box;
  if (!(Number.isInteger(l) && Number.isInteger(t) && Number.isInteger(r) && Number.isInteger(b))
    || l < 0 || t < 0 || r > img.width || b > img.height || l >= r || t >= b) {
    argError('box', `integers 0 <= left < right <= ${img.width}, 0 <= top < bottom <= ${img.height}`, `[${box.join(', ')}]`);
  }
  const c = img.channels;
  const ow = r - l, oh = b - t;
  const out = new Uint8Array(ow * oh * c);
  for (let y = 0; y < oh; y++) {
    const s = ((t + y) * img.width + l) * c;
    out.set(img.data.subarray(s, s + ow * c), y * ow * c);
  }
  return { width: ow, height: oh, channels: c, data: out };
}

/**
 * iscc-sdk's `image_trim_border`: crop away a uniform border whose colour is that of the
 * top-left pixel (for LA/RGBA: whose alpha is, see {@link imageBorderBox}). A uniform image,
 * or one without such a border, comes back whole (a copy).
 */
export function imageTrimBorder(img: PixelImage): PixelImage {
  const box = imageBorderBox(img);
  if (box === null) return imageCrop(img, [0, 0, img.width, img.height]);
  return imageCrop(img, box);
}

/**
 * Pillow's `convert("L")` for 8-bit images: RGB(A) by the fixed-point luma
 * `(R*19595 + G*38470 + B*7471 + 0x8000) >> 16` (alpha ignored), LA by dropping alpha.
 * Returns one byte per pixel.
 */
export function imageToGrey(img: PixelImage): Uint8Array {
  checkImage(img);
  const { width, height, channels: c, data } = img;
  const n = width * height;
  if (c === 1) return data.slice();
  const out = new Uint8Array(n);
  if (c === 2) {
    for (let i = 0; i < n; i++) out[i] = data[i * 2]!;
    return out;
  }
  for (let i = 0, s = 0; i < n; i++, s += c) {
    out[i] = (data[s]! * 19595 + data[s + 1]! * 38470 + data[s + 2]! * 7471 + 0x8000) >>> 16;
  }
  return out;
}

/** Keys' cubic convolution kernel with a = -0.5 (Pillow `bicubic_filter`). */
function bicubic(x: number): number {
  const a = -0.5;
  if (x < 0) x = -x;
  if (x < 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return (((x - 5) * x + 8) * x - 4) * a;
  return 0;
}

/** Per output pixel: first source index, window length and fixed-point weights. */
interface Coeffs { ksize: number; bounds: Int32Array; weights: Int32Array }

/**
 * Pillow `precompute_coeffs` + `normalize_coeffs_8bpc` for an axis from `inSize` to `outSize`
 * (full-image box): double weights normalised to sum 1, then scaled by 2^22 and rounded half
 * away from zero, truncated toward zero as C's `(int)` cast does.
 */
function precomputeCoeffs(inSize: number, outSize: number): Coeffs {
  const scale = inSize / outSize;
  const filterscale = scale < 1 ? 1 : scale;
  const support = BICUBIC_SUPPORT * filterscale;
  const ksize = Math.ceil(support) * 2 + 1;
  const bounds = new Int32Array(outSize * 2);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  const ss = 1 / filterscale;
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    let xmin = Math.trunc(center - support + 0.5);
    if (xmin < 0) xmin = 0;
    let xmax = Math.trunc(center + support + 0.5);
    if (xmax > inSize) xmax = inSize;
    xmax -= xmin;
    let ww = 0;
    for (let x = 0; x < xmax; x++) {
      const w = bicubic((x + xmin - center + 0.5) * ss);
      k[x] = w;
      ww += w;
    }
    for (let x = 0; x < xmax; x++) {
      const w = ww !== 0 ? k[x]! / ww : k[x]!;
      weights[xx * ksize + x] = w < 0 ? Math.trunc(-0.5 + w * PRECISION_ONE) : Math.trunc(0.5 + w * PRECISION_ONE);
    }
    bounds[xx * 2] = xmin;
    bounds[xx * 2 + 1] = xmax;
  }
  return { ksize, bounds, weights };
}

/** Pillow `clip8`: accumulator (with the 2^21 rounding bias) to a byte. */
function clip8(acc: number): number {
  // `>>` is C's arithmetic shift (floor) while the sum fits int32, which it does for 8-bit
  // input (|sum| < 1.2 * 255 * 2^22); the guard keeps larger values exact anyway.
  const v = acc >= 0x7fffffff ? 255 : acc <= -0x80000000 ? 0 : acc >> PRECISION_BITS;
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

function checkSize(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) argError(name, 'an integer >= 1', v);
}

/**
 * Pillow's bicubic `Image.resize((outW, outH), BICUBIC)` for 8-bit interleaved pixels with
 * 1-4 channels, bit-exact with Pillow 9.4's `ImagingResample` (full-image box, no reducing gap).
 * Every channel, alpha included, is filtered independently (no premultiplication: Pillow
 * premultiplies LA/RGBA in Python before resampling; callers who need that do it themselves).
 */
export function imageResample(
  pixels: Uint8Array,
  w: number,
  h: number,
  channels: number,
  outW: number,
  outH: number,
): Uint8Array {
  if (!(pixels instanceof Uint8Array)) typeError('pixels', 'Uint8Array', pixels);
  checkSize('w', w);
  checkSize('h', h);
  checkSize('outW', outW);
  checkSize('outH', outH);
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) argError('channels', '1, 2, 3 or 4', channels);
  if (w * h > IMAGE_MAX_PIXELS || outW * outH > IMAGE_MAX_PIXELS) {
    throw new IsccError(ISCC_ERROR_CODES.LIMIT_EXCEEDED, `imageResample: ${w}x${h} -> ${outW}x${outH} exceeds IMAGE_MAX_PIXELS (${IMAGE_MAX_PIXELS})`);
  }
  if (pixels.length !== w * h * channels) argError('pixels', `${w}*${h}*${channels} = ${w * h * channels} bytes`, pixels);
  const c = channels;
  let src = pixels;
  let sw = w;
  let sh = h;
  const needH = outW !== w;
  const needV = outH !== h;
  const vert = needV ? precomputeCoeffs(h, outH) : null;
  if (needH) {
    const hor = precomputeCoeffs(w, outW);
    // Only the source rows the vertical pass reads get filtered horizontally.
    let first = 0;
    let last = h;
    if (vert) {
      first = vert.bounds[0]!;
      last = vert.bounds[outH * 2 - 2]! + vert.bounds[outH * 2 - 1]!;
      for (let i = 0; i < outH; i++) vert.bounds[i * 2] = vert.bounds[i * 2]! - first;
    }
    const rows = last - first;
    const tmp = new Uint8Array(outW * rows * c);
    const { ksize, bounds, weights } = hor;
    for (let yy = 0; yy < rows; yy++) {
      const rowIn = (yy + first) * w * c;
      const rowOut = yy * outW * c;
      if (c === 1) {
        // The hot path (grey images): no channel loop.
        for (let xx = 0; xx < outW; xx++) {
          const xmin = bounds[xx * 2]!;
          const xmax = bounds[xx * 2 + 1]!;
          const kb = xx * ksize;
          let acc = PRECISION_HALF;
          const p0 = rowIn + xmin;
          for (let x = 0; x < xmax; x++) acc += src[p0 + x]! * weights[kb + x]!;
          tmp[rowOut + xx] = clip8(acc);
        }
        continue;
      }
      for (let xx = 0; xx < outW; xx++) {
        const xmin = bounds[xx * 2]!;
        const xmax = bounds[xx * 2 + 1]!;
        const kb = xx * ksize;
        for (let ch = 0; ch < c; ch++) {
          let acc = PRECISION_HALF;
          let p = rowIn + xmin * c + ch;
          for (let x = 0; x < xmax; x++, p += c) acc += src[p]! * weights[kb + x]!;
          tmp[rowOut + xx * c + ch] = clip8(acc);
        }
      }
    }
    src = tmp;
    sw = outW;
    sh = rows;
  }
  if (vert) {
    const out = new Uint8Array(sw * outH * c);
    const { ksize, bounds, weights } = vert;
    const stride = sw * c;
    for (let yy = 0; yy < outH; yy++) {
      const ymin = bounds[yy * 2]!;
      const ymax = bounds[yy * 2 + 1]!;
      const kb = yy * ksize;
      for (let i = 0; i < stride; i++) {
        let acc = PRECISION_HALF;
        let p = ymin * stride + i;
        for (let y = 0; y < ymax; y++, p += stride) acc += src[p]! * weights[kb + y]!;
        out[yy * stride + i] = clip8(acc);
      }
    }
    return out;
  }
  void sh;
  return src === pixels ? pixels.slice() : src;
}

/** {@link imageResample} of a {@link PixelImage}. */
export function imageResampleBicubic(img: PixelImage, outW: number, outH: number): PixelImage {
  checkImage(img);
  const data = imageResample(img.data, img.width, img.height, img.channels, outW, outH);
  return { width: outW, height: outH, channels: img.channels, data };
}

/**
 * iscc-sdk's `image_normalize`: EXIF transpose, fill transparency, trim border (each per
 * option), convert to grey, bicubic resize to 32x32. Returns the 1024 grey pixels, row by row,
 * ready for `genImageCodeV0`.
 */
export function imageNormalize(img: PixelImage, options: ImageNormalizeOptions = {}): number[] {
  checkImage(img);
  if (options === null || typeof options !== 'object') typeError('options', 'an options object', options);
  const {
    orientation = 1,
    image_exif_transpose = true,
    image_fill_transparency = true,
    image_trim_border = true,
  } = options;
  // Skip steps that would only copy (the public functions always return copies).
  let im = img;
  if (image_exif_transpose && Number.isInteger(orientation) && orientation >= 2 && orientation <= 8) {
    im = imageExifTranspose(im, orientation);
  }
  if (image_fill_transparency && im.channels !== 3) im = imageFillTransparency(im);
  if (image_trim_border) {
    const box = imageBorderBox(im);
    if (box !== null && !(box[0] === 0 && box[1] === 0 && box[2] === im.width && box[3] === im.height)) {
      im = imageCrop(im, box);
    }
  }
  const grey = imageToGrey(im);
  const small = imageResample(grey, im.width, im.height, 1, IMAGE_NORMALIZE_SIZE, IMAGE_NORMALIZE_SIZE);
  return Array.from(small);
}

/**
 * Orientation tag (0x0112) of IFD0 in a TIFF-structured EXIF block (optionally
 * `Exif\0\0`-prefixed), or null when there is none. Shared by the sdk's and the web page's
 * decoders so that both apply the same EXIF transpose.
 * @example imageExifOrientation(new Uint8Array([1, 2, 3])) // null
 */
export function imageExifOrientation(exif: Uint8Array): number | null {
  let b = exif;
  if (b.length >= 6 && b[0] === 0x45 && b[1] === 0x78 && b[2] === 0x69 && b[3] === 0x66 && b[4] === 0 && b[5] === 0) b = b.subarray(6);
  if (b.length < 8) return null;
  const le = b[0] === 0x49 && b[1] === 0x49;
  if (!le && !(b[0] === 0x4d && b[1] === 0x4d)) return null;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const ifd = dv.getUint32(4, le);
  if (ifd + 2 > b.length) return null;
  const n = dv.getUint16(ifd, le);
  for (let i = 0; i < n; i++) {
    const e = ifd + 2 + i * 12;
    if (e + 12 > b.length) return null;
    if (dv.getUint16(e, le) === 0x0112) {
      const type = dv.getUint16(e + 2, le);
      if (type === 3) return dv.getUint16(e + 8, le); // SHORT
      if (type === 4) return dv.getUint32(e + 8, le); // LONG
      return null;
    }
  }
  return null;
}

/**
 * The orientation Pillow 9.4 reads from a PNG: the `eXIf` chunk when present, else ImageMagick's
 * `Raw profile type exif` text (hex after three header lines), else `tiff:Orientation` in the
 * XMP text; null when none says. `text` maps tEXt/zTXt/iTXt keywords to their decoded values.
 */
export function imagePngOrientation(exif: Uint8Array | null, text: ReadonlyMap<string, string>): number | null {
  let orientation: number | null = null;
  if (exif) orientation = imageExifOrientation(exif);
  else {
    const raw = text.get('Raw profile type exif');
    if (raw !== undefined) {
      const hex = raw.split('\n').slice(3).join('').replace(/[^0-9a-fA-F]/g, '');
      const bytes = new Uint8Array(hex.length >> 1);
      for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
      orientation = imageExifOrientation(bytes);
    }
  }
  if (orientation === null) {
    const xmp = text.get('XML:com.adobe.xmp');
    const m = xmp ? /tiff:Orientation(="|>)([0-9])/.exec(xmp) : null;
    if (m) orientation = Number(m[2]);
  }
  return orientation;
}
