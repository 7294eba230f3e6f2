import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genImageCode, genImageCodeV0, softHashImageV0 } from './code-content-image.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fixture = <T>(name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;

type Case = { inputs: unknown[]; outputs: Record<string, unknown> };
const vectors = readConformanceJson<Record<string, Record<string, Case>>>('data.json');
const SAMPLE = fixture<{ img_sample_pixels: number[] }>('content-samples.json').img_sample_pixels;
const WHITE = new Array<number>(1024).fill(255);
const BLACK = new Array<number>(1024).fill(0);

describe('genImageCodeV0: conformance vectors (data.json)', () => {
  const cases = Object.entries(vectors['gen_image_code_v0']!);
  it('has the 3 cases', () => expect(cases).toHaveLength(3));
  for (const [name, c] of cases) {
    it(name, () => {
      const [px, bits] = c.inputs as [number[], number];
      expect(genImageCodeV0(px, bits)).toStrictEqual(c.outputs);
      expect(genImageCode(Uint8Array.from(px), bits)).toStrictEqual(c.outputs);
    });
  }
});

describe('reference tests (test_code_content_image.py)', () => {
  it('codes of the sample image', () => {
    expect(genImageCodeV0(SAMPLE)).toStrictEqual({ iscc: 'ISCC:EEA4GQZQTY6J5DTH' });
    expect(genImageCodeV0(SAMPLE, 32)).toStrictEqual({ iscc: 'ISCC:EEAMGQZQTY' });
    expect(genImageCodeV0(SAMPLE, 256)).toStrictEqual({
      iscc: 'ISCC:EED4GQZQTY6J5DTHQ2DWCPDZHQOM6QZQTY6J5DTFZ2DWCPDZHQOMXDI',
    });
    expect(genImageCode(SAMPLE, 256)).toStrictEqual(genImageCodeV0(SAMPLE, 256));
  });

  it('soft hashes of white, black and sample images', () => {
    expect(hex(softHashImageV0(WHITE, 64))).toBe('8000000000000000');
    expect(hex(softHashImageV0(WHITE, 256))).toBe('80' + '00'.repeat(31));
    expect(hex(softHashImageV0(BLACK, 64))).toBe('00'.repeat(8));
    expect(hex(softHashImageV0(BLACK, 256))).toBe('00'.repeat(32));
    expect(hex(softHashImageV0(SAMPLE, 64))).toBe('c343309e3c9e8e67');
    expect(hex(softHashImageV0(SAMPLE, 256))).toBe(
      'c343309e3c9e8e678687613c793c1ccf43309e3c9e8e65ce87613c793c1ccb8d',
    );
    expect(genImageCodeV0(WHITE, 64)).toStrictEqual({ iscc: 'ISCC:EEAYAAAAAAAAAAAA' });
  });

  it('rejects more than 256 bits (AssertionError upstream)', () => {
    expect(() => softHashImageV0(SAMPLE, 288)).toThrow(IsccError);
    try {
      softHashImageV0(SAMPLE, 288);
    } catch (e) {
      expect((e as IsccError).code).toBe(ISCC_ERROR_CODES.INVALID_BITS);
    }
  });
});

describe('golden hashes from the reference engine (random, smooth and binary images)', () => {
  const g = fixture<{ image: { pixels: number[]; hash32: string; hash64: string; hash96: string; hash256: string }[] }>(
    'content-golden.json',
  ).image;
  it('all match bit for bit', () => {
    expect(g.length).toBeGreaterThan(40);
    for (const e of g) {
      expect(hex(softHashImageV0(e.pixels, 256))).toBe(e.hash256);
      expect(hex(softHashImageV0(e.pixels, 64))).toBe(e.hash64);
      expect(hex(softHashImageV0(e.pixels, 32))).toBe(e.hash32);
      expect(hex(softHashImageV0(e.pixels, 96))).toBe(e.hash96);
    }
  });
});

describe('pixel counts other than 1024 follow the reference list semantics', () => {
  const odd = fixture<{ image_odd: Record<string, number[] | string>[] }>('content-golden.json').image_odd;
  it('hashes or fails exactly where the reference does', () => {
    expect(odd).toHaveLength(6);
    for (const e of odd) {
      const px = e['pixels'] as number[];
      for (const bits of [32, 64, 128, 256]) {
        const want = e[String(bits)] as string;
        let got: string;
        try {
          got = hex(softHashImageV0(px, bits));
        } catch (err) {
          expect(err).toBeInstanceOf(IsccError);
          got = 'fail';
        }
        // The reference raises (ValueError, StatisticsError, OverflowError) or returns None.
        expect(got, `${px.length} px, ${bits} bits`).toBe(want.startsWith('error') || want === 'none' ? 'fail' : want);
      }
    }
  });
});

describe('inputs the reference rejects', () => {
  it('throws IsccError', () => {
    expect(() => softHashImageV0([])).toThrow(IsccError); // statistics.median of nothing
    expect(() => softHashImageV0(new Array<number>(1023).fill(1))).toThrow(IsccError); // odd-length row
    expect(() => softHashImageV0(new Array<number>(1024).fill('a') as unknown as number[])).toThrow(IsccError);
    expect(() => softHashImageV0(null as unknown as number[])).toThrow(IsccError);
  });
});
