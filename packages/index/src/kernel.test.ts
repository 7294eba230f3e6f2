/**
 * UnitKernel: popcount and NPHD against bit loops, exact search against a brute-force ranking
 * on mixed lengths, and the multi-index-hashing search against exact search (equal lists for
 * 64-bit codes, also after removes and unindexed tail adds; recall >= 0.99 for 256-bit).
 * The cost-based plan (probe, or scan) is checked against brute force on random codes without
 * near neighbours (where it scans), clustered codes (where it probes) and few distinct
 * low-entropy codes (ties, crowded buckets), with the WebAssembly filter and its TypeScript twin.
 */
import { afterEach, describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { UnitKernel, nphd, popcount32, MIH_MIN_ROWS } from './kernel.ts';
import { setHammingWasm } from './hamming-filter.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

/** Deterministic PRNG (mulberry32) so that failures reproduce. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomBytes(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

function flip(r: () => number, code: Uint8Array, bits: number): Uint8Array {
  const out = code.slice();
  const done = new Set<number>();
  while (done.size < bits) {
    const p = Math.floor(r() * out.length * 8);
    if (done.has(p)) continue;
    done.add(p);
    out[p >> 3]! ^= 0x80 >> (p & 7);
  }
  return out;
}

/** Clustered data like the bench: centres with members at 1..6 bits. */
function clustered(seed: number, centres: number, members: number, nbytes: number): Uint8Array[] {
  const r = rng(seed);
  const out: Uint8Array[] = [];
  for (let c = 0; c < centres; c++) {
    const centre = randomBytes(r, nbytes);
    for (let m = 0; m < members; m++) out.push(flip(r, centre, 1 + Math.floor(r() * 6)));
  }
  return out;
}

describe('popcount32 and nphd', () => {
  it('popcount32 equals a bit loop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
        let c = 0;
        for (let i = 0; i < 32; i++) c += (x >>> i) & 1;
        expect(popcount32(x)).toBe(c);
      }),
      { numRuns: RUNS },
    );
  });
  it('nphd compares the common prefix only', () => {
    expect(nphd(Uint8Array.of(0xff, 0, 0, 0), Uint8Array.of(0x0f, 0, 0, 0, 0xff, 0xff, 0xff, 0xff))).toBe(4 / 32);
  });
});

describe('UnitKernel', () => {
  it('add/get/remove round-trip and size', () => {
    const k = new UnitKernel();
    const a = Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8);
    const b = randomBytes(rng(1), 32);
    k.add(1n, a);
    k.add(0xffffffffffffffffn, b);
    expect(k.size).toBe(2);
    expect(k.get(1n)).toEqual(a);
    expect(k.get(0xffffffffffffffffn)).toEqual(b);
    expect(k.remove(1n)).toBe(true);
    expect(k.remove(1n)).toBe(false);
    expect(k.get(1n)).toBeUndefined();
    expect(k.size).toBe(1);
  });

  it('exact search equals a brute-force NPHD ranking on mixed lengths', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 2, max: 8 }), fc.uint8Array({ minLength: 32, maxLength: 32 })), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 2, max: 8 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.integer({ min: 1, max: 12 }),
        (rows, qw, qb, count) => {
          const k = new UnitKernel();
          const codes = rows.map(([w, b]) => b.slice(0, w * 4));
          codes.forEach((c, i) => k.add(BigInt(i), c));
          const q = qb.slice(0, qw * 4);
          const hits = k.search(q, count, { exact: true });
          const expected = codes
            .map((c, i) => ({ key: BigInt(i), d: nphd(c, q) }))
            .sort((x, y) => x.d - y.d || (x.key < y.key ? -1 : 1))
            .slice(0, count);
          expect(hits.keys).toEqual(expected.map((e) => e.key));
          expect(hits.distances).toEqual(expected.map((e) => e.d));
        },
      ),
      { numRuns: RUNS / 10 },
    );
  });

  it('multi-index hashing search equals exact search for 64-bit codes (incl. after removes and tail adds)', () => {
    const codes = clustered(7, 400, 60, 8); // 24k rows > MIH_MIN_ROWS
    expect(codes.length).toBeGreaterThan(MIH_MIN_ROWS);
    const k = new UnitKernel();
    codes.forEach((c, i) => k.add(BigInt(i) * 7919n, c));
    const r = rng(99);
    const check = (): void => {
      for (let i = 0; i < 200; i++) {
        const q = i % 5 === 0 ? randomBytes(r, 8) : flip(r, codes[Math.floor(r() * codes.length)]!, 2);
        const a = k.search(q, 10);
        const e = k.search(q, 10, { exact: true });
        expect(a.keys).toEqual(e.keys);
        expect(a.distances).toEqual(e.distances);
      }
    };
    check();
    for (let i = 0; i < 3000; i++) k.remove(BigInt(i * 3) * 7919n);
    for (let i = 0; i < 2000; i++) k.add(BigInt(1_000_000 + i), flip(r, codes[i]!, 1));
    check();
  });

  it('maxDistance drops far rows', () => {
    const k = new UnitKernel();
    k.add(1n, new Uint8Array(8));
    k.add(2n, Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0));
    const hits = k.search(new Uint8Array(8), 10, { exact: true, maxDistance: 0.25 });
    expect(hits.keys).toEqual([1n]);
  });

  it('approximate search on 256-bit clustered codes has recall >= 0.99', () => {
    const codes = clustered(11, 300, 60, 32);
    const k = new UnitKernel();
    codes.forEach((c, i) => k.add(BigInt(i), c));
    const r = rng(5);
    let hit = 0;
    let total = 0;
    for (let i = 0; i < 200; i++) {
      const q = flip(r, codes[Math.floor(r() * codes.length)]!, 2);
      const a = new Set(k.search(q, 10).keys);
      const e = k.search(q, 10, { exact: true }).keys;
      for (const key of e) if (a.has(key)) hit++;
      total += e.length;
    }
    expect(hit / total).toBeGreaterThanOrEqual(0.99);
  });
});

describe('UnitKernel search plans (multi-index hashing, scan, WebAssembly and TypeScript filters)', () => {
  afterEach(() => setHammingWasm(true));

  /** Keys of the brute-force top-`count` by NPHD within `maxDistance`, ties by key. */
  function brute(codes: Uint8Array[], keys: bigint[], q: Uint8Array, count: number, maxDistance: number): { keys: bigint[]; d: number[] } {
    const all: { key: bigint; d: number }[] = [];
    codes.forEach((c, i) => {
      const d = nphd(c, q);
      if (d <= maxDistance) all.push({ key: keys[i]!, d });
    });
    all.sort((x, y) => x.d - y.d || (x.key < y.key ? -1 : 1));
    const top = all.slice(0, count);
    return { keys: top.map((e) => e.key), d: top.map((e) => e.d) };
  }

  /** Which plan each checked search took ('probe'/'scan' and the filter). */
  const plans = new Set<string>();
  const r0 = rng(1234);
  const datasets: [string, Uint8Array[]][] = [
    // The REST bench's workload: random 64-bit codes, queries are members (no near neighbours).
    ['random', Array.from({ length: 40_000 }, () => randomBytes(r0, 8))],
    ['clustered', clustered(3, 300, 80, 8)],
    // Few distinct codes (ties everywhere) with low-entropy segments (crowded buckets).
    [
      'low-entropy',
      (() => {
        const base = Array.from({ length: 1500 }, () => randomBytes(r0, 8).map((b) => b & 0x11));
        return Array.from({ length: 30_000 }, (_, i) => base[(i * 7919) % base.length]!);
      })(),
    ],
  ];

  for (const [name, codes] of datasets) {
    for (const wasm of [true, false]) {
      it(`default search equals exact search and brute force: ${name}, ${wasm ? 'WebAssembly' : 'TypeScript'} filter`, () => {
        setHammingWasm(wasm);
        const k = new UnitKernel();
        // Keys not in row order, so that ties by key differ from ties by row.
        const keys = codes.map((_, i) => BigInt((i * 40503) % 65521) * 1_000_003n + BigInt(i));
        codes.forEach((c, i) => k.add(keys[i]!, c));
        const r = rng(77);
        fc.assert(
          fc.property(
            fc.nat({ max: codes.length - 1 }),
            fc.integer({ min: 0, max: 12 }),
            fc.integer({ min: 1, max: 60 }),
            fc.constantFrom(0, 0.05, 0.1, 0.25, 0.5, 1),
            (qi, noise, count, maxDistance) => {
              const q = flip(r, codes[qi]!, noise);
              const e = brute(codes, keys, q, count, maxDistance);
              const a = k.search(q, count, { maxDistance });
              const x = k.search(q, count, { maxDistance, exact: true });
              plans.add(`${a.visited >= codes.length ? 'scan' : 'probe'} ${wasm}`);
              expect(a.keys).toEqual(e.keys);
              expect(a.distances).toEqual(e.d);
              expect(x.keys).toEqual(e.keys);
              expect(x.distances).toEqual(e.d);
            },
          ),
          { numRuns: RUNS / 20 },
        );
      });
    }
  }

  it('ran both plans (probe, and a scan that finishes a search) with both filters', () => {
    expect([...plans].sort()).toEqual(['probe false', 'probe true', 'scan false', 'scan true']);
  });

  it('stays exact with 64-bit rows and a longer query, after removes and with an unindexed tail', () => {
    const r = rng(5);
    const codes = Array.from({ length: 20_000 }, () => randomBytes(r, 8));
    const keys = codes.map((_, i) => BigInt(i));
    const k = new UnitKernel();
    codes.forEach((c, i) => k.add(keys[i]!, c));
    k.search(codes[0]!, 10); // builds the tables
    for (let i = 0; i < 4000; i += 3) k.remove(keys[i]!);
    const live = codes.map((c, i) => [c, keys[i]!] as const).filter((_, i) => i >= 4000 || i % 3 !== 0);
    for (let i = 0; i < 300; i++) {
      const c = flip(r, codes[i]!, 3);
      k.add(100_000n + BigInt(i), c);
      live.push([c, 100_000n + BigInt(i)]);
    }
    for (let i = 0; i < 100; i++) {
      const q = new Uint8Array(32);
      q.set(flip(r, codes[(i * 37) % codes.length]!, i % 9));
      q.set(randomBytes(r, 24), 8);
      const e = brute(
        live.map((x) => x[0]),
        live.map((x) => x[1]),
        q,
        20,
        0.25,
      );
      const a = k.search(q, 20, { maxDistance: 0.25 });
      expect(a.keys).toEqual(e.keys);
      expect(a.distances).toEqual(e.d);
    }
  });
});
