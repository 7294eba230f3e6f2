/**
 * `/api/v1` and the service around it, on a real server (127.0.0.1, a free port): uploads of
 * sample files (raw and multipart) give what the sdk gives for the same file; the temp files
 * are gone afterwards; problem+json errors with stable codes; API keys on upload routes; 413
 * for oversized uploads (declared and streamed); 429 with Retry-After; CORS; request logs;
 * /docs is self-contained; /health; the web page.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, mkdirSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { codeIscc, extractMetadata } from '@iscc-ts/sdk';
import { startServer, type RunningServer } from './lifecycle.ts';
import { configFromEnv } from './app.ts';
import type { ServiceSettings } from './service.ts';

const SAMPLES = process.env.ISCC_SAMPLES_DIR ?? '/work/shared/samples';
const IMAGE = join(SAMPLES, 'image', 'demo.jpg');
const TEXT = join(SAMPLES, 'text', 'demo.txt');
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Started {
  srv: RunningServer;
  base: string;
  logs: Record<string, unknown>[];
  dir: string;
  uploads: string;
}

async function start(service: ServiceSettings = {}, apiKeys: string[] = []): Promise<Started> {
  const dir = mkdtempSync(join(tmpdir(), 'iscc-server-test-'));
  const uploads = join(dir, 'tmp');
  mkdirSync(uploads);
  const logs: Record<string, unknown>[] = [];
  const config = { ...configFromEnv({}), host: '127.0.0.1', port: 0, dataDir: join(dir, 'data'), apiKeys };
  config.service = { ...config.service, tmpDir: uploads, log: (r) => logs.push(r), webDir: join(dir, 'web'), ...service };
  const srv = await startServer(config, { say: () => undefined });
  return { srv, base: srv.url, logs, dir, uploads };
}

async function stop(s: Started): Promise<void> {
  await s.srv.close();
  rmSync(s.dir, { recursive: true, force: true });
}

function multipart(fields: Record<string, string>, file: { name: string; data: Uint8Array; field?: string }): { body: Buffer; type: string } {
  const boundary = '----iscc-test-' + Math.random().toString(36).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`));
  parts.push(Buffer.from(file.data), Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), type: `multipart/form-data; boundary=${boundary}` };
}

describe('/api/v1 on a real server', () => {
  let s: Started;
  beforeAll(async () => {
    s = await start({ rateLimitPerS: 0 });
  });
  afterAll(async () => stop(s));

  it('generates the ISCC of a raw image upload, as the sdk does, and removes the temp file', async () => {
    const expected = await codeIscc(IMAGE);
    const res = await fetch(`${s.base}/api/v1/iscc`, { method: 'POST', body: readFileSync(IMAGE), headers: { 'content-disposition': 'attachment; filename="demo.jpg"' } });
    expect(res.status).toBe(200);
    const j = (await res.json()) as Json;
    expect(j.iscc).toBe(expected.iscc);
    expect(j.datahash).toBe(expected.datahash);
    expect(j.filename).toBe('demo.jpg');
    expect(j.mode).toBe('image');
    expect(readdirSync(s.uploads)).toEqual([]);
  });

  it('generates from a multipart text upload with sdk options as query parameters and a name field', async () => {
    const opts = { bits: 128, add_units: true } as const;
    // The sdk's answer for the same file: a result, or an SdkError whose code the server must carry.
    const expected = await codeIscc(TEXT, 'My title', null, null, opts).catch((e: { code: string }) => ({ error: e.code }));
    const { body, type } = multipart({ name: 'My title' }, { name: 'demo.txt', data: readFileSync(TEXT) });
    const res = await fetch(`${s.base}/api/v1/iscc?bits=128&add_units=true`, { method: 'POST', body, headers: { 'content-type': type } });
    const j = (await res.json()) as Json;
    if ('error' in expected) {
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(j.code).toBe(expected.error);
    } else {
      expect(res.status).toBe(200);
      expect(j.iscc).toBe(expected.iscc);
      expect(j.units).toEqual(expected.units);
      expect(j.name).toBe('My title');
      expect(j.filename).toBe('demo.txt');
    }
    expect(readdirSync(s.uploads)).toEqual([]);
  });

  it('names a raw upload from X-Filename or ?filename=', async () => {
    const a = (await (await fetch(`${s.base}/api/v1/iscc?create_thumb=false`, { method: 'POST', body: readFileSync(IMAGE), headers: { 'x-filename': encodeURIComponent('my photo.jpg') } })).json()) as Json;
    expect(a.filename).toBe('my photo.jpg');
    expect(a.thumbnail).toBeUndefined();
    const b = (await (await fetch(`${s.base}/api/v1/iscc?filename=../../etc/x.jpg&create_thumb=false`, { method: 'POST', body: readFileSync(IMAGE) })).json()) as Json;
    expect(b.filename).toBe('x.jpg');
  });

  it('answers problem+json with stable codes for bad options, bad codes and unknown routes', async () => {
    const bad = await fetch(`${s.base}/api/v1/iscc?bits=lots`, { method: 'POST', body: 'hello' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toBe('application/problem+json');
    expect(((await bad.json()) as Json).code).toBe('SERVER_INVALID_PARAMETER');
    const sdkBad = await fetch(`${s.base}/api/v1/iscc?image_thumbnail_format=GIF`, { method: 'POST', body: 'hello', headers: { 'x-filename': 'a.txt' } });
    expect(sdkBad.status).toBe(400);
    expect(((await sdkBad.json()) as Json).code).toBe('ISCC_SDK_INVALID_OPTION');
    const code = await fetch(`${s.base}/api/v1/explain?iscc=ISCC:NOTACODE`);
    expect(code.status).toBe(422);
    const p = (await code.json()) as Json;
    expect(p).toMatchObject({ type: 'about:blank', status: 422, title: 'Unprocessable Content' });
    expect(p.code).toMatch(/^ISCC_[A-Z_]+$/);
    expect(p.detail.length).toBeGreaterThan(5);
    const none = await fetch(`${s.base}/api/v1/nothing`);
    expect(none.status).toBe(404);
    expect(((await none.json()) as Json).code).toBe('SERVER_NOT_FOUND');
    const missing = await fetch(`${s.base}/api/v1/explain`);
    expect(missing.status).toBe(400);
    const badJson = await fetch(`${s.base}/api/v1/explain`, { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } });
    expect(((await badJson.json()) as Json).code).toBe('SERVER_BAD_REQUEST');
    const noFile = multipart({ name: 'x' }, { name: 'a.txt', data: new Uint8Array(0) });
    const noFileBody = noFile.body.toString('latin1').replace(/; filename="a.txt"/, '');
    const nf = await fetch(`${s.base}/api/v1/iscc`, { method: 'POST', body: Buffer.from(noFileBody, 'latin1'), headers: { 'content-type': noFile.type } });
    expect(nf.status).toBe(400);
    expect(((await nf.json()) as Json).detail).toContain('without a file part');
    expect(readdirSync(s.uploads)).toEqual([]);
  });

  it('explains, decomposes, compares and validates codes by GET and POST', async () => {
    const code = 'ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY';
    const ex = (await (await fetch(`${s.base}/api/v1/explain?iscc=${encodeURIComponent(code)}`)).json()) as Json;
    expect(ex.type_id).toBe('ISCC-TEXT-V0-MCDI');
    expect(ex.units.map((u: Json) => u.type_id)).toEqual(['META-NONE-V0-64', 'CONTENT-TEXT-V0-64', 'DATA-NONE-V0-64', 'INSTANCE-NONE-V0-64']);
    expect(ex.units[0]).toMatchObject({ iscc: 'ISCC:AAAYPXW445FTYNJ3', hash_hex: '87dedce74b3c353b', bits: 64 });
    const post = (await (await fetch(`${s.base}/api/v1/explain`, { method: 'POST', body: JSON.stringify({ iscc: code }), headers: { 'content-type': 'application/json' } })).json()) as Json;
    expect(post).toEqual(ex);
    const de = (await (await fetch(`${s.base}/api/v1/decompose?iscc=${encodeURIComponent(code)}`)).json()) as Json;
    expect(de.units).toHaveLength(4);
    expect(de.units[0]).toEqual({ iscc: 'ISCC:AAAYPXW445FTYNJ3', type_id: 'META-NONE-V0-64' });
    const a = 'ISCC:KECWRY3VY6R5SNV4YNBTBHR4T2HGP3HKVFO7TYUP2BKVFG724W63HVI';
    const b = 'ISCC:KECSR5352MR7TNV4YNBTBHR4T2HGO6RDNMJX4P6UMT7LQXYXBH2R5PY';
    const cmp = (await (await fetch(`${s.base}/api/v1/compare`, { method: 'POST', body: JSON.stringify({ a, b }) })).json()) as Json;
    expect(Object.keys(cmp.units).some((k) => k.startsWith('CONTENT_'))).toBe(true);
    for (const u of Object.values(cmp.units) as Json[]) expect(u.similarity).toBeGreaterThanOrEqual(0);
    const same = (await (await fetch(`${s.base}/api/v1/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(a)}`)).json()) as Json;
    for (const u of Object.values(same.units) as Json[]) expect(u.similarity).toBe(1);
    const v1 = (await (await fetch(`${s.base}/api/v1/validate?iscc=${encodeURIComponent(code)}`)).json()) as Json;
    expect(v1).toEqual({ iscc: code, valid: true, type_id: 'ISCC-TEXT-V0-MCDI' });
    const v2 = (await (await fetch(`${s.base}/api/v1/validate?iscc=ISCC:KACYPXW445`)).json()) as Json;
    expect(v2.valid).toBe(false);
    expect(typeof v2.error).toBe('string');
  });

  it('extracts metadata from an upload and embeds metadata into a new file', async () => {
    const expected = await extractMetadata(IMAGE);
    const ex = await fetch(`${s.base}/api/v1/metadata/extract?filename=demo.jpg`, { method: 'POST', body: readFileSync(IMAGE) });
    expect(ex.status).toBe(200);
    expect(await ex.json()).toEqual(expected);
    const { body, type } = multipart({ name: 'Embedded title', metadata: JSON.stringify({ description: 'Said in a test' }) }, { name: 'demo.png', data: readFileSync(join(SAMPLES, 'image', 'demo.png')) });
    const em = await fetch(`${s.base}/api/v1/metadata/embed`, { method: 'POST', body, headers: { 'content-type': type } });
    expect(em.status).toBe(200);
    expect(em.headers.get('content-disposition')).toContain('demo.png');
    const out = Buffer.from(await em.arrayBuffer());
    expect(out.subarray(1, 4).toString('latin1')).toBe('PNG');
    const check = join(s.dir, 'check.png');
    writeFileSync(check, out);
    const meta = await extractMetadata(check);
    expect(meta.name).toBe('Embedded title');
    expect(meta.description).toBe('Said in a test');
    // The response stream's close removes the temporary directory.
    await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(s.uploads)).toEqual([]);
  });

  it('refuses oversized uploads with 413 (declared and streamed) and keeps serving', async () => {
    const small = await start({ rateLimitPerS: 0, maxUploadBytes: 1000 });
    try {
      const declared = await fetch(`${small.base}/api/v1/iscc`, { method: 'POST', body: new Uint8Array(5000) });
      expect(declared.status).toBe(413);
      expect(((await declared.json()) as Json).code).toBe('SERVER_BODY_TOO_LARGE');
      // Chunked (no Content-Length): counted while streaming.
      const streamed = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${small.base}/api/v1/iscc`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' } }, (res) => {
          let b = '';
          res.on('data', (d) => (b += d));
          res.on('end', () => resolve({ status: res.statusCode!, body: b }));
        });
        req.on('error', reject);
        for (let i = 0; i < 10; i++) req.write(Buffer.alloc(500));
        req.end();
      });
      expect(streamed.status).toBe(413);
      expect(JSON.parse(streamed.body).code).toBe('SERVER_BODY_TOO_LARGE');
      expect(readdirSync(small.uploads)).toEqual([]);
      expect((await fetch(`${small.base}/api/v1/validate?iscc=ISCC:AAAZXZ6OU74YAZIM`)).status).toBe(200);
    } finally {
      await stop(small);
    }
  });
});

describe('service: keys, rate limit, CORS, logs, docs, health, web page', () => {
  it('requires an API key on upload routes only, when keys are configured', async () => {
    const s = await start({ rateLimitPerS: 0 }, ['s3cret']);
    try {
      const no = await fetch(`${s.base}/api/v1/iscc`, { method: 'POST', body: 'hello', headers: { 'x-filename': 'a.txt' } });
      expect(no.status).toBe(401);
      expect(((await no.json()) as Json).code).toBe('SERVER_UNAUTHORIZED');
      const wrong = await fetch(`${s.base}/api/v1/iscc`, { method: 'POST', body: 'hello', headers: { 'x-filename': 'a.txt', 'x-api-key': 's3creT' } });
      expect(wrong.status).toBe(401);
      const ok = await fetch(`${s.base}/api/v1/iscc?create_thumb=false`, { method: 'POST', body: readFileSync(IMAGE), headers: { 'x-filename': 'a.jpg', authorization: 'Bearer s3cret' } });
      expect(ok.status).toBe(200);
      expect((await fetch(`${s.base}/api/v1/explain?iscc=ISCC:AAAZXZ6OU74YAZIM`)).status).toBe(200);
      // The index's write routes take the same keys (its envelope format).
      const idx = await fetch(`${s.base}/index/add`, { method: 'POST', body: JSON.stringify({ iscc_codes: [] }) });
      expect(idx.status).toBe(401);
      expect(((await idx.json()) as Json).error.code).toBe('INDEX_UNAUTHORIZED');
    } finally {
      await stop(s);
    }
  });

  it('answers 429 with Retry-After when a client exceeds its bucket; /health is exempt', async () => {
    const s = await start({ rateLimitPerS: 1, rateLimitBurst: 3 });
    try {
      const statuses: number[] = [];
      let last: Response | null = null;
      for (let i = 0; i < 5; i++) {
        last = await fetch(`${s.base}/api/v1/validate?iscc=ISCC:AAAZXZ6OU74YAZIM`);
        statuses.push(last.status);
        if (last.status === 200) await last.arrayBuffer();
      }
      expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
      expect(statuses[4]).toBe(429);
      expect(Number(last!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const p = (await last!.json()) as Json;
      expect(p.code).toBe('SERVER_RATE_LIMITED');
      // Under /index the same refusal comes in the ISCC-VDB envelope.
      const idx = await fetch(`${s.base}/index/info`);
      expect(idx.status).toBe(429);
      expect(((await idx.json()) as Json).error.code).toBe('SERVER_RATE_LIMITED');
      expect((await fetch(`${s.base}/health`)).status).toBe(200);
    } finally {
      await stop(s);
    }
  });

  it('allows configured CORS origins only and logs one JSON line per request', async () => {
    const s = await start({ rateLimitPerS: 0, corsOrigins: ['https://example.org'] });
    try {
      const pre = await fetch(`${s.base}/api/v1/explain`, { method: 'OPTIONS', headers: { origin: 'https://example.org', 'access-control-request-method': 'POST' } });
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://example.org');
      const other = await fetch(`${s.base}/api/v1/explain?iscc=ISCC:AAAZXZ6OU74YAZIM`, { headers: { origin: 'https://evil.example' } });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
      const rid = other.headers.get('x-request-id');
      expect(rid).toBeTruthy();
      await fetch(`${s.base}/api/v1/explain?iscc=BAD`);
      const lines = s.logs.filter((l) => l.msg === 'request');
      const ok = lines.find((l) => l.id === rid)!;
      expect(ok).toMatchObject({ level: 'info', method: 'GET', path: '/api/v1/explain', status: 200, client: '127.0.0.1' });
      expect(typeof ok.ms).toBe('number');
      const failed = lines.find((l) => l.status === 422)!;
      expect(failed).toMatchObject({ code: expect.stringMatching(/^ISCC_/) });
      // Error answers carry the request id too, and the client's own id is kept.
      const mine = await fetch(`${s.base}/api/v1/explain?iscc=BAD`, { headers: { 'x-request-id': 'trace-42' } });
      expect(mine.headers.get('x-request-id')).toBe('trace-42');
      expect(s.logs.some((l) => l.id === 'trace-42' && l.status === 422)).toBe(true);
      for (const l of s.logs) expect(() => JSON.stringify(l)).not.toThrow();
    } finally {
      await stop(s);
    }
  });

  it('mounts the hub under /hub with its problem+json errors', async () => {
    const s = await start({ rateLimitPerS: 0 });
    try {
      const h = await fetch(`${s.base}/hub/health`);
      expect(h.status).toBe(200);
      const did = (await (await fetch(`${s.base}/hub/.well-known/did.json`)).json()) as Json;
      expect(String(did.id)).toMatch(/^did:web:/);
      const bad = await fetch(`${s.base}/hub/declaration`, { method: 'POST', body: '{nope' });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toBe('application/problem+json');
      expect(((await bad.json()) as Json).code).toBe('HUB_INVALID_JSON');
    } finally {
      await stop(s);
    }
  });

  it('serves /docs without external resources, /openapi.json, /health and the web page', async () => {
    const s = await start({ rateLimitPerS: 0 });
    try {
      const docs = await fetch(`${s.base}/docs`);
      expect(docs.status).toBe(200);
      const html = await docs.text();
      expect(html).toContain('"openapi":"3.1.0"');
      expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
      const csp = docs.headers.get('content-security-policy')!;
      expect(csp).toContain("default-src 'none'");
      // The one inline script parses, and the CSP allows exactly it (by hash).
      const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
      expect(() => new Function(script)).not.toThrow();
      expect(csp).toContain(`'sha256-${createHash('sha256').update(script).digest('base64')}'`);
      const spec = (await (await fetch(`${s.base}/openapi.json`)).json()) as Json;
      expect(spec.openapi).toBe('3.1.0');
      const health = await fetch(`${s.base}/health`);
      const h = (await health.json()) as Json;
      expect(health.status).toBe(200);
      expect(h).toMatchObject({ status: 'ok', live: true, ready: true, checks: { index: 'ok', hub: 'ok' } });
      // No web build in the test's web dir: a fallback page pointing at the docs.
      const page = await fetch(`${s.base}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('/docs');
    } finally {
      await stop(s);
    }
    // With a built page: the static files at /.
    const web = mkdtempSync(join(tmpdir(), 'iscc-web-'));
    writeFileSync(join(web, 'index.html'), '<!doctype html><title>web</title><script src="app.js"></script>');
    writeFileSync(join(web, 'app.js'), 'console.log(1)');
    copyFileSync(IMAGE, join(web, 'x.jpg'));
    const w = await start({ rateLimitPerS: 0, webDir: web });
    try {
      expect(await (await fetch(`${w.base}/`)).text()).toContain('<title>web</title>');
      const js = await fetch(`${w.base}/app.js`);
      expect(js.headers.get('content-type')).toContain('javascript');
      expect((await fetch(`${w.base}/nope.js`)).status).toBe(404);
      expect((await fetch(`${w.base}/..%2Fetc%2Fpasswd`)).status).toBe(404);
    } finally {
      await stop(w);
      rmSync(web, { recursive: true, force: true });
    }
  });
});
