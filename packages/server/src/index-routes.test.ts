/**
 * The /index routes over the app's fetch handler and over a real socket: the spec's routes and
 * envelope, API keys on write routes, limits (413) and hostile input (4xx with stable codes,
 * stored data intact).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { serve } from '@hono/node-server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsccIndex } from '@iscc-ts/index';
import { createApp, configFromEnv } from './app.ts';
import { MAX_BATCH, MAX_BODY_BYTES } from './index-routes.ts';

const dir = mkdtempSync(join(tmpdir(), 'iscc-server-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Units built from fixed bytes: DATA-NONE-V0 (header 0x30 0x01) and INSTANCE-NONE-V0 (0x40 0x01).
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function b32(bytes: number[]): string {
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += B32[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}
const data = (n: number): string => 'ISCC:' + b32([0x30, 0x01, 1, 2, 3, 4, 5, 6, 7, n]);
const inst = (n: number): string => 'ISCC:' + b32([0x40, 0x01, 9, 9, 9, 9, 9, 9, 9, n]);

type Json = { status: string; data: any; error: { code: string; message: string } | null };

describe('/index routes', () => {
  let app: ReturnType<typeof createApp>;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<[number, Json]> => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
    if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
    const res = await app.app.request(path, init);
    return [res.status, (await res.json()) as Json];
  };

  beforeAll(() => {
    app = createApp({ ...configFromEnv({}), dataDir: dir, apiKeys: ['s3cret'] });
  });
  afterAll(async () => app.close());
  const auth = { 'x-api-key': 's3cret' };

  it('adds, gets, searches, removes, reports info and saves in the spec envelope', async () => {
    let [s, j] = await call('POST', '/index/add', { units: [[data(1), inst(1)], [data(2)]] }, auth);
    expect(s).toBe(200);
    expect(j.status).toBe('success');
    expect(j.error).toBeNull();
    const ids = j.data.iscc_ids as string[];
    expect(ids).toHaveLength(2);
    [s, j] = await call('GET', `/index/get/${ids[0]}`);
    expect(s).toBe(200);
    expect(j.data).toMatchObject({ iscc_id: ids[0], units: [data(1), inst(1)] });
    expect(j.data.iscc_code).toMatch(/^ISCC:K/); // composed from the units (Data + Instance)
    [s, j] = await call('POST', '/index/get', { iscc_ids: [ids[1], ids[0]] });
    expect(j.data.map((e: { iscc_id: string }) => e.iscc_id)).toEqual([ids[1], ids[0]]);
    [s, j] = await call('POST', '/index/search', { units: [data(1), inst(1)], count: 5 });
    expect(s).toBe(200);
    expect(j.data.keys[0]).toBe(ids[0]);
    expect(j.data.instance_matches).toEqual([ids[0]]);
    expect(j.data.unit_matches['DATA-NONE-V0'].keys).toContain(ids[1]);
    [s, j] = await call('GET', '/index/info');
    expect(j.data).toMatchObject({ size: 2, backend: 'lmdb', unit_types: ['DATA-NONE-V0', 'INSTANCE-NONE-V0'] });
    [s, j] = await call('POST', '/index/save', undefined, auth);
    expect(j.data).toEqual({ saved: true });
    [s, j] = await call('DELETE', `/index/remove/${ids[1]}`, undefined, auth);
    expect(j.data).toEqual({ removed: 1 });
    [s, j] = await call('GET', `/index/get/${ids[1]}`);
    expect(s).toBe(404);
    expect(j.error!.code).toBe('INDEX_NOT_FOUND');
    [s, j] = await call('POST', '/index/remove', { iscc_ids: [ids[0]] }, auth);
    expect(j.data).toEqual({ removed: 2 });
  });

  it('requires the API key on write routes only', async () => {
    for (const [m, p, b] of [
      ['POST', '/index/add', { units: [data(3)] }],
      ['POST', '/index/remove', { iscc_ids: [] }],
      ['DELETE', '/index/remove/x', undefined],
      ['POST', '/index/save', undefined],
    ] as const) {
      const [s, j] = await call(m, p, b, { 'x-api-key': 'wrong' });
      expect(s, p).toBe(401);
      expect(j.error!.code).toBe('INDEX_UNAUTHORIZED');
    }
    expect((await call('POST', '/index/add', { units: [data(3)] }, { authorization: 'Bearer s3cret' }))[0]).toBe(200);
    expect((await call('GET', '/index/info'))[0]).toBe(200);
  });

  it('answers bad and hostile input with 4xx and stable codes, leaving data intact', async () => {
    const before = (await call('GET', '/index/info'))[1].data.size;
    const cases: [unknown, number, string][] = [
      ['{not json', 400, 'INDEX_INVALID_JSON'],
      ['[1,2]', 400, 'INDEX_INVALID_JSON'],
      [{ units: [['ISCC:!!!']] }, 422, 'INDEX_INVALID_CODE'],
      [{ units: [[data(4), data(5)]] }, 422, 'INDEX_DUPLICATE_UNIT_TYPE'],
      [{ units: [['ISCC:MAIAAAAAAAAAAAAA']] }, 422, 'INDEX_UNSUPPORTED_UNIT_TYPE'],
      [{ iscc_ids: ['nope'], units: [[data(6)]] }, 422, 'INDEX_INVALID_ISCC_ID'],
      [{ unitz: [] }, 422, 'INDEX_INVALID_ARGUMENT'],
      ['{"__proto__": {"units": []}, "units": 5}', 422, 'INDEX_INVALID_ARGUMENT'],
      ['{"constructor": {"prototype": {}}}', 422, 'INDEX_INVALID_ARGUMENT'],
      [{ units: [['ISCC:' + 'A'.repeat(300)]] }, 413, 'INDEX_LIMIT_EXCEEDED'],
      [{ units: Array.from({ length: MAX_BATCH + 1 }, () => [data(7)]) }, 413, 'INDEX_LIMIT_EXCEEDED'],
    ];
    for (const [body, status, code] of cases) {
      const [s, j] = await call('POST', '/index/add', body, auth);
      expect(s, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(j.status).toBe('error');
      expect(j.data).toBeNull();
      expect(j.error!.code).toBe(code);
    }
    const [s, j] = await call('POST', '/index/search', { units: [data(1)], count: 100_000 });
    expect(s).toBe(413);
    expect(j.error!.code).toBe('INDEX_LIMIT_EXCEEDED');
    expect((await call('GET', '/index/info'))[1].data.size).toBe(before);
  });

  it('rejects oversized bodies over a real socket, and serves search there', async () => {
    const server = serve({ fetch: app.app.fetch, hostname: '127.0.0.1', port: 0 });
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as { port: number };
    const base = `http://127.0.0.1:${port}`;
    try {
      const big = await fetch(`${base}/index/add`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 's3cret' },
        body: '"' + 'x'.repeat(MAX_BODY_BYTES + 10) + '"',
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as Json).error!.code).toBe('INDEX_LIMIT_EXCEEDED');
      const res = await fetch(`${base}/index/search`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ units: [data(3)] }) });
      expect(res.status).toBe(200);
      expect(((await res.json()) as Json).data.keys).toHaveLength(1);
      const h = await fetch(`${base}/health`);
      expect(await h.json()).toMatchObject({ status: 'ok' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('createApp with an injected index', () => {
  it('uses the given index and needs no key when none is configured', async () => {
    const idx = await IsccIndex.open('memory://');
    const { app } = createApp({ ...configFromEnv({}), dataDir: dir }, { index: idx });
    const res = await app.request('/index/add', { method: 'POST', body: JSON.stringify({ units: [data(9)] }) });
    expect(res.status).toBe(200);
    expect(idx.size).toBe(1);
    await idx.close();
  });
});
