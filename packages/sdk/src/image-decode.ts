/**
 * Decode an image file into the pixels Pillow 9.4 would give iscc-sdk (shared/ECOSYSTEM.md §3).
 *
 * - BMP and PSD: our own decoders (`bmp.ts`, `psd.ts`).
 * - Everything else: sharp (libvips) with `ignoreIcc` (Pillow never applies ICC profiles),
 *   first page/frame only, no auto-rotation (we apply the EXIF orientation ourselves), and:
 *   - CMYK (JPEG/TIFF): read as CMYK and converted with Pillow's `cmyk2rgb`;
 *   - 16-bit greyscale (PNG, TIFF): Pillow opens it as mode "I"/"I;16" and clips values
 *     above 255 when converting, while libvips would scale; we read 16-bit samples and clip;
 *   - TIFF orientation: Pillow 9.4 applies it twice (see `decodeImage`);
 *   - greyscale or RGB PNG with a tRNS colour key: Pillow keeps mode L/RGB and ignores the
 *     key when converting to RGB, so the alpha channel libvips synthesises is dropped.
 * - Dimensions come from the header and are checked against `image_max_pixels` before any
 *   decoding, so a decompression bomb fails fast with ISCC_SDK_LIMIT_EXCEEDED.
 *
 * The EXIF orientation is read from the metadata (sharp reports EXIF's tag 274); for PNG
 * with Pillow's rules (`png-orientation.ts`).
 */
import sharp, { type Metadata } from 'sharp';
import { decodeBmp, bmpSize } from './bmp.ts';
import { decodePsd, psdSize } from './psd.ts';
import { cmykToRgb, dropAlpha, type PixelImage } from './pixels.ts';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { pngOrientation } from './png-orientation.ts';

/** A decoded image plus what the normalisation needs to know about the file. */
export interface DecodedImage {
  image: PixelImage;
  /** EXIF orientation (1-8), 1 when absent. */
  orientation: number;
  /** Format name (sharp's, or "bmp"/"psd"). */
  format: string;
}

// libvips warns on stderr about some files Pillow reads silently; keep our output clean.
sharp.cache(false);

function limitError(width: number, height: number, max: number): SdkError {
  return new SdkError(
    SDK_ERROR_CODES.LIMIT_EXCEEDED,
    `image ${width}x${height} = ${width * height} pixels exceeds image_max_pixels (${max}); raise the option (ISCC_SDK_IMAGE_MAX_PIXELS) to process it`,
  );
}

/** PNG IHDR colour type and whether a tRNS chunk precedes the image data. */
function pngInfo(buf: Uint8Array): { colorType: number; bitDepth: number; trns: boolean } | null {
  if (buf.length < 33 || buf[0] !== 0x89 || buf[1] !== 0x50 || buf[2] !== 0x4e || buf[3] !== 0x47) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const info = { colorType: buf[25]!, bitDepth: buf[24]!, trns: false };
  let p = 8;
  while (p + 8 <= buf.length) {
    const len = dv.getUint32(p);
    const type = String.fromCharCode(buf[p + 4]!, buf[p + 5]!, buf[p + 6]!, buf[p + 7]!);
    if (type === 'tRNS') info.trns = true;
    if (type === 'IDAT' || type === 'IEND') break;
    p += 12 + len;
  }
  return info;
}

/** Width and height of an image file from its header (no pixel decoding). */
export async function imageSize(buf: Uint8Array): Promise<{ width: number; height: number; orientation: number }> {
  const b = bmpSize(buf) ?? psdSize(buf);
  if (b) return { ...b, orientation: 1 };
  try {
    const m = await sharp(buf, { limitInputPixels: false, failOn: 'none' }).metadata();
    return { width: m.width ?? 0, height: m.height ?? 0, orientation: m.orientation ?? 1 };
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `cannot read image header: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * Decode `buf` (a whole image file) into 8-bit pixels as Pillow would.
 * @param maxPixels - iscc-sdk's `image_max_pixels` (null: no limit)
 * @throws SdkError ISCC_SDK_DECODE (corrupt, truncated, empty, unsupported) or
 *   ISCC_SDK_LIMIT_EXCEEDED (too many pixels)
 */
export async function decodeImage(buf: Uint8Array, maxPixels: number | null): Promise<DecodedImage> {
  if (buf.length === 0) throw new SdkError(SDK_ERROR_CODES.DECODE, 'cannot decode image: the file is empty');
  if (bmpSize(buf)) return { image: decodeBmp(buf, maxPixels), orientation: 1, format: 'bmp' };
  if (psdSize(buf)) return { image: decodePsd(buf, maxPixels), orientation: 1, format: 'psd' };
  const open = () => sharp(buf, { ignoreIcc: true, failOn: 'truncated', limitInputPixels: false, pages: 1 });
  let meta: Metadata;
  try {
    meta = await open().metadata();
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `cannot decode image: ${(e as Error).message}`, { cause: e });
  }
  const width = meta.width ?? 0, height = meta.pageHeight ?? meta.height ?? 0;
  if (!width || !height) throw new SdkError(SDK_ERROR_CODES.DECODE, 'cannot decode image: no dimensions');
  if (maxPixels !== null && width * height > maxPixels) throw limitError(width, height, maxPixels);
  const format = meta.format ?? 'unknown';
  // PNG: Pillow's own rules (it sees eXIf after IDAT, ImageMagick's raw profile and XMP).
  let orientation = (format === 'png' ? pngOrientation(buf) : meta.orientation) ?? 1;
  // Pillow 9.4 quirk: its TIFF loader already applies the Orientation tag when loading, and
  // `exif_transpose` (which reads the tag first) applies it again. Twice an involution is
  // nothing; twice a quarter turn (6, 8) is a half turn (3).
  if (format === 'tiff') orientation = orientation === 6 || orientation === 8 ? 3 : 1;
  try {
    if (meta.space === 'cmyk') {
      const { data, info } = await open().pipelineColourspace('cmyk').toColourspace('cmyk').raw().toBuffer({ resolveWithObject: true });
      if (info.channels < 4) throw new Error(`CMYK decode gave ${info.channels} channels`);
      const cmyk = info.channels === 4 ? new Uint8Array(data) : pick(new Uint8Array(data), info.channels, 4);
      return { image: { width: info.width, height: info.height, channels: 3, data: cmykToRgb(cmyk) }, orientation, format };
    }
    const png = format === 'png' ? pngInfo(buf) : null;
    // 16-bit grey (PNG mode I, TIFF mode I;16): Pillow clips to 255 when converting to RGB.
    if ((png && png.colorType === 0 && png.bitDepth === 16) || (meta.depth === 'ushort' && meta.channels === 1)) {
      const { data, info } = await open().toColourspace('grey16').raw({ depth: 'ushort' }).toBuffer({ resolveWithObject: true });
      const u16 = new Uint16Array(data.buffer, data.byteOffset, data.byteLength / 2);
      const out = new Uint8Array(info.width * info.height);
      for (let i = 0, s = 0; i < out.length; i++, s += info.channels) out[i] = Math.min(255, u16[s]!);
      return { image: { width: info.width, height: info.height, channels: 1, data: out }, orientation, format };
    }
    const { data, info } = await open().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    let px: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let ch = info.channels as number;
    if (ch < 1 || ch > 4) throw new Error(`unexpected channel count ${ch}`);
    if (png && (png.colorType === 0 || png.colorType === 2) && png.trns && (ch === 2 || ch === 4)) {
      px = dropAlpha(px, ch);
      ch -= 1;
    }
    return { image: { width: info.width, height: info.height, channels: ch as 1 | 2 | 3 | 4, data: px }, orientation, format };
  } catch (e) {
    if (e instanceof SdkError) throw e;
    throw new SdkError(SDK_ERROR_CODES.DECODE, `cannot decode image: ${(e as Error).message}`, { cause: e });
  }
}

/** Keep the first `keep` of `channels` interleaved channels. */
function pick(data: Uint8Array, channels: number, keep: number): Uint8Array {
  const n = data.length / channels;
  const out = new Uint8Array(n * keep);
  for (let i = 0; i < n; i++) for (let k = 0; k < keep; k++) out[i * keep + k] = data[i * channels + k]!;
  return out;
}
