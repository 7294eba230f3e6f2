/**
 * BMP decoder giving Pillow 9.4's pixels (sharp/libvips cannot read BMP).
 *
 * Supported as Pillow's `BmpImagePlugin`: OS/2 v1 and Windows v3-v5 headers; 1/4/8-bit
 * palette images (uncompressed, RLE8, RLE4), 16-bit (RGB555, or bitfields 555/565),
 * 24-bit, 32-bit (BGRX, or the bitfield layouts Pillow accepts, some with alpha); bottom-up
 * and top-down rows. 16-bit channels are widened as Pillow's unpackers do (`v * 255 / max`,
 * integer division). Palette images are returned as RGB (what `convert("RGB")` gives).
 * Dimensions are checked against `maxPixels` before any pixel buffer is allocated.
 */
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import type { PixelImage } from './pixels.ts';

const RAW = 0, RLE8 = 1, RLE4 = 2, BITFIELDS = 3;

function fail(msg: string): never {
  throw new SdkError(SDK_ERROR_CODES.DECODE, `BMP: ${msg}`);
}

/** Width and height from the header (for limits and metadata), or null when not a BMP. */
export function bmpSize(buf: Uint8Array): { width: number; height: number } | null {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) return null;
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const hs = dv.getUint32(14, true);
  if (hs === 12) return { width: dv.getUint16(18, true), height: dv.getUint16(20, true) };
  if (buf.length < 26 || hs < 40) return null;
  return { width: Math.abs(dv.getInt32(18, true)), height: Math.abs(dv.getInt32(22, true)) };
}

function ctz(m: number): number {
  let n = 0;
  while (n < 32 && ((m >>> n) & 1) === 0) n++;
  return n;
}

/** Decode a BMP file into RGB (or RGBA for alpha bitfield layouts) as Pillow does. */
export function decodeBmp(buf: Uint8Array, maxPixels: number | null): PixelImage {
  if (buf.length < 26 || buf[0] !== 0x42 || buf[1] !== 0x4d) fail('not a BMP file');
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const need = (end: number): void => { if (end > buf.length) fail('file is truncated'); };
  const dataOffset = dv.getUint32(10, true);
  const hs = dv.getUint32(14, true);
  let width: number, height: number, bits: number, compression = RAW, colorsUsed = 0, palEntry: number;
  let pos: number;
  let masks: [number, number, number, number] | null = null;
  if (hs === 12) {
    need(26);
    width = dv.getUint16(18, true); height = dv.getUint16(20, true); bits = dv.getUint16(24, true);
    palEntry = 3; pos = 26;
  } else if (hs >= 40 && hs <= 124) {
    need(14 + hs);
    width = dv.getInt32(18, true); height = dv.getInt32(22, true); bits = dv.getUint16(28, true);
    compression = dv.getUint32(30, true); colorsUsed = dv.getUint32(46, true);
    palEntry = 4; pos = 14 + hs;
    if (compression === BITFIELDS) {
      if (hs >= 56) {
        masks = [dv.getUint32(54, true), dv.getUint32(58, true), dv.getUint32(62, true), dv.getUint32(66, true)];
      } else if (hs === 52) {
        masks = [dv.getUint32(54, true), dv.getUint32(58, true), dv.getUint32(62, true), dv.getUint32(66, true)];
      } else {
        need(pos + 12);
        masks = [dv.getUint32(pos, true), dv.getUint32(pos + 4, true), dv.getUint32(pos + 8, true), 0];
        pos += 12;
      }
    }
  } else {
    fail(`unsupported header size ${hs}`);
  }
  const topDown = height < 0;
  height = Math.abs(height);
  if (width <= 0 || height <= 0) fail(`bad size ${width}x${height}`);
  if (maxPixels !== null && width * height > maxPixels) {
    throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `BMP ${width}x${height} = ${width * height} pixels exceeds image_max_pixels (${maxPixels})`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bits)) fail(`unsupported pixel depth ${bits}`);

  // Palette (bits <= 8): BGR(X) entries; unlisted indices are black.
  let palette: Uint8Array | null = null;
  if (bits <= 8) {
    const colors = colorsUsed > 0 && colorsUsed <= 1 << bits ? colorsUsed : 1 << bits;
    need(pos + colors * palEntry);
    palette = new Uint8Array(256 * 3);
    for (let i = 0; i < colors; i++) {
      const p = pos + i * palEntry;
      palette[i * 3] = buf[p + 2]!; palette[i * 3 + 1] = buf[p + 1]!; palette[i * 3 + 2] = buf[p]!;
    }
  }

  // Channel layout for 16/32-bit.
  let channels: 3 | 4 = 3;
  let rgbaMasks: [number, number, number, number];
  if (bits === 16) {
    rgbaMasks = [0x7c00, 0x3e0, 0x1f, 0];
    if (compression === BITFIELDS) {
      const m = masks!;
      const ok = (m[0] === 0xf800 && m[1] === 0x7e0 && m[2] === 0x1f) || (m[0] === 0x7c00 && m[1] === 0x3e0 && m[2] === 0x1f);
      if (!ok) fail('unsupported bitfields layout');
      rgbaMasks = [m[0], m[1], m[2], 0];
    } else if (compression !== RAW) fail(`unsupported compression ${compression} for 16 bits`);
  } else if (bits === 32) {
    rgbaMasks = [0xff0000, 0xff00, 0xff, 0];
    if (compression === BITFIELDS) {
      const m = masks!;
      const key = m.map((x) => x >>> 0).join(',');
      const layouts: Record<string, [number, number, number, number]> = {
        [`${0xff0000},${0xff00},${0xff},0`]: [0xff0000, 0xff00, 0xff, 0],
        [`${0xff000000},${0xff0000},${0xff00},0`]: [0xff000000, 0xff0000, 0xff00, 0],
        [`${0xff000000},${0xff0000},${0xff00},${0xff}`]: [0xff000000, 0xff0000, 0xff00, 0xff],
        [`${0xff},${0xff00},${0xff0000},${0xff000000}`]: [0xff, 0xff00, 0xff0000, 0xff000000],
        [`${0xff0000},${0xff00},${0xff},${0xff000000}`]: [0xff0000, 0xff00, 0xff, 0xff000000],
        // All-zero masks: Pillow reads BGRA.
        ['0,0,0,0']: [0xff0000, 0xff00, 0xff, 0xff000000],
      };
      const l = layouts[key];
      if (!l) fail('unsupported bitfields layout');
      rgbaMasks = l;
      if (l[3] !== 0) channels = 4;
    } else if (compression !== RAW) fail(`unsupported compression ${compression} for 32 bits`);
  } else {
    rgbaMasks = [0, 0, 0, 0];
    if (bits === 24 && compression !== RAW && !(compression === BITFIELDS && masks![0] === 0xff0000 && masks![1] === 0xff00 && masks![2] === 0xff)) {
      fail(`unsupported compression ${compression} for 24 bits`);
    }
    if (bits <= 8 && compression !== RAW && !(compression === RLE8 && bits === 8) && !(compression === RLE4 && bits === 4)) {
      fail(`unsupported compression ${compression} for ${bits} bits`);
    }
  }

  const out = new Uint8Array(width * height * channels);
  const rowOf = (y: number): number => (topDown ? y : height - 1 - y); // file row -> image row

  if (compression === RLE8 || compression === RLE4) {
    // Indices first (0 where the RLE stream skips), then the palette lookup.
    const idx = new Uint8Array(width * height);
    let p = dataOffset, x = 0, y = 0;
    const put = (v: number): void => {
      if (x < width && y < height) idx[rowOf(y) * width + x] = v;
      x++;
    };
    while (p + 1 < buf.length && y < height) {
      const n = buf[p]!, v = buf[p + 1]!;
      p += 2;
      if (n > 0) {
        for (let i = 0; i < n; i++) put(compression === RLE8 ? v : (i & 1 ? v & 15 : v >> 4));
      } else if (v === 0) { x = 0; y++; }
      else if (v === 1) break;
      else if (v === 2) { if (p + 1 >= buf.length) break; x += buf[p]!; y += buf[p + 1]!; p += 2; }
      else {
        const bytes = compression === RLE8 ? v : (v + 1) >> 1;
        for (let i = 0; i < v; i++) {
          const b = buf[p + (compression === RLE8 ? i : i >> 1)] ?? 0;
          put(compression === RLE8 ? b : (i & 1 ? b & 15 : b >> 4));
        }
        p += bytes + (bytes & 1);
      }
    }
    for (let i = 0; i < idx.length; i++) {
      const c = idx[i]! * 3;
      out[i * 3] = palette![c]!; out[i * 3 + 1] = palette![c + 1]!; out[i * 3 + 2] = palette![c + 2]!;
    }
    return { width, height, channels: 3, data: out };
  }

  const stride = Math.floor((width * bits + 31) / 32) * 4;
  need(dataOffset + stride * (height - 1) + Math.ceil((width * bits) / 8));
  const [rm, gm, bm, am] = rgbaMasks;
  const rs = ctz(rm), gs = ctz(gm), bs = ctz(bm), as = ctz(am);
  const rmax = rm >>> rs, gmax = gm >>> gs, bmax = bm >>> bs;
  for (let fy = 0; fy < height; fy++) {
    const src = dataOffset + fy * stride;
    let o = rowOf(fy) * width * channels;
    for (let x = 0; x < width; x++) {
      if (bits <= 8) {
        let i: number;
        if (bits === 8) i = buf[src + x]!;
        else if (bits === 4) i = (buf[src + (x >> 1)]! >> (x & 1 ? 0 : 4)) & 15;
        else i = (buf[src + (x >> 3)]! >> (7 - (x & 7))) & 1;
        out[o++] = palette![i * 3]!; out[o++] = palette![i * 3 + 1]!; out[o++] = palette![i * 3 + 2]!;
      } else if (bits === 24) {
        const s = src + x * 3;
        out[o++] = buf[s + 2]!; out[o++] = buf[s + 1]!; out[o++] = buf[s]!;
      } else if (bits === 16) {
        const v = buf[src + x * 2]! | (buf[src + x * 2 + 1]! << 8);
        out[o++] = Math.floor((((v & rm) >>> rs) * 255) / rmax);
        out[o++] = Math.floor((((v & gm) >>> gs) * 255) / gmax);
        out[o++] = Math.floor((((v & bm) >>> bs) * 255) / bmax);
      } else {
        const v = dv.getUint32(src + x * 4, true);
        out[o++] = (v & rm) >>> rs; out[o++] = (v & gm) >>> gs; out[o++] = (v & bm) >>> bs;
        if (channels === 4) out[o++] = (v & am) >>> as;
      }
    }
  }
  return { width, height, channels, data: out };
}
