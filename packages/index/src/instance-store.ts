/**
 * InstanceStore: exact and prefix matching of Instance-Codes (64..256 bits).
 *
 * Two Instance-Codes match when one is a prefix of the other (equal over the shorter length);
 * as every code has at least 64 bits, matches share their first 64 bits. Rows are chained by
 * that 64-bit prefix (KeyTable prefix -> first row, `next` links), so a lookup walks only the
 * rows with the query's prefix and compares the remaining common bytes. Flat typed arrays keep
 * a million codes at about 60 bytes each with no per-entry objects.
 */
import { KeyTable, joinKey, splitKey } from './key-table.ts';

export class InstanceStore {
  private cap = 0;
  private rows = 0;
  private live = 0;
  private bytes = new Uint8Array(0); // 32 bytes a row
  private len = new Uint8Array(0);
  private keyHi = new Uint32Array(0);
  private keyLo = new Uint32Array(0);
  private next = new Int32Array(0);
  private readonly head = new KeyTable();
  private readonly rowOf = new KeyTable();

  /** Number of stored Instance-Codes. */
  get size(): number {
    return this.live;
  }

  /** Bytes held by the store's arrays. */
  memoryBytes(): number {
    return this.bytes.byteLength + this.len.byteLength + this.keyHi.byteLength + this.keyLo.byteLength + this.next.byteLength + this.head.memoryBytes() + this.rowOf.memoryBytes();
  }

  private grow(): void {
    const cap = Math.max(1024, this.cap * 2);
    const resize = <T extends Uint8Array | Uint32Array | Int32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.bytes = resize(this.bytes, cap * 32);
    this.len = resize(this.len, cap);
    this.keyHi = resize(this.keyHi, cap);
    this.keyLo = resize(this.keyLo, cap);
    this.next = resize(this.next, cap);
    this.cap = cap;
  }

  private prefix(b: Uint8Array): [number, number] {
    return [((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0, ((b[4]! << 24) | (b[5]! << 16) | (b[6]! << 8) | b[7]!) >>> 0];
  }

  /** Store the Instance-Code `body` (8..32 bytes) of entry `key` (one per entry). */
  add(key: bigint, body: Uint8Array): void {
    const [kh, kl] = splitKey(key);
    this.addBytes(kh, kl, body, 0, body.length);
  }

  /** {@link add} of the code in `buf[off, off + n)` for the key (kh, kl); no allocation. */
  addBytes(kh: number, kl: number, buf: Uint8Array, off: number, n: number): void {
    if (this.rowOf.has(kh, kl)) this.remove(joinKey(kh, kl));
    if (this.rows === this.cap) this.grow();
    const row = this.rows++;
    const b = this.bytes;
    const at = row * 32;
    for (let i = 0; i < n; i++) b[at + i] = buf[off + i]!;
    this.len[row] = n;
    this.keyHi[row] = kh;
    this.keyLo[row] = kl;
    const ph = ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
    const pl = ((b[at + 4]! << 24) | (b[at + 5]! << 16) | (b[at + 6]! << 8) | b[at + 7]!) >>> 0;
    this.next[row] = this.head.get(ph, pl);
    this.head.set(ph, pl, row);
    this.rowOf.set(kh, kl, row);
    this.live++;
  }

  /** Remove the Instance-Code of entry `key`; returns whether there was one. */
  remove(key: bigint): boolean {
    const [kh, kl] = splitKey(key);
    const row = this.rowOf.get(kh, kl);
    if (row < 0) return false;
    this.rowOf.delete(kh, kl);
    const [ph, pl] = this.prefix(this.bytes.subarray(row * 32, row * 32 + 8));
    let r = this.head.get(ph, pl);
    if (r === row) {
      const nx = this.next[row]!;
      if (nx < 0) this.head.delete(ph, pl);
      else this.head.set(ph, pl, nx);
    } else {
      while (r >= 0 && this.next[r] !== row) r = this.next[r]!;
      if (r >= 0) this.next[r] = this.next[row]!;
    }
    this.live--;
    // Rows are not reused; a dead row is unreachable from every chain.
    return true;
  }

  /** Keys of entries whose Instance-Code equals `q` or prefix-matches it (at most `limit`). */
  match(q: Uint8Array, limit: number): bigint[] {
    const out: bigint[] = [];
    const [ph, pl] = this.prefix(q);
    for (let r = this.head.get(ph, pl); r >= 0 && out.length < limit; r = this.next[r]!) {
      const n = Math.min(q.length, this.len[r]!);
      const base = r * 32;
      let same = true;
      for (let i = 8; i < n && same; i++) same = this.bytes[base + i] === q[i];
      if (same) out.push(joinKey(this.keyHi[r]!, this.keyLo[r]!));
    }
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}
