/**
 * One input split between two DataHashStreams (what `iscc sum` does with one big file on two
 * threads, here in one thread): the first hashes [0, x), the second the rest from the k-th cut
 * c of a chain started at x, and the first takes [x, c) when its true chain passes through c
 * (then the raw minhash states merge), else the whole rest. The result must equal the pure
 * TypeScript Data-Hash of the whole input (kernels off) for every input and split point:
 * random data, zeros, periodic patterns, splits on true cuts, tiny tails.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { algCdcChunks } from './cdc.ts';
import { setTurbo } from './check.ts';
import { DataHashStream } from './data-stream.ts';
import { IsccError } from './errors.ts';
import { pureDataHash } from '../../../tests/data-chunks-oracle.ts';
import { xorshiftBytes as bytes } from '../../../tests/test-support.ts';

const RUNS = process.env['ISCC_SLOW'] ? 1000 : 100;

afterEach(() => setTurbo(true));

function periodic(n: number, period: Uint8Array): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = period[i % period.length]!;
  return out;
}

const oracle = pureDataHash;

/** Push `data` through the input area of `s` in pieces of at most `piece` bytes. */
function feed(s: DataHashStream, data: Uint8Array, piece: number): void {
  for (let off = 0; off < data.length; ) {
    const take = Math.min(piece, s.inputCapacity, data.length - off);
    s.bytes.set(data.subarray(off, off + take), s.inputOffset);
    s.update(s.inputOffset, take);
    off += take;
  }
}

const a = DataHashStream.create({ regionBytes: 200_000 })!;
const b = DataHashStream.create({ regionBytes: 200_000 })!;

/**
 * The Data-Hash of `data` split at `x` with a chain of `k` cuts; `window`: bytes after x that
 * each side looks at to decide (a read). Returns the digest and whether the halves merged.
 */
function split(data: Uint8Array, x: number, k: number, window: number, piece = 65_536): { digest: Uint8Array; merged: boolean } {
  feed(a, data.subarray(0, x), piece);
  const w = Math.min(window, data.length - x, a.inputCapacity, b.inputCapacity);
  // The second stream: read [x, x+w), find c, hash [c, end).
  b.bytes.set(data.subarray(x, x + w), b.inputOffset);
  const c = b.cutAfter(b.inputOffset, w, k);
  let state: Uint32Array | null = null;
  if (c >= 0) {
    b.update(b.inputOffset + c, w - c);
    feed(b, data.subarray(x + w), piece);
    state = b.digestState();
  }
  // The first stream: read [x, x+w) too, and decide.
  a.bytes.set(data.subarray(x, x + w), a.inputOffset);
  if (state !== null && a.cutsAt(a.inputOffset, w, c)) {
    a.update(a.inputOffset, c);
    return { digest: a.digest(state), merged: true };
  }
  a.update(a.inputOffset, w);
  feed(a, data.subarray(x + w), piece);
  return { digest: a.digest(), merged: false };
}

describe('DataHashStream split in two (cutAfter, cutsAt, digestState, digest(merge))', () => {
  it('equals the pure Data-Hash on random data, any split point, chain length and window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 150_000 }),
        fc.constantFrom(0, 0, 4, 64, 1000),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        fc.constantFrom(20_000, 70_000, 150_000, 1000),
        (seed, n, runs, fx, k, window) => {
          const data = bytes(seed, n, runs);
          const x = Math.floor(fx * n);
          expect(split(data, x, k, window).digest).toEqual(oracle(data));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('merges on random data (the chains meet), and the merged result is exact', () => {
    const data = bytes(7, 120_000);
    const want = oracle(data);
    let merged = 0;
    for (let x = 30_000; x < 30_000 + 3000; x += 7) {
      const r = split(data, x, 16, 100_000);
      expect(r.digest).toEqual(want);
      if (r.merged) merged++;
    }
    expect(merged).toBeGreaterThan(400);
  });

  it('is exact for every split point in a range, including tiny tails and no tail', () => {
    const data = bytes(99, 40_000, 4);
    const want = oracle(data);
    for (let x = 0; x <= 1200; x++) expect(split(data, x, 8, 50_000).digest).toEqual(want);
    for (let x = data.length - 3000; x <= data.length; x++) expect(split(data, x, 2, 50_000).digest).toEqual(want);
  });

  it('is exact when split exactly on true cuts and next to them', () => {
    const data = bytes(3, 90_000, 64);
    const want = oracle(data);
    let pos = 0;
    const cuts: number[] = [];
    for (const ch of algCdcChunks(data, false)) cuts.push((pos += ch.length));
    for (const c of cuts.slice(0, 40)) {
      for (const x of [c - 1, c, c + 1]) {
        const r = split(data, x, 4, 60_000);
        expect(r.digest).toEqual(want);
        if (x === c) expect(r.merged).toBe(true);
      }
    }
  });

  it('is exact on zeros and periodic data (chains that never meet: the second half is discarded)', () => {
    const cases = [
      new Uint8Array(100_000),
      periodic(100_000, new Uint8Array([1, 2, 3])),
      periodic(100_000, bytes(5, 8191)),
      periodic(100_000, bytes(6, 8192)),
      periodic(100_000, bytes(8, 1000)),
      periodic(70_000, bytes(9, 3)),
    ];
    for (const data of cases) {
      const want = oracle(data);
      for (const x of [0, 1, 4095, 8192, 8193, 16_384, 50_001, 99_999]) {
        for (const k of [1, 3, 16]) expect(split(data, Math.min(x, data.length), k, 80_000).digest).toEqual(want);
      }
    }
  });

  it('cutAfter: -1 when the window does not decide k cuts; cutsAt: false past the window', () => {
    const s = DataHashStream.create({ regionBytes: 200_000 })!;
    s.bytes.set(bytes(1, 1000), s.inputOffset);
    expect(s.cutAfter(s.inputOffset, 1000, 100)).toBe(-1);
    expect(s.cutAfter(s.inputOffset, 0, 1)).toBe(-1);
    s.bytes.fill(0, s.inputOffset, s.inputOffset + 20_000);
    expect(s.cutAfter(s.inputOffset, 20_000, 2)).toBe(16_384); // zeros: cuts at the maximum size
    expect(s.cutsAt(s.inputOffset, 20_000, 16_384)).toBe(true);
    expect(s.cutsAt(s.inputOffset, 20_000, 16_383)).toBe(false);
    expect(s.cutsAt(s.inputOffset, 20_000, 25_000)).toBe(false);
    expect(() => s.cutAfter(s.inputOffset, 10, 0)).toThrow(IsccError);
    expect(() => s.digest([1, 2, 3])).toThrow(IsccError);
  });

  it('digestState is the state digest() compresses (merging with itself changes nothing)', () => {
    const data = bytes(11, 50_000);
    feed(a, data, 65_536);
    const st = a.digestState();
    feed(a, data, 65_536);
    expect(a.digest(st)).toEqual(oracle(data));
    expect(st).toHaveLength(64);
  });
});
