/**
 * UnitKernel: the in-memory similarity index for one ISCC unit type.
 *
 * Codes of 64..256 bits (multiples of 32) are compared by Normalized Prefix Hamming Distance:
 * NPHD(a, b) = popcount(a XOR b over the common prefix) / common prefix bits.
 *
 * Layout: the first 64 bits of every code sit in one packed Uint32Array (`prefix`, 2 words a
 * row) so that scans over 64-bit codes touch 8 bytes a row; words 3..8 of longer codes sit in
 * `rest` (6 words a row), allocated only when a longer code arrives.
 *
 * Approximate (default) search is multi-index hashing (Norouzi et al.) over the 64-bit prefix
 * split into 4 segments of 16 bits, each with a table (CSR: offsets + row ids) built by a
 * counting sort:
 *   1. rows added since the last table build (the tail) are verified directly;
 *   2. for s = 0, 1, 2, ... probe in every table the buckets at exactly s bits from the
 *      query's segment; verify each new row with the full NPHD;
 *   3. after level s every row whose 64-bit prefix is within R = 4s + 3 bits of the query has
 *      been seen (pigeonhole), so any unseen row has NPHD >= (R + 1) / L, L = min(query bits,
 *      longest stored code). Stop when the k-th best is below that bound (the answer is then
 *      exact, ties included), or when the bound passes `maxDistance`;
 *   4. when the next level would verify more than a quarter of the rows, scan instead. For
 *      64-bit queries the answer is therefore always exact; for longer codes the 64-bit
 *      prefix only steers the search, and after the last level what was found is returned.
 * Exact search (`exact: true`) is a linear scan, the oracle for the tests and the bench.
 * Ties are broken by key (ascending), so approximate and exact answers compare as lists.
 */

import { KeyTable, joinKey, splitKey } from './key-table.ts';

/** Below this many live rows, search scans (tables cost more than they save). */
export const MIH_MIN_ROWS = 16_384;
/** Segment width of the multi-index hashing tables in bits (4 segments cover 64 bits). */
const SEG_BITS = 16;
const SEG_COUNT = 4;
const SEG_VALUES = 1 << SEG_BITS;

/** 16-bit masks grouped by popcount: MASKS_BY_WEIGHT[s] lists every mask with s bits set. */
const MASKS_BY_WEIGHT: Uint16Array[] = (() => {
  const groups: number[][] = Array.from({ length: SEG_BITS + 1 }, () => []);
  for (let m = 0; m < SEG_VALUES; m++) groups[popcount32(m)]!.push(m);
  return groups.map((g) => Uint16Array.from(g));
})();

/** Population count of a 32-bit word (SWAR; V8 compiles this to a handful of ALU ops). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

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
  /** Full distance computations. */
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
    private readonly keyHi: Uint32Array,
    private readonly keyLo: Uint32Array,
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
  // Multi-index hashing tables over rows [0, built).
  private built = 0;
  private offsets: Uint32Array[] = [];
  private ids: Uint32Array[] = [];

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
    for (const t of this.offsets) n += t.byteLength;
    for (const t of this.ids) n += t.byteLength;
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
    this.offsets = [];
    this.ids = [];
  }

  /** (Re)build the multi-index hashing tables over all current rows (counting sort). */
  buildTables(): void {
    const n = this.rows;
    const p = this.prefix;
    this.offsets = [];
    this.ids = [];
    for (let t = 0; t < SEG_COUNT; t++) {
      const word = t >> 1;
      const shift = t & 1 ? 0 : 16;
      const off = new Uint32Array(SEG_VALUES + 1);
      for (let r = 0; r < n; r++) off[((p[2 * r + word]! >>> shift) & 0xffff) + 1]!++;
      for (let v = 0; v < SEG_VALUES; v++) off[v + 1]! += off[v]!;
      const fill = off.slice(0, SEG_VALUES);
      const ids = new Uint32Array(n);
      for (let r = 0; r < n; r++) ids[fill[(p[2 * r + word]! >>> shift) & 0xffff]!++] = r;
      this.offsets.push(off);
      this.ids.push(ids);
    }
    this.built = n;
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

  private hits(top: TopK, visited: number, computed: number): KernelHits {
    const keys: bigint[] = [];
    const distances: number[] = [];
    for (let i = 0; i < top.n; i++) {
      const r = top.r[i]!;
      keys.push(joinKey(this.keyHi[r]!, this.keyLo[r]!));
      distances.push(top.d[i]!);
    }
    return { keys, distances, visited, computed };
  }

  /** Linear scan of all rows: the exact top-k (the oracle). */
  private scan(q: Uint32Array, top: TopK, maxDistance: number): number {
    const n = this.rows;
    const p = this.prefix;
    const alive = this.alive;
    if (q.length === 2) {
      // 64-bit query: every row's common prefix is 64 bits, so compare integer counts.
      const q0 = q[0]!;
      const q1 = q[1]!;
      const limit = Math.floor(maxDistance * 64);
      let worstH = Math.min(limit, top.n < top.k ? 64 : Math.floor(top.worst() * 64));
      for (let r = 0; r < n; r++) {
        const h = popcount32(p[2 * r]! ^ q0) + popcount32(p[2 * r + 1]! ^ q1);
        if (h > worstH || !alive[r]) continue;
        top.push(h / 64, r);
        if (top.n === top.k) worstH = Math.min(limit, Math.floor(top.worst() * 64));
      }
    } else {
      for (let r = 0; r < n; r++) {
        if (!alive[r]) continue;
        const d = this.dist(r, q);
        if (d <= maxDistance && d <= top.worst()) top.push(d, r);
      }
    }
    return n;
  }

  /**
   * Top-`count` rows nearest to `query` (a code body of 8..32 bytes) by NPHD, best first.
   * Approximate by default (see the module comment); `exact: true` scans.
   */
  search(query: Uint8Array, count: number, opts: KernelSearchOptions = {}): KernelHits {
    const q = toWords(query);
    const maxDistance = opts.maxDistance ?? 1;
    const k = Math.max(1, Math.min(count, Math.max(1, this.live)));
    const top = new TopK(k, this.keyHi, this.keyLo);
    if (this.live === 0) return this.hits(top, 0, 0);
    if (opts.exact || this.live < MIH_MIN_ROWS) {
      const n = this.scan(q, top, maxDistance);
      return this.hits(top, n, n);
    }
    // Rebuild the tables lazily when the unindexed tail grew past 1/16 of the rows.
    const tail = this.rows - this.built;
    if (this.built === 0 || tail > Math.max(8192, this.built / 16)) this.buildTables();

    if (++this.stampNow === 0xffffffff) {
      this.stamp.fill(0);
      this.stampNow = 1;
    }
    const now = this.stampNow;
    const stamp = this.stamp;
    const alive = this.alive;
    let visited = 0;
    let computed = 0;
    const consider = (r: number): void => {
      visited++;
      if (stamp[r] === now) return;
      stamp[r] = now;
      if (!alive[r]) return;
      computed++;
      const d = this.dist(r, q);
      if (d <= maxDistance && d <= top.worst()) top.push(d, r);
    };
    for (let r = this.built; r < this.rows; r++) consider(r);

    const segs = [q[0]! >>> 16, q[0]! & 0xffff, q[1]! >>> 16, q[1]! & 0xffff];
    const lBound = Math.min(q.length, this.maxWords) * 32;
    const perBucket = this.built / SEG_VALUES;
    for (let s = 0; s <= SEG_BITS; s++) {
      const masks = MASKS_BY_WEIGHT[s]!;
      // Scanning beats probing once a level would verify a quarter of the rows.
      if (SEG_COUNT * masks.length * perBucket > this.rows / 4) {
        if (lBound === 64 || top.n < top.k) {
          const fresh = new TopK(k, this.keyHi, this.keyLo);
          const n = this.scan(q, fresh, maxDistance);
          return this.hits(fresh, visited + n, computed + n);
        }
        break; // longer codes: return what the prefix-steered probe found
      }
      for (let t = 0; t < SEG_COUNT; t++) {
        const off = this.offsets[t]!;
        const ids = this.ids[t]!;
        const sv = segs[t]!;
        for (let m = 0; m < masks.length; m++) {
          const v = sv ^ masks[m]!;
          const end = off[v + 1]!;
          for (let i = off[v]!; i < end; i++) consider(ids[i]!);
        }
      }
      const bound = (SEG_COUNT * s + SEG_COUNT) / lBound; // (R + 1) / L with R = 4s + 3
      if ((top.n === top.k && top.worst() < bound) || bound > maxDistance) break;
    }
    return this.hits(top, visited, computed);
  }
}
