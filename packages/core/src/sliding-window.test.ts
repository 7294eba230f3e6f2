import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { slidingWindow } from './sliding-window.ts';
import { IsccError } from './errors.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

describe('slidingWindow (iscc-core utils.sliding_window)', () => {
  it('matches the reference test cases for strings', () => {
    expect(slidingWindow('', 4)).toEqual(['']);
    expect(slidingWindow('A', 4)).toEqual(['A']);
    expect(slidingWindow('Hello', 4)).toEqual(['Hell', 'ello']);
    expect(slidingWindow('lorem', 2)).toEqual(['lo', 'or', 're', 'em']);
    expect(slidingWindow('hello', 5)).toEqual(['hello']);
  });

  it('keeps the sequence type for arrays and bytes', () => {
    const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet'];
    const slices = slidingWindow(words, 2);
    expect(slices[0]).toEqual(['lorem', 'ipsum']);
    expect(slices[1]).toEqual(['ipsum', 'dolor']);
    expect(slices.at(-1)).toEqual(['sit', 'amet']);
    expect(slidingWindow(words, 6)).toEqual([words]);
    const b = slidingWindow(new Uint8Array([1, 2, 3, 4, 5]), 4);
    expect(b).toEqual([new Uint8Array([1, 2, 3, 4]), new Uint8Array([2, 3, 4, 5])]);
    expect(b[0]).toBeInstanceOf(Uint8Array);
    expect(slidingWindow(new Uint8Array(0), 4)).toEqual([new Uint8Array(0)]);
  });

  it('returns copies of byte windows, like Python bytes slices', () => {
    const src = new Uint8Array([1, 2, 3]);
    const [w] = slidingWindow(src, 2);
    w![0] = 99;
    expect(src[0]).toBe(1);
  });

  it('counts code points, not UTF-16 units (Python str semantics)', () => {
    expect(slidingWindow('a💩b', 2)).toEqual(['a💩', '💩b']);
    expect(slidingWindow('💩💩💩', 3)).toEqual(['💩💩💩']);
    // A lone surrogate is one code point in Python too.
    expect(slidingWindow('a\uD800b', 2)).toEqual(['a\uD800', '\uD800b']);
  });

  it('throws IsccError for width < 2 and bad types', () => {
    expect(() => slidingWindow([1, 2, 3, 4, 5], 1)).toThrow(IsccError);
    expect(() => slidingWindow('abc', 0)).toThrow(/2 or bigger/);
    expect(() => slidingWindow('abc', 2.5)).toThrow(IsccError);
    expect(() => slidingWindow(42 as unknown as string, 2)).toThrow(IsccError);
  });

  it('property: max(len-w+1, 1) windows, each the code-point slice at its offset', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 2, max: 8 }), (s, w) => {
        const cps = Array.from(s);
        const out = slidingWindow(s, w);
        expect(out.length).toBe(Math.max(cps.length - w + 1, 1));
        out.forEach((win, i) => expect(win).toBe(cps.slice(i, i + w).join('')));
      }),
      { numRuns: RUNS },
    );
  });
});
