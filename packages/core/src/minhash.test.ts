import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IsccError } from './errors.ts';
import {
  algMinhash,
  algMinhash64,
  algMinhash256,
  algMinhashCompress,
  MAXH,
  MAXI64,
  MPA,
  MPB,
  MPRIME,
} from './minhash.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** The reference formula verbatim, in BigInt: the oracle for the split-word arithmetic. */
function oracle(features: readonly bigint[]): number[] {
  return MPA.map((a, p) => {
    let min = -1n;
    for (const f of features) {
      const v = (((a * f + MPB[p]!) & MAXI64) % MPRIME) & BigInt(MAXH);
      if (min < 0n || v < min) min = v;
    }
    return Number(min);
  });
}

describe('minhash constants', () => {
  it('match iscc-core', () => {
    expect(MAXI64).toBe(18446744073709551615n);
    expect(MPRIME).toBe(2305843009213693951n);
    expect(MAXH).toBe(4294967295);
    expect(MPA.length).toBe(64);
    expect(MPB.length).toBe(64);
    expect(MPA[0]).toBe(853146490016488653n);
    expect(MPA[63]).toBe(781336617016068757n);
    expect(MPB[0]).toBe(1089606993368836715n);
    expect(MPB[63]).toBe(1501611130776083278n);
  });
});

describe('algMinhash', () => {
  it('rejects an empty feature list (test_minhash_empty)', () => {
    expect(() => algMinhash([])).toThrow(IsccError);
  });

  it('single feature (test_minhash_single_feature)', () => {
    const mh = algMinhash([2 ** 16]);
    expect(mh.length).toBe(64);
    expect(mh[0]).toBe(1968499307);
    expect(mh[63]).toBe(2739100501);
  });

  it('keeps values within 32 bits for a 64-bit feature (test_minhash_32bit_features)', () => {
    const mh = algMinhash([2n ** 64n - 1n]);
    for (const n of mh) expect(n).toBeLessThanOrEqual(2 ** 32 - 1);
    expect(mh).toEqual(oracle([2n ** 64n - 1n]));
  });

  it('equals the BigInt oracle for 32-bit features', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 0xffffffff }), { minLength: 1, maxLength: 20 }), (fs) => {
        expect(algMinhash(fs)).toEqual(oracle(fs.map(BigInt)));
      }),
      { numRuns: RUNS },
    );
  });

  it('equals the BigInt oracle for 64-bit and out-of-range features (Python & MAXI64)', () => {
    const feature = fc.oneof(
      fc.bigInt({ min: 0n, max: MAXI64 }),
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.constantFrom(0n, 1n, MAXI64, MPRIME, MPRIME - 1n, MPRIME + 1n, 2n ** 32n, 2n ** 32n - 1n),
    );
    fc.assert(
      fc.property(fc.array(feature, { minLength: 1, maxLength: 8 }), (fs) => {
        expect(algMinhash(fs)).toEqual(oracle(fs.map((f) => f & MAXI64)));
      }),
      { numRuns: RUNS },
    );
  });

  it('treats number and bigint features alike, including unsafe and negative numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (f) => {
        expect(algMinhash([f])).toEqual(algMinhash([BigInt(f)]));
      }),
      { numRuns: RUNS },
    );
    expect(algMinhash([2 ** 60])).toEqual(oracle([2n ** 60n]));
  });

  it('rejects non-integer features', () => {
    expect(() => algMinhash([1.5])).toThrow(IsccError);
    expect(() => algMinhash([NaN])).toThrow(IsccError);
    expect(() => algMinhash(['1' as unknown as number])).toThrow(IsccError);
    expect(() => algMinhash(null as unknown as number[])).toThrow(IsccError);
  });
});

describe('algMinhashCompress', () => {
  it('test_minhash_compress', () => {
    const digest = algMinhashCompress(algMinhash([2 ** 16]));
    expect(digest.length).toBe(32);
    expect(hex(digest)).toBe('a18e2fb2bd663d21db9c7dcc9ae78380253cae5bf089766d87a6b51fcb3f8f8e');
    const small = algMinhashCompress([0b10100001, 0b11000010, 0b10110100, 0b10011000]);
    expect(hex(small)).toBe('8421'); // 0b1000_0100_0010_0001
  });

  it('left-pads a bit string that is not a whole number of bytes', () => {
    // bits "101" -> int 5 -> one byte 0x05, as int(bits, 2).to_bytes(1, "big")
    expect(Array.from(algMinhashCompress([1, 0, 1], 1))).toEqual([5]);
    // bits "101" "110" "000" -> 0b1_0111_0000 -> [0x01, 0x70] (values from Python)
    expect(Array.from(algMinhashCompress([3n, 2n, 1n], 3))).toEqual([1, 112]);
  });

  it('follows Python for negative values (arithmetic shift)', () => {
    // -1 has every bit set; -2 all but bit 0: bits "10" "11" "11" "11" (value from Python).
    expect(Array.from(algMinhashCompress([-1, -2], 4))).toEqual([0b10111111]);
  });

  it('rejects empty results and bad arguments', () => {
    expect(() => algMinhashCompress([])).toThrow(IsccError);
    expect(() => algMinhashCompress([1], 0)).toThrow(IsccError);
    expect(() => algMinhashCompress([1], -1)).toThrow(IsccError);
    expect(() => algMinhashCompress([1.5])).toThrow(IsccError);
  });
});

describe('algMinhash64 / algMinhash256', () => {
  it('test_minhash_64', () => {
    expect(hex(algMinhash64([2 ** 16]))).toBe('a18e2fb2bd663d21');
    expect(hex(algMinhash256([2 ** 16]))).toBe(
      'a18e2fb2bd663d21db9c7dcc9ae78380253cae5bf089766d87a6b51fcb3f8f8e',
    );
  });
});
