/**
 * The PostgreSQL log store (ISCC_HUB_URL=postgres://...).
 *
 * Tables (created when missing): `iscc_hub_log(hub_id, idx, record)` with primary key
 * (hub_id, idx) and `iscc_hub_state(hub_id, size)`. One writer at a time per hub id across
 * processes: `begin()` opens a transaction and locks the hub's state row (SELECT ... FOR
 * UPDATE), returning the committed size so the hub first catches up on records other
 * processes appended; `commit()` inserts the batch, advances the size and COMMITs (durable per
 * PostgreSQL's synchronous_commit) before the hub answers.
 */
import pg from 'pg';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import type { LogStore } from './store.ts';

type PoolClient = pg.PoolClient;

/** The PostgreSQL log store. */
export class PgLogStore implements LogStore {
  readonly kind = 'postgres';
  readonly shared = true;
  private client: PoolClient | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    readonly hubId: number,
  ) {}

  /** Connect and create the tables when missing. */
  static async open(url: string, hubId: number): Promise<PgLogStore> {
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    pool.on('error', () => undefined); // idle client errors surface on the next query
    const s = new PgLogStore(pool, hubId);
    try {
      await pool.query(`CREATE TABLE IF NOT EXISTS iscc_hub_log (hub_id integer NOT NULL, idx bigint NOT NULL, record bytea NOT NULL, PRIMARY KEY (hub_id, idx))`);
      await pool.query(`CREATE TABLE IF NOT EXISTS iscc_hub_state (hub_id integer PRIMARY KEY, size bigint NOT NULL)`);
      await pool.query(`INSERT INTO iscc_hub_state (hub_id, size) VALUES ($1, 0) ON CONFLICT (hub_id) DO NOTHING`, [hubId]);
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw new HubError(HUB_ERROR_CODES.STORAGE, `PostgreSQL: ${(err as Error).message}`, { cause: err });
    }
    return s;
  }

  async read(from: number): Promise<Uint8Array[]> {
    const r = await this.pool.query<{ idx: string; record: Buffer }>(
      `SELECT idx, record FROM iscc_hub_log WHERE hub_id = $1 AND idx >= $2 AND idx < (SELECT size FROM iscc_hub_state WHERE hub_id = $1) ORDER BY idx`,
      [this.hubId, from],
    );
    return r.rows.map((row, i) => {
      if (Number(row.idx) !== from + i) throw new HubError(HUB_ERROR_CODES.STORAGE, `log gap at index ${from + i}`);
      return new Uint8Array(row.record);
    });
  }

  async begin(): Promise<number> {
    const c = await this.pool.connect();
    try {
      await c.query('BEGIN');
      const r = await c.query<{ size: string }>(`SELECT size FROM iscc_hub_state WHERE hub_id = $1 FOR UPDATE`, [this.hubId]);
      this.client = c;
      return Number(r.rows[0]!.size);
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      c.release();
      throw new HubError(HUB_ERROR_CODES.STORAGE, `PostgreSQL: ${(err as Error).message}`, { cause: err });
    }
  }

  async commit(start: number, records: Uint8Array[]): Promise<void> {
    const c = this.client;
    if (!c) throw new HubError(HUB_ERROR_CODES.STORAGE, 'commit without begin');
    this.client = null;
    try {
      const idx = records.map((_, i) => start + i);
      await c.query(`INSERT INTO iscc_hub_log (hub_id, idx, record) SELECT $1, * FROM unnest($2::bigint[], $3::bytea[])`, [
        this.hubId,
        idx,
        records.map((r) => Buffer.from(r)),
      ]);
      await c.query(`UPDATE iscc_hub_state SET size = $2 WHERE hub_id = $1`, [this.hubId, start + records.length]);
      await c.query('COMMIT');
      c.release();
    } catch (err) {
      await c.query('ROLLBACK').catch(() => undefined);
      c.release();
      throw new HubError(HUB_ERROR_CODES.STORAGE, `PostgreSQL: ${(err as Error).message}`, { cause: err });
    }
  }

  async abort(): Promise<void> {
    const c = this.client;
    this.client = null;
    if (!c) return;
    await c.query('ROLLBACK').catch(() => undefined);
    c.release();
  }

  async close(): Promise<void> {
    await this.abort();
    await this.pool.end().catch(() => undefined);
  }
}
