/**
 * The EXIF orientation Pillow 9.4 sees in a PNG (libvips misses some of these).
 *
 * Pillow's `getexif()` for PNG loads the whole file first, so it sees chunks after IDAT:
 * 1. the last `eXIf` chunk (anywhere in the file), as EXIF;
 * 2. else a "Raw profile type exif" text chunk (ImageMagick's hex form), as EXIF;
 * 3. if the EXIF has no Orientation (0x0112): the first `tiff:Orientation` digit of an
 *    "XML:com.adobe.xmp" text chunk (XMP).
 * Text chunks are tEXt, zTXt and iTXt (compressed ones inflated up to 4 MiB, iscc-sdk's
 * `MAX_TEXT_CHUNK`).
 */
import { inflateSync } from 'node:zlib';
import { imagePngOrientation } from '@iscc-ts/core';

/** Largest decompressed text chunk considered (iscc-sdk raises Pillow's limit to 4 MiB). */
export const PNG_MAX_TEXT_CHUNK = 4 * 1024 * 1024;

const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');


function inflateLimited(data: Uint8Array): Uint8Array | null {
  try {
    return inflateSync(data, { maxOutputLength: PNG_MAX_TEXT_CHUNK });
  } catch {
    return null;
  }
}

/** Orientation as Pillow 9.4 reads it from a PNG file, or null when it finds none. */
export function pngOrientation(buf: Uint8Array): number | null {
  if (buf.length < 8 || buf[0] !== 0x89 || buf[1] !== 0x50) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let exif: Uint8Array | null = null;
  const text = new Map<string, string>();
  let p = 8;
  while (p + 8 <= buf.length) {
    const len = dv.getUint32(p);
    const type = latin1.decode(buf.subarray(p + 4, p + 8));
    const data = buf.subarray(p + 8, Math.min(buf.length, p + 8 + len));
    if (type === 'eXIf') exif = data;
    else if (type === 'tEXt' || type === 'zTXt' || type === 'iTXt') {
      const z = data.indexOf(0);
      if (z > 0) {
        const key = latin1.decode(data.subarray(0, z));
        let value: string | null = null;
        if (type === 'tEXt') value = latin1.decode(data.subarray(z + 1));
        else if (type === 'zTXt') {
          const raw = inflateLimited(data.subarray(z + 2));
          value = raw ? latin1.decode(raw) : null;
        } else {
          const compressed = data[z + 1] === 1;
          let q = z + 3;
          const langEnd = data.indexOf(0, q);
          const transEnd = langEnd < 0 ? -1 : data.indexOf(0, langEnd + 1);
          if (transEnd >= 0) {
            q = transEnd + 1;
            const body = compressed ? inflateLimited(data.subarray(q)) : data.subarray(q);
            value = body ? utf8.decode(body) : null;
          }
        }
        // Pillow keeps the first value of a key seen before IDAT... and overwrites after; the
        // keys used here occur once in practice; keep the last, as a dict update does.
        if (value !== null) text.set(key, value);
      }
    }
    if (type === 'IEND') break;
    p += 12 + len;
  }
  return imagePngOrientation(exif, text);
}
