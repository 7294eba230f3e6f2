#!/usr/bin/env node
// ISCC-HUB (@iscc-ts/hub) benchmark: sustained declarations per second with full note
// validation and Ed25519 signature verification (plus receipt signing, log append, checkpoint
// and similarity indexing), and resolve latency p50/p99, in-process and over HTTP on
// 127.0.0.1, on the embedded store (fdatasync per batch) and in memory.
//
// Notes (N, default 3,000) are signed before timing; C (default 64) clients declare them
// concurrently. The ratio column relates each rate to the raw Ed25519 verifications per second
// measured in the same run (the floor cost of checking one signature); the HTTP resolve
// latencies compare with a bare node:http server answering fixed JSON in the same run.
//
// Usage: node bench/hub.bench.mjs [--notes 3000] [--clients 64] [--resolves 5000]
// Needs a build (`npm run build`; falls back to packages/hub/dist).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { rng, table } from './_util.mjs';

const hubPkg = await import('@iscc-ts/hub').catch(() => import('../packages/hub/dist/index.js'));
const core = await import('@iscc-ts/core');
const { Hub, createHubApp } = hubPkg;
const { Hono } = await import('hono');
const { serve } = await import('@hono/node-server');

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const NOTES = opt('notes', 3000);
const CLIENTS = opt('clients', 64);
const RESOLVES = opt('resolves', 5000);

const r = rng(42);
const bytes = (n) => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
const hex = (b) => Buffer.from(b).toString('hex');

async function makeNotes(kp, hubId, n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const datahash = '1e20' + hex(bytes(32));
    const units = [
      'ISCC:' + core.encodeComponent(core.MT.META, core.ST.NONE, core.VS.V0, 64, bytes(8)),
      'ISCC:' + core.encodeComponent(core.MT.CONTENT, 0, core.VS.V0, 64, bytes(8)),
      'ISCC:' + core.encodeComponent(core.MT.DATA, core.ST.NONE, core.VS.V0, 64, bytes(8)),
    ];
    const iscc_code = core.genIsccCode([...units, core.datahashToInstanceCode(datahash)]).iscc;
    out.push(await core.signJson({ iscc_code, datahash, nonce: core.createNonce(hubId), timestamp: new Date().toISOString(), gateway: 'https://gw.example/{iscc_id}' }, kp));
  }
  return out;
}

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

async function pool(items, clients, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

// Floor: raw Ed25519 verifications per second (node:crypto, one core).
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const msg = Buffer.alloc(300, 1);
const sig = sign(null, msg, privateKey);
let t0 = process.hrtime.bigint();
let k = 0;
while (Number(process.hrtime.bigint() - t0) < 5e8) {
  verify(null, msg, publicKey, sig);
  k++;
}
const verifyPerSec = k / (Number(process.hrtime.bigint() - t0) / 1e9);

const kp = await core.keyGenerate();
const rows = [];
{
  // Warm-up (JIT, WebCrypto) on a throw-away hub so that the first row is not the cold one.
  const warm = await Hub.open({ hubId: 5 });
  await pool(await makeNotes(kp, 5, 300), CLIENTS, (n) => warm.declare(n));
  await warm.close();
}
const dirs = [];
for (const [label, storage] of [
  ['memory', 'memory://'],
  ['embedded (fsync)', null],
]) {
  for (const http of [false, true]) {
    let dir = null;
    if (storage === null) {
      dir = mkdtempSync(join(tmpdir(), 'iscc-hub-bench-'));
      dirs.push(dir);
    }
    const hub = await Hub.open({ hubId: 5, storage: storage ?? join(dir, 'hub') });
    const notes = await makeNotes(kp, 5, NOTES);
    let server = null;
    let base = '';
    if (http) {
      const app = new Hono();
      app.route('/hub', createHubApp({ hub }));
      await new Promise((done) => {
        server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
          base = `http://127.0.0.1:${info.port}/hub`;
          done();
        });
      });
    }
    const ids = [];
    t0 = process.hrtime.bigint();
    await pool(notes, CLIENTS, async (n) => {
      if (http) {
        const res = await fetch(`${base}/declaration`, { method: 'POST', body: JSON.stringify(n), headers: { 'content-type': 'application/json' } });
        if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
        ids.push((await res.json()).credentialSubject.declaration.iscc_id);
      } else {
        ids.push((await hub.declare(n)).credentialSubject.declaration.iscc_id);
      }
    });
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    const rate = NOTES / secs;
    // Resolve latency, one request at a time (latency, not throughput).
    const lat = [];
    for (let i = 0; i < RESOLVES; i++) {
      const id = ids[Math.floor(r() * ids.length)];
      const t = process.hrtime.bigint();
      if (http) {
        const res = await fetch(`${base}/${id}`);
        if (res.status !== 200) throw new Error(`resolve HTTP ${res.status}`);
        await res.json();
      } else {
        await hub.resolve(id);
      }
      lat.push(Number(process.hrtime.bigint() - t) / 1e3);
    }
    rows.push([
      label,
      http ? 'HTTP 127.0.0.1' : 'in-process',
      rate.toFixed(0),
      (verifyPerSec / rate).toFixed(1) + 'x',
      pct(lat, 50).toFixed(0),
      pct(lat, 99).toFixed(0),
    ]);
    if (server) await new Promise((d) => server.close(d));
    await hub.close();
  }
}
for (const d of dirs) rmSync(d, { recursive: true, force: true });

// Baseline for the HTTP rows: a bare node:http server answering a fixed JSON body of a
// resolve's size, same client (fetch), same machine; loopback and scheduling set its tail.
{
  const http = await import('node:http');
  const body = JSON.stringify({ x: 'a'.repeat(1500) });
  const srv = http.createServer((_q, s) => {
    s.setHeader('content-type', 'application/json');
    s.end(body);
  });
  await new Promise((d) => srv.listen(0, '127.0.0.1', d));
  const url = `http://127.0.0.1:${srv.address().port}/x`;
  const lat = [];
  for (let i = 0; i < RESOLVES; i++) {
    const t = process.hrtime.bigint();
    await (await fetch(url)).json();
    lat.push(Number(process.hrtime.bigint() - t) / 1e3);
  }
  rows.push(['(bare node:http, fixed JSON)', 'HTTP 127.0.0.1', '', '', pct(lat, 50).toFixed(0), pct(lat, 99).toFixed(0)]);
  await new Promise((d) => srv.close(d));
}

console.log(`${NOTES} signed notes per run, ${CLIENTS} concurrent clients; ${RESOLVES} sequential resolves. Raw Ed25519 verify: ${verifyPerSec.toFixed(0)}/s.\n`);
table(['store', 'path', 'declarations/s', 'verify/s ÷ decl/s', 'resolve p50 µs', 'resolve p99 µs'], rows);
