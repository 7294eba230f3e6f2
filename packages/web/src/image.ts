/**
 * Image pixels in the browser, decoded as iscc-sdk decodes them (sharp/libvips on Node, whose
 * output equals Pillow's), so that the Image-Code computed here equals the sdk's:
 *
 * - JPEG: mozjpeg compiled to WASM (@jsquash/jpeg 1.6.0), measured bit-identical to Pillow's
 *   libjpeg-turbo (ISLOW IDCT, fancy upsampling). Canvas/`createImageBitmap` decoding is not
 *   used: browsers apply colour management, which changes pixel values. CMYK JPEGs are refused
 *   (the sdk converts them with Pillow's own formula; use the server for those).
 * - PNG: libpng-compatible Rust decoder in WASM (@jsquash/png); always RGBA out, so the
 *   channels the sdk would see are recovered from the header: alpha only for grey+alpha, RGBA
 *   and palette images with a tRNS chunk (Pillow ignores tRNS colour keys of grey/RGB images);
 *   16-bit greyscale is clipped at 255 as Pillow does when it converts mode "I".
 * - EXIF orientation: read from the JPEG's first APP1 Exif segment (what libexif gives sharp)
 *   or with Pillow's PNG rules (last eXIf chunk, else ImageMagick's "Raw profile type exif"
 *   text chunk, else `tiff:Orientation` in XMP), then applied by core's `imageNormalize`.
 *
 * The decoders load their .wasm files from the page's own origin on first use (no CDN).
 */
import { imageExifOrientation, imagePngOrientation, type PixelImage } from '@iscc-ts/core';

/** A decoded image and the EXIF orientation (1-8, 1 when absent) to apply to it. */
export interface DecodedImage {
  image: PixelImage;
  orientation: number;
  format: 'jpeg' | 'png';
}

/** Largest image decoded in the browser (iscc-sdk's default `image_max_pixels` is 128 MP). */
export const BROWSER_MAX_PIXELS = 128_000_000;

/** Which image format the bytes start with, or null when the page cannot decode it. */
export function sniffImage(head: Uint8Array): 'jpeg' | 'png' | null {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png';
  return null;
}

/** Orientation tag of an EXIF block (core's `imageExifOrientation`, shared with the sdk). */
export const exifOrientation = imageExifOrientation;

/** JPEG markers up to the first scan: EXIF orientation and the component count of the frame. */
export function jpegInfo(buf: Uint8Array): { orientation: number; components: number; width: number; height: number } {
  const info = { orientation: 1, components: 3, width: 0, height: 0 };
  let exifSeen = false;
  let p = 2;
  while (p + 4 <= buf.length) {
    if (buf[p] !== 0xff) break;
    const marker = buf[p + 1]!;
    if (marker === 0xff) { p++; continue; } // fill byte
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) { p += 2; continue; }
    if (marker === 0xda || marker === 0xd9) break; // start of scan / end of image
    const len = (buf[p + 2]! << 8) | buf[p + 3]!;
    const seg = buf.subarray(p + 4, Math.min(buf.length, p + 2 + len));
    if (marker === 0xe1 && !exifSeen && seg.length > 6 && seg[0] === 0x45 && seg[1] === 0x78 && seg[2] === 0x69 && seg[3] === 0x66) {
      exifSeen = true;
      info.orientation = exifOrientation(seg) ?? 1;
    }
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc && seg.length >= 6) {
      info.height = (seg[1]! << 8) | seg[2]!;
      info.width = (seg[3]! << 8) | seg[4]!;
      info.components = seg[5]!;
    }
    p += 2 + len;
  }
  return info;
}

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

async function inflate(data: Uint8Array, limit = 4 * 1024 * 1024): Promise<Uint8Array | null> {
  try {
    const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
    const reader = stream.getReader();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > limit) { await reader.cancel(); return null; }
      parts.push(value);
    }
    const out = new Uint8Array(total);
    let o = 0;
    for (const part of parts) { out.set(part, o); o += part.length; }
    return out;
  } catch {
    return null;
  }
}

/** PNG header facts and the orientation Pillow 9.4 reads from a PNG (module comment). */
export async function pngInfo(buf: Uint8Array): Promise<{ colorType: number; bitDepth: number; trns: boolean; width: number; height: number; orientation: number }> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const info = { colorType: buf[25] ?? 2, bitDepth: buf[24] ?? 8, trns: false, width: dv.getUint32(16), height: dv.getUint32(20), orientation: 1 };
  let exif: Uint8Array | null = null;
  let idat = false;
  const text = new Map<string, string>();
  let p = 8;
  while (p + 8 <= buf.length) {
    const len = dv.getUint32(p);
    const type = latin1.decode(buf.subarray(p + 4, p + 8));
    const data = buf.subarray(p + 8, Math.min(buf.length, p + 8 + len));
    if (type === 'IDAT') idat = true;
    if (type === 'tRNS' && !idat) info.trns = true;
    if (type === 'eXIf') exif = data;
    else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const z = data.indexOf(0);
      if (z > 0) {
        const key = latin1.decode(data.subarray(0, z));
        let value: string | null = null;
        if (type === 'tEXt') value = latin1.decode(data.subarray(z + 1));
        else if (type === 'zTXt') {
          const raw = await inflate(data.subarray(z + 2));
          value = raw ? latin1.decode(raw) : null;
        } else {
          const compressed = data[z + 1] === 1;
          const langEnd = data.indexOf(0, z + 3);
          const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
          if (transEnd >= 0) {
            const body = compressed ? await inflate(data.subarray(transEnd + 1)) : data.subarray(transEnd + 1);
            value = body ? utf8.decode(body) : null;
          }
        }
        if (value !== null) text.set(key, value);
      }
    }
    if (type === 'IEND') break;
    p += 12 + len;
  }
  const orientation = imagePngOrientation(exif, text);
  info.orientation = orientation ?? 1;
  return info;
}

/** Keep `keep` of the 4 interleaved RGBA channels (3: drop alpha). */
function rgbaTo(data: Uint8Array | Uint8ClampedArray, keep: 3 | 4): Uint8Array {
  if (keep === 4) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  const n = data.length >> 2;
  const out = new Uint8Array(n * 3);
  for (let i = 0, s = 0, d = 0; i < n; i++, s += 4, d += 3) {
    out[d] = data[s]!;
    out[d + 1] = data[s + 1]!;
    out[d + 2] = data[s + 2]!;
  }
  return out;
}

/** An error the page shows as is (unsupported input rather than a bug). */
export class ImageDecodeError extends Error {
  override name = 'ImageDecodeError';
}

/**
 * Decode a JPEG or PNG file into the pixels iscc-sdk would hash (module comment).
 * @throws ImageDecodeError for formats or variants the page cannot decode exactly
 */
export async function decodeImageFile(buf: Uint8Array): Promise<DecodedImage> {
  const format = sniffImage(buf);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
  if (format === 'jpeg') {
    const info = jpegInfo(buf);
    if (info.components === 4) throw new ImageDecodeError('CMYK JPEG: the page cannot decode it exactly; use the server\'s full sdk');
    if (info.width * info.height > BROWSER_MAX_PIXELS) throw new ImageDecodeError(`image of ${info.width}x${info.height} pixels exceeds ${BROWSER_MAX_PIXELS} pixels`);
    const { default: decode } = await import('@jsquash/jpeg/decode.js');
    const img = await decode(ab, { preserveOrientation: false });
    return { image: { width: img.width, height: img.height, channels: 3, data: rgbaTo(img.data, 3) }, orientation: info.orientation, format };
  }
  if (format === 'png') {
    const info = await pngInfo(buf);
    if (info.width * info.height > BROWSER_MAX_PIXELS) throw new ImageDecodeError(`image of ${info.width}x${info.height} pixels exceeds ${BROWSER_MAX_PIXELS} pixels`);
    const { decode } = await import('@jsquash/png/decode.js');
    if (info.colorType === 0 && info.bitDepth === 16) {
      const img = await decode(ab, { bitDepth: 16 });
      const n = img.width * img.height;
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = Math.min(255, img.data[i * 4]!);
      return { image: { width: img.width, height: img.height, channels: 1, data: out }, orientation: info.orientation, format };
    }
    const img = await decode(ab);
    const alpha = info.colorType === 4 || info.colorType === 6 || (info.colorType === 3 && info.trns);
    return { image: { width: img.width, height: img.height, channels: alpha ? 4 : 3, data: rgbaTo(img.data, alpha ? 4 : 3) }, orientation: info.orientation, format };
  }
  throw new ImageDecodeError('not a JPEG or PNG file');
}
