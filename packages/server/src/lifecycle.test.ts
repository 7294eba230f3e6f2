/**
 * Graceful shutdown of `iscc serve` as a real child process: the CLI (bundled from its
 * sources with esbuild, workspace packages included) listens on a free port; an upload is
 * in flight when SIGTERM arrives; new connections are refused at once, the upload finishes
 * with 200, the process exits 0, and the index and hub it had opened are closed cleanly (they
 * open again without a lock error). Also: a port in use is an error that names the port.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { bundleCliFromSources } from '../../../scripts/bundle-sources.mjs';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { IsccIndex } from '@iscc-ts/index';
import { Hub, hubOptionsFromEnv } from '@iscc-ts/hub';
import { startServer } from './lifecycle.ts';
import { configFromEnv } from './app.ts';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const IMAGE = join(process.env.ISCC_SAMPLES_DIR ?? '/work/shared/samples', 'image', 'demo.jpg');
// Inside the repository so that the bundle's external packages resolve from node_modules.
const cache = join(repo, 'node_modules', '.cache', 'iscc-server-test');
const script = join(cache, `iscc-${process.pid}.mjs`);
const dir = mkdtempSync(join(tmpdir(), 'iscc-lifecycle-test-'));

beforeAll(async () => {
  mkdirSync(cache, { recursive: true });
  await bundleCliFromSources(script);
}, 60_000);

afterAll(() => {
  rmSync(script, { force: true });
  rmSync(dir, { recursive: true, force: true });
});

function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

describe('iscc serve: graceful shutdown', () => {
  it('finishes an in-flight upload after SIGTERM, refuses new connections, closes the stores and exits 0', async () => {
    const data = join(dir, 'data');
    const child = spawn(process.execPath, [script, 'serve', '--port', '0', '--data-dir', data, '--json'], {
      cwd: repo,
      env: { ...process.env, ISCC_API_KEYS: '', ISCC_RATE_LIMIT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const exited = waitExit(child);
    const lines = createInterface({ input: child.stdout! });
    const logs: Record<string, unknown>[] = [];
    const first = await new Promise<Record<string, unknown>>((resolve, reject) => {
      lines.on('line', (l) => {
        const j = JSON.parse(l) as Record<string, unknown>;
        if (j.url) resolve(j);
        else logs.push(j);
      });
      child.on('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
    });
    const base = first.url as string;
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // Open both stores, so that shutdown has something to close.
    const add = await fetch(`${base}/index/add`, { method: 'POST', body: JSON.stringify({ iscc_codes: ['ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY'] }) });
    expect(add.status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);

    // An upload in flight: headers and half the body sent, the rest after SIGTERM.
    const image = readFileSync(IMAGE);
    const half = Math.floor(image.length / 2);
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${base}/api/v1/iscc?filename=demo.jpg&create_thumb=false`, { method: 'POST', headers: { 'content-length': String(image.length) } }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: b }));
      });
      req.on('error', reject);
      req.write(image.subarray(0, half));
      (globalThis as { __pending?: typeof req }).__pending = req;
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${base}/health`)).rejects.toThrow();
    (globalThis as { __pending?: { end(b: Uint8Array): void } }).__pending!.end(image.subarray(half));
    const res = await response;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).iscc).toMatch(/^ISCC:/);
    expect(await exited).toBe(0);
    expect(stderr).toContain('SIGTERM received');
    expect(stderr).toContain('stopped');
    // One JSON log line per request, the finished upload included.
    await new Promise((r) => setTimeout(r, 50));
    expect(logs.some((l) => l.path === '/api/v1/iscc' && l.status === 200)).toBe(true);

    // The stores were closed cleanly: they open again (a held lock would refuse).
    const idx = await IsccIndex.open(join(data, 'index'));
    expect((await idx.info()).size).toBe(1);
    await idx.close();
    const hub = await Hub.open(hubOptionsFromEnv({}, data));
    await hub.close();
  }, 60_000);

  it('names the port when it is in use', async () => {
    const config = { ...configFromEnv({ ISCC_LOG: 'off' }), port: 0, dataDir: join(dir, 'd2') };
    const a = await startServer(config, { say: () => undefined });
    try {
      await expect(startServer({ ...config, port: a.port }, { say: () => undefined })).rejects.toThrow(`port ${a.port} on 127.0.0.1 is in use`);
    } finally {
      await a.close();
    }
  });
});

describe('slow clients and slow requests', () => {
  it('cuts a client that trickles its headers (slowloris) and keeps serving others', async () => {
    const config = { ...configFromEnv({ ISCC_LOG: 'off' }), port: 0, dataDir: join(dir, 'd3') };
    const s = await startServer(config, { say: () => undefined, limits: { headersTimeoutMs: 1000 } });
    try {
      const { connect } = await import('node:net');
      const sock = connect(s.port, '127.0.0.1');
      sock.on('error', () => undefined);
      const t0 = Date.now();
      const closed = new Promise<number>((r) => sock.on('close', () => r(Date.now() - t0)));
      sock.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
      const trickle = setInterval(() => sock.writable && sock.write('a'), 200);
      expect((await fetch(`${s.url}/api/v1/validate?iscc=ISCC:AAAZXZ6OU74YAZIM`)).status).toBe(200);
      const ms = await closed;
      clearInterval(trickle);
      expect(ms).toBeGreaterThanOrEqual(900);
      expect(ms).toBeLessThan(5000);
    } finally {
      await s.close();
    }
  });

  it('answers 503 SERVER_TIMEOUT when a request runs past the time limit', async () => {
    const base = configFromEnv({ ISCC_LOG: 'off' });
    const config = { ...base, port: 0, dataDir: join(dir, 'd4'), service: { ...base.service, requestTimeLimitMs: 300 } };
    const s = await startServer(config, { say: () => undefined });
    try {
      const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request(`${s.url}/api/v1/iscc?filename=a.txt`, { method: 'POST', headers: { 'content-length': '10' } }, (r) => {
          let b = '';
          r.on('data', (d) => (b += d));
          r.on('end', () => resolve({ status: r.statusCode!, body: b }));
        });
        req.on('error', reject);
        req.write('abc'); // and never the rest
      });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body).code).toBe('SERVER_TIMEOUT');
    } finally {
      await s.close();
    }
  });
});
