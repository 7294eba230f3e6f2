import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { BLAKE3_WASM } from './_wasm-blake3.ts';
import { BLAKE3_SIMD_WASM } from './_wasm-blake3-simd.ts';
import { Blake3Wasm, _blake3WasmReady, _loadBlake3Wasm } from './blake3-wasm.ts';
import { createBlake3, setBlake3 } from './blake3.ts';
import { setTurbo } from './check.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

afterEach(() => {
  setTurbo(true);
  setBlake3(undefined);
});

/** Deterministic bytes i % 251, the input pattern of the official BLAKE3 test vectors. */
const pattern = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % 251);

function wasmHash(data: Uint8Array, cuts: number[] = []): Uint8Array {
  const h = new Blake3Wasm();
  let prev = 0;
  for (const c of [...cuts].sort((a, b) => a - b)) {
    h.update(data.subarray(prev, c));
    prev = c;
  }
  h.update(data.subarray(prev));
  return h.digest();
}

describe('WebAssembly BLAKE3 module', () => {
  it('loads synchronously in Node, both builds valid', () => {
    expect(_blake3WasmReady()).toBe(true);
    expect(WebAssembly.validate(BLAKE3_WASM as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(WebAssembly.validate(BLAKE3_SIMD_WASM as Uint8Array<ArrayBuffer>)).toBe(true);
  });
});

describe.each([
  ['SIMD', true],
  ['scalar', false],
])('WebAssembly BLAKE3 (%s)', (_name, simd) => {
  beforeAll(() => {
    _blake3WasmReady();
    _loadBlake3Wasm(simd);
  });
  afterAll(() => _loadBlake3Wasm(true));
  it('matches official BLAKE3 test vectors (input i % 251)', () => {
    // From the BLAKE3 team's test_vectors.json (first 32 bytes of the hash).
    expect(hex(wasmHash(pattern(0)))).toBe('af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262');
    expect(hex(wasmHash(pattern(1)))).toBe('2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213');
    expect(hex(wasmHash(pattern(1024)))).toBe('42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7');
    expect(hex(wasmHash(pattern(1025)))).toBe('d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444');
    expect(hex(wasmHash(pattern(102400)))).toBe('bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085');
  });
  it('equals @noble/hashes at every size around chunk and tree boundaries', () => {
    const data = pattern(21 * 1024 + 5);
    for (let n = 0; n <= data.length; n += n < 3000 ? 1 : 131) {
      expect(wasmHash(data.subarray(0, n)), `n=${n}`).toEqual(nobleBlake3(data.subarray(0, n)));
    }
  });
  it('equals @noble/hashes for random data split at random points (digest repeatable)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 70_000 }),
        fc.integer({ min: 1, max: 0x7fffffff }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (n, seed, rawCuts) => {
          const data = new Uint8Array(n);
          let x = seed;
          for (let i = 0; i < n; i++) {
            x = (Math.imul(x, 1103515245) + 12345) | 0;
            data[i] = x >>> 24;
          }
          const cuts = rawCuts.map((c) => (n ? c % n : 0));
          const h = new Blake3Wasm();
          let prev = 0;
          for (const c of [...cuts].sort((a, b) => a - b)) {
            h.update(data.subarray(prev, c));
            prev = c;
          }
          h.update(data.subarray(prev));
          const want = nobleBlake3(data);
          expect(h.digest()).toEqual(want);
          expect(h.digest()).toEqual(want);
        },
      ),
      { numRuns: RUNS / 10 },
    );
  });
  it('clones: the copy and the original continue independently', () => {
    const data = pattern(5000);
    const h = new Blake3Wasm().update(data.subarray(0, 2100));
    const c = h.clone();
    h.update(data.subarray(2100));
    expect(c.digest()).toEqual(nobleBlake3(data.subarray(0, 2100)));
    c.update(data.subarray(2100, 3000));
    expect(c.digest()).toEqual(nobleBlake3(data.subarray(0, 3000)));
    expect(h.digest()).toEqual(nobleBlake3(data));
  });
  it('equals @noble/hashes beyond one kernel window (3 MiB + 1)', () => {
    const data = pattern(3 * 1024 * 1024 + 1);
    expect(wasmHash(data, [1000, 1024 * 1024 + 17])).toEqual(nobleBlake3(data));
  });
  it('is the default hasher, and setTurbo(false) or setBlake3 replace it', () => {
    expect(createBlake3()).toBeInstanceOf(Blake3Wasm);
    setTurbo(false);
    expect(createBlake3()).not.toBeInstanceOf(Blake3Wasm);
    setTurbo(true);
    setBlake3(() => nobleBlake3.create({}));
    expect(createBlake3()).not.toBeInstanceOf(Blake3Wasm);
  });
});
