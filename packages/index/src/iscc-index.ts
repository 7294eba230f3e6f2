/**
 * IsccIndex: the ISCC-VDB API (shared/specs/iscc-vdb-spec.md) camelCased, over one backend.
 *
 * - `path` picks the backend: a directory (LMDB, the embedded default), `memory://` (nothing
 *   persisted) or `postgres://...` / `postgresql://...` (PostgreSQL).
 * - Every method is async (storage is); the constructor starts opening and each call waits for
 *   it. Writes are serialised inside one IsccIndex, and acknowledged only once durable.
 * - add: decompose ISCC-CODEs (or take units), check every unit (type indexable, 64..max_dim
 *   bits, one per type), assign ISCC-IDs (given ones must be ISCC-IDv1 of the index's realm and
 *   new; otherwise sequential keys from one above the largest key ever stored), store.
 * - search: per unit type the unit's top hits by NPHD (within `maxDistance`, default 0.25, i.e.
 *   similarity >= 0.75), INSTANCE by exact/prefix match, simprints by NPHD; then each
 *   candidate's combined score = sum(s^(e+1)) / sum(s^e) over the unit types it matched, with
 *   s = 1 - NPHD (1 for an Instance match) and e = CONFIDENCE_EXPONENT (4): a weighted mean
 *   that lets strong matches dominate weak ones. Distance = 1 - score; ties go to the entry that
 *   matched more unit types, then to the smaller ISCC-ID.
 */
import { existsSync } from 'node:fs';
import { genIsccCodeV0 } from '@iscc-ts/core';
import { join } from 'node:path';
import {
  INSTANCE_TYPE_ID,
  SUPPORTED_UNIT_TYPES,
  decodeIscc,
  decodeIsccId,
  decomposeBytes,
  decomposeIscc,
  encodeBase32,
  encodeIsccId,
  encodeUnit,
  parseUnitBytes,
  unitBytes,
  unitTypeName,
  type Unit,
} from './codec.ts';
import { INDEX_ERROR_CODES, IsccIndexError, argError, describeValue } from './errors.ts';
import type { IndexBackend, IndexConfig, Simprint, StoredEntry } from './backend.ts';
import { LocalBackend } from './local.ts';
import { IsccBatchMatches, IsccMatches, UnitMatches, type ChunkMatch } from './matches.ts';

/** Default per-unit distance threshold: units farther than this (NPHD) do not match. */
export const DEFAULT_MAX_DISTANCE = 0.25;
/** Exponent e of the combined score sum(s^(e+1)) / sum(s^e). */
export const CONFIDENCE_EXPONENT = 4;
/** Queries with several unit types fetch count * this many hits per unit type. */
export const UNIT_OVERSAMPLING = 4;
/** At most this many Instance matches are reported per query. */
export const MAX_INSTANCE_MATCHES = 1000;
/** Default number of results per query. */
export const DEFAULT_COUNT = 10;

/** Constructor options (`realm_id`, `max_dim` of the spec). */
export interface IsccIndexOptions {
  /** ISCC realm (0 or 1) used to rebuild ISCC-IDs from keys; default 0. */
  realmId?: number;
  /** Longest unit in bits (64..256, a multiple of 32); default 256. */
  maxDim?: number;
  /** Open read-only (what `view()` and `restore(path, {view: true})` do). */
  readOnly?: boolean;
  /** Use this backend instead of the one `path` names (tests, custom stores). */
  backend?: IndexBackend;
}

/** Simprints of one entry or query: by simprint type, base64url bodies with chunk positions. */
export type SimprintsInput = Record<string, { simprint: string; offset?: number; size?: number }[]>;

/** Input of {@link IsccIndex.add}. */
export interface AddInput {
  isccIds?: string | string[] | null;
  isccCodes?: string | string[] | null;
  units?: string[] | string[][] | null;
  /** Simprints per entry (one object for a single entry, an array for a batch). */
  simprints?: SimprintsInput | SimprintsInput[] | null;
}

/** Input of {@link IsccIndex.search}. */
export interface SearchInput {
  isccCodes?: string | string[] | null;
  units?: string[] | string[][] | null;
  simprints?: SimprintsInput | SimprintsInput[] | null;
  count?: number;
  exact?: boolean;
  /** Per-unit NPHD threshold (0..1); default {@link DEFAULT_MAX_DISTANCE}. */
  maxDistance?: number;
}

/** An entry as `get` returns it (the spec's dict keys). */
export interface IndexEntry {
  iscc_id: string;
  iscc_code: string | null;
  units: string[];
}

/** Index statistics (`info`). */
export interface IndexInfo {
  path: string;
  backend: string;
  size: number;
  unit_types: string[];
  realm_id: number;
  max_dim: number;
  read_only: boolean;
}

interface ParsedQuery {
  units: Unit[];
  simprints: Record<string, Simprint[]> | null;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** The backend `path` names; null for PostgreSQL (its driver is imported when opening). */
function backendFor(path: string): IndexBackend | null {
  if (/^postgres(ql)?:\/\//i.test(path)) return null;
  if (path === 'memory://' || path === ':memory:') return new LocalBackend(null);
  return new LocalBackend(path);
}

/** The stored form of several units: their raw bytes (header + body) one after the other. */
function joinUnits(units: Unit[]): Uint8Array {
  let n = 0;
  for (const u of units) n += u.raw ? u.raw.length : u.typeId & 0x888 || u.bits > 256 ? unitBytes(u).length : 2 + u.body.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const u of units) {
    if (u.raw) {
      out.set(u.raw, o);
      o += u.raw.length;
    } else if (u.typeId & 0x888 || u.bits > 256) {
      const b = unitBytes(u); // header fields past 7: the long form
      out.set(b, o);
      o += b.length;
    } else {
      // Two header bytes: MainType|SubType, Version|Length (every field < 8).
      out[o] = ((u.typeId >> 8) << 4) | ((u.typeId >> 4) & 15);
      out[o + 1] = ((u.typeId & 15) << 4) | (u.bits / 32 - 1);
      out.set(u.body, o + 2);
      o += 2 + u.body.length;
    }
  }
  return out;
}

/** The ISCC-VDB index: add, get, search, remove ISCC entries by ISCC-ID. */
export class IsccIndex {
  readonly path: string;
  private backend!: IndexBackend;
  /** A backend passed in options is reused on reopen (it must support close + open). */
  private readonly customBackend: boolean;
  private config: IndexConfig;
  private readonly explicit: Partial<IndexConfig>;
  private readOnly: boolean;
  private ready: Promise<void>;
  private writes: Promise<unknown> = Promise.resolve();
  private closed = false;
  private cachedSize = 0;
  private cachedTypes: string[] = [];

  /**
   * Open (or create) the index at `path`. Opening continues in the background; every method
   * waits for it (await {@link IsccIndex.opened} to see open errors early). For PostgreSQL
   * URLs the driver is loaded while opening.
   */
  constructor(path: string, options: IsccIndexOptions = {}) {
    if (typeof path !== 'string' || path.length === 0) argError('path', 'a directory, memory:// or postgres:// URL', path);
    const { realmId, maxDim } = options;
    if (realmId !== undefined && realmId !== 0 && realmId !== 1) argError('realmId', '0 or 1', realmId);
    if (maxDim !== undefined && (!Number.isInteger(maxDim) || maxDim < 64 || maxDim > 256 || maxDim % 32 !== 0)) {
      argError('maxDim', 'a multiple of 32 in 64..256', maxDim);
    }
    this.path = path;
    this.explicit = { ...(realmId !== undefined ? { realmId } : {}), ...(maxDim !== undefined ? { maxDim } : {}) };
    this.config = { realmId: realmId ?? 0, maxDim: maxDim ?? 256 };
    this.readOnly = options.readOnly ?? false;
    this.customBackend = options.backend !== undefined;
    const backend = options.backend ?? backendFor(path);
    if (backend) this.backend = backend;
    this.ready = this.init();
    this.ready.catch(() => undefined); // surfaced by the first awaited call
  }

  /** Open an index, resolving once it is ready (PostgreSQL URLs included). */
  static async open(path: string, options: IsccIndexOptions = {}): Promise<IsccIndex> {
    const idx = new IsccIndex(path, options);
    await idx.opened();
    return idx;
  }

  /**
   * Restore an index from `path`; `view: true` opens it read-only. Resolves to null when there
   * is no index at `path` (the spec's "None if path is invalid").
   */
  static async restore(path: string, options: IsccIndexOptions & { view?: boolean } = {}): Promise<IsccIndex | null> {
    const isUrl = /^[a-z]+:\/\//i.test(path);
    if (!isUrl && !existsSync(join(path, 'index.lmdb'))) return null;
    try {
      return await IsccIndex.open(path, { ...options, readOnly: options.view ?? options.readOnly ?? false });
    } catch (e) {
      if (e instanceof IsccIndexError && e.code === INDEX_ERROR_CODES.STORAGE) return null;
      throw e;
    }
  }

  private async init(): Promise<void> {
    if (!this.backend) {
      // PostgreSQL: load the driver only when an index lives there.
      const { PostgresBackend } = await import('./postgres.ts');
      this.backend = new PostgresBackend(this.path);
    }
    const stored = await this.backend.open(this.config, this.readOnly);
    for (const k of ['realmId', 'maxDim'] as const) {
      const want = this.explicit[k];
      if (want !== undefined && want !== stored[k]) {
        await this.backend.close();
        throw new IsccIndexError(INDEX_ERROR_CODES.CONFIG_MISMATCH, `index at ${this.path} has ${k} ${stored[k]}, but ${want} was asked for`);
      }
    }
    this.config = stored;
    await this.refresh();
  }

  private async refresh(): Promise<void> {
    this.cachedSize = await this.backend.size();
    this.cachedTypes = await this.backend.unitTypes();
  }

  /** Resolves once the index is open (rejects with the open error). */
  async opened(): Promise<void> {
    await this.ready;
  }

  private async live(): Promise<void> {
    if (this.closed) throw new IsccIndexError(INDEX_ERROR_CODES.CLOSED, `index at ${this.path} is closed`);
    await this.ready;
  }

  private async writable(): Promise<void> {
    await this.live();
    if (this.readOnly) throw new IsccIndexError(INDEX_ERROR_CODES.READ_ONLY, `index at ${this.path} is open read-only (view)`);
  }

  /** Run `fn` after all earlier writes (one writer at a time inside this object). */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writes.then(fn, fn);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** ISCC realm of the index's ISCC-IDs. */
  get realmId(): number {
    return this.config.realmId;
  }

  /** Longest unit accepted, in bits. */
  get maxDim(): number {
    return this.config.maxDim;
  }

  /** Number of entries (as of the last operation of this object). */
  get size(): number {
    return this.cachedSize;
  }

  /** Indexed unit types, e.g. `["CONTENT-TEXT-V0", "META-NONE-V0"]` (as of the last operation). */
  get unitTypes(): string[] {
    return [...this.cachedTypes];
  }

  /** Bytes the in-memory search structures hold (embedded backends), or null (PostgreSQL). */
  memoryBytes(): number | null {
    return this.backend instanceof LocalBackend ? this.backend.memoryBytes() : null;
  }

  /** Fresh statistics from the backend. */
  async info(): Promise<IndexInfo> {
    await this.live();
    await this.refresh();
    return {
      path: this.path.replace(/\/\/[^@/]*@/, '//***@'),
      backend: this.backend.kind,
      size: this.cachedSize,
      unit_types: this.unitTypes,
      realm_id: this.config.realmId,
      max_dim: this.config.maxDim,
      read_only: this.readOnly,
    };
  }

  /** Check one unit for indexing (type known, length in range). */
  private checkUnit(u: Unit, name: string): void {
    const typeName = unitTypeName(u.typeId);
    if (!SUPPORTED_UNIT_TYPES.has(typeName)) {
      throw new IsccIndexError(
        INDEX_ERROR_CODES.UNSUPPORTED_UNIT_TYPE,
        `${name}: unit type ${typeName} cannot be indexed (expected one of ${[...SUPPORTED_UNIT_TYPES.keys()].join(', ')})`,
      );
    }
    const max = u.typeId === INSTANCE_TYPE_ID ? 256 : this.config.maxDim;
    if (u.bits < 64 || u.bits > max) {
      throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_LENGTH, `${name}: ${typeName} unit has ${u.bits} bits, expected 64..${max}`);
    }
  }

  /** Parse the units of one entry or query (a list of unit strings or one ISCC-CODE). */
  private parseUnits(items: string[], name: string): Unit[] {
    const units: Unit[] = [];
    for (let i = 0; i < items.length; i++) this.takeUnits(units, decomposeIscc(items[i], 'unit'), name);
    if (units.length === 0) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ARGUMENT, `${name}: no units`);
    return units;
  }

  /** Check `found` and append it to `units` (one unit per type). */
  private takeUnits(units: Unit[], found: Unit[], name: string): void {
    for (const u of found) {
      this.checkUnit(u, 'unit');
      // A linear scan beats a Set for the handful of units of one entry.
      for (let j = 0; j < units.length; j++) {
        if (units[j]!.typeId === u.typeId) {
          throw new IsccIndexError(INDEX_ERROR_CODES.DUPLICATE_UNIT_TYPE, `${name}: two units of type ${unitTypeName(u.typeId)}`);
        }
      }
      units.push(u);
    }
  }

  private parseSimprints(sp: unknown, name: string): Record<string, Simprint[]> | null {
    if (sp === undefined || sp === null) return null;
    if (typeof sp !== 'object' || Array.isArray(sp)) argError(name, 'an object {TYPE: [{simprint, offset, size}]}', sp);
    const out: Record<string, Simprint[]> = {};
    for (const [type, list] of Object.entries(sp as Record<string, unknown>)) {
      if (!/^[A-Z]+_[A-Z]+_V\d+$/.test(type)) argError(`${name} type`, 'a simprint type like CONTENT_TEXT_V0', type);
      if (!Array.isArray(list)) argError(`${name}.${type}`, 'an array', list);
      out[type] = list.map((item: unknown, i: number) => {
        const it = item as { simprint?: unknown; offset?: unknown; size?: unknown } | null;
        if (!it || typeof it !== 'object' || typeof it.simprint !== 'string' || !/^[A-Za-z0-9_-]+$/.test(it.simprint)) {
          argError(`${name}.${type}[${i}]`, '{simprint: base64url string, offset?, size?}', item);
        }
        const body = new Uint8Array(Buffer.from(it.simprint, 'base64url'));
        if (body.length < 8 || body.length > 32 || body.length % 4 !== 0) {
          throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_LENGTH, `${name}.${type}[${i}]: simprint has ${body.length * 8} bits, expected 64..256 in steps of 32`);
        }
        const offset = it.offset ?? 0;
        const size = it.size ?? 0;
        if (!Number.isSafeInteger(offset) || (offset as number) < 0) argError(`${name}.${type}[${i}].offset`, 'a non-negative integer', offset);
        if (!Number.isSafeInteger(size) || (size as number) < 0) argError(`${name}.${type}[${i}].size`, 'a non-negative integer', size);
        return { body, offset: offset as number, size: size as number };
      });
    }
    return out;
  }

  /**
   * Normalise `{isccCodes, units, simprints}` into `n` per-entry (or per-query) items that
   * `parse(i)` decodes and checks on demand: big adds parse each entry when it is needed and
   * drop it right after, so a million-entry batch does not keep a million parsed objects alive.
   */
  private entryParser(
    input: AddInput | SearchInput,
    what: 'add' | 'search',
  ): { n: number; single: boolean; parse(i: number): ParsedQuery & { code: Uint8Array | null } } {
    if (input === null || typeof input !== 'object') argError(what, 'an object {isccCodes?, units?, ...}', input);
    const { units, isccCodes, simprints } = input;
    let single: boolean;
    let n: number;
    let listAt: (i: number) => string[];
    let codeAt: (i: number) => string | null = () => null;
    if (units !== undefined && units !== null) {
      if (isStringArray(units)) {
        single = true;
        n = 1;
        listAt = () => units;
      } else if (Array.isArray(units) && units.every(isStringArray)) {
        single = false;
        n = units.length;
        listAt = (i) => (units as string[][])[i]!;
      } else argError('units', 'a list of ISCC-UNIT strings or a list of such lists', units);
    } else if (isccCodes !== undefined && isccCodes !== null) {
      let codes: string[];
      if (typeof isccCodes === 'string') {
        single = true;
        codes = [isccCodes];
      } else if (isStringArray(isccCodes)) {
        single = false;
        codes = isccCodes;
      } else argError('isccCodes', 'an ISCC-CODE string or a list of them', isccCodes);
      n = codes.length;
      listAt = (i) => [codes[i]!];
      codeAt = (i) => codes[i]!;
    } else if (simprints !== undefined && simprints !== null && what === 'search') {
      const sps = Array.isArray(simprints) ? simprints : [simprints];
      return {
        n: sps.length,
        single: !Array.isArray(simprints),
        parse: (i) => ({ units: [], simprints: this.parseSimprints(sps[i], `simprints[${i}]`), code: null }),
      };
    } else {
      throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ARGUMENT, `${what}: either isccCodes or units must be given`);
    }
    let spAt: (i: number) => SimprintsInput | null = () => null;
    if (simprints !== undefined && simprints !== null) {
      if (Array.isArray(simprints) !== !single) argError('simprints', single ? 'one simprints object' : 'a list with one simprints object per entry', simprints);
      const sps = Array.isArray(simprints) ? simprints : [simprints];
      if (sps.length !== n) throw new IsccIndexError(INDEX_ERROR_CODES.COUNT_MISMATCH, `simprints: ${sps.length} given for ${n} entries`);
      spAt = (i) => sps[i] ?? null;
    }
    const name = units !== undefined && units !== null ? 'units' : 'isccCodes';
    return {
      n,
      single,
      parse: (i) => {
        try {
          const code = codeAt(i);
          const sp = spAt(i);
          let units: Unit[];
          let raw: Uint8Array | null = null;
          if (code !== null) {
            // An ISCC-CODE is decoded once: its units, and its bytes as given (stored).
            raw = decodeIscc(code, 'unit');
            units = [];
            this.takeUnits(units, decomposeBytes(raw, code, 'unit'), name);
          } else units = this.parseUnits(listAt(i), name);
          return { units, simprints: sp === null ? null : this.parseSimprints(sp, 'simprints'), code: raw };
        } catch (e) {
          // Say which entry failed; built only on error, so the hot path makes no strings.
          if (e instanceof IsccIndexError && !single) throw new IsccIndexError(e.code, `${name}[${i}]: ${e.message}`);
          throw e;
        }
      },
    };
  }

  /**
   * Add entries; resolves to their ISCC-IDs once stored durably. Either `isccCodes` or
   * `units` (which wins when both are given); `isccIds` optional (auto-generated sequentially).
   */
  async add(input: AddInput): Promise<string[]> {
    await this.writable();
    const parser = this.entryParser(input, 'add');
    const count = parser.n;
    // Small batches are checked up front (cheap, and errors come before the ISCC-ID checks);
    // big ones are checked while the backend writes them in one transaction, which a throw
    // aborts (the backend contract), so invalid input never leaves a partial batch behind.
    if (count <= 1000) for (let i = 0; i < count; i++) parser.parse(i);
    return this.serial(async () => {
      let keyAt: (i: number) => bigint;
      const ids = input.isccIds;
      if (ids !== undefined && ids !== null) {
        const list = typeof ids === 'string' ? [ids] : isStringArray(ids) ? ids : argError('isccIds', 'an ISCC-ID string or a list of them', ids);
        if (list.length !== count) {
          throw new IsccIndexError(INDEX_ERROR_CODES.COUNT_MISMATCH, `isccIds: ${list.length} ISCC-IDs for ${count} entries`);
        }
        const keys = list.map((s, i) => decodeIsccId(s, this.config.realmId, `isccIds[${i}]`));
        const seen = new Set<bigint>();
        keys.forEach((k, i) => {
          if (seen.has(k)) throw new IsccIndexError(INDEX_ERROR_CODES.DUPLICATE_ID, `isccIds[${i}]: ${list[i]} appears twice in the batch`);
          seen.add(k);
        });
        const exists = await this.backend.has(keys);
        const dup = exists.indexOf(true);
        if (dup >= 0) throw new IsccIndexError(INDEX_ERROR_CODES.DUPLICATE_ID, `isccIds[${dup}]: ${list[dup]} is already in the index`);
        keyAt = (i) => keys[i]!;
      } else {
        const first = await this.backend.nextKey();
        if (first + BigInt(count) > 0xffffffffffffffffn) {
          throw new IsccIndexError(INDEX_ERROR_CODES.LIMIT_EXCEEDED, 'the 64-bit ISCC-ID key space is exhausted');
        }
        keyAt = (i) => first + BigInt(i);
      }
      const toStored = (i: number): StoredEntry => {
        const it = parser.parse(i);
        const key = keyAt(i);
        if (it.units.length === 1 && it.units[0]!.raw) {
          return { key, code: it.code, units: it.units[0]!.raw, simprints: it.simprints, parsed: it.units };
        }
        return { key, code: it.code, units: joinUnits(it.units), simprints: it.simprints, parsed: it.units };
      };
      await this.backend.add(function* () {
        for (let i = 0; i < count; i++) yield toStored(i);
      });
      await this.refresh();
      const out = new Array<string>(count);
      for (let i = 0; i < count; i++) out[i] = encodeIsccId(keyAt(i), this.config.realmId);
      return out;
    });
  }

  private toEntry(e: StoredEntry): IndexEntry {
    const units = parseUnitBytes(e.units).map(encodeUnit);
    let code = e.code ? 'ISCC:' + encodeBase32(e.code) : null;
    if (code === null) {
      // Added as units: compose the ISCC-CODE as iscc-core would (needs Data + Instance).
      try {
        code = genIsccCodeV0(units).iscc;
      } catch {
        code = null;
      }
    }
    return { iscc_id: encodeIsccId(e.key, this.config.realmId), iscc_code: code, units };
  }

  /** Entries by ISCC-ID: one id -> entry or null; a list -> a list with null for missing ones. */
  async get(isccIds: string): Promise<IndexEntry | null>;
  async get(isccIds: string[]): Promise<(IndexEntry | null)[]>;
  async get(isccIds: string | string[]): Promise<IndexEntry | null | (IndexEntry | null)[]> {
    await this.live();
    const single = typeof isccIds === 'string';
    const list = single ? [isccIds] : isStringArray(isccIds) ? isccIds : argError('isccIds', 'an ISCC-ID string or a list of them', isccIds);
    const keys = list.map((s, i) => decodeIsccId(s, this.config.realmId, single ? 'isccIds' : `isccIds[${i}]`));
    const got = (await this.backend.get(keys)).map((e) => (e ? this.toEntry(e) : null));
    return single ? got[0]! : got;
  }

  /** Remove entries; resolves to the number of unit mappings removed (INSTANCE included). */
  async remove(isccIds: string | string[]): Promise<number> {
    await this.writable();
    const list = typeof isccIds === 'string' ? [isccIds] : isStringArray(isccIds) ? isccIds : argError('isccIds', 'an ISCC-ID string or a list of them', isccIds);
    const keys = list.map((s, i) => decodeIsccId(s, this.config.realmId, `isccIds[${i}]`));
    return this.serial(async () => {
      const n = await this.backend.remove(keys);
      await this.refresh();
      return n;
    });
  }

  /** Search similar entries: one query -> IsccMatches, a list -> IsccBatchMatches. */
  async search(input: SearchInput & { isccCodes: string }): Promise<IsccMatches>;
  async search(input: SearchInput): Promise<IsccMatches | IsccBatchMatches>;
  async search(input: SearchInput): Promise<IsccMatches | IsccBatchMatches> {
    await this.live();
    const count = input?.count ?? DEFAULT_COUNT;
    if (!Number.isSafeInteger(count) || count < 1) argError('count', 'a positive integer', count);
    const exact = input?.exact ?? false;
    if (typeof exact !== 'boolean') argError('exact', 'a boolean', exact);
    const maxDistance = input?.maxDistance ?? DEFAULT_MAX_DISTANCE;
    if (typeof maxDistance !== 'number' || !(maxDistance >= 0 && maxDistance <= 1)) argError('maxDistance', 'a number in 0..1', maxDistance);
    const parser = this.entryParser(input, 'search');
    const single = parser.single;
    const items = Array.from({ length: parser.n }, (_, i) => parser.parse(i));
    const opts = { exact, maxDistance };

    // One backend call per (unit type, per-unit count) with all queries that have that type.
    // (Plain loops and numeric map keys: a one-code REST query spends ~10 µs here otherwise.)
    const groups = new Map<number, { typeId: number; k: number; qs: number[]; bodies: Uint8Array[] }>();
    const instQs: number[] = [];
    const instBodies: Uint8Array[] = [];
    let anySimprints = false;
    for (let qi = 0; qi < items.length; qi++) {
      const it = items[qi]!;
      if (it.simprints) anySimprints = true;
      // Several kinds of evidence per query: fetch more hits per unit type, so that entries
      // matching on several types are found even when each type alone ranks them lower.
      const k = it.units.length + (it.simprints ? 1 : 0) > 1 ? count * UNIT_OVERSAMPLING : count;
      for (const u of it.units) {
        if (u.typeId === INSTANCE_TYPE_ID) {
          instQs.push(qi);
          instBodies.push(u.body);
          continue;
        }
        const g = u.typeId * 2 + (k === count ? 0 : 1);
        let grp = groups.get(g);
        if (!grp) groups.set(g, (grp = { typeId: u.typeId, k, qs: [], bodies: [] }));
        grp.qs.push(qi);
        grp.bodies.push(u.body);
      }
    }
    const realm = this.config.realmId;
    const idOf = new Map<bigint, string>();
    const id = (key: bigint): string => {
      let s = idOf.get(key);
      if (s === undefined) idOf.set(key, (s = encodeIsccId(key, realm)));
      return s;
    };
    interface PerQuery {
      unitMatches: Record<string, UnitMatches>;
      instance: string[];
      chunks: ChunkMatch[];
      scores: Map<bigint, { num: number; den: number; types: number }>;
      visited: number;
      computed: number;
    }
    const perQuery: PerQuery[] = new Array<PerQuery>(items.length);
    for (let qi = 0; qi < items.length; qi++) {
      perQuery[qi] = { unitMatches: {}, instance: [], chunks: [], scores: new Map(), visited: 0, computed: 0 };
    }
    const credit = (qi: number, key: bigint, s: number): void => {
      const sc = perQuery[qi]!.scores;
      const w = s ** CONFIDENCE_EXPONENT;
      const c = sc.get(key);
      if (c) {
        c.num += w * s;
        c.den += w;
        c.types++;
      } else sc.set(key, { num: w * s, den: w, types: 1 });
    };
    for (const grp of groups.values()) {
      const hits = await this.backend.searchUnits(grp.typeId, grp.bodies, grp.k, opts);
      const typeName = unitTypeName(grp.typeId);
      for (let j = 0; j < hits.length; j++) {
        const h = hits[j]!;
        const qi = grp.qs[j]!;
        const pq = perQuery[qi]!;
        const ids = new Array<string>(h.keys.length);
        for (let r = 0; r < h.keys.length; r++) {
          ids[r] = id(h.keys[r]!);
          credit(qi, h.keys[r]!, 1 - h.distances[r]!);
        }
        pq.unitMatches[typeName] = new UnitMatches(ids, h.distances, h.visited, h.computed);
        pq.visited += h.visited;
        pq.computed += h.computed;
      }
    }
    if (instBodies.length) {
      const hits = await this.backend.searchInstance(instBodies, MAX_INSTANCE_MATCHES);
      for (let j = 0; j < hits.length; j++) {
        const keys = hits[j]!;
        const qi = instQs[j]!;
        perQuery[qi]!.instance = keys.map(id);
        for (const key of keys) credit(qi, key, 1);
      }
    }
    // Simprints: per entry and simprint type, similarity = sum over query simprints of the best
    // chunk similarity / number of query simprints (coverage-weighted).
    if (anySimprints) {
      const spGroups = new Map<string, { qs: number[]; which: number[]; bodies: Uint8Array[]; totals: Map<number, number> }>();
      items.forEach((it, qi) => {
        for (const [type, list] of Object.entries(it.simprints ?? {})) {
          let g = spGroups.get(type);
          if (!g) spGroups.set(type, (g = { qs: [], which: [], bodies: [], totals: new Map() }));
          list.forEach((sp, si) => {
            g!.qs.push(qi);
            g!.which.push(si);
            g!.bodies.push(sp.body);
          });
          g.totals.set(qi, list.length);
        }
      });
      for (const [type, g] of spGroups) {
        const hits = await this.backend.searchSimprints(type, g.bodies, count * UNIT_OVERSAMPLING, opts);
        const best = new Map<number, Map<bigint, Map<number, number>>>();
        hits.forEach((list, j) => {
          const qi = g.qs[j]!;
          const si = g.which[j]!;
          for (const h of list) {
            perQuery[qi]!.chunks.push({ iscc_id: id(h.key), type, query: si, offset: h.offset, size: h.size, distance: h.distance });
            let byKey = best.get(qi);
            if (!byKey) best.set(qi, (byKey = new Map()));
            let bySp = byKey.get(h.key);
            if (!bySp) byKey.set(h.key, (bySp = new Map()));
            bySp.set(si, Math.max(bySp.get(si) ?? 0, 1 - h.distance));
          }
        });
        for (const [qi, byKey] of best) {
          const total = g.totals.get(qi)!;
          for (const [key, bySp] of byKey) {
            let sum = 0;
            for (const s of bySp.values()) sum += s;
            credit(qi, key, sum / total);
          }
        }
      }
    }
    const results = new Array<IsccMatches>(perQuery.length);
    for (let qi = 0; qi < perQuery.length; qi++) {
      const pq = perQuery[qi]!;
      const ranked: { key: bigint; d: number; types: number }[] = [];
      for (const [key, c] of pq.scores) ranked.push({ key, d: 1 - c.num / c.den, types: c.types });
      ranked.sort((a, b) => a.d - b.d || b.types - a.types || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
      if (ranked.length > count) ranked.length = count;
      if (pq.chunks.length > 1) pq.chunks.sort((a, b) => a.distance - b.distance || a.query - b.query || (a.iscc_id < b.iscc_id ? -1 : 1));
      const keys = new Array<string>(ranked.length);
      const distances = new Array<number>(ranked.length);
      for (let i = 0; i < ranked.length; i++) {
        keys[i] = id(ranked[i]!.key);
        distances[i] = Math.max(0, ranked[i]!.d);
      }
      results[qi] = new IsccMatches(keys, distances, pq.unitMatches, pq.instance, pq.visited, pq.computed, pq.chunks);
    }
    return single ? results[0]! : new IsccBatchMatches(results);
  }

  /** Persist the index (writes are already durable; this waits for pending flushes). */
  async save(): Promise<void> {
    await this.live();
    await this.serial(() => this.backend.flush());
  }

  private async reopen(readOnly: boolean): Promise<void> {
    await this.live();
    await this.serial(async () => {
      await this.backend.close();
      if (!this.customBackend) {
        // A fresh backend (PostgreSQL: null here, created again by init with a new pool).
        this.backend = backendFor(this.path) as IndexBackend;
      }
      this.readOnly = readOnly;
      this.ready = this.init();
      this.ready.catch(() => undefined);
      await this.ready;
    });
  }

  /** Reload everything from storage (what was written by this process is already there). */
  async load(): Promise<void> {
    await this.reopen(false);
  }

  /** Reopen read-only: searches work, writes throw INDEX_READ_ONLY; no lock is taken. */
  async view(): Promise<void> {
    await this.reopen(true);
  }

  /** Copy all entries into a new index at `path` (default: memory://) with the same settings. */
  async copy(path = 'memory://'): Promise<IsccIndex> {
    await this.live();
    const target = await IsccIndex.open(path, { realmId: this.config.realmId, maxDim: this.config.maxDim });
    for await (const batch of this.scan(10_000)) {
      const fresh = await target.backend.has(batch.map((e) => e.key));
      const dup = fresh.indexOf(true);
      if (dup >= 0) {
        await target.close();
        throw new IsccIndexError(INDEX_ERROR_CODES.DUPLICATE_ID, `copy: ${encodeIsccId(batch[dup]!.key, this.config.realmId)} already exists at ${path}`);
      }
      await target.backend.add(() => batch);
    }
    await target.refresh();
    return target;
  }

  /** All stored entries in batches (key order). */
  async *scan(batchSize = 10_000): AsyncGenerator<StoredEntry[]> {
    await this.live();
    yield* this.backend.scan(batchSize);
  }

  /** Close the index and release its resources (and the directory lock). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.ready;
    } catch {
      return; // opening failed: nothing is held
    }
    await this.writes;
    await this.backend.close();
  }
}

/** Describe a value for messages (re-exported for the server). */
export { describeValue };
