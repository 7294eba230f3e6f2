/**
 * LMDB-specific guarantees of the embedded backend: acknowledged adds survive kill -9 of the
 * writing process, the directory lock keeps a second writer out (and stale locks of dead
 * processes are taken over), and other on-disk format versions are refused with a clear error.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { open as openLmdb } from 'lmdb';
import { IsccIndex } from './iscc-index.ts';
import { INDEX_ERROR_CODES, IsccIndexError } from './errors.ts';
import { encodeIsccId, encodeUnit } from './codec.ts';

const here = resolve(import.meta.dirname);
const root = mkdtempSync(join(tmpdir(), 'iscc-index-local-'));
// Bundles go below the repository's node_modules so that `lmdb` resolves from them.
const cache = join(here, '../../../node_modules/.cache/iscc-index-test', String(process.pid));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

/** Bundle a child script (TypeScript source) that imports ./iscc-index.ts; returns its path. */
async function bundle(name: string, source: string): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const entry = join(here, `.${name}-${process.pid}.ts`);
  writeFileSync(entry, source);
  const out = join(cache, `${name}.mjs`);
  try {
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: out, external: ['lmdb', 'pg'], logLevel: 'silent' });
  } finally {
    rmSync(entry, { force: true });
  }
  return out;
}

const CHILD = `
import { IsccIndex } from './iscc-index.ts';
import { encodeUnit } from './codec.ts';
const dir = process.argv[2];
const idx = await IsccIndex.open(dir);
process.stdout.write('READY\\n');
const BATCH = 400;
for (let b = 0; ; b++) {
  const units = [];
  for (let i = 0; i < BATCH; i++) {
    const n = b * BATCH + i;
    const body = new Uint8Array(8);
    new DataView(body.buffer).setUint32(4, n);
    units.push([encodeUnit({ typeId: 0x300, bits: 64, body })]);
  }
  await idx.add({ units });
  process.stdout.write('ACK ' + b + '\\n');
}
`;

const HOLD = `
import { IsccIndex } from './iscc-index.ts';
const idx = await IsccIndex.open(process.argv[2]);
process.stdout.write('READY\\n');
setInterval(() => idx.size, 1000);
`;

function startChild(script: string, dir: string, onLine: (line: string) => void): ReturnType<typeof spawn> {
  const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buf = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  return child;
}

async function expectCode(p: Promise<unknown>, code: string): Promise<IsccIndexError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(IsccIndexError);
  expect((e as IsccIndexError).code).toBe(code);
  return e as IsccIndexError;
}

describe('LMDB backend', () => {
  it('keeps every acknowledged entry after kill -9 mid-batch; batches are all-or-nothing', async () => {
    const script = await bundle('kill9', CHILD);
    const dir = join(root, 'kill9');
    let acked = -1;
    await new Promise<void>((done, fail) => {
      const child = startChild(script, dir, (line) => {
        if (line.startsWith('ACK ')) {
          acked = Number(line.slice(4));
          // Kill after a few batches, at a random point of the next one.
          if (acked === 5) setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 5));
        }
      });
      child.on('exit', (_code, signal) => (signal === 'SIGKILL' ? done() : fail(new Error(`child exited without kill: ${signal}`))));
      setTimeout(() => fail(new Error('child did not acknowledge in time')), 30_000);
    });
    expect(acked).toBeGreaterThanOrEqual(5);
    // The dead child's lock is stale and taken over.
    const idx = await IsccIndex.open(dir);
    const size = idx.size;
    expect(size % 400).toBe(0); // whole batches only
    expect(size).toBeGreaterThanOrEqual((acked + 1) * 400);
    const ids = Array.from({ length: (acked + 1) * 400 }, (_, i) => encodeIsccId(BigInt(i), 0));
    const got = await idx.get(ids);
    expect(got.every((e) => e !== null)).toBe(true);
    // Entry n holds the unit made from n: check a sample, and that search works on the reopened index.
    const m = await idx.search({ units: [got[123]!.units[0]!] });
    expect(m.keys[0]).toBe(ids[123]);
    expect(m.distances[0]).toBe(0);
    // The next auto ID continues after everything stored.
    const fresh = new Uint8Array(8).fill(0xee);
    expect(await idx.add({ units: [encodeUnit({ typeId: 0x300, bits: 64, body: fresh })] })).toEqual([encodeIsccId(BigInt(size), 0)]);
    await idx.close();
  }, 60_000);

  it('refuses a second writer on the same directory (other process and same process)', async () => {
    const script = await bundle('hold', HOLD);
    const dir = join(root, 'locked');
    const first = await IsccIndex.open(dir);
    await first.close();
    const child = startChild(script, dir, () => undefined);
    try {
      await new Promise<void>((done) => child.stdout!.once('data', () => done()));
      const e = await expectCode(IsccIndex.open(dir), INDEX_ERROR_CODES.LOCKED);
      expect(e.message).toContain(String(child.pid));
      // A read-only view needs no lock.
      const view = await IsccIndex.open(dir, { readOnly: true });
      expect(view.size).toBe(0);
      await view.close();
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
    const a = await IsccIndex.open(dir);
    await expectCode(IsccIndex.open(dir), INDEX_ERROR_CODES.LOCKED);
    await a.close();
    const b = await IsccIndex.open(dir);
    await b.close();
  }, 60_000);

  it('refuses another on-disk format version with a clear error', async () => {
    const dir = join(root, 'format');
    const idx = await IsccIndex.open(dir);
    await idx.close();
    const env = openLmdb({ path: join(dir, 'index.lmdb'), maxDbs: 4 });
    await env.openDB({ name: 'meta' }).put('format', 99);
    await env.close();
    const e = await expectCode(IsccIndex.open(dir), INDEX_ERROR_CODES.FORMAT_VERSION);
    expect(e.message).toMatch(/format version 99.*reads version 1/);
    // The failed open released its lock.
    await expectCode(IsccIndex.open(dir), INDEX_ERROR_CODES.FORMAT_VERSION);
  });

  it('restore returns null where there is no index', async () => {
    expect(await IsccIndex.restore(join(root, 'nothing-here'))).toBeNull();
  });
});
