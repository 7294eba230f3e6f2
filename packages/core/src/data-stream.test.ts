/**
 * DataHashStream against the oracle: the pure TypeScript DataHasherV0 (kernels off), on random
 * data cut at random points, one-shot and streamed, on private and shared memory, and with
 * pieces placed anywhere in the region (the open tail is carried through the headroom).
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { setTurbo } from './check.ts';
import { DataHashStream } from './data-stream.ts';
import { IsccError } from './errors.ts';
import { pureDataHash } from '../../../tests/data-chunks-oracle.ts';
import { xorshiftBytes as bytes } from '../../../tests/test-support.ts';

const RUNS = process.env['ISCC_SLOW'] ? 2000 : 150;

afterEach(() => setTurbo(true));

/** The oracle: the pure TypeScript Data-Hash. */
const oracle = pureDataHash;

/** Stream `data` cut at `cuts`, each piece read to a position chosen by `place` in the region. */
function streamed(s: DataHashStream, data: Uint8Array, cuts: number[], place: (len: number) => number): Uint8Array {
  let prev = 0;
  for (const c of [...cuts, data.length].sort((a, b) => a - b)) {
    let off = prev;
    while (off < c) {
      const len = Math.min(c - off, s.regionBytes - s.headroom);
      const ptr = place(len);
      s.bytes.set(data.subarray(off, off + len), ptr);
      s.update(ptr, len);
      off += len;
    }
    prev = c;
  }
  return s.digest();
}

describe('DataHashStream', () => {
  const plain = DataHashStream.create({ regionBytes: 70_000 })!;
  const shared = DataHashStream.create({ regionBytes: 70_000, shared: true })!;

  it('is available with the kernels (private and shared memory), and not without them', () => {
    expect(plain).not.toBeNull();
    expect(shared).not.toBeNull();
    expect(shared.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(plain.headroom).toBeGreaterThanOrEqual(8192);
    setTurbo(false);
    expect(DataHashStream.create()).toBeNull();
  });

  it('equals the pure DataHasherV0 on random data, random splits and placements', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 200_000 }),
        fc.constantFrom(0, 0, 4, 64, 1000),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        (seed, n, runs, fractions, useShared, shift) => {
          const data = bytes(seed, n, runs);
          const cuts = fractions.map((f) => Math.floor(f * n));
          const s = useShared ? shared : plain;
          const want = oracle(data);
          // Pieces at the input area, and at the far end of the region (any aligned or not).
          expect(streamed(s, data, cuts, () => s.inputOffset)).toEqual(want);
          const end = s.regionOffset + s.regionBytes;
          expect(streamed(s, data, cuts, (len) => Math.max(s.regionOffset + s.headroom, end - len - shift))).toEqual(want);
          // One shot, when it fits.
          if (n <= s.inputCapacity) {
            s.bytes.set(data, s.inputOffset);
            expect(s.digestOf(s.inputOffset, n)).toEqual(want);
          }
          s.push(data);
          expect(s.digest()).toEqual(want);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives the empty input the hash of one empty chunk, and resets after each digest', () => {
    const want = oracle(new Uint8Array(0));
    expect(plain.digest()).toEqual(want);
    expect(plain.digestOf(plain.inputOffset, 0)).toEqual(want);
    plain.push(bytes(1, 5000));
    expect(plain.length).toBe(5000);
    plain.digest();
    expect(plain.length).toBe(0);
    expect(plain.digest()).toEqual(want);
  });

  it('digestOf after update continues the same input', () => {
    const data = bytes(5, 30_000);
    plain.push(data.subarray(0, 10_000));
    plain.bytes.set(data.subarray(10_000), plain.inputOffset);
    expect(plain.digestOf(plain.inputOffset, 20_000)).toEqual(oracle(data));
  });

  it('hashes pieces of more than 4096 chunks (feature batches folded in the kernel)', () => {
    const big = DataHashStream.create({ regionBytes: 8 * 1024 * 1024 })!;
    const data = bytes(77, 6 * 1024 * 1024 + 333, 3);
    expect(streamed(big, data, [1], () => big.inputOffset)).toEqual(oracle(data));
    // Zeros: no cut point, every chunk has the maximum size.
    const zeros = new Uint8Array(3 * 1024 * 1024 + 5);
    expect(streamed(big, zeros, [], () => big.inputOffset)).toEqual(oracle(zeros));
  });

  it('rejects pieces outside the region or without headroom', () => {
    expect(() => plain.update(plain.regionOffset, 10)).toThrow(IsccError);
    expect(() => plain.update(plain.inputOffset, plain.inputCapacity + 1)).toThrow(IsccError);
    expect(() => plain.update(plain.inputOffset, -1)).toThrow(IsccError);
    expect(() => DataHashStream.create({ regionBytes: 100 })).toThrow(IsccError);
  });
});
