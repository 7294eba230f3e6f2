/**
 * LocalBackend: in-memory search kernels, optionally persisted in LMDB (the embedded default).
 *
 * Layout on disk (one directory):
 *   LOCK          pid of the process holding the directory for writing (stale locks of dead
 *                 processes are taken over; a live holder gives INDEX_LOCKED)
 *   index.lmdb    LMDB environment: db `meta` (format version, realm, max_dim, next key) and
 *                 db `entries` (8-byte big-endian key -> entry value, see backend.ts)
 * Writes go into one LMDB transaction per add/remove and resolve after LMDB reports the
 * commit flushed, so an acknowledged add survives kill -9 (and power loss, as far as the OS
 * keeps its fsync promise). Memory is updated only after that, so searches never see entries
 * that could still be lost. On open every entry is read once to rebuild the kernels.
 * Read-only opens (`view`) take no lock, see the data as of opening, and load nothing at open:
 * each kind of search (a unit type, instances, simprints) builds its kernel on first use.
 */
import { mkdirSync, openSync, writeSync, closeSync, readFileSync, unlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { open as openLmdb, type RootDatabase, type Database } from 'lmdb';
import { UnitKernel, type KernelHits } from './kernel.ts';
import { InstanceStore } from './instance-store.ts';
import { KeyTable, joinKey, splitKey } from './key-table.ts';
import { INSTANCE_TYPE_ID, parseUnitBytes, unitTypeName } from './codec.ts';

/** One reusable key buffer: LMDB copies keys on put, so the hot loop allocates none. */
const KEY_SCRATCH = Buffer.alloc(8);
/** Reusable value buffers by length (values are copied on put too); entries up to 255 bytes. */
const VALUE_SCRATCH: Buffer[] = [];
const VALUE_SCRATCH_MAX = 255;
import {
  decodeEntry,
  encodeEntry,
  keyBytes,
  plainEntryLength,
  writePlainEntry,
  type IndexBackend,
  type IndexConfig,
  type SimprintHit,
  type StoredEntry,
  type UnitSearchOptions,
} from './backend.ts';
import { INDEX_ERROR_CODES, IsccIndexError } from './errors.ts';

/** On-disk format version written to `meta`; other versions are refused on open. */
export const LMDB_FORMAT_VERSION = 1;

/** Per simprint type: a kernel over synthetic row ids and what each id points to. */
interface SimprintStore {
  kernel: UnitKernel;
  owner: Map<bigint, { key: bigint; offset: number; size: number }>;
}

/** Take the directory's LOCK file or throw INDEX_LOCKED; returns the release function. */
function acquireLock(dir: string): () => void {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          if (readFileSync(path, 'utf8') === String(process.pid)) unlinkSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
      } catch {
        continue; // removed meanwhile: try again
      }
      let alive = false;
      if (Number.isInteger(pid) && pid > 0) {
        try {
          process.kill(pid, 0);
          alive = true;
        } catch (err) {
          alive = (err as NodeJS.ErrnoException).code === 'EPERM';
        }
      }
      if (alive) {
        throw new IsccIndexError(INDEX_ERROR_CODES.LOCKED, `index directory ${dir} is held by process ${pid}; close it there first or open with view()`);
      }
      try {
        unlinkSync(path); // stale lock of a dead process
      } catch {
        /* someone else took it over */
      }
    }
  }
  throw new IsccIndexError(INDEX_ERROR_CODES.LOCKED, `could not take the lock of index directory ${dir}`);
}

/** In-memory kernels + optional LMDB persistence. `dir === null` means memory only. */
export class LocalBackend implements IndexBackend {
  readonly kind: string;
  private readonly kernels = new Map<number, UnitKernel>();
  private readonly instances = new InstanceStore();
  private readonly simprints = new Map<string, SimprintStore>();
  private readonly simprintIds = new Map<bigint, { type: string; id: bigint }[]>();
  private nextSimprintId = 0n;
  /** Keys of all entries. */
  private keys = new KeyTable();
  /** Full entries in memory-only mode (with LMDB they are read from disk on demand). */
  private readonly mem: Map<bigint, StoredEntry> | null;
  private next = 0n;
  private env: RootDatabase | null = null;
  private meta: Database | null = null;
  private db: Database<Buffer, Buffer> | null = null;
  private release: (() => void) | null = null;
  /** Read-only views load each kernel on first use instead of everything at open. */
  private lazy = false;
  private readonly loaded = new Set<string>();

  constructor(private readonly dir: string | null) {
    this.kind = dir === null ? 'memory' : 'lmdb';
    this.mem = dir === null ? new Map() : null;
  }

  async open(config: IndexConfig, readOnly: boolean): Promise<IndexConfig> {
    if (this.dir === null) return config;
    const dir = this.dir;
    if (readOnly && !existsSync(join(dir, 'index.lmdb'))) {
      throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `no index at ${dir} to view`);
    }
    if (!readOnly) {
      mkdirSync(dir, { recursive: true });
      this.release = acquireLock(dir);
    }
    try {
      this.env = openLmdb({ path: join(dir, 'index.lmdb'), readOnly, maxDbs: 4 });
      this.meta = this.env.openDB({ name: 'meta' });
      this.db = this.env.openDB<Buffer, Buffer>({ name: 'entries', keyEncoding: 'binary', encoding: 'binary' });
      const format = this.meta.get('format') as number | undefined;
      let effective = config;
      if (format === undefined) {
        if (readOnly) throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `no index at ${dir} to view`);
        await this.meta.transaction(() => {
          this.meta!.put('format', LMDB_FORMAT_VERSION);
          this.meta!.put('realmId', config.realmId);
          this.meta!.put('maxDim', config.maxDim);
          this.meta!.put('nextKey', '0');
        });
        await this.env.flushed;
      } else {
        if (format !== LMDB_FORMAT_VERSION) {
          throw new IsccIndexError(
            INDEX_ERROR_CODES.FORMAT_VERSION,
            `index at ${dir} has format version ${String(format)}, this library reads version ${LMDB_FORMAT_VERSION}; export it with the version that wrote it`,
          );
        }
        effective = { realmId: this.meta.get('realmId') as number, maxDim: this.meta.get('maxDim') as number };
        this.next = BigInt(this.meta.get('nextKey') as string);
        if (readOnly) this.lazy = true;
        else {
          // Straight from the stored bytes into the kernels: no per-entry objects (see add).
          this.keys = new KeyTable(this.db.getCount());
          for (const { key, value } of this.db.getRange()) {
            if (value[0] !== 1) {
              throw new IsccIndexError(INDEX_ERROR_CODES.FORMAT_VERSION, `index at ${dir}: entry of unknown value format ${value[0]}`);
            }
            const kb = key as Buffer;
            const hi = kb.readUInt32BE(0);
            const lo = kb.readUInt32BE(4);
            const cl = value[1]!;
            const uOff = 2 + cl + 2;
            const uEnd = uOff + ((value[2 + cl]! << 8) | value[3 + cl]!);
            this.indexBytes(hi, lo, value, uOff, uEnd);
            if (uEnd < value.length) this.indexSimprints(decodeEntry(joinKey(hi, lo), value));
          }
        }
      }
      return effective;
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** Put one entry into the in-memory structures. */
  private index(e: StoredEntry): void {
    const [hi, lo] = splitKey(e.key);
    this.keys.set(hi, lo, 1);
    if (this.mem) this.mem.set(e.key, { key: e.key, code: e.code, units: e.units, simprints: e.simprints });
    for (const u of e.parsed ?? parseUnitBytes(e.units)) {
      if (u.typeId === INSTANCE_TYPE_ID) {
        this.instances.add(e.key, u.body);
        continue;
      }
      let k = this.kernels.get(u.typeId);
      if (!k) this.kernels.set(u.typeId, (k = new UnitKernel()));
      k.addHiLo(hi, lo, u.body);
    }
    this.indexSimprints(e);
    if (e.key >= this.next) this.next = e.key + 1n;
  }

  private indexSimprints(e: StoredEntry): void {
    if (!e.simprints) return;
    const ids: { type: string; id: bigint }[] = [];
    for (const [type, list] of Object.entries(e.simprints)) {
      let s = this.simprints.get(type);
      if (!s) this.simprints.set(type, (s = { kernel: new UnitKernel(), owner: new Map() }));
      for (const sp of list) {
        const id = this.nextSimprintId++;
        s.kernel.add(id, sp.body);
        s.owner.set(id, { key: e.key, offset: sp.offset, size: sp.size });
        ids.push({ type, id });
      }
    }
    this.simprintIds.set(e.key, ids);
  }

  /** Take one entry out of the in-memory structures; returns unit mappings removed. */
  private unindex(e: StoredEntry): number {
    let removed = 0;
    for (const u of parseUnitBytes(e.units)) {
      if (u.typeId === INSTANCE_TYPE_ID) {
        if (this.instances.remove(e.key)) removed++;
      } else if (this.kernels.get(u.typeId)?.remove(e.key)) removed++;
    }
    for (const { type, id } of this.simprintIds.get(e.key) ?? []) {
      const s = this.simprints.get(type)!;
      s.kernel.remove(id);
      s.owner.delete(id);
    }
    this.simprintIds.delete(e.key);
    const [hi, lo] = splitKey(e.key);
    this.keys.delete(hi, lo);
    this.mem?.delete(e.key);
    return removed;
  }

  /**
   * Views: build the structures one `kind` of search needs (`u<typeId>`, `instance`,
   * `simprints`) with one pass over the stored entries, the first time it is needed.
   */
  private ensure(kind: string): void {
    if (!this.lazy || this.loaded.has(kind)) return;
    for (const { key, value } of this.db!.getRange()) {
      const e = decodeEntry((key as Buffer).readBigUInt64BE(0), value);
      if (kind === 'simprints') {
        this.indexSimprints(e);
        continue;
      }
      for (const u of parseUnitBytes(e.units)) {
        if (kind === 'instance' && u.typeId === INSTANCE_TYPE_ID) this.instances.add(e.key, u.body);
        else if (kind === `u${u.typeId}`) {
          let k = this.kernels.get(u.typeId);
          if (!k) this.kernels.set(u.typeId, (k = new UnitKernel()));
          k.add(e.key, u.body);
        }
      }
    }
    this.loaded.add(kind);
  }

  /** Bytes held in memory by the search structures (simprint maps not counted). */
  memoryBytes(): number {
    let n = this.keys.memoryBytes() + this.instances.memoryBytes();
    for (const k of this.kernels.values()) n += k.memoryBytes();
    for (const s of this.simprints.values()) n += s.kernel.memoryBytes();
    return n;
  }

  async size(): Promise<number> {
    return this.lazy ? this.db!.getCount() : this.keys.size;
  }

  async unitTypes(): Promise<string[]> {
    if (this.lazy) {
      const stored = this.meta!.get('unitTypes') as string | undefined;
      return stored ? (JSON.parse(stored) as string[]) : [];
    }
    const names = [...this.kernels].filter(([, k]) => k.size > 0).map(([t]) => unitTypeName(t));
    if (this.instances.size > 0) names.push(unitTypeName(INSTANCE_TYPE_ID));
    return names.sort();
  }

  async has(keys: bigint[]): Promise<boolean[]> {
    if (this.lazy) return keys.map((k) => this.db!.doesExist(keyBytes(k)));
    return keys.map((k) => {
      const [hi, lo] = splitKey(k);
      return this.keys.has(hi, lo);
    });
  }

  async nextKey(): Promise<bigint> {
    return this.next;
  }

  async add(entries: () => Iterable<StoredEntry>): Promise<void> {
    let next = this.next;
    if (!this.db) {
      // Memory only: take everything first, so that an invalid entry leaves nothing half-done.
      const all = [...entries()];
      for (const e of all) {
        this.index(e);
        if (e.key >= next) next = e.key + 1n;
      }
      this.next = next;
      return;
    }
    const db = this.db;
    const meta = this.meta!;
    // The batch is written to LMDB and copied into a compact arena (keys + unit bytes) in one
    // pass; the kernels are filled from the arena after the commit. No per-entry objects live
    // across the commit, which keeps a million-entry add free of garbage-collector churn.
    const arena = new Arena();
    const simprinted: StoredEntry[] = [];
    // A synchronous write transaction: each put is copied into LMDB at once (the async form
    // queues every put until the commit). A throw inside aborts it: nothing is written.
    const types = new Set<number>();
    let max: bigint | null = null;
    db.transactionSync(() => {
      for (const e of entries()) {
        const [hi, lo] = splitKey(e.key);
        KEY_SCRATCH.writeUInt32BE(hi, 0);
        KEY_SCRATCH.writeUInt32BE(lo, 4);
        const len = plainEntryLength(e);
        if (e.simprints || len > VALUE_SCRATCH_MAX) db.putSync(KEY_SCRATCH, encodeEntry(e));
        else {
          const value = (VALUE_SCRATCH[len] ??= Buffer.alloc(len));
          writePlainEntry(e, value);
          db.putSync(KEY_SCRATCH, value);
        }
        if (max === null || e.key > max) max = e.key; // a reference: no bigint arithmetic per entry
        arena.push(hi, lo, e.units);
        if (e.parsed) for (const u of e.parsed) types.add(u.typeId);
        else for (const u of parseUnitBytes(e.units)) types.add(u.typeId);
        if (e.simprints) simprinted.push({ key: e.key, code: null, units: new Uint8Array(0), simprints: e.simprints });
      }
      if (max !== null && max >= next) next = max + 1n;
      meta.putSync('nextKey', next.toString());
      // Unit types ever stored, for read-only views that do not load the kernels (`info`).
      const known = new Set(JSON.parse((meta.get('unitTypes') as string | undefined) ?? '[]') as string[]);
      const before = known.size;
      for (const t of types) known.add(unitTypeName(t));
      if (known.size !== before) meta.putSync('unitTypes', JSON.stringify([...known].sort()));
    });
    await this.env!.flushed;
    // Memory follows only once the write is durable: searches never see entries a crash could lose.
    arena.forEach((hi, lo, buf, off, end) => this.indexBytes(hi, lo, buf, off, end));
    for (const e of simprinted) this.indexSimprints(e);
    this.next = next;
  }

  /** Index one entry from raw unit bytes `buf[off, end)`, without allocating. */
  private indexBytes(hi: number, lo: number, buf: Uint8Array, off: number, end: number): void {
    this.keys.set(hi, lo, 1);
    while (off < end) {
      const b0 = buf[off]!;
      const b1 = buf[off + 1]!;
      if (((b0 | b1) & 0x88) !== 0) {
        // Unusual header: take the general path.
        const key = joinKey(hi, lo);
        this.index({ key, code: null, units: buf.slice(off, end), simprints: null });
        return;
      }
      const typeId = ((b0 >> 4) << 8) | ((b0 & 15) << 4) | (b1 >> 4);
      const nbytes = ((b1 & 15) + 1) * 4;
      if (typeId === INSTANCE_TYPE_ID) this.instances.addBytes(hi, lo, buf, off + 2, nbytes);
      else {
        let k = this.kernels.get(typeId);
        if (!k) this.kernels.set(typeId, (k = new UnitKernel()));
        k.addBytes(hi, lo, buf, off + 2, nbytes);
      }
      off += 2 + nbytes;
    }
  }

  async get(keys: bigint[]): Promise<(StoredEntry | null)[]> {
    return keys.map((k) => {
      if (this.mem) return this.mem.get(k) ?? null;
      const [hi, lo] = splitKey(k);
      if (!this.lazy && !this.keys.has(hi, lo)) return null;
      const v = this.db!.get(keyBytes(k));
      return v ? decodeEntry(k, v) : null;
    });
  }

  async remove(keys: bigint[]): Promise<number> {
    const present = [...new Set(keys)].filter((k) => {
      const [hi, lo] = splitKey(k);
      return this.keys.has(hi, lo);
    });
    if (present.length === 0) return 0;
    const stored = (await this.get(present)).filter((e): e is StoredEntry => e !== null);
    if (this.db) {
      const db = this.db;
      await db.transaction(() => {
        for (const k of present) db.remove(keyBytes(k));
      });
      await this.env!.flushed;
    }
    let removed = 0;
    for (const e of stored) removed += this.unindex(e);
    return removed;
  }

  async searchUnits(typeId: number, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<KernelHits[]> {
    this.ensure(`u${typeId}`);
    const k = this.kernels.get(typeId);
    return bodies.map((b) => (k ? k.search(b, count, opts) : { keys: [], distances: [], visited: 0, computed: 0 }));
  }

  async searchInstance(bodies: Uint8Array[], limit: number): Promise<bigint[][]> {
    this.ensure('instance');
    return bodies.map((q) => this.instances.match(q, limit));
  }

  async searchSimprints(type: string, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<SimprintHit[][]> {
    this.ensure('simprints');
    const s = this.simprints.get(type);
    return bodies.map((b, qi) => {
      if (!s) return [];
      const hits = s.kernel.search(b, count, opts);
      return hits.keys.map((id, i) => {
        const o = s.owner.get(id)!;
        return { key: o.key, distance: hits.distances[i]!, offset: o.offset, size: o.size, query: qi };
      });
    });
  }

  async *scan(batchSize: number): AsyncGenerator<StoredEntry[]> {
    if (this.db) {
      let batch: StoredEntry[] = [];
      for (const { key, value } of this.db.getRange()) {
        batch.push(decodeEntry((key as Buffer).readBigUInt64BE(0), value));
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length) yield batch;
      return;
    }
    const keys: bigint[] = [];
    this.keys.forEach((hi, lo) => keys.push(joinKey(hi, lo)));
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < keys.length; i += batchSize) {
      const got = await this.get(keys.slice(i, i + batchSize));
      yield got.filter((e): e is StoredEntry => e !== null);
    }
  }

  async flush(): Promise<void> {
    if (this.env) await this.env.flushed;
  }

  async close(): Promise<void> {
    if (this.env) {
      await this.env.close();
      this.env = null;
      this.db = null;
      this.meta = null;
    }
    if (this.release) {
      this.release();
      this.release = null;
    }
  }
}

/** Growable store of (key, unit bytes) records in flat arrays. */
class Arena {
  private buf = new Uint8Array(1 << 16);
  private len = 0;
  private hi: number[] = [];
  private lo: number[] = [];
  private ends: number[] = [];

  push(h: number, l: number, units: Uint8Array): void {
    if (this.len + units.length > this.buf.length) {
      const b = new Uint8Array(Math.max(this.buf.length * 2, this.len + units.length));
      b.set(this.buf.subarray(0, this.len));
      this.buf = b;
    }
    this.buf.set(units, this.len);
    this.len += units.length;
    this.hi.push(h);
    this.lo.push(l);
    this.ends.push(this.len);
  }

  forEach(fn: (hi: number, lo: number, buf: Uint8Array, off: number, end: number) => void): void {
    let off = 0;
    for (let i = 0; i < this.ends.length; i++) {
      fn(this.hi[i]!, this.lo[i]!, this.buf, off, this.ends[i]!);
      off = this.ends[i]!;
    }
  }
}
