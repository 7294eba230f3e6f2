/**
 * UnitKernel: the in-memory similarity index for one ISCC unit type.
 *
 * Codes of 64..256 bits (multiples of 32) are compared by Normalized Prefix Hamming Distance:
 * NPHD(a, b) = popcount(a XOR b over the common prefix) / common prefix bits.
 *
 * Layout: the first 64 bits of every code sit in one packed Uint32Array (`prefix`, 2 words a
 * row); words 3..8 of longer codes sit in `rest` (6 words a row), allocated only when a longer
 * code arrives. Rows added since the last table build (the tail) are compared one by one.
 *
 * Tables (built lazily by a search, see {@link UnitKernel.buildTables}; laid out by
 * mih-tables.ts) live in the memory of a HammingFilter (hamming-filter.ts: WebAssembly
 * `i64.popcnt`, or its TypeScript twin):
 * - below MIH_MIN_ROWS rows one copy of the prefixes, for scanning;
 * - from MIH_MIN_ROWS on, multi-index hashing (Norouzi et al.): the 64-bit prefix is cut into
 *   m segments of about log2(rows) - 5 bits (so a bucket holds about 32..64 rows), and each
 *   segment has a table sorted by its value (counting sort): bucket starts, row ids and a copy
 *   of the prefixes in bucket order, so that a probe reads one contiguous run of codes.
 *
 * Search (default): probe the tables level by level (level s = the buckets at exactly s bits
 * from the query's segment), table by table. By the generalised pigeonhole principle, once
 * table i has been probed up to level t_i, every row whose 64-bit prefix lies within
 * R = sum(t_i) + m - 1 bits of the query has been seen, so an unseen row has NPHD >= (R + 1) / L,
 * L = min(query bits, longest stored code). The search stops when the k-th best is below that
 * bound or the bound passes `maxDistance`; the answer is then exact (ties included).
 * The plan is cost-based: before each step the cost of the steps still needed to stop (from the
 * current k-th best, or from `maxDistance` while fewer than k were found) is estimated from the
 * bucket counts and compared with a linear scan; when the scan is cheaper, it finishes the
 * search. The k-th best found so far is only an upper bound of the final one (and while fewer
 * than k are found the bound comes from `maxDistance` alone), so the probes go on as long as
 * they have cost less than a quarter of a scan in all, which caps the waste at 1.25 scans.
 * Every row read is first compared by its 64-bit prefix in the filter (a row's NPHD is at
 * least its prefix distance over L); longer codes then verify what passes by the full NPHD.
 * For 64-bit queries (and for longer ones when every stored code is 64 bits) the result is
 * therefore always exact. For longer codes the 64-bit prefix only steers the probes: when the
 * probes an exact answer needs cost more than a scan while k rows were found, the search
 * probes as far as a row nearer than the k-th best would most likely lie (prefix bits in
 * proportion, worst * 64) and returns what it found, or scans when even that costs more.
 * Exact search (`exact: true`) scans. Ties are broken by key (ascending), so every path gives
 * the same list.
 */

import { KeyTable, joinKey, splitKey } from './key-table.ts';
import { HammingFilter, OUT, OUT_CAP, RESUME, popcount32 } from './hamming-filter.ts';
import { coverFor, layTables, planSteps, segment, type Plan, type Table } from './mih-tables.ts';

export { popcount32 };

/** Below this many live rows, search scans (tables cost more than they save). */
export const MIH_MIN_ROWS = 16_384;
/** Below this many rows the tail loop alone answers (no copy in filter memory). */
const TABLE_MIN_ROWS = 512;
/**
 * Cost model of the plan, in units of one WebAssembly row comparison (~0.5 ns, measured on
 * the bench machine): a row read in a bucket or by the scan, and the start of a bucket (mask,
 * bucket bounds, a cache miss and a mispredicted loop exit, ~15 ns).
 */
const COST_WASM = { row: 1, probe: 30 } as const;
/** The TypeScript twin of the filter compares a row in several nanoseconds. */
const COST_TS = { row: 8, probe: 40 } as const;
/** Share of a scan's cost the probes may spend before the plan trusts the k-th best so far. */
const EXPLORE = 0.25;
/** Pack a code body (big-endian bytes, length multiple of 4) into 32-bit words. */
export function toWords(body: Uint8Array): Uint32Array {
  const w = new Uint32Array(body.length >>> 2);
  for (let i = 0; i < w.length; i++) {
    w[i] = ((body[4 * i]! << 24) | (body[4 * i + 1]! << 16) | (body[4 * i + 2]! << 8) | body[4 * i + 3]!) >>> 0;
  }
  return w;
}

/** NPHD of two byte strings over their common prefix (the reference definition, for tests). */
export function nphd(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  let h = 0;
  for (let i = 0; i < n; i++) h += popcount32(a[i]! ^ b[i]!);
  return n === 0 ? 0 : h / (n * 8);
}

/** Result of one kernel search: rows best first with their keys and distances. */
export interface KernelHits {
  keys: bigint[];
  distances: number[];
  /** Rows looked at (bucket members and scanned rows). */
  visited: number;
  /** Distance computations. */
  computed: number;
}

/** Options of {@link UnitKernel.search}. */
export interface KernelSearchOptions {
  /** Linear scan (the oracle). */
  exact?: boolean;
  /** Ignore rows farther than this NPHD (inclusive bound); default 1. */
  maxDistance?: number;
}

/** Small sorted top-k buffer ordered by (distance, keyHi, keyLo). */
class TopK {
  readonly d: Float64Array;
  readonly r: Int32Array;
  n = 0;
  constructor(
    readonly k: number,
    readonly keyHi: Uint32Array,
    readonly keyLo: Uint32Array,
  ) {
    this.d = new Float64Array(k);
    this.r = new Int32Array(k);
  }
  /** The distance a row must beat (or tie with a smaller key) to enter. */
  worst(): number {
    return this.n < this.k ? Infinity : this.d[this.k - 1]!;
  }
  private before(d1: number, r1: number, d2: number, r2: number): boolean {
    if (d1 !== d2) return d1 < d2;
    const h1 = this.keyHi[r1]!;
    const h2 = this.keyHi[r2]!;
    if (h1 !== h2) return h1 < h2;
    return this.keyLo[r1]! < this.keyLo[r2]!;
  }
  push(dist: number, row: number): void {
    const { d, r, k } = this;
    if (this.n === k) {
      if (!this.before(dist, row, d[k - 1]!, r[k - 1]!)) return;
      this.n--;
    }
    let i = this.n++;
    while (i > 0 && this.before(dist, row, d[i - 1]!, r[i - 1]!)) {
      d[i] = d[i - 1]!;
      r[i] = r[i - 1]!;
      i--;
    }
    d[i] = dist;
    r[i] = row;
  }
}

/** Counters of one search. */
interface Tally {
  visited: number;
  computed: number;
}

/** In-memory NPHD index for the codes of one unit type, keyed by 64-bit ISCC-ID bodies. */
export class UnitKernel {
  private cap = 0;
  private rows = 0;
  private live = 0;
  private prefix = new Uint32Array(0);
  private rest: Uint32Array | null = null;
  private words = new Uint8Array(0);
  private alive = new Uint8Array(0);
  private keyHi = new Uint32Array(0);
  private keyLo = new Uint32Array(0);
  private stamp = new Uint32Array(0);
  private stampNow = 0;
  private readonly rowOf = new KeyTable();
  /** Longest code stored (in 32-bit words); bounds NPHD for rows not yet seen. */
  private maxWords = 2;
  // Tables over rows [0, built).
  private built = 0;
  private filter: HammingFilter | null = null;
  private tables: Table[] = [];
  private plan: Plan | null = null;
  private top: TopK | null = null;

  /** Number of live codes. */
  get size(): number {
    return this.live;
  }

  private grow(min: number): void {
    let cap = Math.max(1024, this.cap * 2);
    while (cap < min) cap *= 2;
    const resize = <T extends Uint32Array | Uint8Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.prefix = resize(this.prefix, cap * 2);
    if (this.rest) this.rest = resize(this.rest, cap * 6);
    this.words = resize(this.words, cap);
    this.alive = resize(this.alive, cap);
    this.keyHi = resize(this.keyHi, cap);
    this.keyLo = resize(this.keyLo, cap);
    this.stamp = resize(this.stamp, cap);
    this.cap = cap;
  }

  /** Bytes held by this kernel's arrays (codes, keys, tables, key map). */
  memoryBytes(): number {
    let n = this.prefix.byteLength + (this.rest?.byteLength ?? 0) + this.words.byteLength + this.alive.byteLength;
    n += this.keyHi.byteLength + this.keyLo.byteLength + this.stamp.byteLength + this.rowOf.memoryBytes();
    n += this.filter?.byteLength ?? 0;
    for (const t of this.tables) n += t.ids?.byteLength ?? 0;
    return n;
  }

  /** Whether `key` has a code here. */
  has(key: bigint): boolean {
    const [hi, lo] = splitKey(key);
    return this.rowOf.has(hi, lo);
  }

  /** Add (or replace) the code of `key`; `body` is 8..32 bytes, a multiple of 4. */
  add(key: bigint, body: Uint8Array): void {
    const [hi, lo] = splitKey(key);
    this.addHiLo(hi, lo, body);
  }

  /** {@link add} with the key as 32-bit halves (no bigint on the hot path). */
  addHiLo(hi: number, lo: number, body: Uint8Array): void {
    this.addBytes(hi, lo, body, 0, body.length);
  }

  /** Add the code in `buf[off, off + nbytes)` for the key (hi, lo); no allocation. */
  addBytes(hi: number, lo: number, buf: Uint8Array, off: number, nbytes: number): void {
    if (this.rowOf.has(hi, lo)) this.remove(joinKey(hi, lo));
    if (this.rows === this.cap) this.grow(this.rows + 1);
    const row = this.rows++;
    const nw = nbytes >>> 2;
    this.prefix[2 * row] = ((buf[off]! << 24) | (buf[off + 1]! << 16) | (buf[off + 2]! << 8) | buf[off + 3]!) >>> 0;
    this.prefix[2 * row + 1] = ((buf[off + 4]! << 24) | (buf[off + 5]! << 16) | (buf[off + 6]! << 8) | buf[off + 7]!) >>> 0;
    if (nw > 2) {
      if (!this.rest) this.rest = new Uint32Array(this.cap * 6);
      for (let i = 2; i < nw; i++) {
        const p = off + 4 * i;
        this.rest[6 * row + i - 2] = ((buf[p]! << 24) | (buf[p + 1]! << 16) | (buf[p + 2]! << 8) | buf[p + 3]!) >>> 0;
      }
      if (nw > this.maxWords) this.maxWords = nw;
    }
    this.words[row] = nw;
    this.alive[row] = 1;
    this.keyHi[row] = hi;
    this.keyLo[row] = lo;
    this.rowOf.set(hi, lo, row);
    this.live++;
  }

  /** The stored code of `key` as bytes, or undefined. */
  get(key: bigint): Uint8Array | undefined {
    const [hi, lo] = splitKey(key);
    const row = this.rowOf.get(hi, lo);
    if (row < 0) return undefined;
    const nw = this.words[row]!;
    const out = new Uint8Array(nw * 4);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, this.prefix[2 * row]!);
    dv.setUint32(4, this.prefix[2 * row + 1]!);
    for (let i = 2; i < nw; i++) dv.setUint32(4 * i, this.rest![6 * row + i - 2]!);
    return out;
  }

  /** Remove the code of `key`; returns whether there was one. */
  remove(key: bigint): boolean {
    const [hi, lo] = splitKey(key);
    const row = this.rowOf.get(hi, lo);
    if (row < 0) return false;
    this.rowOf.delete(hi, lo);
    this.alive[row] = 0;
    this.live--;
    // Compact when a quarter of the rows are dead, so scans and tables stay tight.
    if (this.rows > 4096 && this.rows - this.live > this.rows / 4) this.compact();
    return true;
  }

  private compact(): void {
    let w = 0;
    for (let r = 0; r < this.rows; r++) {
      if (!this.alive[r]) continue;
      if (w !== r) {
        this.prefix[2 * w] = this.prefix[2 * r]!;
        this.prefix[2 * w + 1] = this.prefix[2 * r + 1]!;
        if (this.rest) this.rest.copyWithin(6 * w, 6 * r, 6 * r + 6);
        this.words[w] = this.words[r]!;
        this.keyHi[w] = this.keyHi[r]!;
        this.keyLo[w] = this.keyLo[r]!;
        this.alive[w] = 1;
        this.rowOf.set(this.keyHi[w]!, this.keyLo[w]!, w);
      }
      w++;
    }
    this.alive.fill(0, w, this.rows);
    this.rows = w;
    this.built = 0;
    this.tables = [];
  }

  /**
   * (Re)build the tables over all current rows: a scan copy below {@link MIH_MIN_ROWS} rows,
   * else the multi-index hashing tables (counting sort per segment). Searches call this when
   * the unindexed tail grows past 1/64 of the rows.
   */
  buildTables(): void {
    const n = this.rows;
    this.filter ??= new HammingFilter();
    this.tables = layTables(this.filter, this.prefix, n, n >= MIH_MIN_ROWS);
    this.built = n;
    this.plan = planSteps(this.tables, n);
  }

  /** Distance of `row` to the query words (NPHD over the common prefix). */
  private dist(row: number, q: Uint32Array): number {
    const p = this.prefix;
    let h = popcount32(p[2 * row]! ^ q[0]!) + popcount32(p[2 * row + 1]! ^ q[1]!);
    const cw = Math.min(this.words[row]!, q.length);
    if (cw > 2) {
      const rest = this.rest!;
      const base = 6 * row - 2;
      for (let i = 2; i < cw; i++) h += popcount32(rest[base + i]! ^ q[i]!);
    }
    return h / (cw * 32);
  }

  private hits(top: TopK, tally: Tally): KernelHits {
    const keys: bigint[] = [];
    const distances: number[] = [];
    for (let i = 0; i < top.n; i++) {
      const r = top.r[i]!;
      keys.push(joinKey(this.keyHi[r]!, this.keyLo[r]!));
      distances.push(top.d[i]!);
    }
    return { keys, distances, visited: tally.visited, computed: tally.computed };
  }

  /** Rows [from, to) compared one by one (the tail, and small kernels). */
  private scanRows(q: Uint32Array, top: TopK, maxDistance: number, from: number, to: number, tally: Tally): void {
    const p = this.prefix;
    const alive = this.alive;
    tally.visited += to - from;
    tally.computed += to - from;
    if (q.length === 2 || this.maxWords === 2) {
      // Distances from the 64-bit prefixes alone: compare integer counts.
      const q0 = q[0]!;
      const q1 = q[1]!;
      const limit = Math.floor(maxDistance * 64);
      let worstH = Math.min(limit, top.n < top.k ? 64 : Math.floor(top.worst() * 64));
      for (let r = from; r < to; r++) {
        const h = popcount32(p[2 * r]! ^ q0) + popcount32(p[2 * r + 1]! ^ q1);
        if (h > worstH || !alive[r]) continue;
        top.push(h / 64, r);
        if (top.n === top.k) worstH = Math.min(limit, Math.floor(top.worst() * 64));
      }
    } else {
      for (let r = from; r < to; r++) {
        if (!alive[r]) continue;
        const d = this.dist(r, q);
        if (d <= maxDistance && d <= top.worst()) top.push(d, r);
      }
    }
  }

  /** Next search stamp (marks rows seen by this search). */
  private nextStamp(): number {
    if (++this.stampNow === 0xffffffff) {
      this.stamp.fill(0);
      this.stampNow = 1;
    }
    return this.stampNow;
  }

  /**
   * Largest 64-bit prefix distance (bits) a row may have and still enter `top`. 64-bit
   * distances are h / 64 exactly; for longer codes a row's NPHD is at least its prefix distance
   * over L (the longest common length), so the bound is rounded up (ties must pass).
   */
  private threshold(top: TopK, maxDistance: number, short: boolean, L: number): number {
    const x = top.n === top.k ? Math.min(maxDistance, top.worst()) : maxDistance;
    return short ? Math.min(64, Math.floor(x * 64)) : Math.min(64, Math.ceil(x * L));
  }

  /**
   * Take the filter's result pairs (position, prefix distance) of table `t` into `top`: 64-bit
   * distances directly, longer codes by their full NPHD. Returns the new threshold.
   */
  private drain(n: number, t: Table, q: Uint32Array, short: boolean, top: TopK, maxDistance: number, L: number, now: number, tally: Tally): number {
    const u = this.filter!.u32;
    const ids = t.ids;
    const stamp = this.stamp;
    const alive = this.alive;
    let th = this.threshold(top, maxDistance, short, L);
    for (let i = 0; i < n; i++) {
      const pos = u[(OUT >>> 2) + 2 * i]!;
      const h = u[(OUT >>> 2) + 2 * i + 1]!;
      const row = ids ? ids[pos]! : pos;
      if (stamp[row] === now) continue;
      stamp[row] = now;
      if (!alive[row] || h > th) continue;
      if (short) top.push(h / 64, row);
      else {
        tally.computed++;
        const d = this.dist(row, q);
        if (d <= maxDistance && d <= top.worst()) top.push(d, row);
      }
      if (top.n === top.k) th = this.threshold(top, maxDistance, short, L);
    }
    return th;
  }

  /** Scan table 0 with the filter, skipping rows this search has seen. */
  private scanTable(q: Uint32Array, short: boolean, top: TopK, maxDistance: number, L: number, now: number, tally: Tally): void {
    const f = this.filter!;
    const t = this.tables[0]!;
    let th = this.threshold(top, maxDistance, short, L);
    for (let start = 0; ; ) {
      const n = f.scan(t.codes, start, this.built, q[0]!, q[1]!, th);
      const seen = f.u32[(RESUME >>> 2) + 2]!;
      tally.visited += seen;
      if (short) tally.computed += seen;
      th = this.drain(n, t, q, short, top, maxDistance, L, now, tally);
      if (n < OUT_CAP) break;
      start = f.u32[(RESUME >>> 2) + 1]!;
    }
  }

  /** Probe step (table, level) with the filter. */
  private probe(t: Table, level: number, q: Uint32Array, short: boolean, top: TopK, maxDistance: number, L: number, now: number, tally: Tally): void {
    const f = this.filter!;
    const q0 = q[0]!;
    const q1 = q[1]!;
    const seg = segment(q0, q1, t.from, t.w);
    const order = t.order!;
    let th = this.threshold(top, maxDistance, short, L);
    let m0 = order.start[level]!;
    const m1 = order.start[level + 1]!;
    let pos0 = 0;
    for (;;) {
      const n = f.probe(t.off, t.codes, seg, t.masks, m0, m1, pos0, q0, q1, th);
      const seen = f.u32[(RESUME >>> 2) + 2]!;
      tally.visited += seen;
      if (short) tally.computed += seen;
      th = this.drain(n, t, q, short, top, maxDistance, L, now, tally);
      if (n < OUT_CAP) break;
      m0 = f.u32[RESUME >>> 2]!;
      pos0 = f.u32[(RESUME >>> 2) + 1]!;
    }
  }

  /** Rebuild the tables when the unindexed tail grew past 1/64 of the rows. */
  private ensureTables(): void {
    if (this.rows < TABLE_MIN_ROWS) return;
    const tail = this.rows - this.built;
    if (this.built === 0 || tail > Math.max(256, this.built / 64) || (this.built < MIH_MIN_ROWS && this.rows >= MIH_MIN_ROWS)) this.buildTables();
  }

  /**
   * Top-`count` rows nearest to `query` (a code body of 8..32 bytes) by NPHD, best first.
   * Exact for 64-bit codes; see the module comment for the plan.
   */
  search(query: Uint8Array, count: number, opts: KernelSearchOptions = {}): KernelHits {
    const q = toWords(query);
    const maxDistance = opts.maxDistance ?? 1;
    const k = Math.max(1, Math.min(count, Math.max(1, this.live)));
    // One buffer per kernel, reused (searches run to the end synchronously): two typed-array
    // allocations less per query. New when k changes or the key arrays grew.
    let top = this.top;
    if (!top || top.k !== k || top.keyHi !== this.keyHi) this.top = top = new TopK(k, this.keyHi, this.keyLo);
    top.n = 0;
    const tally: Tally = { visited: 0, computed: 0 };
    if (this.live === 0) return this.hits(top, tally);
    this.ensureTables();
    this.scanRows(q, top, maxDistance, this.built, this.rows, tally);
    if (this.built === 0) return this.hits(top, tally);

    const short = q.length === 2 || this.maxWords === 2;
    const now = this.nextStamp();
    const q0 = q[0]!;
    const q1 = q[1]!;
    const L = short ? 64 : Math.min(q.length, this.maxWords) * 32;
    const finish = (): KernelHits => {
      this.scanTable(q, short, top, maxDistance, L, now, tally);
      return this.hits(top, tally);
    };
    if (opts.exact || this.tables[0]!.w === 0) return finish();

    const tables = this.tables;
    const m = tables.length;
    // Longer codes are filtered by their prefix distance as well and verify only what passes,
    // in either plan: the same prices hold.
    const cost = this.filter!.wasm ? COST_WASM : COST_TS;
    const scanCost = this.built * cost.row;
    const mdCover = coverFor(maxDistance, L);
    // Level 0 reads one bucket a table; when those are crowded (low-entropy codes) the plan
    // may switch to the scan before it.
    let level0 = 0;
    const u = this.filter!.u32;
    for (const t of tables) {
      const v = segment(q0, q1, t.from, t.w);
      level0 += u[(t.off >>> 2) + v + 1]! - u[(t.off >>> 2) + v]!;
    }
    const crowded = level0 * cost.row > scanCost / 4;
    const plan = this.plan!;
    const steps = plan.stepTable.length;
    // Estimated cost of steps [j, the first that covers `need` bits].
    const costTo = (j: number, need: number): number => {
      let last = j;
      while (last < steps - 1 && plan.stepCover[last]! < need) last++;
      const buckets = plan.cumBuckets[last]! - (j > 0 ? plan.cumBuckets[j - 1]! : 0);
      const rows = plan.cumRows[last]! - (j > 0 ? plan.cumRows[j - 1]! : 0);
      return buckets * cost.probe + rows * cost.row;
    };
    for (let j = 0; j < steps; j++) {
      const covered = j === 0 ? -1 : plan.stepCover[j - 1]!;
      const full = top.n === top.k;
      // Rows within `need` bits of the prefix must be seen before the answer is exact.
      const need = full ? Math.min(mdCover, coverFor(top.worst(), L)) : mdCover;
      if (covered >= need) return this.hits(top, tally);
      if (crowded || costTo(j, need) > scanCost) {
        // The k-th best found so far may still drop fast (the first rows seen are not the
        // nearest): go on while what the probes cost in all stays below EXPLORE of a scan.
        if (!crowded && costTo(0, plan.stepCover[j]!) <= scanCost * EXPLORE) {
          // probe step j
        } else if (short || !full) return finish();
        else {
          // Longer codes with k found: a row nearer than the k-th best most likely differs in
          // proportionally fewer prefix bits; probe that far if it is cheaper than the scan.
          const near = coverFor(top.worst(), 64);
          if (covered >= near) return this.hits(top, tally);
          if (costTo(j, near) > scanCost) return finish();
        }
      }
      this.probe(tables[plan.stepTable[j]!]!, plan.stepLevel[j]!, q, short, top, maxDistance, L, now, tally);
    }
    return this.hits(top, tally);
  }
}
