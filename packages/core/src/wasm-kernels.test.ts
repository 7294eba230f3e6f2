import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { onPurePath } from '../../../tests/data-chunks-oracle.ts';
// @ts-expect-error - a plain .mjs build script without type declarations
import { assembleCoreWasm } from '../../../scripts/gen-core-wasm.mjs';
import { KERNELS_WASM } from './_wasm-kernels.ts';
import { setTurbo, turbo } from './check.ts';
import { DataHasherV0, genDataCodeV0 } from './code-data.ts';
import { genTextCodeV0 } from './code-content-text.ts';
import { conformanceCases, runConformanceCase, type ConformanceData } from './conformance.ts';
import { IsccError } from './errors.ts';
import { _algMinhashPure, _minhashCompressU32, algMinhash, algMinhash256, algMinhash64, algMinhashCompress } from './minhash.ts';
import { K_FEAT, K_IN, K_IN_CAP, K_SIZES, K_TAIL, kernels } from './wasm-kernels.ts';
import { algCdcChunks, algCdcParams } from './cdc.ts';
import { xxh32 } from './xxh32.ts';
import { xorshiftBytes as bytes } from '../../../tests/test-support.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;

afterEach(() => setTurbo(true));

const pure = onPurePath;

interface HasherState {
  features: number[];
  sizes: number[];
  tail: Uint8Array | null;
  digest: Uint8Array;
  afterDigest: Uint8Array;
}

/** Push `data` cut at `cuts` into a fresh hasher; report its whole visible state. */
function hashSplit(data: Uint8Array, cuts: number[]): HasherState {
  const h = new DataHasherV0();
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    h.push(data.subarray(prev, c));
    prev = c;
  }
  h.push(data.subarray(prev));
  const tail = h.tail === null ? null : h.tail.slice();
  const features = [...h.chunkFeatures];
  const sizes = [...h.chunkSizes];
  const digest = h.digest();
  // iscc-core semantics: data pushed after a digest starts a new chunk sequence.
  h.push(data.subarray(0, 1000));
  return { features, sizes, tail, digest, afterDigest: h.digest() };
}

describe('generated kernel module', () => {
  it('is in sync with packages/core/wasm/kernels.wat (run node scripts/gen-core-wasm.mjs)', async () => {
    const modules = (await assembleCoreWasm()) as { path: string; text: string }[];
    expect(modules.length).toBeGreaterThan(0);
    for (const m of modules) expect(readFileSync(m.path, 'utf8'), m.path).toBe(m.text);
  });
  it('stays below the 4 KiB limit of synchronous compilation on a browser main thread', () => {
    expect(KERNELS_WASM.length).toBeLessThanOrEqual(4096);
    expect(WebAssembly.validate(KERNELS_WASM as Uint8Array<ArrayBuffer>)).toBe(true);
  });
});

describe('turbo switch', () => {
  it('reports the kernels active by default in Node, and off after setTurbo(false)', () => {
    expect(turbo()).toBe(true);
    expect(kernels()).not.toBeNull();
    setTurbo(false);
    expect(turbo()).toBe(false);
    expect(kernels()).toBeNull();
    setTurbo(true);
    expect(turbo()).toBe(true);
  });
});

describe('xxh32 kernel', () => {
  it('equals the TypeScript xxh32 for random data, lengths and seeds', () => {
    const k = kernels()!;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffffffff }), (data, seed) => {
        k.bytes.set(data, K_IN + 3); // unaligned on purpose
        expect(k.xxh32(K_IN + 3, data.length, seed | 0) >>> 0).toBe(xxh32(data, seed));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('minhash kernel', () => {
  it('equals the pure minhash for random 32-bit features', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 300 }), (f) => {
        expect(algMinhash(f)).toEqual(_algMinhashPure(f));
      }),
      { numRuns: RUNS },
    );
  });
  it('equals the pure minhash at the extremes (0, 2^32-1) and beyond one kernel batch', () => {
    expect(algMinhash([0, 0xffffffff])).toEqual(_algMinhashPure([0, 0xffffffff]));
    const n = (K_IN_CAP >>> 2) + 1234;
    const many = Array.from({ length: n }, (_, i) => Math.imul(i + 1, 0x9e3779b1) >>> 0);
    expect(algMinhash(many)).toEqual(_algMinhashPure(many));
  });
  it('gives the 64- and 256-bit digests of the compressed pure minhash', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 50 }), (f) => {
        expect(algMinhash64(f)).toEqual(algMinhashCompress(_algMinhashPure(f), 1));
        expect(algMinhash256(f)).toEqual(algMinhashCompress(_algMinhashPure(f), 4));
      }),
      { numRuns: RUNS / 4 },
    );
  });
  it('leaves features of 2^32 and more to the pure path with the same results', () => {
    const wide = [2 ** 40 + 5, 17n, -3, 2 ** 32];
    expect(algMinhash(wide)).toEqual(_algMinhashPure(wide));
    expect(algMinhash(wide)).toEqual(pure(() => algMinhash(wide)));
  });
  it('compresses 32-bit numbers (fast path) exactly like the same values as bigints', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 0xffffffff }), { minLength: 1, maxLength: 70 }),
        fc.integer({ min: 1, max: 40 }),
        (m, lsb) => {
          const want = algMinhashCompress(m.map(BigInt), lsb);
          expect(algMinhashCompress(m, lsb)).toEqual(want);
          if (lsb <= 32) expect(_minhashCompressU32(Uint32Array.from(m), lsb)).toEqual(want);
        },
      ),
      { numRuns: RUNS },
    );
  });
  it('validates input the same way', () => {
    expect(() => algMinhash([])).toThrow(IsccError);
    expect(() => algMinhash([1.5])).toThrow(IsccError);
  });
  it('gives the same Text-Codes as the pure path for random texts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.constantFrom(32, 64, 128, 256), (t, bits) => {
        expect(genTextCodeV0(t, bits)).toEqual(pure(() => genTextCodeV0(t, bits)));
      }),
      { numRuns: RUNS / 10 },
    );
  });
});

describe('Data-Code kernel', () => {
  it('equals the pure hasher on random data at random split points (state, digest, reuse)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.integer({ min: 0, max: 40_000 }),
        fc.constantFrom(0, 0, 4, 64),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
        (seed, n, runs, fractions) => {
          const data = bytes(seed, n, runs);
          const cuts = fractions.map((f) => Math.floor(f * n));
          expect(hashSplit(data, cuts)).toEqual(pure(() => hashSplit(data, cuts)));
        },
      ),
      { numRuns: RUNS / 5 },
    );
  });
  it('equals the pure hasher across kernel windows (inputs over 1 MiB, zeros and random)', () => {
    for (const data of [bytes(7, 3 * K_IN_CAP + 12345), new Uint8Array(K_IN_CAP + 9000), bytes(9, 2 * K_IN_CAP, 16)]) {
      const cuts = [5, K_IN_CAP - 3, K_IN_CAP + 4000];
      const got = hashSplit(data, cuts);
      expect(got).toEqual(pure(() => hashSplit(data, cuts)));
      expect(got).toEqual(hashSplit(data, []));
    }
  });
  it('is what DataHasherV0 runs on by default (its input passes through kernel memory)', () => {
    const k = kernels()!;
    const data = bytes(99, 200);
    k.bytes.fill(0, K_IN, K_IN + 200);
    new DataHasherV0(data);
    expect(k.bytes.subarray(K_IN, K_IN + 200)).toEqual(data);
    k.bytes.fill(0, K_IN, K_IN + 200);
    pure(() => new DataHasherV0(data));
    expect(k.bytes.subarray(K_IN, K_IN + 200)).toEqual(new Uint8Array(200));
  });
  it('gives identical codes for every bit length, and the same errors', () => {
    const data = bytes(3, 50_000, 4);
    for (let bits = 0; bits <= 300; bits += 8) {
      let want: unknown;
      try {
        want = pure(() => genDataCodeV0(data, bits));
      } catch (e) {
        expect(e).toBeInstanceOf(IsccError);
        expect(() => genDataCodeV0(data, bits)).toThrow((e as Error).message);
        continue;
      }
      expect(genDataCodeV0(data, bits)).toEqual(want);
    }
  });
  it('continues a hasher begun on the pure path (kernel ready later) with the same digest', () => {
    const data = bytes(11, 90_000);
    const h = new DataHasherV0();
    pure(() => h.push(data.subarray(0, 30_001)));
    h.push(data.subarray(30_001, 60_000));
    pure(() => h.push(data.subarray(60_000, 70_000)));
    h.push(data.subarray(70_000));
    expect(h.digest()).toEqual(pure(() => new DataHasherV0(data).digest()));
    const ref = pure(() => {
      const r = new DataHasherV0(data);
      r.digest();
      return r;
    });
    expect(h.chunkFeatures).toEqual(ref.chunkFeatures);
    expect(h.digest()).toEqual(algMinhash256(ref.chunkFeatures));
  });
});

describe('chunking kernel with other parameters', () => {
  it('cuts like algCdcChunks for average sizes 2 .. 65536 (all but the open last chunk)', () => {
    const k = kernels()!;
    for (const avg of [2, 3, 16, 100, 256, 1000, 4096, 65536]) {
      for (const runs of [0, 8]) {
        const data = bytes(avg * 7 + runs, Math.min(K_IN_CAP, avg * 40 + 999), runs);
        const chunks = [...algCdcChunks(data, false, avg)];
        k.bytes.set(data, K_IN);
        const n = k.dataChunks(K_IN, data.length, ...algCdcParams(avg), 0);
        expect(n, `avg ${avg}`).toBe(chunks.length - 1);
        const sizes = Array.from(k.u32.subarray(K_SIZES >>> 2, (K_SIZES >>> 2) + n));
        const feats = Array.from(k.u32.subarray(K_FEAT >>> 2, (K_FEAT >>> 2) + n));
        expect(sizes).toEqual(chunks.slice(0, -1).map((c) => c.length));
        expect(feats).toEqual(chunks.slice(0, -1).map((c) => xxh32(c)));
        expect(data.length - k.u32[K_TAIL >>> 2]!).toBe(chunks[chunks.length - 1]!.length);
      }
    }
  });
});

describe('conformance vectors on both paths', () => {
  const files = [
    { suite: 'iscc-core', data: readConformanceJson<ConformanceData>('data.json') },
    { suite: 'iscc-sum', data: readConformanceJson<ConformanceData>('iscc-sum/test_vectors.json') },
  ];
  const cases = conformanceCases(files);
  it('pass with the kernels and without them', () => {
    expect(cases.length).toBeGreaterThan(60);
    for (const c of cases) {
      expect(runConformanceCase(c).passed, `${c.suite} ${c.name} (kernels)`).toBe(true);
      expect(pure(() => runConformanceCase(c)).passed, `${c.suite} ${c.name} (pure)`).toBe(true);
    }
  });
});
