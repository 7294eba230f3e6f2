import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { algDct, DCT_COS_TABLE_MAX } from './dct.ts';
import { IsccError } from './errors.ts';

interface Golden {
  dct: { input: number[]; output: number[] }[];
}
const GOLDEN = JSON.parse(
  readFileSync(new URL('./__fixtures__/content-golden.json', import.meta.url), 'utf8'),
) as Golden;

/** Normalise -0 to 0: Python's `==` does not tell them apart, vitest's toEqual does. */
const z = (v: number[]) => v.map((x) => x + 0);

describe('algDct (iscc-core alg_dct)', () => {
  it('matches the reference tests', () => {
    expect(z(algDct(new Array(64).fill(0)))).toEqual(new Array(64).fill(0));
    expect(z(algDct(new Array(64).fill(1)))).toEqual([64, ...new Array(63).fill(0)]);
    expect(algDct(Array.from({ length: 64 }, (_, i) => i))[0]).toBe(2016);
    expect(algDct([7])).toEqual([7]);
  });

  it('rejects empty and non power-of-two lengths like the reference (ValueError)', () => {
    expect(() => algDct([])).toThrow(IsccError);
    expect(() => algDct([1, 2, 3])).toThrow(IsccError);
    expect(() => algDct(new Array(24).fill(1))).toThrow(/power of two/);
    expect(() => algDct(['a' as unknown as number, 1])).toThrow(IsccError);
  });

  it('reproduces CPython doubles bit for bit (reference alg_dct golden outputs)', () => {
    expect(GOLDEN.dct.length).toBeGreaterThan(20);
    for (const { input, output } of GOLDEN.dct) {
      const got = algDct(input);
      // Object.is per element: a one-ulp difference must fail (toEqual would too, but say where).
      got.forEach((x, i) => {
        if (!Object.is(x + 0, output[i]! + 0)) throw new Error(`n=${input.length} i=${i}: ${x} != ${output[i]}`);
      });
      expect(got).toHaveLength(output.length);
    }
  });

  it('differs from a Math.cos implementation somewhere (the table matters)', () => {
    // Guard against the table silently becoming Math.cos: CPython's cos(7.5*pi/32) is one ulp lower.
    expect(Math.cos((7.5 * Math.PI) / 32)).not.toBe(0.7409511253549591);
  });

  it('uses tabulated CPython cosines up to the table size', () => {
    expect(DCT_COS_TABLE_MAX).toBe(256);
  });
});
