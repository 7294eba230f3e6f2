/**
 * The storage interface behind IsccIndex, and the stored form of an entry.
 *
 * A backend keeps entries (64-bit key -> ISCC-CODE bytes, unit bytes, simprints) durably and
 * answers the three searches IsccIndex composes: NPHD top-k per unit type, exact/prefix
 * Instance-Code match, and simprint top-k per simprint type. Two implementations exist:
 * `LocalBackend` (in-memory kernels, optionally persisted in LMDB) and `PostgresBackend`.
 * One contract test suite (`backend.case.test.ts`) runs against each.
 *
 * Entry value encoding (LMDB values; version byte first so the format can evolve):
 *   u8 1 | u8 len(code) | code bytes | u16 len(units) | unit bytes (header+body, concatenated)
 *   | simprints as UTF-8 JSON (optional, to the end)
 */
import type { KernelHits } from './kernel.ts';
import type { Unit } from './codec.ts';

/** One simprint of an entry: a headerless similarity hash of a content chunk. */
export interface Simprint {
  /** Simprint body bytes (8..32). */
  body: Uint8Array;
  /** Byte or character offset of the chunk in the content. */
  offset: number;
  /** Size of the chunk. */
  size: number;
}

/** One entry as stored. */
export interface StoredEntry {
  key: bigint;
  /** Raw ISCC-CODE bytes (header + body) when the entry was added from a code, else null. */
  code: Uint8Array | null;
  /** Concatenated raw unit bytes (header + body each). */
  units: Uint8Array;
  /** Simprints by simprint type (e.g. `CONTENT_TEXT_V0`). */
  simprints: Record<string, Simprint[]> | null;
  /** The units already decoded (a hint that spares backends a second parse; not stored). */
  parsed?: Unit[];
}

/** Stored configuration of an index. */
export interface IndexConfig {
  realmId: number;
  maxDim: number;
}

/** One simprint hit: the entry, the matched chunk and its distance. */
export interface SimprintHit {
  key: bigint;
  distance: number;
  offset: number;
  size: number;
  /** Index of the query simprint that matched. */
  query: number;
}

/** Search options every backend honours. */
export interface UnitSearchOptions {
  exact: boolean;
  /** Rows farther than this NPHD are not returned. */
  maxDistance: number;
}

/** What IsccIndex needs from storage. All writes resolve only once durable. */
export interface IndexBackend {
  /** Backend name for info output: `memory`, `lmdb`, `postgres`. */
  readonly kind: string;
  /** Open (creating when absent and not read-only); returns the effective configuration. */
  open(config: IndexConfig, readOnly: boolean): Promise<IndexConfig>;
  size(): Promise<number>;
  /** Names of the unit types with at least one code, sorted. */
  unitTypes(): Promise<string[]>;
  /** Which of `keys` exist. */
  has(keys: bigint[]): Promise<boolean[]>;
  /** The next auto key (one above the largest key ever stored, 0 when empty). */
  nextKey(): Promise<bigint>;
  /**
   * Store entries (keys already assigned and checked absent) in one atomic, durable write.
   * `entries()` may be called more than once and yields the same entries each time (they are
   * produced on demand so that huge batches do not sit in memory as objects).
   */
  add(entries: () => Iterable<StoredEntry>): Promise<void>;
  get(keys: bigint[]): Promise<(StoredEntry | null)[]>;
  /** Remove entries; returns the number of unit mappings removed (INSTANCE included). */
  remove(keys: bigint[]): Promise<number>;
  /** NPHD top-`count` per query body in the index of `typeId`. */
  searchUnits(typeId: number, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<KernelHits[]>;
  /** Keys whose Instance-Code equals the query or one is a prefix of the other. */
  searchInstance(bodies: Uint8Array[], limit: number): Promise<bigint[][]>;
  /** Nearest simprints of `type` for each query body. */
  searchSimprints(type: string, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<SimprintHit[][]>;
  /** All entries in key order, in batches (copy, export). */
  scan(batchSize: number): AsyncGenerator<StoredEntry[]>;
  /** Make everything durable (LMDB/PG writes already are; kept for the spec's save()). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const ENTRY_FORMAT = 1;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** Bytes of the simprints part of an entry value (JSON), or null. */
function simprintBytes(e: StoredEntry): Uint8Array | null {
  if (!e.simprints) return null;
  return enc.encode(
    JSON.stringify(
      Object.fromEntries(
        Object.entries(e.simprints).map(([t, list]) => [t, list.map((s) => [Buffer.from(s.body).toString('base64url'), s.offset, s.size])]),
      ),
    ),
  );
}

/** Length of the value {@link encodeEntry} writes for an entry without simprints. */
export function plainEntryLength(e: StoredEntry): number {
  return 2 + (e.code?.length ?? 0) + 2 + e.units.length;
}

/** Write the value of an entry without simprints into `out` (exactly {@link plainEntryLength} bytes). */
export function writePlainEntry(e: StoredEntry, out: Uint8Array): void {
  const cl = e.code?.length ?? 0;
  out[0] = ENTRY_FORMAT;
  out[1] = cl;
  if (cl) out.set(e.code!, 2);
  const p = 2 + cl;
  out[p] = e.units.length >> 8;
  out[p + 1] = e.units.length & 0xff;
  out.set(e.units, p + 2);
}

/** Serialise an entry value (without its key). */
export function encodeEntry(e: StoredEntry): Buffer {
  const sp = simprintBytes(e);
  const n = plainEntryLength(e);
  // Buffer.allocUnsafe draws small buffers from a pool: far less GC work than Uint8Array.
  const out = Buffer.allocUnsafe(n + (sp?.length ?? 0));
  writePlainEntry(e, out);
  if (sp) out.set(sp, n);
  return out;
}

/** Parse an entry value written by {@link encodeEntry}. */
export function decodeEntry(key: bigint, v: Uint8Array): StoredEntry {
  if (v[0] !== ENTRY_FORMAT) throw new Error(`unknown entry format ${v[0]}`);
  const cl = v[1]!;
  const code = cl ? v.slice(2, 2 + cl) : null;
  let p = 2 + cl;
  const ul = (v[p]! << 8) | v[p + 1]!;
  const units = v.slice(p + 2, p + 2 + ul);
  p += 2 + ul;
  let simprints: Record<string, Simprint[]> | null = null;
  if (p < v.length) {
    const raw = JSON.parse(dec.decode(v.subarray(p))) as Record<string, [string, number, number][]>;
    simprints = Object.fromEntries(
      Object.entries(raw).map(([t, list]) => [t, list.map(([b, offset, size]) => ({ body: new Uint8Array(Buffer.from(b, 'base64url')), offset, size }))]),
    );
  }
  return { key, code, units, simprints };
}

/** 8-byte big-endian key bytes (sort order = numeric order). */
export function keyBytes(key: bigint): Buffer {
  const b = Buffer.allocUnsafe(8);
  b.writeBigUInt64BE(key);
  return b;
}
