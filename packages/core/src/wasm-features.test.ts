/**
 * The kernels' batch xxh32 (kernels.wat `features`: four chunks at once in v128 slots in the
 * SIMD build, one at a time in the scalar build) and `data_chunks`, which hashes its chunks with
 * it in batches of 64 and when FEAT is full, against xxh32.ts and the pure chunker. Both builds
 * are tested whatever this engine picks. The cases aim at the slot bookkeeping: every pair of
 * chunk lengths 0..70 (no stripe, one, a partial one, word and byte tails), chunks ending in
 * any order, odd and even chunk counts per call, starts at other slots than 0, long chunks, and
 * chunk counts around the 4096 FEAT slots and the batch size, final or not.
 */
import { describe, expect, it } from 'vitest';
import { _cdcOffset, algCdcParams } from './cdc.ts';
import { MAXH } from './minhash.ts';
import { K_FEAT, K_FEAT_SLOTS, K_IN, K_MINS, K_SIZES, K_TAIL, _kernelsVariant, kernels } from './wasm-kernels.ts';
import { xxh32 } from './xxh32.ts';
import { dataChunksReference } from '../../../tests/data-chunks-oracle.ts';
import { xorshiftBytes as bytes } from '../../../tests/test-support.ts';

/** Bytes before K_MINS that the loader writes (gear and minhash tables). */
const TABLES_END = K_MINS;

interface Exports {
  memory: WebAssembly.Memory;
  features: (pos: number, i: number, n: number) => number;
  data_chunks: (...args: number[]) => number;
}

/** A fresh instance of one build, with the tables copied from the loaded kernels. */
function instance(simd: boolean): { ex: Exports; bytes: Uint8Array; u32: Uint32Array } {
  const ex = new WebAssembly.Instance(new WebAssembly.Module(_kernelsVariant(simd)), {}).exports as unknown as Exports;
  const mem = new Uint8Array(ex.memory.buffer);
  mem.set(kernels()!.bytes.subarray(0, TABLES_END));
  return { ex, bytes: mem, u32: new Uint32Array(ex.memory.buffer) };
}

/** Pseudo-random integers in [0, n) (xorshift; deterministic). */
function ints(seed: number): (n: number) => number {
  let x = seed | 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

const DATA = bytes(7, 1 << 19);

const BUILDS = [
  ['SIMD', true],
  ['scalar', false],
] as const;

describe.each(BUILDS)('features (%s build)', (_name, simd) => {
  const k = instance(simd);
  k.bytes.set(DATA, K_IN);

  /** Hash chunks of `lens` from K_IN + `skip` into FEAT slots from `first`; compare all. */
  function check(lens: readonly number[], first: number, skip: number): void {
    const n = first + lens.length;
    k.u32.set(lens, (K_SIZES >>> 2) + first);
    const sentinel = [K_FEAT_SLOTS - 1, first - 1].filter((s) => s >= n || (s >= 0 && s < first));
    for (const s of sentinel) k.u32[(K_FEAT >>> 2) + s] = 0xdeadbeef;
    let pos = skip;
    const want: number[] = [];
    for (const len of lens) {
      want.push(xxh32(DATA, 0, pos, pos + len));
      pos += len;
    }
    expect(k.ex.features(K_IN + skip, first, n), `end of ${lens}`).toBe(K_IN + pos);
    expect(Array.from(k.u32.subarray((K_FEAT >>> 2) + first, (K_FEAT >>> 2) + n)), `lengths ${lens}`).toEqual(want);
    for (const s of sentinel) expect(k.u32[(K_FEAT >>> 2) + s], `slot ${s} untouched`).toBe(0xdeadbeef);
  }

  it('hashes every pair of chunk lengths 0..70, alone and with two more chunks', () => {
    for (let a = 0; a <= 70; a++) {
      for (let b = 0; b <= 70; b++) {
        check([a, b], (a + b) & 7, a);
        check([a, b, b, a], 1, b);
      }
    }
  });

  it('hashes all those lengths in one sequence, where chunks leave their slots in any order', () => {
    const lens: number[] = [];
    const r = ints(3);
    for (let a = 0; a <= 70; a++) for (let b = 0; b <= 70; b++) lens.push(a, b);
    for (let i = lens.length - 1; i > 0; i--) {
      const j = r(i + 1);
      [lens[i], lens[j]] = [lens[j]!, lens[i]!];
    }
    for (let i = 0; i < lens.length; i += 4001) check(lens.slice(i, i + 4001), 95, 0);
  });

  it('hashes random long chunks, odd and even counts, from any slot', () => {
    const r = ints(11);
    for (let t = 0; t < 300; t++) {
      const count = 1 + r(13);
      const max = [70, 1000, 9000, 40000][t & 3]!;
      const lens = Array.from({ length: count }, () => r(max));
      if (lens.reduce((s, x) => s + x, 0) + 100 > DATA.length) continue;
      check(lens, r(K_FEAT_SLOTS - count), r(100));
    }
    check([], 5, 0);
    check([DATA.length - 3], 0, 3);
  });
});

describe.each(BUILDS)('data_chunks with batched features (%s build)', (_name, simd) => {
  it('equals the oracle for chunk counts around the batch size and the 4096 FEAT slots', () => {
    const k = instance(simd);
    const params = algCdcParams(32);
    const data = bytes(5, 300_000, 3);
    // Every cut of `data` (a cut of a prefix is one of them, except the prefix's end).
    const cuts: number[] = [];
    for (let pos = 0; pos < data.length; ) {
      pos += _cdcOffset(data, pos, data.length, ...params);
      cuts.push(pos);
    }
    const targets = [1, 2, 63, 64, 65, 127, 128, 4095, 4096, 4097, 4098, 4159, 4160, 4161, 8191, 8192, 8193];
    expect(cuts.length).toBeGreaterThan(8200);
    for (const chunks of targets) {
      // A prefix ending at a cut (final: `chunks` chunks) or just after it (not final: the same
      // chunks finished and a few bytes open), and one a chunk longer, for odd and even splits.
      for (const len of [cuts[chunks - 1]!, cuts[chunks - 1]! + 3, cuts[chunks]! - 1]) {
        for (const final of [0, 1]) {
          const input = data.subarray(0, len);
          k.bytes.set(input, K_IN);
          k.u32.fill(MAXH, K_MINS >>> 2, (K_MINS >>> 2) + 64);
          const n = k.ex.data_chunks(K_IN, len, ...params, final);
          const got = {
            n,
            features: Array.from(k.u32.subarray(K_FEAT >>> 2, (K_FEAT >>> 2) + n)),
            sizes: Array.from(k.u32.subarray(K_SIZES >>> 2, (K_SIZES >>> 2) + n)),
            mins: Array.from(k.u32.subarray(K_MINS >>> 2, (K_MINS >>> 2) + 64)),
            tail: k.u32[K_TAIL >>> 2]!,
          };
          expect(got, `chunks ${chunks} len ${len} final ${final}`).toEqual(dataChunksReference(input, params, final));
        }
      }
    }
  });
});

describe('kernel builds', () => {
  it('picks the SIMD build where the engine validates it, else the scalar one', () => {
    expect(_kernelsVariant()).toBe(_kernelsVariant(WebAssembly.validate(_kernelsVariant(true))));
    expect(_kernelsVariant(true)).not.toBe(_kernelsVariant(false));
    expect(_kernelsVariant(false).length).toBeLessThanOrEqual(4096);
  });
});
