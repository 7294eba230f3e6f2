/**
 * The one contract suite of IsccIndex storage backends, run against each: memory, LMDB
 * (embedded default) and PostgreSQL. PostgreSQL runs on a throw-away cluster (or on
 * ISCC_INDEX_URL) and is skipped only when no PostgreSQL binaries exist, with the reason printed.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsccIndex } from './iscc-index.ts';
import { IsccBatchMatches, IsccMatches } from './matches.ts';
import { INDEX_ERROR_CODES, IsccIndexError } from './errors.ts';
import { encodeIsccId } from './codec.ts';
import { flipBits, isccCode, randomBytes, rng, startPg, unit, type PgCluster } from './test-utils.ts';

interface Harness {
  /** A fresh, empty index location. */
  location(): string;
  persistent: boolean;
}

const cleanups: (() => void)[] = [];
let pg: PgCluster | null = null;
let pgSkip: string | null = null;
let pgCounter = 0;

const harnesses: [string, () => Harness][] = [
  ['memory', () => ({ location: () => 'memory://', persistent: false })],
  [
    'lmdb',
    () => {
      const root = mkdtempSync(join(tmpdir(), 'iscc-index-'));
      cleanups.push(() => rmSync(root, { recursive: true, force: true }));
      let n = 0;
      return { location: () => join(root, `idx${n++}`), persistent: true };
    },
  ],
  [
    'postgres',
    () => ({
      location: () => {
        const u = new URL(pg!.url);
        u.searchParams.set('iscc_table', `t${process.pid}_${pgCounter++}`);
        return u.toString();
      },
      persistent: true,
    }),
  ],
];

beforeAll(async () => {
  const got = await startPg();
  if ('skip' in got) {
    pgSkip = got.skip;
    console.warn(`[index contract] PostgreSQL backend skipped: ${got.skip}`);
  } else pg = got;
}, 60_000);

afterAll(() => {
  pg?.stop();
  for (const c of cleanups) c();
});

async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(IsccIndexError);
  expect((e as IsccIndexError).code).toBe(code);
}

describe.each(harnesses)('IsccIndex contract: %s backend', (name, make) => {
  let h: Harness;
  const open = (loc: string, opts = {}): Promise<IsccIndex> => IsccIndex.open(loc, opts);
  beforeAll(() => {
    h = make();
  });
  const skipIf = (): boolean => name === 'postgres' && pg === null;

  it('adds an ISCC-CODE and gets it back', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(1);
    const idx = await open(h.location());
    const code = isccCode(randomBytes(r, 8), randomBytes(r, 8), randomBytes(r, 8), randomBytes(r, 8));
    const ids = await idx.add({ isccCodes: code });
    expect(ids).toEqual([encodeIsccId(0n, 0)]);
    expect(ids[0]).toMatch(/^ISCC:MAI/);
    const got = await idx.get(ids[0]!);
    expect(got?.iscc_id).toBe(ids[0]);
    expect(got?.iscc_code).toBe(code);
    expect(got?.units).toHaveLength(4);
    expect(idx.size).toBe(1);
    expect(idx.unitTypes).toEqual(['CONTENT-TEXT-V0', 'DATA-NONE-V0', 'INSTANCE-NONE-V0', 'META-NONE-V0']);
    expect(await idx.get('ISCC:' + encodeIsccId(99n, 0).slice(5))).toBeNull();
    await idx.close();
  });

  it('assigns sequential ISCC-IDs, accepts explicit ones, and refuses bad or duplicate ones', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(2);
    const idx = await open(h.location(), { realmId: 1 });
    const mk = (): string[] => [unit('DATA-NONE-V0', randomBytes(r, 8)), unit('INSTANCE-NONE-V0', randomBytes(r, 8))];
    const a = await idx.add({ units: [mk(), mk()] });
    expect(a).toEqual([encodeIsccId(0n, 1), encodeIsccId(1n, 1)]);
    const explicit = encodeIsccId(1000n, 1);
    expect(await idx.add({ isccIds: explicit, units: mk() })).toEqual([explicit]);
    expect(await idx.add({ units: mk() })).toEqual([encodeIsccId(1001n, 1)]);
    await expectCode(idx.add({ isccIds: explicit, units: mk() }), INDEX_ERROR_CODES.DUPLICATE_ID);
    const fresh = encodeIsccId(5000n, 1);
    await expectCode(idx.add({ isccIds: [fresh, fresh], units: [mk(), mk()] }), INDEX_ERROR_CODES.DUPLICATE_ID);
    await expectCode(idx.add({ isccIds: [fresh], units: [mk(), mk()] }), INDEX_ERROR_CODES.COUNT_MISMATCH);
    await expectCode(idx.add({ isccIds: encodeIsccId(7n, 0), units: mk() }), INDEX_ERROR_CODES.INVALID_ISCC_ID);
    await expectCode(idx.add({ isccIds: 'ISCC:NOTANID', units: mk() }), INDEX_ERROR_CODES.INVALID_ISCC_ID);
    await expectCode(idx.add({ isccIds: mk()[0]!, units: mk() }), INDEX_ERROR_CODES.INVALID_ISCC_ID);
    // Nothing of the refused batches was stored.
    expect(await idx.get(fresh)).toBeNull();
    expect((await idx.info()).size).toBe(4);
    await idx.close();
  });

  it('refuses invalid units with stable codes and keeps stored data intact', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(3);
    const idx = await open(h.location(), { maxDim: 128 });
    const good = unit('DATA-NONE-V0', randomBytes(r, 8));
    await idx.add({ units: [good] });
    await expectCode(idx.add({ units: ['ISCC:!!!!'] }), INDEX_ERROR_CODES.INVALID_CODE);
    await expectCode(idx.add({ units: ['NOT:GAA'] }), INDEX_ERROR_CODES.INVALID_CODE);
    await expectCode(idx.add({ units: [encodeIsccId(1n, 0)] }), INDEX_ERROR_CODES.UNSUPPORTED_UNIT_TYPE);
    await expectCode(idx.add({ units: [unit('DATA-NONE-V0', randomBytes(r, 32))] }), INDEX_ERROR_CODES.INVALID_LENGTH);
    await expectCode(idx.add({ units: [unit('DATA-NONE-V0', randomBytes(r, 8)), unit('DATA-NONE-V0', randomBytes(r, 8))] }), INDEX_ERROR_CODES.DUPLICATE_UNIT_TYPE);
    await expectCode(idx.add({ units: [[good], ['ISCC:GAA']] }), INDEX_ERROR_CODES.INVALID_CODE);
    // A big batch (checked while it is written) with one bad entry at the end writes nothing.
    const big = Array.from({ length: 1500 }, () => [unit('DATA-NONE-V0', randomBytes(r, 8))]);
    big.push(['ISCC:GAA']);
    const e = await idx.add({ units: big }).catch((x: unknown) => x);
    expect((e as IsccIndexError).code).toBe(INDEX_ERROR_CODES.INVALID_CODE);
    expect((e as IsccIndexError).message).toContain('units[1500]');
    await expectCode(idx.add({}), INDEX_ERROR_CODES.INVALID_ARGUMENT);
    await expectCode(idx.add({ units: [1, 2] as unknown as string[] }), INDEX_ERROR_CODES.INVALID_ARGUMENT);
    await expectCode(idx.search({ units: [good], count: 0 }), INDEX_ERROR_CODES.INVALID_ARGUMENT);
    expect((await idx.info()).size).toBe(1);
    await idx.close();
  });

  it('finds identical and near codes, ranks by distance, and reports instance matches', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(4);
    const idx = await open(h.location());
    const content = randomBytes(r, 32);
    const inst = randomBytes(r, 32);
    const ids = await idx.add({
      units: [
        [unit('CONTENT-TEXT-V0', content), unit('INSTANCE-NONE-V0', inst)],
        [unit('CONTENT-TEXT-V0', flipBits(r, content, 4))],
        [unit('CONTENT-TEXT-V0', flipBits(r, content, 20))],
        [unit('CONTENT-TEXT-V0', randomBytes(r, 32))],
        [unit('CONTENT-IMAGE-V0', content)],
      ],
    });
    const m = await idx.search({ units: [unit('CONTENT-TEXT-V0', content.slice(0, 8))] });
    expect(m).toBeInstanceOf(IsccMatches);
    expect(m.keys[0]).toBe(ids[0]);
    expect(m.distances[0]).toBe(0);
    // The random code is far beyond the default threshold; the other type never matches.
    expect(m.keys).not.toContain(ids[3]);
    expect(m.keys).not.toContain(ids[4]);
    expect([...m.distances]).toEqual([...m.distances].sort((a, b) => a - b));
    expect(m.unitMatches['CONTENT-TEXT-V0']!.keys[0]).toBe(ids[0]);
    // Instance prefix match: a 64-bit prefix of a stored 256-bit Instance-Code.
    const byInst = await idx.search({ units: [unit('INSTANCE-NONE-V0', inst.slice(0, 8))] });
    expect(byInst.instanceMatches).toEqual([ids[0]]);
    expect(byInst.keys).toEqual([ids[0]]);
    const noInst = await idx.search({ units: [unit('INSTANCE-NONE-V0', randomBytes(r, 8))] });
    expect(noInst.instanceMatches).toEqual([]);
    // count limits results; exact search agrees.
    const all = await idx.search({ units: [unit('CONTENT-TEXT-V0', content)], count: 2, exact: true });
    expect(all.keys).toEqual([ids[0], ids[1]]);
    await idx.close();
  });

  it('batch search returns IsccBatchMatches; approximate equals exact on 3000 entries', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(5);
    const idx = await open(h.location());
    const centres = Array.from({ length: 60 }, () => randomBytes(r, 8));
    const codes = Array.from({ length: 3000 }, (_, i) => flipBits(r, centres[i % 60]!, 1 + (i % 6)));
    await idx.add({ units: codes.map((c) => [unit('DATA-NONE-V0', c)]) });
    const queries = Array.from({ length: 40 }, (_, i) => [unit('DATA-NONE-V0', flipBits(r, codes[i * 7]!, 2))]);
    const approx = await idx.search({ units: queries, count: 10 });
    const exact = await idx.search({ units: queries, count: 10, exact: true });
    expect(approx).toBeInstanceOf(IsccBatchMatches);
    const b = approx as IsccBatchMatches;
    expect(b.length).toBe(40);
    expect(b.counts.every((c) => c === 10)).toBe(true);
    expect(b.meanRecall(exact as IsccBatchMatches, 10)).toBe(1);
    expect(b.keys).toEqual((exact as IsccBatchMatches).keys);
    expect(b.at(0)!.keys).toEqual(b.keys[0]);
    expect(b.unitMatches['DATA-NONE-V0']!.length).toBe(40);
    await idx.close();
  });

  it('removes entries and counts removed unit mappings', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(6);
    const idx = await open(h.location());
    const code = isccCode(randomBytes(r, 8), randomBytes(r, 8), randomBytes(r, 8), randomBytes(r, 8));
    const [id] = await idx.add({ isccCodes: code });
    const [id2] = await idx.add({ units: [unit('DATA-NONE-V0', randomBytes(r, 8))] });
    expect(await idx.remove(id!)).toBe(4);
    expect(await idx.get(id!)).toBeNull();
    expect((await idx.search({ isccCodes: code })).keys).toEqual([]);
    expect(await idx.remove([id!, id2!])).toBe(1);
    expect((await idx.info()).size).toBe(0);
    await idx.close();
  });

  it('indexes simprints and finds entries and chunks by them', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(7);
    const idx = await open(h.location());
    const sps = Array.from({ length: 5 }, () => randomBytes(r, 8));
    const b64 = (b: Uint8Array): string => Buffer.from(b).toString('base64url');
    const [a] = await idx.add({
      units: [unit('CONTENT-TEXT-V0', randomBytes(r, 8))],
      simprints: { CONTENT_TEXT_V0: sps.map((s, i) => ({ simprint: b64(s), offset: i * 100, size: 100 })) },
    });
    await idx.add({
      units: [unit('CONTENT-TEXT-V0', randomBytes(r, 8))],
      simprints: { CONTENT_TEXT_V0: [{ simprint: b64(randomBytes(r, 8)), offset: 0, size: 10 }] },
    });
    const m = (await idx.search({ simprints: { CONTENT_TEXT_V0: [{ simprint: b64(flipBits(r, sps[3]!, 2)) }] } })) as IsccMatches;
    expect(m.keys[0]).toBe(a);
    expect(m.chunkMatches[0]).toMatchObject({ iscc_id: a, type: 'CONTENT_TEXT_V0', query: 0, offset: 300, size: 100 });
    expect(m.chunkMatches[0]!.distance).toBeCloseTo(2 / 64);
    await expectCode(idx.add({ units: [unit('DATA-NONE-V0', randomBytes(r, 8))], simprints: { CONTENT_TEXT_V0: [{ simprint: 'AAAA' }] } }), INDEX_ERROR_CODES.INVALID_LENGTH);
    await idx.close();
  });

  it('persists across close and reopen, restores, views read-only, copies', async (ctx) => {
    if (skipIf()) return ctx.skip(pgSkip ?? 'PostgreSQL unavailable');
    const r = rng(8);
    const loc = h.location();
    const idx = await open(loc, { realmId: 1 });
    const units = Array.from({ length: 50 }, () => [unit('META-NONE-V0', randomBytes(r, 8)), unit('DATA-NONE-V0', randomBytes(r, 16))]);
    const ids = await idx.add({ units });
    await idx.save();
    const copy = await idx.copy();
    expect((await copy.info()).size).toBe(50);
    expect(await copy.get(ids[7]!)).toEqual(await idx.get(ids[7]!));
    await copy.close();
    await idx.close();
    await expectCode(idx.get(ids[0]!), INDEX_ERROR_CODES.CLOSED);
    if (!h.persistent) return;
    const again = await open(loc);
    expect(again.realmId).toBe(1);
    expect(again.size).toBe(50);
    expect((await again.get(ids[49]!))?.units).toEqual(units[49]);
    const next = await again.add({ units: [[unit('DATA-NONE-V0', randomBytes(r, 8))]] });
    expect(next).toEqual([encodeIsccId(50n, 1)]);
    // view(): read-only on the same object; load(): writable again, everything still there.
    await again.view();
    await expectCode(again.add({ units: units[0]! }), INDEX_ERROR_CODES.READ_ONLY);
    expect((await again.search({ units: units[9]! })).keys[0]).toBe(ids[9]);
    await again.load();
    expect((await again.info()).size).toBe(51);
    expect((await again.search({ units: units[9]! })).keys[0]).toBe(ids[9]);
    await again.close();
    await expectCode(open(loc, { realmId: 0 }), INDEX_ERROR_CODES.CONFIG_MISMATCH);
    const restored = await IsccIndex.restore(loc, { view: true });
    expect(restored).not.toBeNull();
    expect(restored!.size).toBe(51);
    expect((await restored!.search({ units: units[3]! })).keys[0]).toBe(ids[3]);
    await expectCode(restored!.add({ units: units[0]! }), INDEX_ERROR_CODES.READ_ONLY);
    await restored!.close();
  });
});
