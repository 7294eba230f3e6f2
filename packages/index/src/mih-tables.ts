/**
 * Multi-index hashing tables of the search kernel (kernel.ts) laid out in a HammingFilter's
 * memory, and the order and price of their probes (the plan the kernel's cost model reads).
 *
 * The 64-bit prefix is cut into m segments of about log2(rows) - 5 bits; each segment has a
 * counting-sort table: bucket starts (u32, one more than buckets), the prefixes in bucket order
 * (8 bytes a row, for the filter) and the row of each position (`ids`, in JavaScript memory).
 * The u16 masks of each width, ordered by popcount, are in the filter memory too (level s of a
 * table = the masks with s bits set). Below MIH_MIN_ROWS one copy of the prefixes in row order
 * is laid out instead (width 0: scan only).
 */
import { HEAP, popcount32, type HammingFilter } from './hamming-filter.ts';

/** Widest and narrowest segment (bits) of the multi-index hashing tables. */
const SEG_MAX_BITS = 16;
const SEG_MIN_BITS = 8;
/** Segments are about log2(rows) - this many bits wide: buckets of about 32..64 rows. */
const SEG_BELOW_LOG2 = 5;

/** 16-bit masks ordered by popcount, per segment width: masks[start[s], start[s+1]) have s bits. */
export interface MaskOrder {
  masks: Uint16Array;
  start: Uint32Array;
}
const MASK_ORDERS = new Map<number, MaskOrder>();
function maskOrder(w: number): MaskOrder {
  let mo = MASK_ORDERS.get(w);
  if (!mo) {
    const n = 1 << w;
    const start = new Uint32Array(w + 2);
    for (let m = 0; m < n; m++) start[popcount32(m) + 1]!++;
    for (let s = 0; s <= w; s++) start[s + 1]! += start[s]!;
    const fill = start.slice(0, w + 1);
    const masks = new Uint16Array(n);
    for (let m = 0; m < n; m++) masks[fill[popcount32(m)]!++] = m;
    MASK_ORDERS.set(w, (mo = { masks, start }));
  }
  return mo;
}

/**
 * The smallest coverage R (bits, >= -1) with x < (R + 1) / L: once every row within R bits of
 * the query's prefix has been seen, no unseen row can reach distance x (nor tie with it).
 * Evaluated as the comparison is made, so float rounding cannot stop a search early.
 */
export function coverFor(x: number, L: number): number {
  let r = Math.max(-1, Math.floor(x * L));
  while (!(x < (r + 1) / L)) r++;
  while (r > -1 && x < r / L) r--;
  return r;
}

/** Binomial coefficient (small arguments). */
function choose(n: number, k: number): number {
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}

/** Value of bits [from, from + w) (MSB first) of the 64-bit prefix (hi, lo). */
export function segment(hi: number, lo: number, from: number, w: number): number {
  const to = from + w;
  const mask = (1 << w) - 1;
  if (to <= 32) return (hi >>> (32 - to)) & mask;
  if (from >= 32) return (lo >>> (64 - to)) & mask;
  return ((hi << (to - 32)) | (lo >>> (64 - to))) & mask;
}

/** One segment table in filter memory (byte offsets) with its row ids. */
export interface Table {
  /** First bit of the segment in the 64-bit prefix, and its width (0: scan copy, no buckets). */
  from: number;
  w: number;
  off: number;
  codes: number;
  masks: number;
  order: MaskOrder | null;
  /** Row of each position (null: positions are rows). */
  ids: Uint32Array | null;
}

/** Probe plan: step j probes table stepTable[j] at level stepLevel[j]. */
export interface Plan {
  stepTable: Int32Array;
  stepLevel: Int32Array;
  /** Rows within stepCover[j] bits of the query's prefix have been seen after step j. */
  stepCover: Int32Array;
  /** Buckets and expected rows of steps [0, j] (prefix sums). */
  cumBuckets: Float64Array;
  cumRows: Float64Array;
}

/**
 * Lay out the tables of the first `n` rows of `p` (2 words a row) in `f`: the multi-index
 * hashing tables when `mih`, else one scan copy.
 */
export function layTables(f: HammingFilter, p: Uint32Array, n: number, mih: boolean): Table[] {
  const tables: Table[] = [];
  let at = HEAP;
  const align = (x: number): number => (x + 7) & ~7;
  if (!mih) {
    f.reserve(at + 8 * n);
    f.u32.set(p.subarray(0, 2 * n), at >>> 2);
    tables.push({ from: 0, w: 0, off: 0, codes: at, masks: 0, order: null, ids: null });
    return tables;
  }
  // Buckets of 32..64 rows: a probe then reads a run of codes long enough to pay for finding
  // it (a bucket start costs about 30 row comparisons), and few enough to skip most rows.
  const b = Math.max(SEG_MIN_BITS, Math.min(SEG_MAX_BITS, Math.floor(Math.log2(n)) - SEG_BELOW_LOG2));
  const m = Math.round(64 / b);
  const widths = Array.from({ length: m }, (_, i) => Math.floor(64 / m) + (i < 64 % m ? 1 : 0));
  // Layout: masks per distinct width, then per table bucket starts and codes.
  const maskAt = new Map<number, number>();
  for (const w of new Set(widths)) {
    maskAt.set(w, at);
    at = align(at + 2 * (1 << w));
  }
  const offAt: number[] = [];
  const codesAt: number[] = [];
  for (const w of widths) {
    offAt.push(at);
    at = align(at + 4 * ((1 << w) + 1));
    codesAt.push(at);
    at += 8 * n;
  }
  f.reserve(at);
  for (const [w, pos] of maskAt) f.u16.set(maskOrder(w).masks, pos >>> 1);
  const u = f.u32;
  let from = 0;
  widths.forEach((w, t) => {
    const buckets = 1 << w;
    const ob = offAt[t]! >>> 2;
    const cb = codesAt[t]! >>> 2;
    u.fill(0, ob, ob + buckets + 1);
    for (let r = 0; r < n; r++) u[ob + segment(p[2 * r]!, p[2 * r + 1]!, from, w) + 1]!++;
    for (let v = 0; v < buckets; v++) u[ob + v + 1]! += u[ob + v]!;
    const fill = u.slice(ob, ob + buckets);
    const ids = new Uint32Array(n);
    for (let r = 0; r < n; r++) {
      const hi = p[2 * r]!;
      const lo = p[2 * r + 1]!;
      const at2 = fill[segment(hi, lo, from, w)]!++;
      ids[at2] = r;
      u[cb + 2 * at2] = hi;
      u[cb + 2 * at2 + 1] = lo;
    }
    tables.push({ from, w, off: offAt[t]!, codes: codesAt[t]!, masks: maskAt.get(w)!, order: maskOrder(w), ids });
    from += w;
  });
  return tables;
}

/** The probe plan of `tables` over `n` rows (level by level, table by table) with its costs. */
export function planSteps(tables: Table[], n: number): Plan {
  const m = tables.length;
  const tl: number[] = [];
  const lv: number[] = [];
  const cover: number[] = [];
  const buckets: number[] = [];
  const rowsOf: number[] = [];
  if (tables[0]!.w > 0) {
    const t = new Array<number>(m).fill(-1);
    const maxW = Math.max(...tables.map((x) => x.w));
    let b = 0;
    let r = 0;
    for (let s = 0; s <= maxW; s++) {
      for (let i = 0; i < m; i++) {
        const w = tables[i]!.w;
        if (s > w) continue;
        t[i] = s;
        const nb = choose(w, s);
        b += nb;
        r += (nb * n) / (1 << w);
        tl.push(i);
        lv.push(s);
        // A table probed at every level has shown every row.
        cover.push(s === w ? 1 << 30 : t.reduce((a, x) => a + x, 0) + m - 1);
        buckets.push(b);
        rowsOf.push(r);
      }
    }
  }
  return {
    stepTable: Int32Array.from(tl),
    stepLevel: Int32Array.from(lv),
    stepCover: Int32Array.from(cover),
    cumBuckets: Float64Array.from(buckets),
    cumRows: Float64Array.from(rowsOf),
  };
}

