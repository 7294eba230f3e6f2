/**
 * PostgresBackend: IsccIndex storage and search on plain PostgreSQL (15+, no extensions).
 *
 * Connection: `postgres://user@host:port/db?iscc_table=name` (`iscc_table` names the table
 * prefix, default `iscc`; it is removed before the URL reaches the driver).
 *
 * Tables (prefix p):
 *   p_meta(k, v)          format version, realm, max_dim, next key
 *   p_entries(key, value) key = 64-bit ISCC-ID body as int8 (two's complement), value = the
 *                         entry encoding of backend.ts
 *   p_units               one row per unit: key, type (12-bit type id), bits, code varbit,
 *                         h = first 64 bits as int8, s0..s3 = the four 16-bit segments of h
 *   p_simprints           the same for simprints, with stype (text), chunk offset and size
 * B-tree indexes on (type, s0) .. (type, s3) and (type, h), (key).
 *
 * Search is multi-index hashing on those B-trees, as in the in-memory kernel: at level s the
 * candidates are the rows whose segment i lies within s bits of the query's segment i for some
 * i (each `si = ANY(values)` is an index scan, OR-ed into one bitmap); candidates are verified
 * with `bit_count(a # b)` over the common prefix. A level covers every row within 4s+3 bits
 * of the 64-bit prefix; the stop rule is the kernel's. A search runs level 1, then level 2
 * when needed (a query within 8..11 bits per 64 never scans the table: a test asserts the plan
 * with EXPLAIN); beyond, 64-bit queries fall back to an exact scan ordered by distance, longer
 * ones return what was found. Sessions run without parallel workers (PG_PARALLEL_WORKERS).
 */
import pg from 'pg';
import type { KernelHits } from './kernel.ts';
import { INSTANCE_TYPE_ID, SUPPORTED_UNIT_TYPES, parseUnitBytes, unitTypeName } from './codec.ts';
import {
  decodeEntry,
  encodeEntry,
  type IndexBackend,
  type IndexConfig,
  type SimprintHit,
  type StoredEntry,
  type UnitSearchOptions,
} from './backend.ts';
import { INDEX_ERROR_CODES, IsccIndexError } from './errors.ts';

/** Schema version stored in p_meta; other versions are refused. */
export const PG_FORMAT_VERSION = 1;
/** Highest multi-index hashing level probed before falling back (see module comment). */
export const PG_MAX_LEVEL = 2;
/** Level probed first (see searchOne). */
export const PG_FIRST_LEVEL = 1;
/** random_page_cost set on this backend's sessions (SSD storage assumed). */
export const PG_RANDOM_PAGE_COST = 1.1;
/**
 * max_parallel_workers_per_gather on this backend's sessions: 0. A search touches a few
 * thousand rows; starting parallel workers for it costs more (milliseconds) than it saves.
 */
export const PG_PARALLEL_WORKERS = 0;
/** An add of at least this many entries refreshes the planner statistics (ANALYZE). */
export const ANALYZE_AFTER_ROWS = 10_000;
/** Rows per INSERT statement when adding. */
const INSERT_CHUNK = 5000;

/** 16-bit masks with at most `s` bits set, by level. */
const MASKS_UP_TO: number[][] = (() => {
  const byWeight: number[][] = [[], [], [], []];
  for (let m = 0; m < 65536; m++) {
    let c = 0;
    for (let x = m; x; x &= x - 1) c++;
    if (c <= 2) byWeight[c]!.push(m);
  }
  return [byWeight[0]!, [...byWeight[0]!, ...byWeight[1]!], [...byWeight[0]!, ...byWeight[1]!, ...byWeight[2]!]];
})();

const toSigned = (k: bigint): string => BigInt.asIntN(64, k).toString();
const toUnsigned = (s: string): bigint => BigInt.asUintN(64, BigInt(s));

function bitString(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(2).padStart(8, '0');
  return s;
}

function prefixParts(body: Uint8Array): { h: string; segs: number[] } {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  return { h: toSigned(dv.getBigUint64(0)), segs: [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff] };
}

/** PostgreSQL storage + search for IsccIndex. */
export class PostgresBackend implements IndexBackend {
  readonly kind = 'postgres';
  private readonly pool: pg.Pool;
  private readonly p: string;

  constructor(url: string) {
    const u = new URL(url);
    const table = u.searchParams.get('iscc_table') ?? 'iscc';
    u.searchParams.delete('iscc_table');
    if (!/^[a-z_][a-z0-9_]{0,40}$/.test(table)) {
      throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ARGUMENT, `iscc_table: expected a lower-case SQL identifier, got "${table}"`);
    }
    this.p = table;
    // Index probes are cheap on SSDs; with the default random_page_cost (4, for spinning disks)
    // the planner prefers a sequential scan for level-2 probes (548 B-tree lookups) on tables
    // of a few 10k rows. 1.1 is the usual SSD setting; it applies to this pool's sessions only
    // (a startup option, so it is set before the first query).
    this.pool = new pg.Pool({
      connectionString: u.toString(),
      max: 4,
      options: `-c random_page_cost=${PG_RANDOM_PAGE_COST} -c max_parallel_workers_per_gather=${PG_PARALLEL_WORKERS}`,
    });
    this.pool.on('error', () => undefined); // idle client errors surface on the next query
  }

  private async q<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    try {
      return await this.pool.query<R>(sql, params);
    } catch (e) {
      throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `PostgreSQL: ${(e as Error).message}`, { cause: e });
    }
  }

  async open(config: IndexConfig, readOnly: boolean): Promise<IndexConfig> {
    const p = this.p;
    const exists = await this.q(`SELECT to_regclass($1) AS t`, [`${p}_meta`]);
    if (exists.rows[0]!.t === null) {
      if (readOnly) throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `no index ${p} in this database to view`);
      const client = await this.pool.connect().catch((e: Error) => {
        throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `PostgreSQL: ${e.message}`, { cause: e });
      });
      try {
        await client.query('BEGIN');
        // Serialise concurrent creators of the same prefix.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [p]);
        await client.query(`CREATE TABLE IF NOT EXISTS ${p}_meta (k text PRIMARY KEY, v text NOT NULL)`);
        await client.query(`CREATE TABLE IF NOT EXISTS ${p}_entries (key int8 PRIMARY KEY, value bytea NOT NULL)`);
        for (const [t, extra] of [
          ['units', 'type int2 NOT NULL'],
          ['simprints', 'stype text NOT NULL, chunk_offset int8 NOT NULL, chunk_size int8 NOT NULL'],
        ] as const) {
          const typeCol = t === 'units' ? 'type' : 'stype';
          await client.query(
            `CREATE TABLE IF NOT EXISTS ${p}_${t} (key int8 NOT NULL, ${extra}, bits int2 NOT NULL, h int8 NOT NULL,` +
              ` s0 int4 NOT NULL, s1 int4 NOT NULL, s2 int4 NOT NULL, s3 int4 NOT NULL, code varbit(256) NOT NULL)`,
          );
          for (const c of ['s0', 's1', 's2', 's3', 'h']) {
            await client.query(`CREATE INDEX IF NOT EXISTS ${p}_${t}_${c} ON ${p}_${t} (${typeCol}, ${c})`);
          }
          await client.query(`CREATE INDEX IF NOT EXISTS ${p}_${t}_key ON ${p}_${t} (key)`);
        }
        await client.query(
          `INSERT INTO ${p}_meta (k, v) VALUES ('format', $1), ('realmId', $2), ('maxDim', $3), ('nextKey', '0') ON CONFLICT DO NOTHING`,
          [String(PG_FORMAT_VERSION), String(config.realmId), String(config.maxDim)],
        );
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `PostgreSQL: ${(e as Error).message}`, { cause: e });
      } finally {
        client.release();
      }
    }
    const meta = new Map((await this.q<{ k: string; v: string }>(`SELECT k, v FROM ${p}_meta`)).rows.map((r) => [r.k, r.v]));
    const format = Number(meta.get('format'));
    if (format !== PG_FORMAT_VERSION) {
      throw new IsccIndexError(
        INDEX_ERROR_CODES.FORMAT_VERSION,
        `index ${p} has format version ${meta.get('format')}, this library reads version ${PG_FORMAT_VERSION}`,
      );
    }
    return { realmId: Number(meta.get('realmId')), maxDim: Number(meta.get('maxDim')) };
  }

  async size(): Promise<number> {
    const r = await this.q<{ n: string }>(`SELECT count(*) AS n FROM ${this.p}_entries`);
    return Number(r.rows[0]!.n);
  }

  async unitTypes(): Promise<string[]> {
    const ids = [...SUPPORTED_UNIT_TYPES.values()];
    const r = await this.q<{ type: number }>(
      `SELECT t.type FROM unnest($1::int2[]) AS t(type) WHERE EXISTS (SELECT 1 FROM ${this.p}_units u WHERE u.type = t.type)`,
      [ids],
    );
    return r.rows.map((x) => unitTypeName(x.type)).sort();
  }

  async has(keys: bigint[]): Promise<boolean[]> {
    if (keys.length === 0) return [];
    const r = await this.q<{ key: string }>(`SELECT key::text FROM ${this.p}_entries WHERE key = ANY($1::int8[])`, [keys.map(toSigned)]);
    const present = new Set(r.rows.map((x) => toUnsigned(x.key)));
    return keys.map((k) => present.has(k));
  }

  async nextKey(): Promise<bigint> {
    const r = await this.q<{ v: string }>(`SELECT v FROM ${this.p}_meta WHERE k = 'nextKey'`);
    return BigInt(r.rows[0]!.v);
  }

  async add(produce: () => Iterable<StoredEntry>): Promise<void> {
    const p = this.p;
    const client = await this.pool.connect().catch((e: Error) => {
      throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `PostgreSQL: ${e.message}`, { cause: e });
    });
    try {
      await client.query('BEGIN');
      let next = 0n;
      let added = 0;
      let simprintRows = 0;
      const it = produce()[Symbol.iterator]();
      for (let done = false; !done; ) {
        const chunk: StoredEntry[] = [];
        while (chunk.length < INSERT_CHUNK) {
          const r = it.next();
          if (r.done) {
            done = true;
            break;
          }
          chunk.push(r.value);
        }
        if (chunk.length === 0) break;
        const keys: string[] = [];
        const values: Buffer[] = [];
        const u = { key: [] as string[], type: [] as number[], bits: [] as number[], h: [] as string[], s: [[], [], [], []] as number[][], code: [] as string[] };
        const sp = { key: [] as string[], stype: [] as string[], off: [] as number[], size: [] as number[], bits: [] as number[], h: [] as string[], s: [[], [], [], []] as number[][], code: [] as string[] };
        for (const e of chunk) {
          if (e.key >= next) next = e.key + 1n;
          const sk = toSigned(e.key);
          keys.push(sk);
          values.push(Buffer.from(encodeEntry(e)));
          for (const unit of parseUnitBytes(e.units)) {
            const { h, segs } = prefixParts(unit.body);
            u.key.push(sk);
            u.type.push(unit.typeId);
            u.bits.push(unit.bits);
            u.h.push(h);
            segs.forEach((v, j) => u.s[j]!.push(v));
            u.code.push(bitString(unit.body));
          }
          for (const [stype, list] of Object.entries(e.simprints ?? {})) {
            for (const s of list) {
              const { h, segs } = prefixParts(s.body);
              sp.key.push(sk);
              sp.stype.push(stype);
              sp.off.push(s.offset);
              sp.size.push(s.size);
              sp.bits.push(s.body.length * 8);
              sp.h.push(h);
              segs.forEach((v, j) => sp.s[j]!.push(v));
              sp.code.push(bitString(s.body));
            }
          }
        }
        added += chunk.length;
        simprintRows += sp.key.length;
        await client.query(`INSERT INTO ${p}_entries (key, value) SELECT * FROM unnest($1::int8[], $2::bytea[])`, [keys, values]);
        if (u.key.length) {
          await client.query(
            `INSERT INTO ${p}_units (key, type, bits, h, s0, s1, s2, s3, code)` +
              ` SELECT * FROM unnest($1::int8[], $2::int2[], $3::int2[], $4::int8[], $5::int4[], $6::int4[], $7::int4[], $8::int4[], $9::varbit[])`,
            [u.key, u.type, u.bits, u.h, ...u.s, u.code],
          );
        }
        if (sp.key.length) {
          await client.query(
            `INSERT INTO ${p}_simprints (key, stype, chunk_offset, chunk_size, bits, h, s0, s1, s2, s3, code)` +
              ` SELECT * FROM unnest($1::int8[], $2::text[], $3::int8[], $4::int8[], $5::int2[], $6::int8[], $7::int4[], $8::int4[], $9::int4[], $10::int4[], $11::varbit[])`,
            [sp.key, sp.stype, sp.off, sp.size, sp.bits, sp.h, ...sp.s, sp.code],
          );
        }
      }
      await client.query(`UPDATE ${p}_meta SET v = GREATEST(v::numeric, $1::numeric)::text WHERE k = 'nextKey'`, [next.toString()]);
      await client.query('COMMIT');
      // Fresh statistics after big loads: without them the planner may not see that the
      // segment indexes are selective and scan the table (autovacuum catches up only later).
      if (added >= ANALYZE_AFTER_ROWS) {
        await client.query(`ANALYZE ${p}_units`);
        if (simprintRows > 0) await client.query(`ANALYZE ${p}_simprints`);
      }
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (e instanceof IsccIndexError) throw e; // invalid input found while producing entries
      if ((e as { code?: string }).code === '23505') {
        throw new IsccIndexError(INDEX_ERROR_CODES.DUPLICATE_ID, `an ISCC-ID of this batch is already in the index (${(e as Error).message})`);
      }
      throw new IsccIndexError(INDEX_ERROR_CODES.STORAGE, `PostgreSQL: ${(e as Error).message}`, { cause: e });
    } finally {
      client.release();
    }
  }

  async get(keys: bigint[]): Promise<(StoredEntry | null)[]> {
    if (keys.length === 0) return [];
    const r = await this.q<{ key: string; value: Buffer }>(`SELECT key::text, value FROM ${this.p}_entries WHERE key = ANY($1::int8[])`, [
      keys.map(toSigned),
    ]);
    const byKey = new Map(r.rows.map((x) => [toUnsigned(x.key), x.value]));
    return keys.map((k) => {
      const v = byKey.get(k);
      return v ? decodeEntry(k, new Uint8Array(v)) : null;
    });
  }

  async remove(keys: bigint[]): Promise<number> {
    if (keys.length === 0) return 0;
    const p = this.p;
    const sk = [...new Set(keys)].map(toSigned);
    const r = await this.q<{ n: string }>(
      `WITH e AS (DELETE FROM ${p}_entries WHERE key = ANY($1::int8[]) RETURNING key),` +
        ` u AS (DELETE FROM ${p}_units WHERE key IN (SELECT key FROM e) RETURNING 1),` +
        ` s AS (DELETE FROM ${p}_simprints WHERE key IN (SELECT key FROM e) RETURNING 1)` +
        ` SELECT (SELECT count(*) FROM u) + 0 * (SELECT count(*) FROM s) AS n`,
      [sk],
    );
    return Number(r.rows[0]!.n);
  }

  /**
   * SQL of one search: $1 type, $2 query bits (text), $3 maxDistance, $4 limit, and for a
   * multi-index hashing level $5..$8 the value lists of segments s0..s3.
   */
  private levelSql(table: 'units' | 'simprints', exact: boolean, extra: string): string {
    const typeCol = table === 'units' ? 'type' : 'stype';
    // Each OR arm names the type again so that it matches the (type, si) B-tree: BitmapOr.
    const where = exact
      ? `${typeCol} = $1`
      : [0, 1, 2, 3].map((i) => `(${typeCol} = $1 AND s${i} = ANY($${5 + i}::int4[]))`).join(' OR ');
    // 64-bit comparisons (the common case) use the int8 prefix column `h`: XOR and popcount of
    // a bit(64), much cheaper than cutting varbit prefixes.
    const dist =
      `CASE WHEN bits = 64 OR length($2::varbit) = 64 THEN bit_count((h # substring($2::varbit FROM 1 FOR 64)::bit(64)::int8)::bit(64))::float8 / 64` +
      ` ELSE bit_count(substring(code FROM 1 FOR least(bits, length($2::varbit))) # substring($2::varbit FROM 1 FOR least(bits, length($2::varbit))))::float8` +
      ` / least(bits, length($2::varbit)) END`;
    return (
      `SELECT key::text AS ks, ${extra} d FROM (SELECT key, ${extra} ${dist} AS d FROM ${this.p}_${table} WHERE ${where}) c` +
      ` WHERE d <= $3 ORDER BY d, key LIMIT $4`
    );
  }

  private params(type: number | string, body: Uint8Array, level: number, maxDistance: number, limit: number, exact: boolean): unknown[] {
    const base = [type, bitString(body), maxDistance, limit];
    if (exact) return base;
    const { segs } = prefixParts(body);
    const masks = MASKS_UP_TO[level]!;
    return [...base, ...segs.map((v) => masks.map((m) => v ^ m))];
  }

  /** EXPLAIN of the level-`level` query for `body` (used by tests to assert index use). */
  async explain(typeId: number, body: Uint8Array, level: number): Promise<string> {
    const r = await this.q<{ 'QUERY PLAN': string }>('EXPLAIN ' + this.levelSql('units', false, ''), this.params(typeId, body, level, 1, 10, false));
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  }

  /** Run the level loop for one query; `extra` selects more columns (simprints). */
  private async searchOne<R extends { ks: string; d: number }>(
    table: 'units' | 'simprints',
    type: number | string,
    body: Uint8Array,
    count: number,
    opts: UnitSearchOptions,
    extra = '',
  ): Promise<{ rows: R[]; visited: number }> {
    const sortRows = (rows: R[]): R[] =>
      rows
        .map((r) => ({ r, k: toUnsigned(r.ks) }))
        .sort((a, b) => a.r.d - b.r.d || (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
        .map((x) => x.r);
    if (opts.exact) {
      const r = await this.q<R>(this.levelSql(table, true, extra), this.params(type, body, 0, opts.maxDistance, count, true));
      return { rows: sortRows(r.rows), visited: r.rows.length };
    }
    const qbits = body.length * 8;
    let rows: R[] = [];
    // Level PG_FIRST_LEVEL first (68 probes: exact when the k-th best lies within 7 bits of
    // the prefix, as near-duplicates of a registered entry do), then straight to the last
    // level: each level repeats the work of the ones below, and a round trip costs more than
    // probes. Starting at level 0 (4 probes) pays only when the k-th best lies within 3 bits.
    for (const level of [PG_FIRST_LEVEL, PG_MAX_LEVEL]) {
      const r = await this.q<R>(this.levelSql(table, false, extra), this.params(type, body, level, opts.maxDistance, count, false));
      rows = r.rows;
      // Every row within R = 4*level + 3 bits of the 64-bit prefix has been seen.
      const bound = (4 * level + 4) / Math.min(qbits, 256);
      if ((rows.length >= count && rows[count - 1]!.d < bound) || bound > opts.maxDistance) {
        return { rows: sortRows(rows), visited: rows.length };
      }
    }
    if (qbits === 64 || rows.length < count) {
      const r = await this.q<R>(this.levelSql(table, true, extra), this.params(type, body, 0, opts.maxDistance, count, true));
      return { rows: sortRows(r.rows), visited: r.rows.length };
    }
    return { rows: sortRows(rows), visited: rows.length };
  }

  async searchUnits(typeId: number, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<KernelHits[]> {
    return Promise.all(
      bodies.map(async (b) => {
        const { rows, visited } = await this.searchOne('units', typeId, b, count, opts);
        return { keys: rows.map((r) => toUnsigned(r.ks)), distances: rows.map((r) => Number(r.d)), visited, computed: visited };
      }),
    );
  }

  async searchInstance(bodies: Uint8Array[], limit: number): Promise<bigint[][]> {
    return Promise.all(
      bodies.map(async (b) => {
        const { h } = prefixParts(b);
        const r = await this.q<{ key: string }>(
          `SELECT key::text AS key FROM ${this.p}_units WHERE type = $1 AND h = $2::int8` +
            ` AND substring(code FROM 1 FOR least(bits, length($3::varbit))) = substring($3::varbit FROM 1 FOR least(bits, length($3::varbit)))` +
            ` ORDER BY ${this.p}_units.key LIMIT $4`,
          [INSTANCE_TYPE_ID, h, bitString(b), limit],
        );
        return r.rows.map((x) => toUnsigned(x.key)).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      }),
    );
  }

  async searchSimprints(type: string, bodies: Uint8Array[], count: number, opts: UnitSearchOptions): Promise<SimprintHit[][]> {
    return Promise.all(
      bodies.map(async (b, qi) => {
        const { rows } = await this.searchOne<{ ks: string; d: number; chunk_offset: string; chunk_size: string }>(
          'simprints',
          type,
          b,
          count,
          opts,
          'chunk_offset, chunk_size,',
        );
        return rows.map((r) => ({ key: toUnsigned(r.ks), distance: Number(r.d), offset: Number(r.chunk_offset), size: Number(r.chunk_size), query: qi }));
      }),
    );
  }

  async *scan(batchSize: number): AsyncGenerator<StoredEntry[]> {
    let after: string | null = null;
    for (;;) {
      const r: pg.QueryResult<{ ks: string; value: Buffer }> = await this.q(
        `SELECT key::text AS ks, value FROM ${this.p}_entries WHERE ($1::int8 IS NULL OR key > $1::int8) ORDER BY key LIMIT $2`,
        [after, batchSize],
      );
      if (r.rows.length === 0) return;
      yield r.rows.map((x) => decodeEntry(toUnsigned(x.ks), new Uint8Array(x.value)));
      after = r.rows[r.rows.length - 1]!.ks;
    }
  }

  async flush(): Promise<void> {
    // Every write is committed in its own transaction; nothing is pending.
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
