import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { IsccError } from '../errors.ts';
import { ed25519PublicKey, ed25519Sign, ed25519Verify } from './ed25519.ts';
import {
  PREFIX_PUBLIC_KEY,
  PREFIX_SECRET_KEY,
  controllerDocument,
  keyFromSecret,
  keyGenerate,
  pubkeyDecode,
  pubkeyEncode,
  pubkeyFromProof,
  pubkeyMultikey,
  seckeyDecode,
  seckeyEncode,
} from './keys.ts';
import { createNonce, decodeNodeId } from './nonce.ts';
import { buildDidWebUrl, resolveController, resolveDidKey, validateCid, validateDidDoc } from './did.ts';
import { signRaw, signVc } from './signing.ts';
import { verifyRaw } from './verifying.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const ALICE_SECRET = 'z3u2So9EAtuYVuxGog4F2ksFGws8YT7pBPs4xyRbv3NJgrNA';
const ALICE_PUBLIC = 'z6MkpFpVngrAUTSY6PagXa1x27qZqgdmmy3ZNWSBgyFSvBSx';
const ALICE_DID = 'did:web:crypto.iscc.codes:alice';

function aliceDidDocument(): unknown {
  const dir = process.env.ISCC_CONFORMANCE_DIR ?? resolvePath(import.meta.dirname, '../../../../../shared/conformance');
  const file = resolvePath(dir, 'crypto', 'iscc-crypto_docs_alice_did.json');
  if (!existsSync(file)) throw new Error(`conformance data not found: ${file} (set ISCC_CONFORMANCE_DIR)`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IsccError);
    return (e as IsccError).code;
  }
  return undefined;
}

describe('multikey keys', () => {
  it('round-trips the published alice keys', async () => {
    const seed = seckeyDecode(ALICE_SECRET);
    const pub = pubkeyDecode(ALICE_PUBLIC);
    expect(seed.length).toBe(32);
    expect(pub.length).toBe(32);
    expect(seckeyEncode(seed)).toBe(ALICE_SECRET);
    expect(pubkeyEncode(pub)).toBe(ALICE_PUBLIC);
    expect(await ed25519PublicKey(seed)).toEqual(pub);
  });

  it('generates z3u2/z6Mk keys with the multicodec prefixes, distinct each time', async () => {
    const a = await keyGenerate();
    const b = await keyGenerate('did:web:example.com', 'key-0');
    expect(a).toMatchObject({ controller: null, key_id: null });
    expect(b).toMatchObject({ controller: 'did:web:example.com', key_id: 'key-0' });
    for (const kp of [a, b]) {
      expect(kp.public_key.startsWith('z6Mk')).toBe(true);
      expect(kp.secret_key.startsWith('z3u2')).toBe(true);
      expect(Object.isFrozen(kp)).toBe(true);
      const restored = await keyFromSecret(kp.secret_key, kp.controller, kp.key_id);
      expect(restored).toEqual(kp);
    }
    expect(a.secret_key).not.toBe(b.secret_key);
    expect(Array.from(PREFIX_PUBLIC_KEY)).toEqual([0xed, 0x01]);
    expect(Array.from(PREFIX_SECRET_KEY)).toEqual([0x80, 0x26]);
  });

  it('builds the alice controller document exactly as published', async () => {
    const kp = await keyFromSecret(ALICE_SECRET, ALICE_DID);
    expect(controllerDocument(kp)).toEqual(aliceDidDocument());
    const withId = await keyFromSecret(ALICE_SECRET, ALICE_DID, 'key-1');
    expect(pubkeyMultikey(withId).id).toBe(`${ALICE_DID}#key-1`);
    expect(codeOf(() => pubkeyMultikey({ ...kp, controller: null }))).toBe('ISCC_INVALID_ARGUMENT');
  });

  it('refuses malformed keys with ISCC_KEY_INVALID', async () => {
    const bad = [
      () => pubkeyDecode(ALICE_PUBLIC.slice(1)), // no multibase prefix
      () => pubkeyDecode('z6Mk0OIl'), // not base58
      () => pubkeyDecode(ALICE_SECRET), // secret key prefix
      () => pubkeyDecode(ALICE_PUBLIC.slice(0, -2)), // too short
      () => seckeyDecode(ALICE_PUBLIC),
      () => seckeyDecode('mAAAA'),
      () => pubkeyEncode(new Uint8Array(31)),
      () => seckeyEncode(new Uint8Array(33)),
    ];
    for (const f of bad) expect(codeOf(f)).toBe('ISCC_KEY_INVALID');
    expect(codeOf(() => pubkeyDecode(42 as unknown as string))).toBe('ISCC_INVALID_TYPE');
    await expect(keyFromSecret(ALICE_PUBLIC)).rejects.toMatchObject({ code: 'ISCC_KEY_INVALID' });
    await expect(keyGenerate(5 as unknown as string)).rejects.toMatchObject({ code: 'ISCC_INVALID_TYPE' });
  });

  it('extracts the did:key public key of a Data Integrity proof', async () => {
    const kp = await keyGenerate();
    const signed = await signVc({ a: 1 }, kp);
    expect(pubkeyEncode(pubkeyFromProof(signed))).toBe(kp.public_key);
    for (const doc of [null, {}, { proof: { type: 'X' } }, { proof: { type: 'DataIntegrityProof', verificationMethod: 'did:web:x' } }]) {
      expect(codeOf(() => pubkeyFromProof(doc))).toBe('ISCC_KEY_INVALID');
    }
  });
});

describe('Ed25519 (WebCrypto)', () => {
  it('signs deterministically and verifies; any bit flip fails', async () => {
    const kp = await keyFromSecret(ALICE_SECRET);
    const msg = new TextEncoder().encode('hello');
    const s1 = await signRaw(msg, kp);
    expect(await signRaw(msg, kp)).toBe(s1);
    expect((await verifyRaw(msg, s1, ALICE_PUBLIC)).signature_valid).toBe(true);
    const seed = seckeyDecode(ALICE_SECRET);
    const pub = pubkeyDecode(ALICE_PUBLIC);
    const sig = await ed25519Sign(seed, msg);
    for (let bit = 0; bit < 512; bit += 7) {
      const bad = sig.slice();
      bad[bit >> 3]! ^= 1 << (bit & 7);
      expect(await ed25519Verify(pub, msg, bad)).toBe(false);
    }
    expect(await ed25519Verify(pub, msg, sig.subarray(0, 63))).toBe(false);
    expect(await ed25519Verify(pub, new TextEncoder().encode('hellp'), sig)).toBe(false);
    expect((await verifyRaw(msg, s1, (await keyGenerate()).public_key, false)).signature_valid).toBe(false);
    await expect(verifyRaw(msg, s1.slice(1), ALICE_PUBLIC)).rejects.toMatchObject({ code: 'ISCC_SIGNATURE_INVALID' });
  });

  it('property: sign/verify round-trips for random messages', async () => {
    const kp = await keyGenerate();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (msg) => {
        const s = await signRaw(msg, kp);
        expect((await verifyRaw(msg, s, kp.public_key, false)).signature_valid).toBe(true);
      }),
      { numRuns: Math.min(RUNS, 200) },
    );
  });
});

describe('nonces', () => {
  it('embeds and decodes the node id in the first 12 bits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4095 }), (id) => {
        const n = createNonce(id);
        expect(n).toMatch(/^[0-9a-f]{32}$/);
        expect(n.slice(0, 3)).toBe(id.toString(16).padStart(3, '0'));
        expect(decodeNodeId(n)).toBe(id);
      }),
      { numRuns: RUNS },
    );
    expect(decodeNodeId('07b4a5c6d7e8f9a0b1c2d3e4f5a6b7c8')).toBe(123);
    expect(decodeNodeId('FFF00000000000000000000000000000')).toBe(4095);
    expect(new Set(Array.from({ length: 50 }, () => createNonce(1))).size).toBe(50);
  });
  it('refuses bad ids and nonces', () => {
    for (const id of [-1, 4096, 1.5, Number.NaN]) expect(() => createNonce(id)).toThrow(IsccError);
    expect(() => createNonce('1' as unknown as number)).toThrow(IsccError);
    for (const n of ['abc', `${'0'.repeat(31)}g`, `${'0'.repeat(33)}`]) expect(() => decodeNodeId(n)).toThrow(IsccError);
    expect(() => decodeNodeId(5 as unknown as string)).toThrow(IsccError);
  });
});

describe('DID and controller documents', () => {
  it('maps did:web to its document URL', () => {
    const cases: [string, string][] = [
      ['did:web:example.com', 'https://example.com/.well-known/did.json'],
      ['did:web:example.com:path:to:document', 'https://example.com/path/to/document/did.json'],
      ['did:web:example.com%3A8080', 'https://example.com:8080/.well-known/did.json'],
      ['did:web:example.com%3A8080:user:alice', 'https://example.com:8080/user/alice/did.json'],
      [ALICE_DID, 'https://crypto.iscc.codes/alice/did.json'],
    ];
    for (const [did, url] of cases) expect(buildDidWebUrl(did)).toBe(url);
    for (const bad of ['did:key:z6Mk', 'did:web:', 'did:web:%E0%A4%A']) expect(codeOf(() => buildDidWebUrl(bad))).toBe('ISCC_IDENTITY_INVALID');
  });

  it('generates did:key documents', () => {
    const doc = resolveDidKey(`did:key:${ALICE_PUBLIC}`);
    const vmId = `did:key:${ALICE_PUBLIC}#${ALICE_PUBLIC}`;
    expect(doc.id).toBe(`did:key:${ALICE_PUBLIC}`);
    expect(doc.verificationMethod).toEqual([{ id: vmId, type: 'Multikey', controller: doc.id, publicKeyMultibase: ALICE_PUBLIC }]);
    expect(doc.assertionMethod).toEqual([vmId]);
    expect(codeOf(() => resolveDidKey('did:key:zBAD'))).toBe('ISCC_KEY_INVALID');
    expect(codeOf(() => resolveDidKey('did:web:x'))).toBe('ISCC_IDENTITY_INVALID');
  });

  it('resolves through an injected client and checks document ids', async () => {
    const alice = aliceDidDocument();
    const seen: string[] = [];
    const client = {
      getJson: async (url: string): Promise<unknown> => {
        seen.push(url);
        if (url === 'https://crypto.iscc.codes/alice/did.json') return alice;
        if (url === 'https://ctl.example/101') return { id: 'https://ctl.example/101' };
        if (url === 'https://ctl.example/evil') return { id: 'https://ctl.example/101' };
        throw new Error('404');
      },
    };
    expect(await resolveController(ALICE_DID, client)).toEqual(alice);
    expect(await resolveController('https://ctl.example/101', client)).toEqual({ id: 'https://ctl.example/101' });
    expect((await resolveController(`did:key:${ALICE_PUBLIC}`)).id).toBe(`did:key:${ALICE_PUBLIC}`);
    await expect(resolveController('https://ctl.example/evil', client)).rejects.toMatchObject({ code: 'ISCC_IDENTITY_INVALID' });
    await expect(resolveController('did:web:missing.example', client)).rejects.toMatchObject({ code: 'ISCC_IDENTITY_INVALID' });
    await expect(resolveController('did:web:crypto.iscc.codes:bob', { getJson: async () => alice })).rejects.toThrow(/does not match/);
    await expect(resolveController('urn:x', client)).rejects.toMatchObject({ code: 'ISCC_IDENTITY_INVALID' });
    await expect(resolveController(ALICE_DID)).rejects.toMatchObject({ code: 'ISCC_INVALID_TYPE' });
    expect(seen).toContain('https://missing.example/.well-known/did.json');
    expect(() => validateDidDoc(alice, ALICE_DID)).not.toThrow();
    expect(codeOf(() => validateCid({ id: 5 }, 'https://x'))).toBe('ISCC_IDENTITY_INVALID');
    expect(codeOf(() => validateCid([], 'https://x'))).toBe('ISCC_IDENTITY_INVALID');
  });
});
