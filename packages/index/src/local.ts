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
 * Read-only opens (`view`) take no lock and see the snapshot at open time.
 */
import { mkdirSync, openSync, writeSync, closeSync, readFileSync, unlinkSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { open as openLmdb, type RootDatabase, type Database } from 'lmdb';
import { UnitKernel, type KernelHits } from './kernel.ts';
import { INSTANCE_TYPE_ID, parseUnitBytes, unitTypeName } from './codec.ts';
import {
  decodeEntry,
  encodeEntry,
  keyBytes,
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
  /** Instance-Codes bucketed by their first 64 bits (every Instance-Code has at least 64). */
  private readonly instances = new Map<bigint, { key: bigint; body: Uint8Array }[]>();
  private readonly simprints = new Map<string, SimprintStore>();
  private readonly simprintIds = new Map<bigint, { type: string; id: bigint }[]>();
  private nextSimprintId = 0n;
  /** Entries by key: full values in memory-only mode, `null` placeholders with LMDB. */
  private readonly entries = new Map<bigint, StoredEntry | null>();
  private next = 0n;
  private env: RootDatabase | null = null;
  private meta: Database | null = null;
  private db: Database<Buffer, Buffer> | null = null;
  private release: (() => void) | null = null;

  constructor(private readonly dir: string | null) {
    this.kind = dir === null ? 'memory' : 'lmdb';
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
        for (const { key, value } of this.db.getRange()) {
          const k = (key as Buffer).readBigUInt64BE(0);
          this.index(decodeEntry(k, value), false);
        }
      }
      return effective;
    } catch (e) {
      await this.close();
      throw e;
    }
  }

  /** Put one entry into the in-memory structures. */
  private index(e: StoredEntry, keepValue: boolean): void {
    this.entries.set(e.key, keepValue ? e : null);
    for (const u of parseUnitBytes(e.units)) {
      if (u.typeId === INSTANCE_TYPE_ID) {
        const b = firstWord(u.body);
        const list = this.instances.get(b);
        if (list) list.push({ key: e.key, body: u.body });
        else this.instances.set(b, [{ key: e.key, body: u.body }]);
        continue;
      }
      let k = this.kernels.get(u.typeId);
      if (!k) this.kernels.set(u.typeId, (k = new UnitKernel()));
      k.add(e.key, u.body);
    }
    if (e.simprints) {
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
    if (e.key >= this.next) this.next = e.key + 1n;
  }

  /** Take one entry out of the in-memory structures; returns unit mappings removed. */
  private unindex(e: StoredEntry): number {
    let removed = 0;
    for (const u of parseUnitBytes(e.units)) {
      if (u.typeId === INSTANCE_TYPE_ID) {
        const b = firstWord(u.body);
        const list = this.instances.get(b);
        const i = list ? list.findIndex((x) => x.key === e.key) : -1;
        if (i < 0) continue;
        list!.splice(i, 1);
        if (list!.length === 0) this.instances.delete(b);
        removed++;
      } else if (this.kernels.get(u.typeId)?.remove(e.key)) removed++;
    }
    for (const { type, id } of this.simprintIds.get(e.key) ?? []) {
      const s = this.simprints.get(type)!;
      s.kernel.remove(id);
      s.owner.delete(id);
    }
    this.simprintIds.delete(e.key);
    this.entries.delete(e.key);
    return removed;
  }

  async size(): Promise<number> {
    return this.entries.size;
  }

  async unitTypes(): Promise<string[]> {
    const names = [...this.kernels].filter(([, k]) => k.size > 0).map(([t]) => unitTypeName(t));
    if (this.instances.size > 0) names.push(unitTypeName(INSTANCE_TYPE_ID));
    return names.sort();
  }

  async has(keys: bigint[]): Promise<boolean[]> {
    return keys.map((k) => this.entries.has(k));
  }

  async nextKey(): Promise<bigint> {
    return this.next;
  }

  async add(entries: StoredEntry[]): Promise<void> {
    let next = this.next;
    for (const e of entries) if (e.key >= next) next = e.key + 1n;
    if (this.db) {
      const db = this.db;
      const meta = this.meta!;
      await db.transaction(() => {
        for (const e of entries) db.put(keyBytes(e.key), Buffer.from(encodeEntry(e)));
        meta.put('nextKey', next.toString());
      });
      await this.env!.flushed;
    }
    for (const e of entries) this.index(e, this.db === null);
    this.next = next;
  }

  async get(keys: bigint[]): Promise<(StoredEntry | null)[]> {
    return keys.map((k) => {
      if (!this.entries.has(k)) return null;
      const mem = this.entries.get(k);
      if (mem) return mem;
      const v = this.db!.get(keyBytes(k));
      return v ? decodeEntry(k, v) : null;
    });
  }

  async remove(keys: bigint[]): Promise<number> {
    const present = [...new Set(keys)].filter((k) => this.entries.has(k));
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
    const k = this.kernels.get(typeId);
    return bodies.map((b) => (k ? k.search(b, count, opts) : { keys: [], distances: [], visited: 0, computed: 0 }));
  }

  async searchInstance(bodies: Uint8Array[], limit: number): Promise<bigint[][]> {
    return bodies.map((q) => {
      const list = this.instances.get(firstWord(q)) ?? [];
      const out: bigint[] = [];
      for (const { key, body } of list) {
        const n = Math.min(q.length, body.length);
        let same = true;
        for (let i = 8; i < n && same; i++) same = q[i] === body[i];
        if (same) out.push(key);
        if (out.length >= limit) break;
      }
      return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    });
  }

  async searchSimprints(type: string, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<SimprintHit[][]> {
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
    const keys = [...this.entries.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
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

/** First 64 bits of a body as an unsigned bigint (bucket key of the instance store). */
function firstWord(b: Uint8Array): bigint {
  return new DataView(b.buffer, b.byteOffset, b.byteLength).getBigUint64(0);
}
