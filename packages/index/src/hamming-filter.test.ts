/**
 * HammingFilter: the generated module matches wasm/mih.wat, and the WebAssembly scan/probe
 * give the same pairs as the TypeScript twin and as a plain loop (thresholds 0..64, ranges of
 * any length, resuming when OUT fills up, buckets entered mid-way); a memory that cannot grow
 * hands over to the twin with its contents.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
// @ts-expect-error - a plain .mjs build script without type declarations
import { assembleIndexWasm } from '../scripts/gen-wasm.mjs';
import { HEAP, HammingFilter, OUT, OUT_CAP, RESUME, popcount32, setHammingWasm } from './hamming-filter.ts';

const RUNS = process.env.ISCC_SLOW ? 10_000 : 200;

afterEach(() => setHammingWasm(true));

/** Both filters over the same rows: `n` codes at HEAP drawn from `word()`. */
function pair(n: number, word: () => number): { wasm: HammingFilter; ts: HammingFilter; words: Uint32Array } {
  setHammingWasm(true);
  const wasm = new HammingFilter();
  setHammingWasm(false);
  const ts = new HammingFilter();
  setHammingWasm(true);
  const words = Uint32Array.from({ length: 2 * n }, word);
  for (const f of [wasm, ts]) {
    f.reserve(HEAP + 8 * n + 4 * 65537 + 2 * 65536);
    f.u32.set(words, HEAP >>> 2);
  }
  return { wasm, ts, words };
}

/** All pairs of a scan from `start`, resuming until done. */
function scanAll(f: HammingFilter, n: number, start: number, end: number, q0: number, q1: number, t: number): number[][] {
  const out: number[][] = [];
  for (let s = start; ; ) {
    const k = f.scan(HEAP, s, end, q0, q1, t);
    for (let i = 0; i < k; i++) out.push([f.u32[(OUT >>> 2) + 2 * i]!, f.u32[(OUT >>> 2) + 2 * i + 1]!]);
    if (k < OUT_CAP) break;
    s = f.u32[(RESUME >>> 2) + 1]!;
  }
  return out;
}

describe('generated module', () => {
  it('is in sync with packages/index/wasm/mih.wat (run node packages/index/scripts/gen-wasm.mjs)', async () => {
    const m = (await assembleIndexWasm()) as { path: string; text: string };
    expect(readFileSync(m.path, 'utf8')).toBe(m.text);
  });
  it('goes on with the twin, contents kept, when the WebAssembly memory cannot grow', () => {
    const f = new HammingFilter();
    f.reserve(HEAP + 64);
    f.u32.set([1, 2, 3, 4], HEAP >>> 2);
    const ex = (f as unknown as { ex: { memory: { grow(n: number): number } } }).ex;
    ex.memory.grow = () => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    };
    f.reserve(HEAP + (1 << 20));
    expect(f.wasm).toBe(false);
    expect([...f.u32.subarray(HEAP >>> 2, (HEAP >>> 2) + 4)]).toEqual([1, 2, 3, 4]);
    expect(f.scan(HEAP, 0, 2, 1, 2, 0)).toBe(1);
  });
  it('runs as WebAssembly in Node', () => {
    expect(new HammingFilter().wasm).toBe(true);
    setHammingWasm(false);
    expect(new HammingFilter().wasm).toBe(false);
  });
});

describe('scan', () => {
  it('equals the twin and a plain loop for any range and threshold', () => {
    let x = 1;
    const r = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) ^ (x >>> 16);
    const n = 5000;
    const { wasm, ts, words } = pair(n, r);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: n }),
        fc.integer({ min: 0, max: n }),
        fc.integer({ min: 0, max: 64 }),
        fc.nat({ max: n - 1 }),
        fc.integer({ min: 0, max: 3 }),
        (a, b, t, qi, noise) => {
          const [start, end] = a <= b ? [a, b] : [b, a];
          // Queries near a stored row (noise bits flipped) and far ones.
          const q0 = (words[2 * qi]! ^ ((1 << noise) - 1)) >>> 0;
          const q1 = words[2 * qi + 1]!;
          const expected: number[][] = [];
          for (let p = start; p < end; p++) {
            const h = popcount32(words[2 * p]! ^ q0) + popcount32(words[2 * p + 1]! ^ q1);
            if (h <= t) expected.push([p, h]);
          }
          expect(scanAll(wasm, n, start, end, q0, q1, t)).toEqual(expected);
          expect(scanAll(ts, n, start, end, q0, q1, t)).toEqual(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('probe', () => {
  it('equals the twin and a plain loop over buckets, resuming mid-bucket when OUT fills', () => {
    // 4096 rows over 256 buckets of a low-entropy segment, so buckets are long and many rows
    // pass loose thresholds (OUT fills several times).
    const n = 4096;
    const W = 8;
    let x = 7;
    const rnd = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    const rows = Array.from({ length: n }, () => [rnd() & 0x0f0f0f0f, rnd() & 0xff00ff00]);
    const seg = (hi: number): number => hi >>> 24; // top 8 bits
    rows.sort((a, b) => seg(a[0]!) - seg(b[0]!));
    const off = new Uint32Array((1 << W) + 1);
    for (const [hi] of rows) off[seg(hi!) + 1]!++;
    for (let v = 0; v < 1 << W; v++) off[v + 1]! += off[v]!;
    const masks = Uint16Array.from({ length: 1 << W }, (_, i) => i ^ 0x5a);
    const { wasm, ts } = pair(0, () => 0);
    const OFF = HEAP;
    const MASKS = OFF + 4 * ((1 << W) + 1) + 4;
    const CODES = MASKS + 2 * (1 << W) + 8 - ((MASKS + 2 * (1 << W)) % 8);
    for (const f of [wasm, ts]) {
      f.reserve(CODES + 8 * n);
      f.u32.set(off, OFF >>> 2);
      f.u16.set(masks, MASKS >>> 1);
      f.u32.set(rows.flat(), CODES >>> 2);
    }
    const probeAll = (f: HammingFilter, s: number, m0: number, m1: number, q0: number, q1: number, t: number): number[][] => {
      const out: number[][] = [];
      let pos0 = 0;
      for (;;) {
        const k = f.probe(OFF, CODES, s, MASKS, m0, m1, pos0, q0, q1, t);
        for (let i = 0; i < k; i++) out.push([f.u32[(OUT >>> 2) + 2 * i]!, f.u32[(OUT >>> 2) + 2 * i + 1]!]);
        if (k < OUT_CAP) break;
        m0 = f.u32[RESUME >>> 2]!;
        pos0 = f.u32[(RESUME >>> 2) + 1]!;
      }
      return out;
    };
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: 0, max: 256 }),
        fc.integer({ min: 0, max: 64 }),
        fc.nat({ max: n - 1 }),
        (s, a, b, t, qi) => {
          const [m0, m1] = a <= b ? [a, b] : [b, a];
          const [q0, q1] = rows[qi]!;
          const expected: number[][] = [];
          for (let m = m0; m < m1; m++) {
            const v = s ^ masks[m]!;
            for (let p = off[v]!; p < off[v + 1]!; p++) {
              const h = popcount32(rows[p]![0]! ^ q0!) + popcount32(rows[p]![1]! ^ q1!);
              if (h <= t) expected.push([p, h]);
            }
          }
          expect(probeAll(wasm, s, m0, m1, q0!, q1!, t)).toEqual(expected);
          expect(probeAll(ts, s, m0, m1, q0!, q1!, t)).toEqual(expected);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
