/**
 * Discovery across hubs on 127.0.0.1: hub B follows hub A's tlog-tiles log over HTTP, verifies
 * A's checkpoint signature (key from A's did.json on first contact) and the log's consistency,
 * then resolves and finds A's declarations (datahash and ISCC-CODE similarity) and drops
 * deleted ones. A fake hub serving crafted logs checks that forged checkpoints, rewritten
 * history, shrinking logs and short bundles are refused and leave nothing behind, across
 * entry-bundle boundaries.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { keyGenerate, pubkeyEncode, type KeyPair } from '@iscc-ts/core';
import { generateKeyPairSync } from 'node:crypto';
import { Hub } from './hub.ts';
import { createHubApp } from './routes.ts';
import { signCheckpoint } from './checkpoint.ts';
import { MerkleTree, encodeEntryBundle, leafHash, parseTileIndex, servedWidth, TILE_WIDTH } from './merkle.ts';
import { encodeLogEntry } from './records.ts';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import { deleteNote, note, rng } from './test-utils.ts';
import { RemoteLog } from './discovery.ts';
import { IdMinter } from './minter.ts';

const servers: ServerType[] = [];
async function listen(app: Hono): Promise<string> {
  return new Promise((done) => {
    const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => done(`http://127.0.0.1:${info.port}`));
    servers.push(s);
  });
}
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((d) => s.close(d))));
});

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (e instanceof HubError) return e.code;
  throw new Error(`expected a HubError, got ${String(e)}`);
}

describe('two hubs', () => {
  let a: Hub;
  let b: Hub;
  let urlA: string;
  let kp: KeyPair;
  const r = rng(3);

  beforeAll(async () => {
    kp = await keyGenerate();
    a = await Hub.open({ hubId: 1, domain: 'a.test' });
    b = await Hub.open({ hubId: 2, domain: 'b.test' });
    for (const h of [a, b]) {
      const app = new Hono();
      app.route('/hub', createHubApp({ hub: h }));
      const u = await listen(app);
      if (h === a) urlA = `${u}/hub`;
    }
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  it('B ingests A’s log, resolves and searches A’s declarations, follows deletions', async () => {
    const notes = await Promise.all(Array.from({ length: 5 }, () => note(kp, 1, r, { gateway: 'https://gw.example/{iscc_id}' })));
    const ids: string[] = [];
    for (const n of notes) ids.push(((await a.declare(n)).credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id);
    await expect(b.resolve(ids[0]!)).rejects.toThrow(/hub 1/);
    expect(await b.follow(urlA)).toBe(5);
    const d = await b.resolve(ids[2]!);
    expect(d).toMatchObject({ iscc_id: ids[2], hub_id: 1, source: urlA, gateway_url: `https://gw.example/${ids[2]!.slice(5)}` });
    expect((await b.searchDatahash(notes[3]!.datahash)).map((x) => x.iscc_id)).toEqual([ids[3]]);
    expect((await b.searchIsccCode(notes[4]!.iscc_code))[0]).toMatchObject({ iscc_id: ids[4], distance: 0 });
    // B's own log is untouched by following.
    expect(b.size).toBe(0);
    // Incremental: a deletion and a new declaration at A.
    await a.delete(ids[0]!, await deleteNote(kp, 1, ids[0]!));
    const more = await note(kp, 1, r);
    const moreId = ((await a.declare(more)).credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id;
    expect(await b.follow(urlA)).toBe(2);
    await expect(b.resolve(ids[0]!)).rejects.toThrow(HubError);
    expect((await b.searchIsccCode(notes[0]!.iscc_code)).find((h) => h.iscc_id === ids[0])).toBeUndefined();
    expect((await b.resolve(moreId)).iscc_id).toBe(moreId);
    expect(await b.follow(urlA)).toBe(0);
    const f = b.followed()[0]!;
    expect(f.origin).toBe('a.test/hub/log');
    expect(f.pubkey).toBe(a.keypair.public_key);
    expect(b.health().followed).toEqual([{ url: urlA, origin: 'a.test/hub/log', size: 7 }]);
  });
});

/** A hub-shaped server over crafted records, signed with `seed`. */
function fakeHub(state: { records: Uint8Array[]; size: number; badSig?: boolean; shortBundle?: boolean }, key: ReturnType<typeof generateKeyPairSync>, pub: Uint8Array): Hono {
  const app = new Hono();
  app.get('/log/checkpoint', (c) => {
    const t = new MerkleTree();
    for (const rec of state.records.slice(0, state.size)) t.push(leafHash(rec));
    const signer = state.badSig ? generateKeyPairSync('ed25519').privateKey : key.privateKey;
    return c.text(signCheckpoint('fake.test/log', state.size, t.root(), signer, pub));
  });
  app.get('/log/tile/entries/*', (c) => {
    const p = parseTileIndex(c.req.path.slice('/log/tile/entries/'.length));
    const w = p && servedWidth(state.size - p[0] * TILE_WIDTH, p[1]);
    if (!p || !w) return c.text('no', 404);
    let recs = state.records.slice(p[0] * TILE_WIDTH, p[0] * TILE_WIDTH + w);
    if (state.shortBundle) recs = recs.slice(1);
    return c.body(encodeEntryBundle(recs) as Uint8Array<ArrayBuffer>);
  });
  return app;
}

describe('following a hostile hub', () => {
  it('verifies across bundle boundaries and refuses forged, rewritten, shrunk and short logs', async () => {
    const key = generateKeyPairSync('ed25519');
    const pub = new Uint8Array(key.publicKey.export({ format: 'der', type: 'spki' }).subarray(12));
    const kp = await keyGenerate();
    const r = rng(11);
    const records: Uint8Array[] = [];
    const minter = new IdMinter({ hubId: 42 });
    const ids: string[] = [];
    for (let i = 0; i < 520; i++) {
      const n = await note(kp, 42, r);
      ids.push(minter.mint().iscc_id);
      records.push(encodeLogEntry(ids[i]!, n));
    }
    // Entries an honest hub never logs: a forged note, a note addressed to another hub, a
    // deletion signed by a stranger. They stay in the tree but are ignored.
    const forged = await note(kp, 42, r);
    records[5] = encodeLogEntry(ids[5]!, { ...forged, datahash: forged.datahash, timestamp: new Date(Date.parse(forged.timestamp) + 1).toISOString() });
    records[6] = encodeLogEntry(ids[6]!, await note(kp, 43, r));
    records[7] = encodeLogEntry(ids[0]!, (await deleteNote(await keyGenerate(), 42, ids[0]!)) as never);
    const state = { records, size: 300 } as { records: Uint8Array[]; size: number; badSig?: boolean; shortBundle?: boolean };
    const url = await listen(fakeHub(state, key, pub));
    const follower = new RemoteLog(url, { pubkey: pubkeyEncode(pub) });
    expect((await follower.sync()).declarations.length).toBe(297);
    expect(follower.rejected).toBe(3);
    expect(follower.view.byId.has(ids[0]!)).toBe(true);
    expect(follower.view.byId.has(ids[5]!)).toBe(false);
    expect(follower.view.byId.has(ids[6]!)).toBe(false);
    expect(follower.view.records.length).toBe(300);
    state.size = 520;
    state.badSig = true;
    expect(await code(follower.sync())).toBe(HUB_ERROR_CODES.CHECKPOINT_INVALID);
    state.badSig = false;
    state.shortBundle = true;
    expect(await code(follower.sync())).toBe(HUB_ERROR_CODES.LOG_INCONSISTENT);
    state.shortBundle = false;
    // Rewrite history: change an entry the follower already verified.
    const saved = records[10]!;
    records[10] = encodeLogEntry('ISCC:MAIF3I4LNGBAAABK', await note(kp, 77, r));
    expect(await code(follower.sync())).toBe(HUB_ERROR_CODES.LOG_INCONSISTENT);
    expect(follower.view.records.length).toBe(300); // nothing of a failed sync is kept
    records[10] = saved;
    await follower.sync();
    expect(follower.view.records.length).toBe(520);
    state.size = 519;
    expect(await code(follower.sync())).toBe(HUB_ERROR_CODES.LOG_INCONSISTENT);
    // A follower pinned to another key refuses the log at once.
    const other = new RemoteLog(url, { pubkey: (await keyGenerate()).public_key });
    expect(await code(other.sync())).toBe(HUB_ERROR_CODES.CHECKPOINT_INVALID);
    expect(await code(new RemoteLog('http://127.0.0.1:1', { pubkey: kp.public_key }).sync())).toBe(HUB_ERROR_CODES.REMOTE_UNAVAILABLE);
  });
});
