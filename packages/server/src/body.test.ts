/**
 * readBodyText over a real socket (@hono/node-server on 127.0.0.1) and in process: the
 * one-piece read for a Content-Length body and the chunked read give the same text, the
 * limit holds on both (declared length refused before reading; chunked cut when it passes),
 * and the bytes decode like Buffer#toString (a byte order mark is kept).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Hono } from 'hono';
import { createAdaptorServer } from '@hono/node-server';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBodyText } from './body.ts';

const LIMIT = 1000;

function testApp(): Hono {
  const app = new Hono();
  app.post('/echo', async (c) => {
    try {
      const text = await readBodyText(c, LIMIT, (declared) => {
        throw Object.assign(new Error('too large'), { declared });
      });
      return c.json({ text });
    } catch (e) {
      return c.json({ tooLarge: true, declared: (e as { declared?: number | null }).declared }, 413);
    }
  });
  return app;
}

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createAdaptorServer({ fetch: testApp().fetch }) as Server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** POST `parts` (one write each); with `length` a Content-Length, else chunked. */
function post(parts: Buffer[], length?: number): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = length === undefined ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(length) };
    const req = request({ host: '127.0.0.1', port, path: '/echo', method: 'POST', headers }, (res) => {
      let b = '';
      res.on('data', (d) => (b += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(b) as Record<string, unknown> }));
    });
    req.on('error', reject);
    for (const p of parts) req.write(p);
    req.end();
  });
}

describe('readBodyText', () => {
  const text = '{"iscc_codes":["ISCC:KUAG2PRCRS5LNVZVJKAFAVOJXLZZM"],"note":"grüße €"}';
  const bytes = Buffer.from(text);

  it('reads a Content-Length body in one piece and a chunked body chunk by chunk, to the same text', async () => {
    expect(await post([bytes.subarray(0, 10), bytes.subarray(10)], bytes.length)).toEqual({ status: 200, body: { text } });
    expect(await post([bytes.subarray(0, 10), bytes.subarray(10)])).toEqual({ status: 200, body: { text } });
  });

  it('refuses a declared length over the limit before reading, and cuts a chunked body that passes it', async () => {
    const big = Buffer.alloc(LIMIT + 1, 0x20);
    expect(await post([big], big.length)).toEqual({ status: 413, body: { tooLarge: true, declared: LIMIT + 1 } });
    expect(await post([big.subarray(0, 600), big.subarray(600)])).toEqual({ status: 413, body: { tooLarge: true, declared: null } });
    const exact = Buffer.alloc(LIMIT, 0x20);
    expect((await post([exact], exact.length)).status).toBe(200);
    expect((await post([exact])).status).toBe(200);
  });

  it('keeps a byte order mark and replaces invalid UTF-8 like Buffer#toString', async () => {
    const odd = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{}'), Buffer.from([0xff])]);
    const expected = odd.toString('utf8');
    expect(await post([odd], odd.length)).toEqual({ status: 200, body: { text: expected } });
    expect(await post([odd])).toEqual({ status: 200, body: { text: expected } });
  });

  it('reads in-process requests (no Content-Length) and empty bodies', async () => {
    const app = testApp();
    expect(await (await app.request('/echo', { method: 'POST', body: text })).json()).toEqual({ text });
    expect(await (await app.request('/echo', { method: 'POST' })).json()).toEqual({ text: '' });
    expect(await post([], 0)).toEqual({ status: 200, body: { text: '' } });
  });
});
