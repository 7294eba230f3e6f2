/**
 * codeIsccBatch on copies of the sample images in a temporary tree (plus a corrupt JPEG and a
 * file of an unsupported type): walk order, results equal to codeIscc, error records, sidecars
 * and skipping on re-run, abort, and the worker pool (the worker is bundled with esbuild from
 * the TypeScript sources, since Node cannot start a .ts worker).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { bundleSourceEntry } from '../../../scripts/bundle-sources.mjs';
import { SAMPLES_DIR } from './_test-paths.ts';
import { codeIscc } from './index.ts';
import {
  codeIsccBatch, compareCodePoints, isBatchOutput, sidecarPath, walkBatchFiles, SIDECAR_BATCH_KEY,
  type BatchProgress, type BatchRecord,
} from './batch.ts';

const here = resolve(import.meta.dirname);
const tmp = mkdtempSync(join(tmpdir(), 'iscc-batch-'));
// The bundle lives below the repository's node_modules so that sharp etc. resolve from it.
const cache = join(here, '../../../node_modules/.cache/iscc-sdk-batch-test', String(process.pid));
let workerScript = '';

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

/** A fresh tree; returns its root. Walk order is given in EXPECTED_ORDER. */
function makeTree(name: string): string {
  const root = join(tmp, name);
  const img = (f: string) => join(SAMPLES_DIR, 'image', f);
  mkdirSync(join(root, 'a', 'sub'), { recursive: true });
  mkdirSync(join(root, 'b'), { recursive: true });
  copyFileSync(img('demo.bmp'), join(root, 'a', 'sub', 'demo.bmp'));
  copyFileSync(img('demo.gif'), join(root, 'b', 'demo.gif'));
  copyFileSync(img('demo.png'), join(root, 'b', 'demo.png'));
  copyFileSync(img('demo.jpg'), join(root, 'demo.jpg'));
  writeFileSync(join(root, 'corrupt.jpg'), readFileSync(img('demo.jpg')).subarray(0, 9000));
  writeFileSync(join(root, 'data.bin'), Uint8Array.from({ length: 56 }, (_, i) => (i * 37 + 11) & 255));
  writeFileSync(join(root, 'old.iscc.json'), '{}'); // a sidecar is never an input
  return root;
}
const EXPECTED_ORDER = ['a/sub/demo.bmp', 'b/demo.gif', 'b/demo.png', 'corrupt.jpg', 'data.bin', 'demo.jpg'];
const rel = (root: string, recs: BatchRecord[]) => recs.map((r) => relative(root, r.path));
const byName = (recs: BatchRecord[], suffix: string) => recs.find((r) => r.path.endsWith(suffix))!;

beforeAll(async () => {
  // Bundle the worker with the workspace sources (development condition); other packages
  // (sharp, file-type, ...) stay external and resolve from the repository's node_modules.
  mkdirSync(cache, { recursive: true });
  workerScript = join(cache, 'batch-worker.mjs');
  await bundleSourceEntry(join(here, 'batch-worker.ts'), workerScript);
});

describe('walk', () => {
  it('is bottom-up, subdirectories first, names in code point order, outputs and links skipped', () => {
    const root = makeTree('walk');
    symlinkSync(join(root, 'demo.jpg'), join(root, 'link.jpg'));
    symlinkSync(root, join(root, 'loop'));
    expect(walkBatchFiles(root).map((p) => relative(root, p))).toEqual(EXPECTED_ORDER);
  });
  it('sorts like Python (code points, not UTF-16 units)', () => {
    const names = ['\u{1F600}', '\uFF21', 'b', 'B', 'a'];
    expect([...names].sort(compareCodePoints)).toEqual(['B', 'a', 'b', '\uFF21', '\u{1F600}']);
    expect([...names].sort()).not.toEqual([...names].sort(compareCodePoints));
  });
  it('knows its outputs', () => {
    expect(isBatchOutput('x.jpg.iscc.json')).toBe(true);
    expect(isBatchOutput('x.mp4.iscc.mp7sig')).toBe(true);
    expect(isBatchOutput('x.json')).toBe(false);
  });
});

describe('codeIsccBatch in this thread', () => {
  it('codes every file as codeIscc does; a corrupt file gives an error record and the batch goes on', async () => {
    const root = makeTree('inproc');
    const progress: BatchProgress[] = [];
    const recs = await codeIsccBatch(root, { workers: 0, onProgress: (p) => progress.push(p) });
    expect(rel(root, recs)).toEqual(EXPECTED_ORDER);
    expect(recs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'error', 'ok', 'ok']);
    const bad = byName(recs, 'corrupt.jpg');
    expect(bad).toMatchObject({ status: 'error', error: { code: 'ISCC_SDK_DECODE' } });
    if (bad.status === 'error') expect(bad.error.message.length).toBeGreaterThan(0);
    const jpg = byName(recs, 'demo.jpg');
    expect(jpg.status === 'ok' && jpg.result).toEqual(await codeIscc(join(root, 'demo.jpg')));
    // The unsupported file gets the ISCC-SUM fallback with its media type.
    const bin = byName(recs, 'data.bin');
    expect(bin.status === 'ok' && bin.result.mediatype).toBe('application/octet-stream');
    expect(bin.status === 'ok' && bin.result.iscc).toMatch(/^ISCC:K[A-Z2-7]+$/);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(progress.every((p) => p.total === 6)).toBe(true);
    expect(existsSync(sidecarPath(join(root, 'demo.jpg')))).toBe(false);
  });
  it('passes sdk options on; fallback off makes the unsupported file an error record', async () => {
    const root = makeTree('opts');
    const recs = await codeIsccBatch([join(root, 'data.bin'), join(root, 'demo.jpg'), join(root, 'nope.png')], {
      workers: 0, fallback: false, bits: 256, create_thumb: false,
    });
    expect(recs.map((r) => r.status)).toEqual(['error', 'ok', 'error']);
    expect(recs[0]).toMatchObject({ error: { code: 'ISCC_SDK_UNSUPPORTED_MEDIATYPE' } });
    expect(recs[2]).toMatchObject({ error: { code: 'ISCC_SDK_IO' } });
    const jpg = recs[1]!;
    expect(jpg.status === 'ok' && jpg.result).toEqual(await codeIscc(join(root, 'demo.jpg'), null, null, null, { bits: 256, create_thumb: false }));
    expect(jpg.status === 'ok' && 'thumbnail' in jpg.result).toBe(false);
  });
  it('rejects unknown options and bad worker counts before doing anything', async () => {
    await expect(codeIsccBatch(tmp, { bitz: 3 } as never)).rejects.toMatchObject({ code: 'ISCC_SDK_INVALID_OPTION' });
    await expect(codeIsccBatch(tmp, { workers: -1 })).rejects.toMatchObject({ code: 'ISCC_SDK_INVALID_OPTION' });
  });
});

describe('sidecars', () => {
  it('writes <file>.iscc.json, skips current ones on re-run, redoes changed files and options', async () => {
    const root = makeTree('sidecars');
    const opts = { workers: 0, sidecars: true, create_thumb: false } as const;
    const first = await codeIsccBatch(root, opts);
    const jpgPath = join(root, 'demo.jpg');
    const doc = JSON.parse(readFileSync(sidecarPath(jpgPath), 'utf8'));
    const jpg1 = byName(first, 'demo.jpg');
    expect(jpg1).toMatchObject({ status: 'ok', sidecar: sidecarPath(jpgPath) });
    expect(doc.iscc).toBe(jpg1.status === 'ok' && jpg1.result.iscc);
    expect(doc[SIDECAR_BATCH_KEY].options_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(existsSync(sidecarPath(join(root, 'corrupt.jpg')))).toBe(false);

    // Re-run: everything current is skipped (with its stored result); the failure is retried.
    const second = await codeIsccBatch(root, opts);
    expect(second.map((r) => r.status)).toEqual(['skipped', 'skipped', 'skipped', 'error', 'skipped', 'skipped']);
    const jpg2 = byName(second, 'demo.jpg');
    expect(jpg2.status === 'skipped' && jpg2.result).toEqual(jpg1.status === 'ok' && jpg1.result);

    // A file newer than its sidecar, and a sidecar of other options, are coded again.
    const future = new Date(Date.now() + 60_000);
    utimesSync(jpgPath, future, future);
    const third = await codeIsccBatch(root, opts);
    expect(byName(third, 'demo.jpg').status).toBe('ok');
    expect(byName(third, 'demo.png').status).toBe('skipped');
    const fourth = await codeIsccBatch(root, { ...opts, bits: 128 });
    expect(fourth.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'error', 'ok', 'ok']);
    expect(await codeIsccBatch(root, { ...opts, bits: 128, force: true })).toSatisfy((r: BatchRecord[]) => r.every((x) => x.status !== 'skipped'));
    // No temporary files are left behind.
    expect(walkBatchFiles(root).map((p) => relative(root, p))).toEqual(EXPECTED_ORDER);
  });
  it('a damaged sidecar is ignored and replaced', async () => {
    const root = makeTree('damaged');
    const png = join(root, 'b', 'demo.png');
    writeFileSync(sidecarPath(png), '{"iscc": ');
    const recs = await codeIsccBatch([png], { workers: 0, sidecars: true, create_thumb: false });
    expect(recs[0]!.status).toBe('ok');
    expect(JSON.parse(readFileSync(sidecarPath(png), 'utf8')).iscc).toMatch(/^ISCC:/);
  });
});

describe('abort', () => {
  it('stops after the current file and rejects with the reason; no later sidecars', async () => {
    const root = makeTree('abort');
    const ac = new AbortController();
    const seen: string[] = [];
    const run = codeIsccBatch(root, {
      workers: 0, sidecars: true, signal: ac.signal,
      onProgress: (p) => {
        seen.push(p.path);
        if (p.done === 2) ac.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(seen).toHaveLength(2);
    expect(existsSync(sidecarPath(join(root, 'demo.jpg')))).toBe(false);
  });
  it('an already aborted signal rejects at once', async () => {
    await expect(codeIsccBatch(tmp, { workers: 0, signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('worker pool', () => {
  it('gives the same records as coding in this thread, in walk order', async () => {
    const root = makeTree('pool');
    const local = await codeIsccBatch(root, { workers: 0, create_thumb: false });
    const progress: number[] = [];
    // Only the workers code here (no help from this thread while they start).
    const pooled = await codeIsccBatch(root, { workers: 2, workerScript, create_thumb: false, mainThread: false, onProgress: (p) => progress.push(p.done) });
    expect(pooled).toEqual(local);
    expect(progress).toEqual([1, 2, 3, 4, 5, 6]);
  });
  it('a worker script that cannot start leaves the files to this thread', async () => {
    const root = makeTree('pool-nostart');
    const broken = join(cache, 'broken-worker.mjs');
    writeFileSync(broken, `throw new Error('cannot start');\n`);
    const recs = await codeIsccBatch(root, { workers: 2, workerScript: broken, create_thumb: false, mainThread: false });
    expect(recs.map((r) => r.status)).toEqual(['ok', 'ok', 'ok', 'error', 'ok', 'ok']);
  });
  it('writes and honours sidecars from workers too', async () => {
    const root = makeTree('pool-sidecars');
    await codeIsccBatch(root, { workers: 2, workerScript, sidecars: true, create_thumb: false });
    const again = await codeIsccBatch(root, { workers: 2, workerScript, sidecars: true, create_thumb: false });
    expect(again.filter((r) => r.status === 'skipped')).toHaveLength(5);
  });
  it('abort terminates the workers and rejects', async () => {
    const root = makeTree('pool-abort');
    const ac = new AbortController();
    const run = codeIsccBatch(root, { workers: 2, workerScript, signal: ac.signal, onProgress: () => ac.abort(new Error('stop')) });
    await expect(run).rejects.toThrow('stop');
  });
  it('a worker that dies fails only its file and is replaced', async () => {
    const root = makeTree('pool-crash');
    // A worker that exits when it is asked for a .gif and codes everything else normally: the
    // real worker's listener is registered first (static import), this one exits at once.
    const crashing = join(cache, 'crashing-worker.mjs');
    writeFileSync(
      crashing,
      `import ${JSON.stringify(workerScript)};\n` +
        `import { parentPort } from 'node:worker_threads';\n` +
        `parentPort.on('message', (job) => { if (job.path.endsWith('.gif')) process.exit(7); });\n`,
    );
    const recs = await codeIsccBatch(root, { workers: 2, workerScript: crashing, create_thumb: false, mainThread: false });
    expect(recs.map((r) => r.status)).toEqual(['ok', 'error', 'ok', 'error', 'ok', 'ok']);
    expect(byName(recs, 'demo.gif')).toMatchObject({ error: { code: 'ISCC_SDK_INTERNAL' } });
    expect(byName(recs, 'corrupt.jpg')).toMatchObject({ error: { code: 'ISCC_SDK_DECODE' } });
  });
});
