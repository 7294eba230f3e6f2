/**
 * RFC 6962 Merkle tree hashing and the C2SP tlog-tiles wire formats (as iscc-hub's ISCC-Log).
 *
 * - Leaf hash SHA-256(0x00 || record), interior node SHA-256(0x01 || left || right), empty
 *   tree SHA-256("").
 * - {@link MerkleTree} keeps every complete subtree hash by level (`levels[h][i]` covers leaves
 *   i*2^h .. (i+1)*2^h-1), updated in O(log n) per appended leaf. Any RFC 6962 range hash then
 *   splits into complete subtrees plus a ragged right edge, so tree heads, inclusion proofs,
 *   consistency proofs and hash tiles (tile level L = tree level 8L) come without rehashing
 *   the log.
 * - Verifiers ({@link rootFromInclusionProof}, {@link verifyConsistency}) follow RFC 9162
 *   2.1.3.2 / 2.1.4.2, independent of the tree class, so tests can check one against the other.
 * - Tiles: height 8 (256 hashes), paths `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`
 *   with N in thousands groups (`x001/x234/067`); entry bundles frame each record with a
 *   big-endian uint16 length.
 */
import { createHash } from 'node:crypto';

/** Tile height of the tlog-tiles profile. */
export const TILE_HEIGHT = 8;
/** Hashes per full tile and records per full entry bundle. */
export const TILE_WIDTH = 1 << TILE_HEIGHT;
/** Largest record an entry bundle can frame (uint16 length). */
export const MAX_RECORD_BYTES = 0xffff;

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

/** SHA-256 of `data`. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** The RFC 6962 root of an empty tree. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

/** RFC 6962 leaf hash SHA-256(0x00 || record). */
export function leafHash(record: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(LEAF).update(record).digest());
}

/** RFC 6962 interior node hash SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(NODE).update(left).update(right).digest());
}

/** Largest power of two strictly below n (n >= 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function log2(k: number): number {
  return 31 - Math.clz32(k);
}

/** An append-only RFC 6962 tree over leaf hashes with every complete subtree cached. */
export class MerkleTree {
  /** levels[h][i]: hash of the complete subtree of 2^h leaves starting at leaf i*2^h. */
  private readonly levels: Uint8Array[][] = [[]];

  /** Number of leaves. */
  get size(): number {
    return this.levels[0]!.length;
  }

  /** Append a leaf hash (not a record: hash records with {@link leafHash}). */
  push(leaf: Uint8Array): void {
    this.levels[0]!.push(leaf);
    let h = 0;
    let i = this.levels[0]!.length - 1;
    // A right child completes its parent.
    while (i % 2 === 1) {
      const level = this.levels[h]!;
      const parent = nodeHash(level[i - 1]!, level[i]!);
      h++;
      if (!this.levels[h]) this.levels[h] = [];
      this.levels[h]!.push(parent);
      i = (i - 1) / 2;
    }
  }

  /** Leaf hash at `index`. */
  leaf(index: number): Uint8Array {
    return this.levels[0]![index]!;
  }

  /** MTH over leaves [lo, hi) (hi > lo, hi <= size). */
  rangeHash(lo: number, hi: number): Uint8Array {
    const n = hi - lo;
    if (n === 1) return this.levels[0]![lo]!;
    // Complete aligned power-of-two ranges are cached.
    if ((n & (n - 1)) === 0 && lo % n === 0) return this.levels[log2(n)]![lo / n]!;
    const k = split(n);
    return nodeHash(this.rangeHash(lo, lo + k), this.rangeHash(lo + k, hi));
  }

  /** Tree head over the first `size` leaves (default all). */
  root(size = this.size): Uint8Array {
    checkSize(size, this.size);
    return size === 0 ? EMPTY_ROOT : this.rangeHash(0, size);
  }

  /** RFC 6962 inclusion proof (audit path) of leaf `index` in the tree of `size` leaves. */
  inclusionProof(index: number, size = this.size): Uint8Array[] {
    checkSize(size, this.size);
    if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`index ${index} out of range for tree size ${size}`);
    const out: Uint8Array[] = [];
    const path = (m: number, lo: number, hi: number): void => {
      const n = hi - lo;
      if (n === 1) return;
      const k = split(n);
      if (m < lo + k) {
        path(m, lo, lo + k);
        out.push(this.rangeHash(lo + k, hi));
      } else {
        path(m, lo + k, hi);
        out.push(this.rangeHash(lo, lo + k));
      }
    };
    path(index, 0, size);
    return out;
  }

  /** RFC 6962 consistency proof from the tree of `oldSize` leaves to the tree of `newSize`. */
  consistencyProof(oldSize: number, newSize = this.size): Uint8Array[] {
    checkSize(newSize, this.size);
    if (!Number.isInteger(oldSize) || oldSize < 0 || oldSize > newSize) throw new RangeError(`old size ${oldSize} out of range for tree size ${newSize}`);
    if (oldSize === 0 || oldSize === newSize) return [];
    const out: Uint8Array[] = [];
    const sub = (m: number, lo: number, hi: number, b: boolean): void => {
      const n = hi - lo;
      if (m === n) {
        if (!b) out.push(this.rangeHash(lo, hi));
        return;
      }
      const k = split(n);
      if (m <= k) {
        sub(m, lo, lo + k, b);
        out.push(this.rangeHash(lo + k, hi));
      } else {
        sub(m - k, lo + k, hi, false);
        out.push(this.rangeHash(lo, lo + k));
      }
    };
    sub(oldSize, 0, newSize, true);
    return out;
  }

  /**
   * Bytes of the hash tile at tile level `level`, tile index `index`, for a tree of `size`
   * leaves: the complete subtree hashes at tree level 8*level, `width` of them (0 = full, 256).
   * Returns null when the tile (or that partial width) is not published at this size.
   */
  hashTile(level: number, index: number, width: number, size = this.size): Uint8Array | null {
    checkSize(size, this.size);
    const h = level * TILE_HEIGHT;
    if (h > 52) return null;
    const available = Math.floor(size / 2 ** h) - index * TILE_WIDTH;
    const w = servedWidth(available, width);
    if (w === null) return null;
    const nodes = this.levels[h];
    if (!nodes) return null;
    const out = new Uint8Array(w * 32);
    for (let j = 0; j < w; j++) out.set(nodes[index * TILE_WIDTH + j]!, j * 32);
    return out;
  }
}

function checkSize(size: number, have: number): void {
  if (!Number.isInteger(size) || size < 0 || size > have) throw new RangeError(`tree size ${size} out of range 0..${have}`);
}

/**
 * Width to serve for a tile or bundle request: `requested` 0 asks for the full tile (only
 * when 256 entries exist); 1..255 asks for that partial width (only up to what exists and
 * below 256). Null means 404. As iscc-hub serves them.
 */
export function servedWidth(available: number, requested: number): number | null {
  if (available <= 0) return null;
  if (requested === 0) return available >= TILE_WIDTH ? TILE_WIDTH : null;
  if (requested > Math.min(available, TILE_WIDTH - 1)) return null;
  return requested;
}

function eq(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Root of the tree of `size` leaves implied by `leaf` at `index` and its inclusion proof
 * (RFC 9162 2.1.3.2). Throws RangeError when the proof has the wrong length.
 */
export function rootFromInclusionProof(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[]): Uint8Array {
  if (!(index >= 0 && index < size)) throw new RangeError(`index ${index} out of range for tree size ${size}`);
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) throw new RangeError('inclusion proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new RangeError('inclusion proof too short');
  return r;
}

/** Whether `proof` shows leaf `leaf` at `index` in the tree of `size` leaves with `root`. */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: Uint8Array[], root: Uint8Array): boolean {
  try {
    return eq(rootFromInclusionProof(leaf, index, size, proof), root);
  } catch {
    return false;
  }
}

/**
 * Whether `proof` shows that the tree (`oldSize`, `oldRoot`) is a prefix of the tree
 * (`newSize`, `newRoot`) (RFC 9162 2.1.4.2).
 */
export function verifyConsistency(oldSize: number, newSize: number, oldRoot: Uint8Array, newRoot: Uint8Array, proof: Uint8Array[]): boolean {
  if (oldSize < 0 || oldSize > newSize) return false;
  if (oldSize === newSize) return proof.length === 0 && eq(oldRoot, newRoot);
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  let path = proof;
  // When oldSize is a power of two the old root itself starts the path.
  if ((oldSize & (oldSize - 1)) === 0) path = [oldRoot, ...proof];
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && eq(fr, oldRoot) && eq(sr, newRoot);
}

/** Frame records as a tlog-tiles entry bundle (uint16 big-endian length + bytes each). */
export function encodeEntryBundle(records: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const r of records) {
    if (r.length > MAX_RECORD_BYTES) throw new RangeError(`record of ${r.length} bytes exceeds ${MAX_RECORD_BYTES}`);
    total += 2 + r.length;
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const r of records) {
    out[o] = r.length >> 8;
    out[o + 1] = r.length & 0xff;
    out.set(r, o + 2);
    o += 2 + r.length;
  }
  return out;
}

/** Split an entry bundle into its records; throws RangeError on a truncated frame. */
export function decodeEntryBundle(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < data.length) {
    if (o + 2 > data.length) throw new RangeError('entry bundle truncated in length prefix');
    const n = (data[o]! << 8) | data[o + 1]!;
    o += 2;
    if (o + n > data.length) throw new RangeError('entry bundle truncated in record');
    out.push(data.subarray(o, o + n));
    o += n;
  }
  return out;
}

/** tlog-tiles index path: groups of three digits, all but the last `x`-prefixed (1234067 -> x001/x234/067). */
export function formatTileIndex(n: number): string {
  let s = String(n % 1000).padStart(3, '0');
  n = Math.floor(n / 1000);
  while (n > 0) {
    s = `x${String(n % 1000).padStart(3, '0')}/${s}`;
    n = Math.floor(n / 1000);
  }
  return s;
}

/** Path of a hash tile below the log root: `tile/<L>/<N>[.p/<W>]`. */
export function tilePath(level: number, index: number, width = 0): string {
  return `tile/${level}/${formatTileIndex(index)}${width ? `.p/${width}` : ''}`;
}

/** Path of an entry bundle below the log root: `tile/entries/<N>[.p/<W>]`. */
export function entriesPath(index: number, width = 0): string {
  return `tile/entries/${formatTileIndex(index)}${width ? `.p/${width}` : ''}`;
}

/**
 * Parse the index part of a tile path (`x001/x234/067` or `067.p/8`) into `[index, width]`
 * (width 0 = full). Null when malformed (every group exactly three digits, all but the last
 * `x`-prefixed; a partial width 1..255).
 */
export function parseTileIndex(tail: string): [number, number] | null {
  let width = 0;
  let parts = tail.split('/');
  const p = parts.findIndex((s) => s.endsWith('.p'));
  if (p !== -1) {
    if (p !== parts.length - 2 || !/^[1-9]\d{0,2}$/.test(parts[parts.length - 1]!)) return null;
    width = Number(parts[parts.length - 1]);
    if (width >= TILE_WIDTH) return null;
    parts = parts.slice(0, -1);
    parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -2);
  }
  if (parts.length === 0 || parts.length > 6) return null;
  let index = 0;
  for (let i = 0; i < parts.length; i++) {
    const last = i === parts.length - 1;
    const m = (last ? /^(\d{3})$/ : /^x(\d{3})$/).exec(parts[i]!);
    if (!m) return null;
    index = index * 1000 + Number(m[1]);
  }
  if (!Number.isSafeInteger(index)) return null;
  return [index, width];
}
