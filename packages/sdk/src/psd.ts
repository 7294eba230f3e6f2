/**
 * PSD decoder giving Pillow 9.4's pixels (sharp/libvips cannot read PSD).
 *
 * Like Pillow's `PsdImagePlugin`, only the flattened composite ("image data" section) is read:
 * 8-bit Greyscale/Duotone/Multichannel (L), Indexed (P, planar 768-byte palette), RGB (RGBA
 * when the file has exactly 4 channels, else the first 3), CMYK (stored inverted; converted
 * with Pillow's `cmyk2rgb`). Raw and PackBits compression. Quirk kept for exactness: with
 * PackBits, Pillow skips only `channels * height` row byte counts (the mode's channels, not
 * the file's), so files with extra channels decode as Pillow decodes them.
 */
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { cmykToRgb, type PixelImage } from './pixels.ts';

function fail(msg: string): never {
  throw new SdkError(SDK_ERROR_CODES.DECODE, `PSD: ${msg}`);
}

/** Width and height from the header, or null when not a PSD. */
export function psdSize(buf: Uint8Array): { width: number; height: number } | null {
  if (buf.length < 26 || buf[0] !== 0x38 || buf[1] !== 0x42 || buf[2] !== 0x50 || buf[3] !== 0x53) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  return { width: dv.getUint32(18), height: dv.getUint32(14) };
}

/** Decode the composite image of a PSD file as Pillow does (RGB, RGBA or L). */
export function decodePsd(buf: Uint8Array, maxPixels: number | null): PixelImage {
  const size = psdSize(buf);
  if (!size) fail('not a PSD file');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (dv.getUint16(4) !== 1) fail('not a PSD file (version is not 1)');
  const psdChannels = dv.getUint16(12);
  const bits = dv.getUint16(22);
  const psdMode = dv.getUint16(24);
  const { width, height } = size;
  if (width === 0 || height === 0) fail(`bad size ${width}x${height}`);
  if (maxPixels !== null && width * height > maxPixels) {
    throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `PSD ${width}x${height} = ${width * height} pixels exceeds image_max_pixels (${maxPixels})`);
  }
  if (bits !== 8) fail(`unsupported bit depth ${bits} (Pillow reads 8-bit PSD only)`);
  let mode: 'L' | 'P' | 'RGB' | 'RGBA' | 'CMYK';
  let channels: number;
  switch (psdMode) {
    case 1: case 7: case 8: mode = 'L'; channels = 1; break;
    case 2: mode = 'P'; channels = 1; break;
    case 3: mode = 'RGB'; channels = 3; break;
    case 4: mode = 'CMYK'; channels = 4; break;
    default: fail(`unsupported colour mode ${psdMode}`);
  }
  if (channels > psdChannels) fail('not enough channels');
  if (mode === 'RGB' && psdChannels === 4) { mode = 'RGBA'; channels = 4; }

  const need = (end: number): void => { if (end > buf.length) fail('file is truncated'); };
  let pos = 26;
  need(pos + 4);
  const cmLen = dv.getUint32(pos); pos += 4;
  need(pos + cmLen);
  const palette = mode === 'P' && cmLen === 768 ? buf.subarray(pos, pos + 768) : null;
  pos += cmLen;
  need(pos + 4);
  pos += 4 + dv.getUint32(pos); // image resources
  need(pos + 4);
  pos += 4 + dv.getUint32(pos); // layer and mask information
  need(pos + 2);
  const compression = dv.getUint16(pos); pos += 2;
  const n = width * height;
  const planes = new Uint8Array(n * channels);
  if (compression === 0) {
    need(pos + n * channels);
    planes.set(buf.subarray(pos, pos + n * channels));
  } else if (compression === 1) {
    pos += channels * height * 2; // see the module comment
    let o = 0;
    while (o < planes.length) {
      if (pos >= buf.length) fail('file is truncated');
      const h = buf[pos++]!;
      if (h < 128) {
        const len = h + 1;
        need(pos + len);
        planes.set(buf.subarray(pos, pos + Math.min(len, planes.length - o)), o);
        o += len; pos += len;
      } else if (h > 128) {
        const len = 257 - h;
        need(pos + 1);
        planes.fill(buf[pos]!, o, Math.min(o + len, planes.length));
        o += len; pos += 1;
      }
    }
  } else {
    fail(`unsupported compression ${compression}`);
  }
  if (mode === 'L') return { width, height, channels: 1, data: planes };
  const outCh = mode === 'RGBA' ? 4 : mode === 'CMYK' ? 4 : 3;
  const inter = new Uint8Array(n * outCh);
  if (mode === 'P') {
    for (let i = 0; i < n; i++) {
      const v = planes[i]!;
      inter[i * 3] = palette ? palette[v]! : v;
      inter[i * 3 + 1] = palette ? palette[256 + v]! : v;
      inter[i * 3 + 2] = palette ? palette[512 + v]! : v;
    }
    return { width, height, channels: 3, data: inter };
  }
  for (let c = 0; c < outCh; c++) {
    const plane = planes.subarray(c * n, (c + 1) * n);
    const inv = mode === 'CMYK';
    for (let i = 0; i < n; i++) inter[i * outCh + c] = inv ? 255 - plane[i]! : plane[i]!;
  }
  if (mode === 'CMYK') return { width, height, channels: 3, data: cmykToRgb(inter) };
  return { width, height, channels: outCh as 3 | 4, data: inter };
}
