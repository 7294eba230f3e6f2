import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { BLAKE3_SMALL_MAX, _blake3Small } from './blake3-small.ts';
import { blake3 } from './blake3.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('_blake3Small', () => {
  it('matches the BLAKE3 test vector of the empty input', () => {
    expect(hex(_blake3Small(new Uint8Array(0)))).toBe('af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
  });
  it('equals @noble/hashes for every length 0..1024 (block and chunk boundaries)', () => {
    const data = Uint8Array.from({ length: BLAKE3_SMALL_MAX }, (_, i) => (i * 251 + 7) & 0xff);
    for (let n = 0; n <= BLAKE3_SMALL_MAX; n++) {
      expect(_blake3Small(data, 0, n)).toEqual(nobleBlake3(data.subarray(0, n)));
    }
  });
  it('hashes a window of a larger array, and random inputs like noble', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 1100 }), fc.nat(), fc.nat(), (d, a, b) => {
        const s = d.length ? a % d.length : 0;
        const e = Math.min(d.length, s + (b % (BLAKE3_SMALL_MAX + 1)));
        expect(_blake3Small(d, s, e)).toEqual(nobleBlake3(d.subarray(s, e)));
        expect(blake3(d)).toEqual(nobleBlake3(d));
      }),
      { numRuns: RUNS },
    );
  });
});
