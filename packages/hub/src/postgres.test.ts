/**
 * The PostgreSQL log store on a throw-away cluster (or ISCC_HUB_URL): declarations and
 * deletions survive a reopen, and two hub processes' worth of Hub objects on one database
 * (same hub id) never fork the log: each catches up under the row lock before minting, so
 * IDs stay unique and increasing and nonces are not reused across them.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { keyGenerate, type KeyPair } from '@iscc-ts/core';
import { Hub } from './hub.ts';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import { decodeIsccIdV1 } from './minter.ts';
import { deleteNote, note, rng, startPg } from './test-utils.ts';

let pg: Awaited<ReturnType<typeof startPg>>;
let url = '';
beforeAll(async () => {
  pg = await startPg();
  if ('skip' in pg) console.warn(`PostgreSQL tests skipped: ${pg.skip}`);
  else url = pg.url;
}, 60_000);
afterAll(() => {
  if (pg && !('skip' in pg)) pg.stop();
});

describe('PostgreSQL store', () => {
  let kp: KeyPair;
  const r = rng(9);
  const seckeyOf = new Map<number, string>();

  it('keeps declarations and deletions across reopen', async (ctx) => {
    if (!url) return ctx.skip();
    kp = await keyGenerate();
    const hub = await Hub.open({ hubId: 40, storage: url });
    seckeyOf.set(40, hub.keypair.secret_key);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(((await hub.declare(await note(kp, 40, r))).credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id);
    await hub.delete(ids[1]!, await deleteNote(kp, 40, ids[1]!));
    const cpSize = hub.size;
    await hub.close();
    const again = await Hub.open({ hubId: 40, storage: url, seckey: seckeyOf.get(40) });
    expect(again.size).toBe(cpSize);
    expect((await again.resolve(ids[0]!)).iscc_id).toBe(ids[0]);
    await expect(again.resolve(ids[1]!)).rejects.toThrow(HubError);
    await again.close();
  });

  it('two Hub instances on one database share one gapless log with unique increasing IDs', async (ctx) => {
    if (!url) return ctx.skip();
    kp ??= await keyGenerate();
    const a = await Hub.open({ hubId: 41, storage: url });
    const b = await Hub.open({ hubId: 41, storage: url, seckey: a.keypair.secret_key });
    const notes = await Promise.all(Array.from({ length: 60 }, () => note(kp, 41, r)));
    const receipts = await Promise.all(notes.map((n, i) => (i % 2 ? a : b).declare(n)));
    const seqs = receipts.map((x) => (x.credentialSubject as { declaration: { seq: number } }).declaration.seq).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => i));
    const ids = receipts.map((x) => (x.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id);
    expect(new Set(ids).size).toBe(60);
    // A nonce used through one instance is refused through the other.
    const e = await a.declare(notes[0]!, true).catch((x: unknown) => x as HubError);
    expect((e as HubError).code).toBe(HUB_ERROR_CODES.NONCE_REUSED);
    await new Promise((d) => setTimeout(d, 250)); // let the read-side refresh interval pass
    for (const id of ids) expect((await a.resolve(id)).iscc_id).toBe(id);
    const bySeq = [...a.local.byId.values()].sort((x, y) => x.seq - y.seq).map((d) => decodeIsccIdV1(d.iscc_id).value);
    for (let i = 1; i < bySeq.length; i++) expect(bySeq[i]! > bySeq[i - 1]!).toBe(true);
    expect(await a.latestCheckpoint()).toBe(await b.latestCheckpoint()); // same key, same tree
    await a.close();
    await b.close();
  });
});
