/**
 * Crash safety of the embedded store: a hub server in a child process takes a stream of
 * concurrent declarations and is killed with SIGKILL mid-stream; reopening its directory must
 * show every declaration that was answered 201 (resolvable, same ISCC-ID), a log whose
 * entries are whole and whose IDs increase, and the dead child's lock taken over.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { keyGenerate } from '@iscc-ts/core';
import { Hub } from './hub.ts';
import { decodeIsccIdV1 } from './minter.ts';
import { note, rng } from './test-utils.ts';

const here = resolve(import.meta.dirname);
const root = mkdtempSync(join(tmpdir(), 'iscc-hub-crash-'));
// Bundles go below the repository's node_modules so that external packages resolve from there.
const cache = join(here, '../../../node_modules/.cache/iscc-hub-test', String(process.pid));
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
});

const CHILD = `
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { Hub } from './hub.ts';
import { createHubApp } from './routes.ts';
const hub = await Hub.open({ hubId: 33, storage: process.argv[2] });
const app = new Hono();
app.route('/hub', createHubApp({ hub }));
serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => process.stdout.write('PORT ' + info.port + '\\n'));
`;

async function bundle(name: string, source: string): Promise<string> {
  mkdirSync(cache, { recursive: true });
  const entry = join(here, `.${name}-${process.pid}.ts`);
  writeFileSync(entry, source);
  const out = join(cache, `${name}.mjs`);
  try {
    await build({
      entryPoints: [entry],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: out,
      conditions: ['development'],
      external: ['lmdb', 'pg'],
      logLevel: 'silent',
    });
  } finally {
    rmSync(entry, { force: true });
  }
  return out;
}

describe('kill -9', () => {
  it('loses no declaration that was answered 201', async () => {
    const script = await bundle('hub-crash', CHILD);
    const dir = join(root, 'hub');
    const kp = await keyGenerate();
    const r = rng(5);
    const notes = await Promise.all(Array.from({ length: 400 }, () => note(kp, 33, r)));
    const child = spawn(process.execPath, [script, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((done, fail) => {
      let buf = '';
      child.stdout!.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /PORT (\d+)/.exec(buf);
        if (m) done(Number(m[1]));
      });
      child.on('exit', () => fail(new Error('child exited before listening')));
      setTimeout(() => fail(new Error('child did not start')), 20_000);
    });
    const exited = new Promise<string | null>((done) => child.on('exit', (_c, signal) => done(signal)));
    const acked = new Map<string, string>(); // nonce -> ISCC-ID
    let next = 0;
    let killed = false;
    const worker = async (): Promise<void> => {
      while (next < notes.length) {
        const n = notes[next++]!;
        try {
          const res = await fetch(`http://127.0.0.1:${port}/hub/declaration`, { method: 'POST', body: JSON.stringify(n) });
          if (res.status === 201) {
            const rc = (await res.json()) as { credentialSubject: { declaration: { iscc_id: string } } };
            acked.set(n.nonce, rc.credentialSubject.declaration.iscc_id);
            if (acked.size === 120 && !killed) {
              killed = true;
              setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 5));
            }
          } else {
            expect.unreachable(`status ${res.status}`);
          }
        } catch {
          return; // connection refused/reset after the kill
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(await exited).toBe('SIGKILL');
    expect(acked.size).toBeGreaterThanOrEqual(120);
    expect(acked.size).toBeLessThan(notes.length);
    const hub = await Hub.open({ hubId: 33, storage: dir });
    try {
      expect(hub.size).toBeGreaterThanOrEqual(acked.size);
      for (const [nonce, id] of acked) {
        const d = await hub.resolve(id);
        expect(d.nonce).toBe(nonce);
      }
      const ids = [...hub.local.byId.values()].sort((x, y) => x.seq - y.seq).map((d) => decodeIsccIdV1(d.iscc_id).value);
      for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
      // Declaring continues after the crash with IDs above all earlier ones.
      const rc = await hub.declare(notes[notes.length - 1]!);
      const id = (rc.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id;
      expect(decodeIsccIdV1(id).value > ids[ids.length - 1]!).toBe(true);
    } finally {
      await hub.close();
    }
  });
});
