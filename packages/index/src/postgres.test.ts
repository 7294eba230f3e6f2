/**
 * PostgreSQL-specific guarantees: Hamming search stands on B-tree indexes (EXPLAIN of a query
 * within 8 bits per 64 shows index scans, never a sequential scan of the units table), and
 * other schema versions are refused. Skipped only when no PostgreSQL binaries exist (reason
 * printed); ISCC_INDEX_URL points it at an existing server instead.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { IsccIndex } from './iscc-index.ts';
import { PostgresBackend } from './postgres.ts';
import { INDEX_ERROR_CODES, IsccIndexError } from './errors.ts';
import { flipBits, randomBytes, rng, startPg, unit, type PgCluster } from './test-utils.ts';

let pg: PgCluster | null = null;
let skip = '';

beforeAll(async () => {
  const got = await startPg();
  if ('skip' in got) {
    skip = got.skip;
    console.warn(`[index postgres] skipped: ${skip}`);
  } else pg = got;
}, 60_000);
afterAll(() => pg?.stop());

const url = (table: string): string => {
  const u = new URL(pg!.url);
  u.searchParams.set('iscc_table', `${table}_${process.pid}`);
  return u.toString();
};

describe('PostgreSQL backend', () => {
  it('answers a query within 8 bits per 64 from indexes, never a sequential scan', async (ctx) => {
    if (!pg) return ctx.skip(skip);
    const backend = new PostgresBackend(url('explain'));
    const idx = await IsccIndex.open('postgres://', { backend });
    const r = rng(21);
    const codes = Array.from({ length: 20_000 }, () => randomBytes(r, 8));
    await idx.add({ units: codes.map((c) => [unit('DATA-NONE-V0', c)]) });
    const direct = new PostgresBackend(url('explain'));
    await direct.open({ realmId: 0, maxDim: 256 }, true);
    // ANALYZE so that the planner knows the table is large.
    await (direct as unknown as { q(sql: string): Promise<unknown> }).q(`ANALYZE explain_${process.pid}_units`);
    const target = codes[777]!;
    const query = flipBits(r, target, 8);
    for (const level of [0, 1, 2]) {
      const plan = await direct.explain(0x300, query, level);
      if (process.env.SHOW_PLAN) console.log(level, plan);
      expect(plan).not.toMatch(/Seq Scan/);
      expect(plan).toMatch(/Index Scan|Bitmap Index Scan/);
    }
    const m = await idx.search({ units: [unit('DATA-NONE-V0', query)] });
    expect(m.keys[0]).toBe((await idx.search({ units: [unit('DATA-NONE-V0', target)], count: 1 })).keys[0]);
    expect(m.distances[0]).toBe(8 / 64);
    await direct.close();
    await idx.close();
  }, 60_000);

  it('refuses another schema version with a clear error', async (ctx) => {
    if (!pg) return ctx.skip(skip);
    const idx = await IsccIndex.open(url('fmt'));
    await idx.close();
    const b = new PostgresBackend(url('fmt'));
    await (b as unknown as { q(sql: string): Promise<unknown> }).q(`UPDATE fmt_${process.pid}_meta SET v = '7' WHERE k = 'format'`);
    await b.close();
    const e = await IsccIndex.open(url('fmt')).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(IsccIndexError);
    expect((e as IsccIndexError).code).toBe(INDEX_ERROR_CODES.FORMAT_VERSION);
  });

  it('reports an unreachable server as INDEX_STORAGE', async (ctx) => {
    if (!pg) return ctx.skip(skip);
    const e = await IsccIndex.open('postgres://postgres@127.0.0.1:1/none').catch((x: unknown) => x);
    expect((e as IsccIndexError).code).toBe(INDEX_ERROR_CODES.STORAGE);
  });
});
