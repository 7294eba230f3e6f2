/**
 * The hub as a library: declarations, receipts (eddsa-jcs-2022 VCs with inclusion evidence
 * that verifies against the signed checkpoint), resolve with the expanded gateway, the
 * duplicate-datahash policy, nonce replay, the allow-list, deletion only by the declaring key,
 * search by datahash and by ISCC-CODE similarity, restart of the embedded store with the clock
 * stepped back, and hostile notes leaving nothing stored.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, appendFileSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsccNoteError, keyGenerate, signJson, verifyRaw, createSignaturePayload, createNonce, type KeyPair } from '@iscc-ts/core';
import { Hub } from './hub.ts';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import { verifyCheckpoint } from './checkpoint.ts';
import { leafHash, verifyInclusion } from './merkle.ts';
import { encodeLogEntry } from './records.ts';
import { LOG_FILE } from './file-store.ts';
import { content, deleteNote, note, rng } from './test-utils.ts';

const root = mkdtempSync(join(tmpdir(), 'iscc-hub-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function code(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (e instanceof HubError || e instanceof IsccNoteError) return e.code;
  throw new Error(`expected a hub refusal, got ${String(e)}`);
}

describe('Hub', () => {
  let kp: KeyPair;
  let other: KeyPair;
  const r = rng(1);

  it('declares, issues a verifiable receipt with inclusion evidence, resolves with the expanded gateway', async () => {
    kp = await keyGenerate();
    other = await keyGenerate();
    const hub = await Hub.open({ hubId: 7, domain: 'hub.example' });
    const n = await note(kp, 7, r, { gateway: 'https://meta.example/{iscc_id}/{?datahash}' });
    const receipt = await hub.declare(n);
    // eddsa-jcs-2022 by the hub key (its verification method is a did:web, so check the key directly).
    const { proof: signed, ...unsigned } = receipt as { proof: Record<string, unknown> };
    const { proofValue, ...options } = signed;
    expect((await verifyRaw(createSignaturePayload(unsigned, options), proofValue as string, hub.keypair.public_key, false)).signature_valid).toBe(true);
    const tampered = { ...unsigned, issuer: 'did:web:evil.example' };
    expect((await verifyRaw(createSignaturePayload(tampered, options), proofValue as string, hub.keypair.public_key, false)).signature_valid).toBe(false);
    expect(receipt.issuer).toBe('did:web:hub.example');
    const subject = receipt.credentialSubject as { id: string; declaration: { seq: number; iscc_id: string; iscc_note: unknown } };
    expect(subject.id).toBe(`did:key:${kp.public_key}`);
    expect(subject.declaration.seq).toBe(0);
    expect(subject.declaration.iscc_note).toEqual(n);
    const proof = receipt.proof as { verificationMethod: string; cryptosuite: string };
    expect(proof.cryptosuite).toBe('eddsa-jcs-2022');
    expect(proof.verificationMethod).toBe(`did:web:hub.example#${hub.keypair.public_key}`);
    // The same VC re-pointed at the hub's did:key verifies: the signature is the hub key's.
    const doc = hub.didDocument() as { verificationMethod: { publicKeyMultibase: string }[] };
    expect(doc.verificationMethod[0]!.publicKeyMultibase).toBe(hub.keypair.public_key);
    // Evidence: the checkpoint verifies with the hub key and the proof includes the entry.
    const ev = receipt.evidence as { checkpoint: string; treeSize: number; leafIndex: number; inclusionProof: string[] };
    const cp = verifyCheckpoint(ev.checkpoint, 'hub.example/hub/log', hub.pubkey)!;
    expect(cp.size).toBe(1);
    const leaf = leafHash(encodeLogEntry(subject.declaration.iscc_id, n));
    expect(verifyInclusion(leaf, ev.leafIndex, ev.treeSize, ev.inclusionProof.map((x) => new Uint8Array(Buffer.from(x, 'base64'))), cp.root)).toBe(true);
    const d = await hub.resolve(subject.declaration.iscc_id);
    expect(d.iscc_code).toBe(n.iscc_code);
    expect(d.gateway_url).toBe(`https://meta.example/${subject.declaration.iscc_id.slice(5)}/?datahash=${n.datahash}`);
    expect(d.hub_id).toBe(7);
    await hub.close();
  });

  it('refuses duplicate datahashes (409 with the existing ID) unless forced; nonce replay; allow-list', async () => {
    const hub = await Hub.open({ hubId: 7, allowedPubkeys: [(kp ??= await keyGenerate()).public_key] });
    const c = content(r);
    const first = await hub.declare(await note(kp, 7, r, { datahash: c.datahash, iscc_code: c.iscc_code }));
    const firstId = (first.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id;
    const again = await note(kp, 7, r, { datahash: c.datahash, iscc_code: c.iscc_code });
    const e = await hub.declare(again).catch((x: unknown) => x as HubError);
    expect(e).toBeInstanceOf(HubError);
    expect((e as HubError).code).toBe(HUB_ERROR_CODES.DUPLICATE_DATAHASH);
    expect((e as HubError).status).toBe(409);
    expect((e as HubError).extra.existing_iscc_id).toBe(firstId);
    await hub.declare(again, true);
    expect((await hub.searchDatahash(c.datahash)).length).toBe(2);
    expect(await code(hub.declare(again, true))).toBe(HUB_ERROR_CODES.NONCE_REUSED);
    other ??= await keyGenerate();
    expect(await code(hub.declare(await note(other, 7, r)))).toBe(HUB_ERROR_CODES.PUBKEY_NOT_ALLOWED);
    expect(hub.size).toBe(2);
    await hub.close();
  });

  it('deletes only with the declaring key, once; deleted IDs and other hubs answer 404 naming why', async () => {
    const hub = await Hub.open({ hubId: 9 });
    const n = await note(kp, 9, r);
    const rc = await hub.declare(n);
    const id = (rc.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id;
    expect(await code(hub.delete(id, await deleteNote(other, 9, id)))).toBe(HUB_ERROR_CODES.NOT_OWNER);
    expect(await code(hub.delete(id, await deleteNote(kp, 8, id)))).toBe('ISCC_NOTE_NONCE');
    const del = await deleteNote(kp, 9, id);
    const forged = { ...del, timestamp: new Date(Date.now() + 1000).toISOString() };
    expect(await code(hub.delete(id, forged))).toBe('ISCC_SIGNATURE_INVALID');
    expect(await code(hub.delete(id, { ...del, extra: 1 }))).toBe(HUB_ERROR_CODES.INVALID_DELETE);
    const s = await hub.delete(id, del);
    expect(s.seq).toBe(1);
    expect(await code(hub.resolve(id))).toBe(HUB_ERROR_CODES.NOT_FOUND);
    await expect(hub.resolve(id)).rejects.toThrow(/deleted/);
    expect(await code(hub.delete(id, del))).toBe(HUB_ERROR_CODES.NOT_FOUND);
    expect((await hub.searchDatahash(n.datahash)).length).toBe(0);
    const foreign = 'ISCC:MAIF3I4LNGBAAABK'; // hub 42
    await expect(hub.resolve(foreign)).rejects.toThrow(/hub 42/);
    // The note can be declared again after deletion? Its nonce is spent: replay refused.
    expect(await code(hub.declare(n))).toBe(HUB_ERROR_CODES.NONCE_REUSED);
    await hub.close();
  });

  it('finds similar ISCC-CODEs through the index', async () => {
    const hub = await Hub.open({ hubId: 3 });
    const base = content(r);
    const near = content(r, { ...base.parts, data: base.parts.data.map((b, i) => (i === 0 ? b ^ 1 : b)) });
    const far = content(r);
    const ids: string[] = [];
    for (const c of [base, far]) {
      const rc = await hub.declare(await note(kp, 3, r, { datahash: c.datahash, iscc_code: c.iscc_code }));
      ids.push((rc.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id);
    }
    const hits = await hub.searchIsccCode(near.iscc_code);
    expect(hits[0]!.iscc_id).toBe(ids[0]);
    expect(hits[0]!.distance).toBeLessThan(0.1);
    expect(hits.find((h) => h.iscc_id === ids[1])).toBeUndefined();
    expect(await code(hub.searchIsccCode('ISCC:garbage'))).toBe(HUB_ERROR_CODES.INVALID_QUERY);
    expect(await code(hub.searchDatahash('1e20xyz'))).toBe(HUB_ERROR_CODES.INVALID_QUERY);
    await hub.close();
  });

  it('refuses hostile notes with stable codes and stores nothing', async () => {
    const hub = await Hub.open({ hubId: 5 });
    const good = await note(kp, 5, r);
    const cases: [unknown, string][] = [
      [{ ...good, signature: { ...good.signature, proof: good.signature.proof.slice(0, -2) + 'zz' } }, 'ISCC_SIGNATURE_INVALID'],
      [{ ...good, datahash: content(r).datahash }, 'ISCC_NOTE_INVALID'],
      [await note(kp, 6, r), 'ISCC_NOTE_NONCE'],
      [await note(kp, 5, r, { now: Date.now() - 11 * 60_000 }), 'ISCC_NOTE_TIMESTAMP'],
      [await note(kp, 5, r, { now: Date.now() + 11 * 60_000 }), 'ISCC_NOTE_TIMESTAMP'],
      [{ ...good, unknown_field: 1 }, 'ISCC_NOTE_INVALID'],
      [await signJson({ iscc_code: good.iscc_code, datahash: good.datahash, nonce: createNonce(5), timestamp: new Date().toISOString(), extra: 'x' }, kp), 'ISCC_NOTE_INVALID'],
      [{ ...good, gateway: 'x'.repeat(9000) }, 'ISCC_LIMIT_EXCEEDED'],
      [[good], 'ISCC_NOTE_INVALID'],
      [null, 'ISCC_NOTE_INVALID'],
    ];
    for (const [n, c] of cases) expect(await code(hub.declare(n)), JSON.stringify(n).slice(0, 80)).toBe(c);
    expect(hub.size).toBe(0);
    await hub.declare(good);
    expect(hub.size).toBe(1);
    await hub.close();
  });

  it('embedded store: survives restart with a torn tail; IDs keep increasing when the clock stepped back', async () => {
    const dir = join(root, 'restart');
    let clock = 1_800_000_000_000_000n;
    const hub = await Hub.open({ hubId: 11, storage: dir, clock: () => clock });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const rc = await hub.declare(await note(kp, 11, r));
      ids.push((rc.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id);
    }
    const pub = hub.keypair.public_key;
    const cp = hub.checkpoint();
    // A second open while the first holds the directory is refused.
    expect(await code(Hub.open({ hubId: 11, storage: dir }))).toBe(HUB_ERROR_CODES.LOCKED);
    await hub.close();
    appendFileSync(join(dir, LOG_FILE), Buffer.from([0, 0, 1, 0, 1, 2, 3])); // torn frame
    clock -= 60_000_000n; // a minute back
    const again = await Hub.open({ hubId: 11, storage: dir, clock: () => clock });
    expect(again.keypair.public_key).toBe(pub); // key file reused
    expect(again.size).toBe(5);
    expect(again.checkpoint()).toBe(cp);
    for (const id of ids) expect((await again.resolve(id)).iscc_id).toBe(id);
    const rc = await again.declare(await note(kp, 11, r));
    const next = (rc.credentialSubject as { declaration: { iscc_id: string } }).declaration.iscc_id;
    expect(next > ids[4]!).toBe(true);
    await again.close();
    // A flipped byte in the middle of the log is corruption, not a torn write: refuse to open.
    const path = join(dir, LOG_FILE);
    const bytes = readFileSync(path);
    bytes[40]! ^= 0xff;
    writeFileSync(path, bytes);
    expect(await code(Hub.open({ hubId: 11, storage: dir }))).toBe(HUB_ERROR_CODES.STORAGE);
    expect(statSync(path).size).toBe(bytes.length); // nothing cut off
  });
});
