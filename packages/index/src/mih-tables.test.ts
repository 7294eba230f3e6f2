/**
 * Multi-index hashing tables: segment extraction against bigint arithmetic, the coverage bound
 * (the smallest R with x < (R + 1) / L), and a laid-out table against a plain grouping of rows
 * by segment value; the plan's coverage grows with its steps and ends covering everything.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HammingFilter } from './hamming-filter.ts';
import { coverFor, layTables, planSteps, segment } from './mih-tables.ts';

const RUNS = process.env.ISCC_SLOW ? 10_000 : 500;

describe('segment', () => {
  it('equals bigint bit extraction for every position and width', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 1, max: 16 }), fc.nat({ max: 63 }), (x, w, start) => {
        const from = Math.min(start, 64 - w);
        const hi = Number(x >> 32n);
        const lo = Number(x & 0xffffffffn);
        const want = Number((x >> BigInt(64 - from - w)) & ((1n << BigInt(w)) - 1n));
        expect(segment(hi, lo, from, w)).toBe(want);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('coverFor', () => {
  it('is the smallest R with x < (R + 1) / L', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 256 }), fc.constantFrom(64, 96, 128, 192, 256), fc.integer({ min: 2, max: 8 }), (h, L, w) => {
        // Distances as the kernel makes them: h / (32 w), and thresholds in 0..1.
        for (const x of [h / (32 * w), Math.min(1, h / 1000)]) {
          const r = coverFor(x, L);
          expect(x < (r + 1) / L).toBe(true);
          if (r > -1) expect(x < r / L).toBe(false);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('layTables and planSteps', () => {
  it('lays out each segment table as rows grouped by segment value, and plans to full coverage', () => {
    let x = 3;
    const rnd = (): number => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) ^ (x >>> 13);
    const n = 20_000;
    const p = Uint32Array.from({ length: 2 * n }, rnd);
    const f = new HammingFilter();
    const tables = layTables(f, p, n, true);
    expect(tables.reduce((a, t) => a + t.w, 0)).toBe(64);
    for (const t of tables) {
      const off = f.u32.subarray(t.off >>> 2, (t.off >>> 2) + (1 << t.w) + 1);
      expect(off[1 << t.w]).toBe(n);
      for (let v = 0; v < 1 << t.w; v += 97) {
        const rows: number[] = [];
        for (let pos = off[v]!; pos < off[v + 1]!; pos++) {
          const r = t.ids![pos]!;
          rows.push(r);
          // The copy in bucket order is the row's prefix.
          expect(f.u32[(t.codes >>> 2) + 2 * pos]).toBe(p[2 * r]);
          expect(f.u32[(t.codes >>> 2) + 2 * pos + 1]).toBe(p[2 * r + 1]);
        }
        const want: number[] = [];
        for (let r = 0; r < n; r++) if (segment(p[2 * r]!, p[2 * r + 1]!, t.from, t.w) === v) want.push(r);
        expect(rows).toEqual(want);
      }
    }
    const plan = planSteps(tables, n);
    for (let j = 1; j < plan.stepCover.length; j++) expect(plan.stepCover[j]!).toBeGreaterThanOrEqual(plan.stepCover[j - 1]!);
    expect(plan.stepCover[0]).toBe(0);
    expect(plan.stepCover[plan.stepCover.length - 1]!).toBeGreaterThanOrEqual(64);
    expect(plan.cumRows[plan.cumRows.length - 1]!).toBeCloseTo(n * tables.length, -1);
  });
});
