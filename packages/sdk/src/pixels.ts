/**
 * Small pixel conversions that Pillow performs while decoding, kept bit-exact; and the pixel
 * buffer type the decoders return (the same shape as core's `PixelImage`).
 */

/** An 8-bit image: row-major, interleaved channels (1 = L, 2 = LA, 3 = RGB, 4 = RGBA). */
export interface PixelImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

/** Pillow `MULDIV255`: round(a * b / 255) as Pillow computes it. */
function mulDiv255(a: number, b: number): number {
  const t = a * b + 128;
  return ((t >> 8) + t) >> 8;
}

/** Pillow `cmyk2rgb`: interleaved CMYK bytes -> RGB bytes, `nk - MULDIV255(c, nk)` per channel. */
export function cmykToRgb(cmyk: Uint8Array): Uint8Array {
  const n = cmyk.length >> 2;
  const out = new Uint8Array(n * 3);
  for (let i = 0; i < n; i++) {
    const nk = 255 - cmyk[i * 4 + 3]!;
    for (let c = 0; c < 3; c++) {
      const v = nk - mulDiv255(cmyk[i * 4 + c]!, nk);
      out[i * 3 + c] = v < 0 ? 0 : v > 255 ? 255 : v;
    }
  }
  return out;
}

/** Drop the alpha channel of an interleaved image (2 -> 1 or 4 -> 3 channels). */
export function dropAlpha(data: Uint8Array, channels: 2 | 4): Uint8Array {
  const c = channels - 1;
  const n = data.length / channels;
  const out = new Uint8Array(n * c);
  for (let i = 0; i < n; i++) for (let k = 0; k < c; k++) out[i * c + k] = data[i * channels + k]!;
  return out;
}
