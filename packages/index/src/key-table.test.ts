/**
 * KeyTable against Map<bigint, number> under random operations; InstanceStore exact and
 * prefix matching in both directions, and removal.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { KeyTable, joinKey, splitKey } from './key-table.ts';
import { InstanceStore } from './instance-store.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

describe('KeyTable', () => {
  it('behaves like a Map<bigint, number> under random set/delete', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 40n }), fc.nat(1000)), { maxLength: 300 }),
        (ops) => {
          const t = new KeyTable(4);
          const m = new Map<bigint, number>();
          for (const [del, k0, v] of ops) {
            const k = k0 * 0x1_0000_0001n + (k0 % 2n) * (1n << 63n); // spread over both halves
            const [hi, lo] = splitKey(k);
            if (del) expect(t.delete(hi, lo)).toBe(m.delete(k));
            else {
              t.set(hi, lo, v);
              m.set(k, v);
            }
            expect(t.size).toBe(m.size);
          }
          for (const [k, v] of m) expect(t.get(...splitKey(k))).toBe(v);
          const seen: bigint[] = [];
          t.forEach((hi, lo) => seen.push(joinKey(hi, lo)));
          expect(seen.sort()).toEqual([...m.keys()].sort());
        },
      ),
      { numRuns: RUNS / 4 },
    );
  });
  it('round-trips keys through splitKey/joinKey', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (k) => {
          expect(joinKey(...splitKey(k))).toBe(k);
        }), { numRuns: RUNS });
  });
});

describe('InstanceStore', () => {
  it('matches equal codes and prefixes in both directions, and forgets removed ones', () => {
    const s = new InstanceStore();
    const a = Uint8Array.from({ length: 32 }, (_, i) => i);
    s.add(1n, a);
    s.add(2n, a.slice(0, 8));
    s.add(3n, a.slice(0, 16));
    const other = a.slice(0, 16);
    other[12] ^= 1;
    s.add(4n, other);
    expect(s.match(a.slice(0, 8), 10)).toEqual([1n, 2n, 3n, 4n]);
    expect(s.match(a, 10)).toEqual([1n, 2n, 3n]);
    expect(s.match(a.slice(0, 24), 10)).toEqual([1n, 2n, 3n]);
    expect(s.match(other, 10)).toEqual([2n, 4n]);
    expect(s.remove(3n)).toBe(true);
    expect(s.remove(3n)).toBe(false);
    expect(s.match(a, 10)).toEqual([1n, 2n]);
    expect(s.size).toBe(3);
    expect(s.match(new Uint8Array(8), 10)).toEqual([]);
  });
});
