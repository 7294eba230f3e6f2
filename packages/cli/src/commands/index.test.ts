/**
 * `iscc index`: documented examples run in order on a new index (ISCC_DATA_DIR = a temp dir);
 * add from arguments, sidecars and JSON lines; get/search/remove/info/save with --json; exit
 * codes (1 not found, 2 invalid input, locked or bad usage); the index persists across calls.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsccIndex } from '@iscc-ts/index';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec, { indexPath } from './index.ts';
import { startPg, type PgCluster } from '../../../index/src/test-utils.ts';

const CODE_A = 'ISCC:KACWN77F73NA44D6EUG3S3QNJIL2BPPQFMW6ZX6CZNOKPAK23S2IJ2I';
const CODE_B = 'ISCC:KAC36KWRJXNA44D6IJ27ODRTEWP5WJ62JNAMS6M2TVSYRPLQED35XMY';
const UNITS_A = [
  'ISCC:AADWN77F73NA44D6X3N4VEUAPOW5HJKGK5JKLNGLNFPOESXWYDVDVUQ',
  'ISCC:EADSKDNZNYGUUF5AMFEJLZ5P66CP5YKCOA3X7F36RWE4CIRCBTUWXYY',
  'ISCC:GAD334BLFXWN7QWLCSBGJMLRZW73FFNV7ORVUKN23UWPKGQCWTIHQKY',
];

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'iscc-cli-index-'));
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const dir = (name: string) => join(tmp, name);
const idx = (args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) => runCli(['index', ...args], opts);

describe('iscc index: documented examples, in order, on a new index', () => {
  const env = (): NodeJS.ProcessEnv => ({ ISCC_DATA_DIR: dir('examples') });
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command), { env: env() });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      if (ex.command.includes('index add')) expect(r.stdout.trim()).toBe('ISCC:MAIAAAAAAAAAAAAA');
      if (ex.command.includes('index search')) expect(JSON.parse(r.stdout).keys).toEqual(['ISCC:MAIAAAAAAAAAAAAA']);
    });
  }
  it('wrote under $ISCC_DATA_DIR/index only', () => {
    expect(existsSync(join(dir('examples'), 'index', 'index.lmdb'))).toBe(true);
  });
});

describe('iscc index', () => {
  it('finds the index by --path, $ISCC_INDEX_URL, $ISCC_DATA_DIR, ./iscc-data', () => {
    expect(indexPath('/x', { ISCC_INDEX_URL: 'postgres://h/db' })).toBe('/x');
    expect(indexPath(undefined, { ISCC_INDEX_URL: 'postgres://h/db', ISCC_DATA_DIR: '/d' })).toBe('postgres://h/db');
    expect(indexPath(undefined, { ISCC_DATA_DIR: '/d' })).toBe('/d/index');
    expect(indexPath(undefined, {})).toBe(join(process.cwd(), 'iscc-data', 'index'));
  });

  it('adds from arguments, sidecars and JSON lines; get, search, remove, info with --json', async () => {
    const p = dir('one');
    const sidecar = join(tmp, 'demo.iscc.json');
    writeFileSync(sidecar, JSON.stringify({ iscc: CODE_B, name: 'demo' }));
    const a = await idx(['add', '--json', '--path', p, CODE_A, sidecar]);
    expect(a.code, a.stderr).toBe(0);
    const added = JSON.parse(a.stdout) as { iscc_id: string; iscc_code: string }[];
    expect(added.map((x) => x.iscc_code)).toEqual([CODE_A, CODE_B]);
    expect(added[0]!.iscc_id).toBe('ISCC:MAIAAAAAAAAAAAAA'); // key 0 of a new index
    const ids = (JSON.parse(a.stdout) as { iscc_id: string }[]).map((x) => x.iscc_id);
    expect(new Set(ids).size).toBe(2);
    // JSON lines on stdin: objects with units, bare ISCCs, comments; and an explicit ISCC-ID.
    const lines = ['# entries', JSON.stringify({ units: UNITS_A }), '', CODE_B, JSON.stringify(CODE_A)].join('\n');
    const s = await idx(['add', '--path', p], { input: lines });
    expect(s.code, s.stderr).toBe(0);
    const stdinIds = s.stdout.trim().split('\n');
    expect(stdinIds).toHaveLength(3);
    const g = await idx(['get', '--json', '--path', p, ...ids, ...stdinIds]);
    expect(g.code).toBe(0);
    const got = JSON.parse(g.stdout) as { iscc_id: string; iscc_code: string | null; units: string[] }[];
    expect(got.map((e) => e.iscc_code)).toEqual([CODE_A, CODE_B, got[2]!.iscc_code, CODE_B, CODE_A]);
    for (const u of UNITS_A) expect(got[2]!.units).toContain(u);
    // Search: the exact code first at distance 0.
    const q = await idx(['search', '--json', '--path', p, CODE_A]);
    expect(q.code).toBe(0);
    const m = JSON.parse(q.stdout);
    expect(m.query).toBe(CODE_A);
    expect(m.keys).toContain(ids[0]);
    expect(m.distances[0]).toBe(0);
    const text = await idx(['search', '--path', p, CODE_A, CODE_B]);
    expect(text.stdout).toContain(CODE_B);
    // Info and remove.
    const i = JSON.parse((await idx(['info', '--json', '--path', p])).stdout);
    expect(i).toMatchObject({ size: 5, realm_id: 0, read_only: true });
    expect(i.unit_types).toContain('META-NONE-V0');
    const r = await idx(['remove', '--json', '--path', p, ids[0]!]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).removed).toBe(1);
    expect((await idx(['remove', '--path', p, ids[0]!])).code).toBe(1);
    const missing = await idx(['get', '--path', p, ids[0]!, ids[1]!]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(ids[1]);
    expect(missing.stderr).toContain(ids[0]);
    expect(JSON.parse((await idx(['save', '--json', '--path', p])).stdout)).toEqual({ saved: true, size: 4 });
  });

  it('--id gives ISCC-IDs; duplicates, bad codes and mismatches are exit 2 and store nothing', async () => {
    const p = dir('ids');
    const a = await idx(['add', '--path', p, '--id', 'ISCC:MAIAAAAAAAAAAAAK', CODE_A]);
    expect(a.code, a.stderr).toBe(0);
    expect(a.stdout.trim()).toBe('ISCC:MAIAAAAAAAAAAAAK');
    const dup = await idx(['add', '--path', p, '--id', 'ISCC:MAIAAAAAAAAAAAAK', CODE_B]);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toMatch(/INDEX_DUPLICATE_ID/);
    for (const junk of ['ISCC:NOTACODE', 'ISCC:AAA', 'hello']) {
      const bad = await idx(['add', '--path', p, CODE_B, junk]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/\[INDEX_[A-Z_]+\]/);
    }
    expect((await idx(['add', '--path', p, '--id', 'ISCC:MAIAAAAAAAAAAAAK', CODE_A, CODE_B])).code).toBe(2);
    expect((await idx(['add', '--path', p], { input: `${JSON.stringify({ iscc_id: 'ISCC:MAIAAAAAAAAAAAAC', iscc_code: CODE_A })}\n${CODE_B}\n` })).code).toBe(2);
    expect((await idx(['add', '--path', p], { input: '{"name": 1}\n' })).code).toBe(2);
    expect((await idx(['add', '--path', p], { input: '{broken\n' })).code).toBe(2);
    expect(JSON.parse((await idx(['info', '--json', '--path', p])).stdout).size).toBe(1);
  });

  it('usage, empty input, a missing index, and a locked index', async () => {
    expect((await idx([])).code).toBe(2);
    expect((await idx(['frob'])).code).toBe(2);
    expect((await idx(['add', '--path', dir('empty')])).code).toBe(2); // nothing to add
    expect((await idx(['search', '--path', dir('empty'), '--count', '0', CODE_A])).code).toBe(2);
    // No index there yet: get/search find nothing (exit 1), info says 0 entries.
    expect((await idx(['search', '--path', dir('none'), CODE_A])).code).toBe(1);
    expect((await idx(['get', '--path', dir('none'), 'ISCC:MAIAAAAAAAAAAAAA'])).code).toBe(1);
    expect(existsSync(dir('none'))).toBe(false);
    // Another writer holds the index: a write is refused (exit 2), reads still work.
    const p = dir('locked');
    expect((await idx(['add', '--path', p, CODE_A])).code).toBe(0);
    const holder = await IsccIndex.open(p);
    try {
      const r = await idx(['add', '--path', p, CODE_B]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/INDEX_LOCKED/);
      expect((await idx(['get', '--path', p, 'ISCC:MAIAAAAAAAAAAAAA'])).code).toBe(0);
    } finally {
      await holder.close();
    }
  });
});

describe('iscc index on PostgreSQL (ISCC_INDEX_URL)', () => {
  let pg: PgCluster | null = null;
  let skip = '';
  beforeAll(async () => {
    const got = await startPg();
    if ('skip' in got) {
      skip = got.skip;
      console.warn(`[cli index postgres] skipped: ${skip}`);
    } else pg = got;
  }, 60_000);
  afterAll(() => pg?.stop());

  it('add, get, search, info and remove through ISCC_INDEX_URL', async (t) => {
    if (!pg) return t.skip(skip);
    const u = new URL(pg.url);
    u.searchParams.set('iscc_table', `cli_${process.pid}`);
    const env = { ISCC_INDEX_URL: u.toString(), ISCC_DATA_DIR: dir('unused') };
    const a = await idx(['add', CODE_A, CODE_B], { env });
    expect(a.code, a.stderr).toBe(0);
    const [id] = a.stdout.trim().split('\n');
    expect(JSON.parse((await idx(['get', '--json', id!], { env })).stdout).iscc_code).toBe(CODE_A);
    expect(JSON.parse((await idx(['search', '--json', CODE_A], { env })).stdout).keys[0]).toBe(id);
    const info = JSON.parse((await idx(['info', '--json'], { env })).stdout);
    expect(info).toMatchObject({ size: 2, backend: expect.stringMatching(/postgres/i) });
        expect((await idx(['remove', id!], { env })).code).toBe(0);
    expect((await idx(['get', id!], { env })).code).toBe(1);
    expect(existsSync(dir('unused'))).toBe(false);
  });
});
