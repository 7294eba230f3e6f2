/**
 * image-normalize: bit-exactness against Debian Pillow 9.4 golden vectors
 * (`scripts/gen-image-golden.py` -> `__fixtures__/image-golden.json`), plus properties.
 * Input images are synthesised here from the same seeded LCG as the generator.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  imageExifTranspose,
  imageFillTransparency,
  imageTrimBorder,
  imageToGrey,
  imageResample,
  imageResampleBicubic,
  imageNormalize,
  imageBorderBox,
  type PixelImage,
} from './image-normalize.ts';
import { IsccError } from './errors.ts';

interface GoldenCase {
  kind: string; width: number; height: number; channels: 1 | 2 | 3 | 4; seed: number; orientation: number;
  transposed_sha256: string; filled_sha256: string; trimmed_size: [number, number]; trimmed_sha256: string;
  grey_sha256: string; normalized_b64?: string; normalized_sha256?: string;
  normalized_no_fill_b64?: string; normalized_no_fill_sha256?: string;
}
interface GoldenResample {
  kind: string; width: number; height: number; channels: 1 | 3 | 4; seed: number;
  out_width: number; out_height: number; sha256: string; first16: number[];
}
const golden = JSON.parse(
  readFileSync(new URL('./__fixtures__/image-golden.json', import.meta.url), 'utf8'),
) as { cases: GoldenCase[]; resamples: GoldenResample[] };

const lcg = (s: number): number => (Math.imul(s, 1664525) + 1013904223) >>> 0;

/** Mirror of `synth` in scripts/gen-image-golden.py. */
function synth(kind: string, w: number, h: number, c: number, seed: number): Uint8Array {
  let s = seed >>> 0;
  const out = new Uint8Array(w * h * c);
  s = lcg(s);
  const border = [0, 1, 2, 3].map((k) => (s >>> (8 * k)) & 255);
  const bx0 = Math.floor(w / 5), by0 = Math.floor(h / 4);
  const bx1 = w - Math.floor(w / 7), by1 = h - Math.floor(h / 3);
  let i = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const inside = bx0 <= x && x < bx1 && by0 <= y && y < by1;
      for (let ch = 0; ch < c; ch++) {
        s = lcg(s);
        const r = s >>> 24;
        let v: number;
        if (kind === 'noise') v = r;
        else if (kind === 'smooth') v = (x * 7 + y * 3 + ch * 50 + (r >> 5)) & 255;
        else v = inside ? r : border[ch]!;
        if (ch === c - 1 && (c === 2 || c === 4)) {
          const sel = r & 3;
          v = sel === 0 ? 0 : sel === 1 ? 255 : (r * 37) & 255;
          if (kind === 'border' && !inside) v = border[ch]!;
        }
        out[i++] = v;
      }
    }
  }
  return out;
}

const sha = (b: Uint8Array): string => bytesToHex(sha256(b)).slice(0, 16);
const b64 = (s: string): Uint8Array => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
const mismatches = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let n = Math.abs(a.length - b.length);
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) n++;
  return n;
};

function checkNormalized(actual: number[], b64s: string | undefined, digest: string | undefined): void {
  expect(actual).toHaveLength(1024);
  if (b64s !== undefined) expect(mismatches(actual, b64(b64s))).toBe(0);
  else expect(sha(Uint8Array.from(actual))).toBe(digest);
}

describe('imageNormalize against Pillow 9.4 golden vectors', () => {
  it('has a meaningful fixture', () => {
    expect(golden.cases.length).toBeGreaterThan(100);
    expect(golden.resamples.length).toBeGreaterThan(50);
  });
  for (const g of golden.cases) {
    it(`${g.kind} ${g.width}x${g.height}x${g.channels} orientation ${g.orientation}`, () => {
      const img: PixelImage = { width: g.width, height: g.height, channels: g.channels, data: synth(g.kind, g.width, g.height, g.channels, g.seed) };
      const t = imageExifTranspose(img, g.orientation);
      expect(sha(t.data)).toBe(g.transposed_sha256);
      const f = imageFillTransparency(t);
      expect(sha(f.data)).toBe(g.filled_sha256);
      const tr = imageTrimBorder(f);
      expect([tr.width, tr.height]).toEqual(g.trimmed_size);
      expect(sha(tr.data)).toBe(g.trimmed_sha256);
      expect(sha(imageToGrey(tr))).toBe(g.grey_sha256);
      checkNormalized(imageNormalize(img, { orientation: g.orientation }), g.normalized_b64, g.normalized_sha256);
      if (g.normalized_no_fill_b64 !== undefined || g.normalized_no_fill_sha256 !== undefined) {
        checkNormalized(
          imageNormalize(img, { orientation: g.orientation, image_fill_transparency: false }),
          g.normalized_no_fill_b64,
          g.normalized_no_fill_sha256,
        );
      }
    });
  }
});

describe('imageResample against Pillow 9.4 BICUBIC resize', () => {
  for (const g of golden.resamples) {
    it(`${g.kind} ${g.width}x${g.height}x${g.channels} -> ${g.out_width}x${g.out_height}`, () => {
      const data = synth(g.kind, g.width, g.height, g.channels, g.seed);
      const out = imageResample(data, g.width, g.height, g.channels, g.out_width, g.out_height);
      expect(out).toHaveLength(g.out_width * g.out_height * g.channels);
      expect(Array.from(out.subarray(0, 16))).toEqual(g.first16);
      expect(sha(out)).toBe(g.sha256);
    });
  }
});

const arbImage = fc
  .record({ w: fc.integer({ min: 1, max: 12 }), h: fc.integer({ min: 1, max: 12 }), c: fc.constantFrom(1, 2, 3, 4) as fc.Arbitrary<1 | 2 | 3 | 4> })
  .chain(({ w, h, c }) => fc.uint8Array({ minLength: w * h * c, maxLength: w * h * c }).map((data): PixelImage => ({ width: w, height: h, channels: c, data })));
const runs = process.env['ISCC_SLOW'] ? 100_000 : 1000;

describe('properties', () => {
  it('transposes are permutations: 2,3,4,5,7 are involutions; 6 and 8 are inverses', () => {
    fc.assert(fc.property(arbImage, (img) => {
      for (const o of [2, 3, 4, 5, 7]) expect(imageExifTranspose(imageExifTranspose(img, o), o)).toEqual(img);
      expect(imageExifTranspose(imageExifTranspose(img, 6), 8)).toEqual(img);
      expect(imageExifTranspose(img, 1)).toEqual(img);
      expect(imageExifTranspose(img, 9)).toEqual(img);
    }), { numRuns: runs });
  });
  it('resampling a constant image gives the constant; same size gives a copy', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 255 }), (w, h, ow, oh, v) => {
      const out = imageResample(new Uint8Array(w * h).fill(v), w, h, 1, ow, oh);
      expect(out.every((p) => p === v)).toBe(true);
    }), { numRuns: runs });
    const px = Uint8Array.of(1, 2, 3, 4);
    const same = imageResample(px, 2, 2, 1, 2, 2);
    expect(same).toEqual(px);
    expect(same).not.toBe(px);
  });
  it('trim keeps every pixel that differs from the corner', () => {
    fc.assert(fc.property(arbImage, (img) => {
      const box = imageBorderBox(img);
      const t = imageTrimBorder(img);
      if (box === null) expect(t).toEqual(img);
      else expect([t.width, t.height]).toEqual([box[2] - box[0], box[3] - box[1]]);
    }), { numRuns: runs });
  });
  it('fill keeps opaque pixels and whitens transparent ones', () => {
    const img: PixelImage = { width: 2, height: 1, channels: 4, data: Uint8Array.of(10, 20, 30, 255, 10, 20, 30, 0) };
    expect(Array.from(imageFillTransparency(img).data)).toEqual([10, 20, 30, 255, 255, 255]);
  });
  it('inputs do not change', () => {
    fc.assert(fc.property(arbImage, (img) => {
      const copy = img.data.slice();
      imageNormalize(img, { orientation: 6 });
      expect(img.data).toEqual(copy);
    }), { numRuns: 200 });
  });
});

describe('bad input throws IsccError', () => {
  const good: PixelImage = { width: 2, height: 2, channels: 1, data: new Uint8Array(4) };
  it.each([
    ['null', null],
    ['zero width', { ...good, width: 0 }],
    ['fractional height', { ...good, height: 1.5 }],
    ['channels 5', { ...good, channels: 5 }],
    ['data too short', { ...good, data: new Uint8Array(3) }],
    ['data not bytes', { ...good, data: [0, 0, 0, 0] }],
    ['huge', { width: 1e6, height: 1e6, channels: 1, data: new Uint8Array(1) }],
  ])('%s', (_name, bad) => {
    expect(() => imageNormalize(bad as unknown as PixelImage)).toThrow(IsccError);
  });
  it('imageResample rejects bad sizes', () => {
    expect(() => imageResample(new Uint8Array(4), 2, 2, 1, 0, 32)).toThrow(IsccError);
    expect(() => imageResample(new Uint8Array(4), 2, 2, 1, 32, Number.NaN)).toThrow(IsccError);
    expect(() => imageResample(new Uint8Array(4), 2, 2, 5, 32, 32)).toThrow(IsccError);
    expect(() => imageResampleBicubic(good, 3, 3)).not.toThrow();
  });
});
