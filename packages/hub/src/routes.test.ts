/**
 * The hub over HTTP on 127.0.0.1 (@hono/node-server, free port), mounted under /hub as the
 * server mounts it: 200 concurrent declarations get 200 distinct increasing ISCC-IDs, all
 * resolvable, with a log whose tiles and entry bundles rebuild the signed checkpoint and whose
 * receipts' inclusion proofs verify; hostile requests (forged and replayed signatures, wrong
 * hub id, stale timestamps, oversized and deeply nested JSON, unknown fields, bad paths) get
 * 4xx problem+json with stable codes and store nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { keyGenerate, type KeyPair } from '@iscc-ts/core';
import { Hub } from './hub.ts';
import { createHubApp, MAX_BODY_BYTES, MAX_JSON_DEPTH } from './routes.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import { MerkleTree, TILE_WIDTH, decodeEntryBundle, entriesPath, leafHash, tilePath, verifyConsistency, verifyInclusion } from './merkle.ts';
import { decodeIsccIdV1 } from './minter.ts';
import { deleteNote, note, rng } from './test-utils.ts';

const HUB_ID = 21;
let hub: Hub;
let server: ServerType;
let base: string;
let kp: KeyPair;
const r = rng(7);

beforeAll(async () => {
  kp = await keyGenerate();
  hub = await Hub.open({ hubId: HUB_ID, domain: 'hub.test' });
  const app = new Hono();
  app.route('/hub', createHubApp({ hub }));
  await new Promise<void>((done) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      base = `http://127.0.0.1:${info.port}/hub`;
      done();
    });
  });
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await hub.close();
});

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/declaration`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body),
  });
}

async function problem(res: Response, status: number, code: string): Promise<void> {
  expect(res.status, `${code}`).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  const p = (await res.json()) as { code: string; status: number; detail: string };
  expect(p.code).toBe(code);
  expect(p.status).toBe(status);
  expect(p.detail.length).toBeGreaterThan(0);
}

describe('hub routes', () => {
  it('200 concurrent declarations: distinct increasing ISCC-IDs, all resolvable, consistent log', async () => {
    const notes = await Promise.all(Array.from({ length: 200 }, () => note(kp, HUB_ID, r, { gateway: 'https://gw.example/{iscc_id}' })));
    const responses = await Promise.all(notes.map((n) => post(n)));
    const receipts = await Promise.all(
      responses.map(async (res) => {
        expect(res.status).toBe(201);
        return (await res.json()) as { credentialSubject: { declaration: { iscc_id: string; seq: number } }; evidence: { checkpoint: string; treeSize: number; leafIndex: number; inclusionProof: string[] } };
      }),
    );
    const ids = receipts.map((x) => x.credentialSubject.declaration.iscc_id);
    expect(new Set(ids).size).toBe(200);
    // Increasing in log order: sort by seq, IDs (as integers) must increase.
    const bySeq = [...receipts].sort((a, b) => a.credentialSubject.declaration.seq - b.credentialSubject.declaration.seq);
    expect(bySeq.map((x) => x.credentialSubject.declaration.seq)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    const values = bySeq.map((x) => decodeIsccIdV1(x.credentialSubject.declaration.iscc_id).value);
    for (let i = 1; i < values.length; i++) expect(values[i]! > values[i - 1]!).toBe(true);
    for (const v of values) expect(Number(v & 0xfffn)).toBe(HUB_ID);
    // All resolvable, with the gateway expanded.
    const resolved = await Promise.all(ids.map((id) => fetch(`${base}/${id}`).then((res) => res.json() as Promise<{ iscc_id: string; gateway_url: string }>)));
    resolved.forEach((d, i) => {
      expect(d.iscc_id).toBe(ids[i]);
      expect(d.gateway_url).toBe(`https://gw.example/${ids[i]!.slice(5)}`);
    });
    // The log: checkpoint verifies, bundles and tiles rebuild its root, receipts' proofs verify.
    const cpText = await (await fetch(`${base}/log/checkpoint`)).text();
    const cp = verifyCheckpoint(cpText, 'hub.test/hub/log', hub.pubkey)!;
    expect(cp.size).toBe(200);
    const bundle = new Uint8Array(await (await fetch(`${base}/log/${entriesPath(0, 200)}`)).arrayBuffer());
    const records = decodeEntryBundle(bundle);
    expect(records.length).toBe(200);
    const t = new MerkleTree();
    for (const rec of records) t.push(leafHash(rec));
    expect(Buffer.from(t.root()).equals(Buffer.from(cp.root))).toBe(true);
    const tile = new Uint8Array(await (await fetch(`${base}/log/${tilePath(0, 0, 200)}`)).arrayBuffer());
    expect(Buffer.from(tile.subarray(32 * 199)).equals(Buffer.from(t.leaf(199)))).toBe(true);
    for (const rc of receipts) {
      const ev = rc.evidence;
      const c = verifyCheckpoint(ev.checkpoint, 'hub.test/hub/log', hub.pubkey)!;
      const proof = ev.inclusionProof.map((x) => new Uint8Array(Buffer.from(x, 'base64')));
      expect(verifyInclusion(t.leaf(ev.leafIndex), ev.leafIndex, ev.treeSize, proof, c.root)).toBe(true);
      expect(Buffer.from(t.root(c.size)).equals(Buffer.from(c.root))).toBe(true);
      // Every checkpoint a client saw is a prefix of the final one (append-only).
      expect(verifyConsistency(c.size, cp.size, c.root, cp.root, t.consistencyProof(c.size, cp.size))).toBe(true);
    }
    expect((await fetch(`${base}/log/${entriesPath(0)}`)).status).toBe(404); // no full bundle yet
    expect(TILE_WIDTH).toBe(256);
  });

  it('hostile input: 4xx problem+json with stable codes, nothing stored', async () => {
    const before = hub.size;
    const good = await note(kp, HUB_ID, r);
    const forged = { ...good, iscc_code: good.iscc_code, datahash: good.datahash, timestamp: new Date(Date.parse(good.timestamp) + 1).toISOString() };
    await problem(await post(forged), 401, 'ISCC_SIGNATURE_INVALID');
    await problem(await post({ ...good, signature: { ...good.signature, pubkey: (await keyGenerate()).public_key } }), 401, 'ISCC_SIGNATURE_INVALID');
    await problem(await post(await note(kp, HUB_ID + 1, r)), 422, 'ISCC_NOTE_NONCE');
    await problem(await post(await note(kp, HUB_ID, r, { now: Date.now() - 3600_000 })), 422, 'ISCC_NOTE_TIMESTAMP');
    await problem(await post({ ...good, admin: true }), 422, 'ISCC_NOTE_INVALID');
    await problem(await post({ ...good, signature: { ...good.signature, extra: 'x' } }), 401, 'ISCC_SIGNATURE_INVALID');
    await problem(await post('x'.repeat(MAX_BODY_BYTES + 1)), 413, 'HUB_BODY_TOO_LARGE');
    await problem(await post({ ...good, gateway: 'https://x.example/' + 'a'.repeat(9000) }), 422, 'ISCC_LIMIT_EXCEEDED');
    await problem(await post('['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1)), 400, 'HUB_JSON_TOO_DEEP');
    await problem(await post('{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}'), 400, 'HUB_JSON_TOO_DEEP');
    await problem(await post('{"iscc_code": '), 400, 'HUB_INVALID_JSON');
    await problem(await post('[1,2]'), 400, 'HUB_INVALID_JSON');
    await problem(await post(new Uint8Array([0x7b, 0xff, 0x7d])), 400, 'HUB_INVALID_JSON');
    expect(hub.size).toBe(before);
    // Accepted once; the replay (same nonce, same bytes) is refused even when forced.
    expect((await post(good)).status).toBe(201);
    await problem(await post(good), 409, 'HUB_DUPLICATE_DATAHASH');
    await problem(await post(good, { 'X-Force-Declaration': 'true' }), 400, 'HUB_NONCE_REUSED');
    expect(hub.size).toBe(before + 1);
  });

  it('resolve, search, delete, did.json, health and tile paths', async () => {
    const n = await note(kp, HUB_ID, r);
    const rc = (await (await post(n)).json()) as { credentialSubject: { declaration: { iscc_id: string } } };
    const id = rc.credentialSubject.declaration.iscc_id;
    const s = (await (await fetch(`${base}/search?datahash=${n.datahash}`)).json()) as { results: { iscc_id: string }[] };
    expect(s.results.map((x) => x.iscc_id)).toEqual([id]);
    const sim = (await (await fetch(`${base}/search?iscc_code=${encodeURIComponent(n.iscc_code)}&count=3`)).json()) as { results: { iscc_id: string; distance: number }[] };
    expect(sim.results[0]).toMatchObject({ iscc_id: id, distance: 0 });
    await problem(await fetch(`${base}/search`), 422, 'HUB_INVALID_QUERY');
    await problem(await fetch(`${base}/search?iscc_code=x&count=0`), 422, 'HUB_INVALID_QUERY');
    await problem(await fetch(`${base}/not-an-id`), 422, 'HUB_INVALID_ISCC_ID');
    await problem(await fetch(`${base}/ISCC:MAIF3I4LNGBAAABK`), 404, 'HUB_NOT_FOUND');
    const del = await deleteNote(kp, HUB_ID, id);
    await problem(await fetch(`${base}/declaration/ISCC:MAIF3I4LNGBAAABK`, { method: 'DELETE', body: JSON.stringify(del) }), 422, 'HUB_INVALID_DELETE');
    const other = await keyGenerate();
    await problem(await fetch(`${base}/declaration/${id}`, { method: 'DELETE', body: JSON.stringify(await deleteNote(other, HUB_ID, id)) }), 403, 'HUB_NOT_OWNER');
    expect((await fetch(`${base}/declaration/${id}`, { method: 'DELETE', body: JSON.stringify(del) })).status).toBe(204);
    await problem(await fetch(`${base}/${id}`), 404, 'HUB_NOT_FOUND');
    await problem(await fetch(`${base}/declaration/${id}`, { method: 'DELETE', body: JSON.stringify(del) }), 404, 'HUB_NOT_FOUND');
    const did = await fetch(`${base}/.well-known/did.json`);
    expect(did.headers.get('access-control-allow-origin')).toBe('*');
    expect(((await did.json()) as { id: string }).id).toBe('did:web:hub.test');
    const health = (await (await fetch(`${base}/health`)).json()) as { status: string; log_size: number };
    expect(health).toMatchObject({ status: 'pass', log_size: hub.size });
    for (const bad of ['tile/0/1', 'tile/0/000.p/0', 'tile/64/000', 'tile/entries/x000', 'tile/0/009', 'tile/entries/000.p/255', 'tile/2/000.p/1']) {
      await problem(await fetch(`${base}/log/${bad}`), 404, 'HUB_TILE_NOT_FOUND');
    }
  });
});
