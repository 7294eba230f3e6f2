/**
 * The Data-Code kernel's two interleaved chunk chains (kernels.wat `data_chunks`, inputs of
 * 64 KiB and more) against two oracles: the pure TypeScript chunker (cdc.ts `_cdcOffset` +
 * xxh32 + the pure minhash) and the kernel's single-chain path (the same input fed in windows
 * below the two-chain threshold). Every visible result is compared: the return value, FEAT,
 * SIZES, MINS and TAIL. The data is chosen to reach every way the second chain ends: it meets
 * the first (random data), never meets it (zeros, short periods), meets it late (a run of zeros
 * in random data), fills its cut list (tiny chunks), is overtaken by it (a crafted pattern), and
 * lengths around the threshold, final or not, and beyond the 4096 feature slots.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { _cdcOffset, algCdcParams, type CdcParams } from './cdc.ts';
import { setTurbo } from './check.ts';
import { DataHasherV0 } from './code-data.ts';
import { DataHashStream } from './data-stream.ts';
import { CDC_GEAR } from './options.ts';
import { MAXH } from './minhash.ts';
import { K_FEAT, K_IN, K_IN_CAP, K_MINS, K_SIZES, K_TAIL, kernels } from './wasm-kernels.ts';
import { asCall, dataChunksReference, onPurePath, type ChunkResult } from '../../../tests/data-chunks-oracle.ts';
import { xorshiftBytes as bytes } from '../../../tests/test-support.ts';

const RUNS = process.env['ISCC_SLOW'] ? 2000 : 40;

/** Inputs from this length on run two chains (kernels.wat). */
const TWO_CHAIN_MIN = 65536;
/** Window of the single-chain oracle: below the threshold, above any maximum chunk size used here. */
const SINGLE_WINDOW = 60_000;

afterEach(() => setTurbo(true));

/** One kernel call on `data` at K_IN (two chains from 64 KiB on). */
function kernelCall(data: Uint8Array, params: CdcParams, final: number): ChunkResult {
  const k = kernels()!;
  k.bytes.set(data, K_IN);
  k.u32.fill(MAXH, K_MINS >>> 2, (K_MINS >>> 2) + 64);
  const n = k.dataChunks(K_IN, data.length, ...params, final);
  return {
    n,
    features: Array.from(k.u32.subarray(K_FEAT >>> 2, (K_FEAT >>> 2) + n)),
    sizes: Array.from(k.u32.subarray(K_SIZES >>> 2, (K_SIZES >>> 2) + n)),
    mins: Array.from(k.u32.subarray(K_MINS >>> 2, (K_MINS >>> 2) + 64)),
    tail: k.u32[K_TAIL >>> 2]!,
  };
}

/**
 * The kernel's single-chain path over the whole input: windows below the two-chain threshold,
 * each starting at the open chunk of the last (parameters with fewer than 4096 chunks a window).
 */
function singleChain(data: Uint8Array, params: CdcParams, final: number): ChunkResult {
  const k = kernels()!;
  const features: number[] = [];
  const sizes: number[] = [];
  let start = 0;
  for (;;) {
    const end = Math.min(data.length, start + SINGLE_WINDOW);
    const last = end === data.length;
    k.bytes.set(data.subarray(start, end), K_IN);
    const n = k.dataChunks(K_IN, end - start, ...params, last ? final : 0);
    features.push(...k.u32.subarray(K_FEAT >>> 2, (K_FEAT >>> 2) + n));
    sizes.push(...k.u32.subarray(K_SIZES >>> 2, (K_SIZES >>> 2) + n));
    start += k.u32[K_TAIL >>> 2]!;
    if (last) return asCall(features, sizes, start);
  }
}

/** The kernel call equals both oracles. */
function check(data: Uint8Array, params: CdcParams, final: number, what: string): void {
  const got = kernelCall(data, params, final);
  expect(got, `${what} vs cdc.ts`).toEqual(dataChunksReference(data, params, final));
  if (params[0] >= 16 && params[1] < SINGLE_WINDOW) expect(got, `${what} vs single chain`).toEqual(singleChain(data, params, final));
}

const P1024 = algCdcParams(1024);

/** `period` random bytes repeated to length `n`. */
function periodic(seed: number, period: number, n: number): Uint8Array {
  const base = bytes(seed, period);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += period) out.set(base.subarray(0, Math.min(period, n - i)), i);
  return out;
}

describe('data_chunks with two chains', () => {
  it('equals both oracles on random data of random lengths, seeds and chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 0, max: K_IN_CAP }),
        fc.constantFrom(0, 0, 4, 64),
        fc.constantFrom(1024, 1024, 256, 4096),
        fc.constantFrom(0, 1),
        (seed, n, runs, avg, final) => {
          check(bytes(seed, n, runs), algCdcParams(avg), final, `seed ${seed} n ${n} runs ${runs} avg ${avg}`);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('is exact around the threshold and at chunk-size distances from it, final or not', () => {
    const data = bytes(5, TWO_CHAIN_MIN + 3 * 8192 + 10);
    for (const d of [-8193, -8192, -1024, -2, -1, 0, 1, 2, 255, 256, 257, 1024, 8191, 8192, 8193, 3 * 8192 + 10]) {
      for (const final of [0, 1]) check(data.subarray(0, TWO_CHAIN_MIN + d), P1024, final, `threshold ${d} final ${final}`);
    }
  });

  it('is exact where the chains never meet: zeros, and short periods repeated', () => {
    for (const n of [TWO_CHAIN_MIN, 100_000, 300_001, 500_000, K_IN_CAP - 7]) {
      for (const final of [0, 1]) check(new Uint8Array(n), P1024, final, `zeros ${n} final ${final}`);
    }
    for (const [period, n] of [
      [1, 200_000],
      [3, 150_001],
      [100, 400_000],
      [1000, 250_000],
      [4099, 700_000],
      [8191, 333_333],
    ] as const) {
      for (const final of [0, 1]) check(periodic(period, period, n), P1024, final, `period ${period} n ${n} final ${final}`);
    }
    // Bytes 1, 250 alternating: every chunk ends at cs + 2 = 642, so chains whose starts are
    // not 642 apart (16 ma = 131072 is not) never meet, in every round; then B is dropped.
    const alternating = new Uint8Array(K_IN_CAP).map((_, i) => (i & 1 ? 250 : 1));
    expect(_cdcOffset(alternating, 0, alternating.length, ...P1024)).toBe(642);
    for (const n of [K_IN_CAP, 500_001]) check(alternating.subarray(0, n), P1024, n & 1, `alternating ${n}`);
  });

  it('is exact where the chains meet late (a run of zeros or a period where the second starts)', () => {
    for (const run of [8192, 50_000, 200_000]) {
      for (const at of [0, 20_000, 131_072 - 5000, 131_072, 262_144 + 17]) {
        const data = bytes(run + at, 900_000);
        data.fill(0, at, at + run);
        check(data, P1024, 1, `zeros ${run} at ${at}`);
        data.set(periodic(at, 777, run), at);
        check(data, P1024, 0, `period 777 x ${run} at ${at}`);
      }
    }
  });

  it('is exact with tiny chunks (cut list full, FEAT folded, more than 4096 chunks) and huge ones', () => {
    for (const avg of [2, 8, 64, 256]) {
      for (const final of [0, 1]) {
        const data = bytes(avg + final, K_IN_CAP, avg === 2 ? 0 : 4);
        const got = kernelCall(data, algCdcParams(avg), final);
        expect(got, `avg ${avg}`).toEqual(dataChunksReference(data, algCdcParams(avg), final));
        if (avg >= 64) expect(got).toEqual(singleChain(data, algCdcParams(avg), final));
      }
    }
    const big = algCdcParams(65536);
    for (const n of [TWO_CHAIN_MIN, 700_000, K_IN_CAP]) check(bytes(n, n), big, n & 1, `avg 65536 n ${n}`);
  });

  it('is exact where the first chain overtakes the second (crafted: one chunk per step against none)', () => {
    // Period 256: 255 bytes of 1, then a 0. A chain whose chunk starts at phase 0 reads the 0
    // first after skipping 255 bytes and cuts right there (the mask is the complement of
    // GEAR[0]); a chain at any other phase never matches and cuts at ma = 2048, a multiple of
    // the period, so it stays out of phase. The second chain starts at half the length.
    const M = ~CDC_GEAR[0]! | 0;
    const params: CdcParams = [255, 2048, 300, M, M];
    for (const n of [70_000, 80_000, 90_000, 97_000]) {
      const data = new Uint8Array(n).fill(1);
      for (let i = 255; i < n; i += 256) data[i] = 0;
      for (const final of [0, 1]) check(data, params, final, `crafted n ${n} final ${final}`);
    }
  });
});

describe('Data-Hash callers on the two-chain kernel', () => {
  /** The pure TypeScript Data-Hash state (kernels off). */
  function pureState(data: Uint8Array): [number[], number[], Uint8Array] {
    return onPurePath(() => {
      const h = new DataHasherV0(data);
      const digest = h.digest();
      return [h.chunkFeatures, h.chunkSizes, digest];
    });
  }

  it('DataHasherV0 and DataHashStream equal the pure DataHasherV0 (random, zeros, periodic)', () => {
    const s = DataHashStream.create()!;
    const inputs = [bytes(1, 3 * K_IN_CAP + 777, 4), new Uint8Array(2 * K_IN_CAP + 100_000), periodic(3, 3000, 1_500_000), periodic(4, 2, 1_200_000)];
    for (const data of inputs) {
      const [features, sizes, digest] = pureState(data);
      const h = new DataHasherV0(data);
      expect(h.digest()).toEqual(digest);
      expect(h.chunkFeatures).toEqual(features);
      expect(h.chunkSizes).toEqual(sizes);
      s.push(data);
      expect(s.digest()).toEqual(digest);
      expect(s.digestOf(s.inputOffset, 0)).toEqual(pureState(new Uint8Array(0))[2]);
      s.bytes.set(data.subarray(0, s.inputCapacity), s.inputOffset);
      expect(s.digestOf(s.inputOffset, Math.min(data.length, s.inputCapacity))).toEqual(pureState(data.subarray(0, s.inputCapacity))[2]);
    }
  });
});
