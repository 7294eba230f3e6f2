/**
 * KeyTable: a hash map from 64-bit keys to int32 values in flat typed arrays.
 *
 * Why not `Map<bigint, number>`: each bigint key is a heap object and each Map entry costs
 * several words, about 80-100 bytes per entry and much garbage-collector work at a million
 * entries. Here a key is two uint32 halves; open addressing with linear probing, load <= 1/2,
 * tombstones on delete (compacted on resize): 13 bytes a slot, about 26 bytes an entry.
 */

const EMPTY = 0;
const USED = 1;
const DELETED = 2;

/** Split a 64-bit key into its high and low 32-bit halves. */
export function splitKey(key: bigint): [number, number] {
  // Keys below 2^53 (sequential keys, in practice all) convert exactly to a double: no bigint
  // arithmetic, which allocates.
  if (key >= 0n && key <= 0x1fffffffffffffn) {
    const n = Number(key);
    return [Math.floor(n / 4294967296), n >>> 0];
  }
  return [Number((key >> 32n) & 0xffffffffn), Number(key & 0xffffffffn)];
}

/** Join 32-bit halves into a 64-bit key. */
export function joinKey(hi: number, lo: number): bigint {
  return (BigInt(hi) << 32n) | BigInt(lo);
}

function hash(hi: number, lo: number): number {
  let h = Math.imul(hi ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(lo ^ 0xc2b2ae35, 0x27d4eb2f);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}

/** Map of 64-bit keys (as uint32 halves) to int32 values. */
export class KeyTable {
  private cap: number;
  private hi: Uint32Array;
  private lo: Uint32Array;
  private val: Int32Array;
  private state: Uint8Array;
  private used = 0;
  private tomb = 0;

  constructor(initial = 1024) {
    let cap = 16;
    while (cap < initial * 2) cap *= 2;
    this.cap = cap;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.val = new Int32Array(cap);
    this.state = new Uint8Array(cap);
  }

  /** Number of keys. */
  get size(): number {
    return this.used;
  }

  /** Value of the key, or -1 when absent (store non-negative values to tell them apart). */
  get(hi: number, lo: number): number {
    const i = this.find(hi, lo);
    return i < 0 ? -1 : this.val[i]!;
  }

  /** Whether the key is present. */
  has(hi: number, lo: number): boolean {
    return this.find(hi, lo) >= 0;
  }

  private find(hi: number, lo: number): number {
    const mask = this.cap - 1;
    for (let i = hash(hi, lo) & mask; ; i = (i + 1) & mask) {
      const s = this.state[i]!;
      if (s === EMPTY) return -1;
      if (s === USED && this.hi[i] === hi && this.lo[i] === lo) return i;
    }
  }

  /** Set the key's value (insert or overwrite). */
  set(hi: number, lo: number, v: number): void {
    if ((this.used + this.tomb + 1) * 2 > this.cap) this.resize(this.used * 4 > this.cap ? this.cap * 2 : this.cap);
    const mask = this.cap - 1;
    let slot = -1;
    for (let i = hash(hi, lo) & mask; ; i = (i + 1) & mask) {
      const s = this.state[i]!;
      if (s === EMPTY) {
        if (slot < 0) slot = i;
        break;
      }
      if (s === DELETED) {
        if (slot < 0) slot = i;
        continue;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) {
        this.val[i] = v;
        return;
      }
    }
    if (this.state[slot] === DELETED) this.tomb--;
    this.state[slot] = USED;
    this.hi[slot] = hi;
    this.lo[slot] = lo;
    this.val[slot] = v;
    this.used++;
  }

  /** Remove the key; returns whether it was there. */
  delete(hi: number, lo: number): boolean {
    const i = this.find(hi, lo);
    if (i < 0) return false;
    this.state[i] = DELETED;
    this.used--;
    this.tomb++;
    return true;
  }

  /** Bytes held by the table's arrays. */
  memoryBytes(): number {
    return this.cap * 13;
  }

  /** Visit every (hi, lo, value). */
  forEach(fn: (hi: number, lo: number, v: number) => void): void {
    for (let i = 0; i < this.cap; i++) if (this.state[i] === USED) fn(this.hi[i]!, this.lo[i]!, this.val[i]!);
  }

  private resize(cap: number): void {
    const { hi, lo, val, state } = this;
    const old = this.cap;
    this.cap = cap;
    this.hi = new Uint32Array(cap);
    this.lo = new Uint32Array(cap);
    this.val = new Int32Array(cap);
    this.state = new Uint8Array(cap);
    this.used = 0;
    this.tomb = 0;
    for (let i = 0; i < old; i++) if (state[i] === USED) this.set(hi[i]!, lo[i]!, val[i]!);
  }
}
