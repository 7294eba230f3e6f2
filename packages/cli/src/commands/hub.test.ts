/**
 * `iscc hub`: documented examples run (against a real hub on 127.0.0.1, whose URL replaces the
 * examples' http://127.0.0.1:8000/hub); keygen/sign/verify round trips; every signed document
 * of shared/conformance/crypto verifies and a one-byte change anywhere makes verify exit 1;
 * --note applies the hub's rules (timestamp window, hub id); declare/resolve/search talk to
 * the hub; trouble (unreadable input, unreachable hub) is exit 2.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Hono } from 'hono';
import { serve, type ServerType } from '@hono/node-server';
import { Hub, createHubApp } from '@iscc-ts/hub';
import { buildIsccNote, jsonCanonical, keyFromSecret, keyGenerate } from '@iscc-ts/core';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './hub.ts';

function conformanceDir(): string {
  const dir = process.env.ISCC_CONFORMANCE_DIR ?? resolve(import.meta.dirname, '../../../../../shared/conformance');
  const probe = join(dir, 'crypto', 'iscc-crypto_docs_iscc-sig-spec_example.json');
  if (!existsSync(probe)) throw new Error(`conformance data not found: ${probe} (set ISCC_CONFORMANCE_DIR)`);
  return join(dir, 'crypto');
}
const CRYPTO = conformanceDir();
const SPEC_EXAMPLE = join(CRYPTO, 'iscc-crypto_docs_iscc-sig-spec_example.json');
const ALICE_DID = join(CRYPTO, 'iscc-crypto_docs_alice_did.json');
const SECKEY = 'z3u2So9EAtuYVuxGog4F2ksFGws8YT7pBPs4xyRbv3NJgrNA';
const HUB_NOTES = (JSON.parse(readFileSync(join(CRYPTO, 'iscc-hub_fixtures_test_data.json'), 'utf8')) as { model: string; fields: { iscc_note?: Record<string, unknown> } }[])
  .filter((r) => r.model === 'iscc_hub.event')
  .map((r) => r.fields.iscc_note!);

const EXAMPLE_HUB = 'http://127.0.0.1:8000/hub';
const HUB_ID = 7;
/** The seeded declaration (the content of the first iscc-hub fixture note). */
const SEED = {
  iscc_code: 'ISCC:KACWN77F73NA44D6EUG3S3QNJIL2BPPQFMW6ZX6CZNOKPAK23S2IJ2I',
  datahash: '1e205ca7815adcb484e9a136c11efe69c1d530176d549b5d18d038eb5280b4b3470c',
};

let tmp: string;
let hub: Hub;
let server: ServerType;
let base: string;
let seededId: string;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'iscc-cli-hub-'));
  // A fixed µs clock: the minter counts up from it, so the ISCC-IDs are the same on every run.
  hub = await Hub.open({ hubId: HUB_ID, storage: 'memory://', domain: 'hub.test', clock: () => 1_750_000_000_000_000n });
  const app = new Hono();
  app.route('/hub', createHubApp({ hub }));
  await new Promise<void>((done) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info) => {
      base = `http://127.0.0.1:${info.port}/hub`;
      done();
    });
  });
  const kp = await keyFromSecret(SECKEY);
  const receipt = await hub.declare(await buildIsccNote(SEED, kp, { hubId: HUB_ID }));
  seededId = receipt.credentialSubject.declaration.iscc_id;
});

afterAll(async () => {
  await new Promise((done) => server.close(done));
  await hub.close();
  rmSync(tmp, { recursive: true, force: true });
});

const hubCli = (args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}) => runCli(['hub', ...args], opts);
const write = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('iscc hub: documented examples', () => {
  it('the resolve example names the seeded declaration', () => {
    expect(spec.examples.find((e) => e.command.includes('hub resolve'))!.command).toContain(seededId);
  });
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command.replace(EXAMPLE_HUB, base)));
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      if (!ex.command.includes('hub declare --seckey')) expect(r.stderr).toBe('');
    });
  }
});

describe('iscc hub keygen / sign / verify', () => {
  it('keygen writes a 0600 key file once, and sign + verify round-trip with it', async () => {
    const keyPath = join(tmp, 'key.json');
    const g = await hubCli(['keygen', '--controller', 'did:web:example.com', '--out', keyPath]);
    expect(g.code).toBe(0);
    expect(statSync(keyPath).mode & 0o777).toBe(0o600);
    const key = JSON.parse(readFileSync(keyPath, 'utf8'));
    expect(g.stdout.trim()).toBe(key.public_key);
    expect(key.secret_key).toMatch(/^z3u2/);
    expect((await hubCli(['keygen', '--out', keyPath])).code).toBe(2); // never replaced silently
    expect(JSON.parse(readFileSync(keyPath, 'utf8'))).toEqual(key);
    const doc = write('doc.json', JSON.stringify({ title: 'My Document', content: 'Important data' }));
    const signedPath = join(tmp, 'doc.signed.json');
    expect((await hubCli(['sign', '--key', keyPath, '-o', signedPath, doc])).code).toBe(0);
    const signed = JSON.parse(readFileSync(signedPath, 'utf8'));
    expect(signed.signature).toMatchObject({ version: 'ISCC-SIG v1.0', controller: 'did:web:example.com', pubkey: key.public_key });
    const v = await hubCli(['verify', signedPath]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^valid/);
    // Stdin as input.
    expect((await hubCli(['verify', '-'], { input: JSON.stringify(signed) })).code).toBe(0);
    // Signing a signed document twice is refused.
    expect((await hubCli(['sign', '--key', keyPath, signedPath])).code).toBe(2);
  });

  it('reproduces the iscc-crypto README vector byte for byte (SELF_VERIFYING)', async () => {
    const doc = write('readme.json', JSON.stringify({ title: 'My Document', content: 'Important data' }));
    const r = await hubCli(['sign', '--seckey', SECKEY, '--type', 'SELF_VERIFYING', doc]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).signature.proof).toBe('z5xCgXk6tGJTVcvrcvVok5XgLn5Mefo49ztwwW8QCmjoySH4ZEkri4XoY2JjiyaD7yD4Na7eoGPqmhPoeM2uvBmF8');
    // The key from the environment gives the same.
    const e = await hubCli(['sign', '--type', 'self-verifying', doc], { env: { ISCC_SECKEY: SECKEY } });
    expect(e.stdout).toBe(r.stdout);
  });

  it('PROOF_ONLY needs --pubkey to verify; IDENTITY_BOUND needs a controller', async () => {
    const kp = await keyGenerate();
    const doc = write('po.json', '{"a": 1}');
    const r = await hubCli(['sign', '--seckey', kp.secret_key, '--type', 'PROOF_ONLY', doc]);
    const signed = write('po.signed.json', r.stdout);
    expect(Object.keys(JSON.parse(r.stdout).signature).sort()).toEqual(['proof', 'version']);
    expect((await hubCli(['verify', signed])).code).toBe(1);
    expect((await hubCli(['verify', '--pubkey', kp.public_key, signed])).code).toBe(0);
    expect((await hubCli(['verify', '--pubkey', (await keyGenerate()).public_key, signed])).code).toBe(1);
    expect((await hubCli(['sign', '--seckey', kp.secret_key, '--type', 'IDENTITY_BOUND', doc])).code).toBe(2);
    expect((await hubCli(['sign', '--seckey', kp.secret_key, '--type', 'NOPE', doc])).code).toBe(2);
    expect((await hubCli(['sign', doc])).code).toBe(2); // no key
  });

  it('verifies the ISCC-SIG spec example, with its controller document', async () => {
    const r = await hubCli(['verify', '--json', '--did-doc', ALICE_DID, SPEC_EXAMPLE]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ valid: true, signature_valid: true, identity_verified: true });
    // A DID document that does not list the key: identity not verified -> invalid.
    const other = JSON.parse(readFileSync(ALICE_DID, 'utf8'));
    other.verificationMethod = [];
    for (const k of ['authentication', 'assertionMethod']) other[k] = [];
    const r2 = await hubCli(['verify', '--json', '--did-doc', write('other-did.json', JSON.stringify(other)), SPEC_EXAMPLE]);
    expect(r2.code).toBe(1);
    expect(JSON.parse(r2.stdout).identity_verified).toBe(false);
  });

  it('a one-byte change anywhere in the spec example gives exit 1 (or 2 when it is no longer JSON)', async () => {
    const text = readFileSync(SPEC_EXAMPLE, 'utf8');
    const original = Buffer.from(jsonCanonical(JSON.parse(text))).toString('utf8');
    let changed = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      const sub = String.fromCharCode(c === 0x41 ? 0x42 : c === 0x61 ? 0x62 : c === 0x30 ? 0x31 : c === 0x20 || c === 0x0a ? c : 0x41);
      const mutated = text.slice(0, i) + sub + text.slice(i + 1);
      let same: boolean | null;
      try {
        same = Buffer.from(jsonCanonical(JSON.parse(mutated))).toString('utf8') === original;
      } catch {
        same = null; // not JSON any more
      }
      const r = await hubCli(['verify', '-'], { input: mutated });
      if (same === null) expect(r.code, `offset ${i}`).toBe(2);
      else if (same) expect(r.code, `offset ${i}`).toBe(0);
      else {
        expect(r.code, `offset ${i}: ${mutated.slice(Math.max(0, i - 20), i + 20)}`).toBe(1);
        changed++;
      }
    }
    expect(changed).toBeGreaterThan(300);
  });

  it('every iscc-hub fixture note verifies, and passes the note rules at its own time and hub', async () => {
    expect(HUB_NOTES).toHaveLength(5);
    for (const note of HUB_NOTES) {
      const path = write('fixture-note.json', JSON.stringify(note));
      expect((await hubCli(['verify', path])).code).toBe(0);
      const t = note.timestamp as string;
      expect((await hubCli(['verify', '--note', '--hub-id', '1', '--now', t, path])).code).toBe(0);
      // Today the note is stale: the timestamp window refuses it.
      const stale = await hubCli(['verify', '--json', '--note', path]);
      expect(stale.code).toBe(1);
      expect(JSON.parse(stale.stdout)).toMatchObject({ valid: false, signature_valid: true, note: { code: 'ISCC_NOTE_TIMESTAMP', hub_code: 'timestamp_out_of_range' } });
      // Addressed to hub 1, not 2.
      const other = await hubCli(['verify', '--json', '--note', '--hub-id', '2', '--now', t, path]);
      expect(other.code).toBe(1);
      expect(JSON.parse(other.stdout).note.hub_code).toBe('nonce_mismatch');
      // One byte of the datahash changed: the signature fails.
      const d = note.datahash as string;
      const forged = { ...note, datahash: d.slice(0, -1) + (d.endsWith('0') ? '1' : '0') };
      expect((await hubCli(['verify', write('forged.json', JSON.stringify(forged))])).code).toBe(1);
    }
  });

  it('trouble is exit 2: missing file, not JSON, not an object, bad options', async () => {
    expect((await hubCli(['verify', join(tmp, 'missing.json')])).code).toBe(2);
    expect((await hubCli(['verify', '-'], { input: 'not json' })).code).toBe(2);
    expect((await hubCli(['verify', '-'], { input: '[1, 2]' })).code).toBe(2);
    expect((await hubCli(['verify'])).code).toBe(2);
    expect((await hubCli(['verify', '--now', 'yesterday', '--note', SPEC_EXAMPLE])).code).toBe(2);
    expect((await hubCli(['frobnicate'])).code).toBe(2);
    expect((await hubCli([])).code).toBe(2);
    // A signed document without signature is invalid (1), not trouble.
    expect((await hubCli(['verify', '-'], { input: '{"a": 1}' })).code).toBe(1);
  });
});

describe('iscc hub declare / resolve / search (hub on 127.0.0.1)', () => {
  it('declares, resolves and finds a declaration; a duplicate datahash is refused unless --force', async () => {
    const kp = await keyGenerate();
    const code = 'ISCC:KACT4EBWK27737D2AYCJRAL5Z36G76RFRMO4554RU26HZ4ORJGIVHDI';
    const datahash = '1e20' + 'ab'.repeat(32);
    // An ISCC-CODE whose Instance-Code does not match the datahash: refused locally (exit 1).
    const bad = await hubCli(['declare', '--hub', base, '--seckey', kp.secret_key, '--iscc-code', code, '--datahash', datahash]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/ISCC_NOTE_INVALID/);
    // A matching pair: the datahash of an empty file and its ISCC-SUM based ISCC-CODE.
    const empty = write('empty.bin', '');
    const dry = await hubCli(['declare', '--dry-run', '--hub-id', String(HUB_ID), '--seckey', kp.secret_key, empty]);
    expect(dry.code, dry.stderr).toBe(0);
    const note = JSON.parse(dry.stdout);
    const r = await hubCli(['declare', '--json', '--hub', base, '--seckey', kp.secret_key, '--gateway', 'https://gw.example/{iscc_id}', '--iscc-code', note.iscc_code, '--datahash', note.datahash]);
    expect(r.code, r.stderr).toBe(0);
    const receipt = JSON.parse(r.stdout);
    const id = receipt.credentialSubject.declaration.iscc_id as string;
    expect(id).toMatch(/^ISCC:MA/);
    const res = await hubCli(['resolve', '--json', id], { env: { ISCC_HUB_ENDPOINT: base } });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ iscc_id: id, iscc_code: note.iscc_code, datahash: note.datahash, pubkey: kp.public_key, gateway_url: `https://gw.example/${id.slice(5)}` });
    const text = await hubCli(['resolve', '--hub', base, id]);
    expect(text.stdout).toMatch(new RegExp(`^iscc_id +${id}$`, 'm'));
    const s = await hubCli(['search', '--json', '--hub', base, '--datahash', note.datahash]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout).results.map((x: { iscc_id: string }) => x.iscc_id)).toEqual([id]);
    // The same datahash again: 409 from the hub (exit 1), then declared anyway with --force.
    const again = await hubCli(['declare', '--hub', base, '--seckey', kp.secret_key, empty]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/HUB_DUPLICATE_DATAHASH/);
    const forced = await hubCli(['declare', '--force', '--hub', base, '--seckey', kp.secret_key, empty]);
    expect(forced.code, forced.stderr).toBe(0);
    expect(forced.stdout.trim()).toMatch(/^ISCC:MA/);
  });

  it('the receipt note passes verify --note at this hub', async () => {
    const r = await hubCli(['declare', '--dry-run', '--hub', base, '--seckey', SECKEY, '--iscc-code', SEED.iscc_code, '--datahash', SEED.datahash]);
    expect(r.code).toBe(0);
    const path = write('dry-note.json', r.stdout);
    expect((await hubCli(['verify', '--note', '--hub-id', String(HUB_ID), path])).code).toBe(0);
    expect((await hubCli(['verify', '--note', '--hub-id', String(HUB_ID + 1), path])).code).toBe(1);
  });

  it('not found is exit 1, an unreachable hub or a missing --hub is exit 2', async () => {
    const missing = await hubCli(['resolve', '--hub', base, 'ISCC:MAIWFKTNFA7X3IXT']);
    expect(missing.code).toBe(1);
    expect((await hubCli(['search', '--hub', base, '--datahash', '1e20' + '00'.repeat(32)])).code).toBe(1);
    expect((await hubCli(['resolve', '--hub', 'http://127.0.0.1:9/hub', seededId])).code).toBe(2);
    expect((await hubCli(['resolve', seededId])).code).toBe(2);
    expect((await hubCli(['search', '--hub', base])).code).toBe(2);
    expect((await hubCli(['resolve', '--hub', base, 'not-an-id'])).code).toBe(2);
  });
});
