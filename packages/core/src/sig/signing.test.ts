import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IsccError } from '../errors.ts';
import { jsonCanonical } from '../jcs.ts';
import { keyFromSecret, keyGenerate } from './keys.ts';
import { createSignaturePayload, signJson, signRaw, signVc, SigType, ISCC_SIG_VERSION } from './signing.ts';
import { verifyJson, verifyRaw, verifyVc } from './verifying.ts';

// --- conformance fixtures (fail loudly when missing) ---
/** The conformance directory ($ISCC_CONFORMANCE_DIR or ../shared/conformance from the repo root). */
function conformanceDir(): string {
  const dir = process.env.ISCC_CONFORMANCE_DIR ?? resolve(import.meta.dirname, '../../../../../shared/conformance');
  const probe = resolve(dir, 'crypto', 'SOURCE.md');
  if (!existsSync(probe)) throw new Error(`conformance data not found: ${probe} (set ISCC_CONFORMANCE_DIR)`);
  return dir;
}

/** Parse a JSON file under conformance/crypto. */
function cryptoFixture<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(resolve(conformanceDir(), 'crypto', name), 'utf8')) as T;
}

/** Published secret key of the ISCC-SIG spec example (alice). */
const ALICE_SECRET = 'z3u2So9EAtuYVuxGog4F2ksFGws8YT7pBPs4xyRbv3NJgrNA';
/** Published public key of the ISCC-SIG spec example (alice). */
const ALICE_PUBLIC = 'z6MkpFpVngrAUTSY6PagXa1x27qZqgdmmy3ZNWSBgyFSvBSx';
/** W3C vc-di-eddsa test key pair. */
const W3C_SECRET = 'z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq';
const W3C_PUBLIC = 'z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2';

/** The five signed notes of the iscc-hub fixture. */
function hubFixtureNotes(): Record<string, unknown>[] {
  const rows = cryptoFixture<{ model: string; fields: { iscc_note?: Record<string, unknown> } }[]>(
    'iscc-hub_fixtures_test_data.json',
  );
  const notes = rows.filter((r) => r.model === 'iscc_hub.event').map((r) => r.fields.iscc_note!);
  if (notes.length !== 5) throw new Error(`expected 5 hub fixture notes, got ${notes.length}`);
  return notes;
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

const W3C_CREDENTIAL = {
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
  id: 'urn:uuid:58172aac-d8ba-11ed-83dd-0b3aef56cc33',
  type: ['VerifiableCredential', 'AlumniCredential'],
  name: 'Alumni Credential',
  description: 'A minimum viable example of an Alumni Credential.',
  issuer: 'https://vc.example/issuers/5678',
  validFrom: '2023-01-01T00:00:00Z',
  credentialSubject: { id: 'did:example:abcdefgh', alumniOf: 'The School of Examples' },
};
const W3C_OPTIONS = {
  type: 'DataIntegrityProof',
  cryptosuite: 'eddsa-jcs-2022',
  created: '2023-02-24T23:36:38Z',
  verificationMethod: `did:key:${W3C_PUBLIC}#${W3C_PUBLIC}`,
  proofPurpose: 'assertionMethod',
  '@context': ['https://www.w3.org/ns/credentials/v2', 'https://www.w3.org/ns/credentials/examples/v2'],
};
const W3C_PAYLOAD =
  '66ab154f5c2890a140cb8388a22a160454f80575f6eae09e5a097cabe539a1db59b7cb6251b8991add1ce0bc83107e3db9dbbab5bd2c28f687db1a03abc92f19';
const W3C_PROOF = 'z2HnFSSPPBzR36zdDgK8PbEHeXbR56YF24jwMpt3R1eHXQzJDMWS93FCzpvJpwTWd3GAVFuUfjoJdcnTMuVor51aX';

/** Every variant of `doc` with one character of one string value changed (deep). */
function* oneCharMutations(doc: unknown, path: (string | number)[] = []): Generator<[string, unknown]> {
  if (typeof doc === 'string') {
    for (let i = 0; i < doc.length; i++) {
      const c = doc.charCodeAt(i);
      const repl = String.fromCharCode(c === 0x41 ? 0x42 : 0x41);
      yield [`${path.join('.')}[${i}]`, doc.slice(0, i) + repl + doc.slice(i + 1)];
    }
  } else if (Array.isArray(doc)) {
    for (let i = 0; i < doc.length; i++) {
      for (const [p, v] of oneCharMutations(doc[i], [...path, i])) yield [p, doc.map((x, j) => (j === i ? v : x))];
    }
  } else if (doc !== null && typeof doc === 'object') {
    for (const [k, val] of Object.entries(doc)) {
      for (const [p, v] of oneCharMutations(val, [...path, k])) yield [p, { ...doc, [k]: v }];
    }
  }
}

describe('ISCC-SIG vectors', () => {
  it('derives the published public keys from the published secret keys', async () => {
    expect((await keyFromSecret(ALICE_SECRET)).public_key).toBe(ALICE_PUBLIC);
    expect((await keyFromSecret(W3C_SECRET)).public_key).toBe(W3C_PUBLIC);
  });

  it('reproduces the README vector exactly', async () => {
    const kp = await keyFromSecret(ALICE_SECRET);
    const signed = await signJson({ title: 'My Document', content: 'Important data' }, kp, SigType.SELF_VERIFYING);
    expect(signed.signature).toEqual({
      version: ISCC_SIG_VERSION,
      pubkey: ALICE_PUBLIC,
      proof: 'z5xCgXk6tGJTVcvrcvVok5XgLn5Mefo49ztwwW8QCmjoySH4ZEkri4XoY2JjiyaD7yD4Na7eoGPqmhPoeM2uvBmF8',
    });
    // AUTO on a key pair without controller/key id discloses the same.
    expect(await signJson({ title: 'My Document', content: 'Important data' }, kp)).toEqual(signed);
  });

  it('reproduces the spec IDENTITY_BOUND example byte for byte and verifies it against alice', async () => {
    const example = cryptoFixture<Record<string, unknown> & { signature: Record<string, string> }>(
      'iscc-crypto_docs_iscc-sig-spec_example.json',
    );
    const aliceDoc = cryptoFixture('iscc-crypto_docs_alice_did.json');
    const { signature, ...doc } = example;
    const kp = await keyFromSecret(ALICE_SECRET, signature.controller);
    const signed = await signJson(doc, kp, SigType.IDENTITY_BOUND);
    expect(signed).toEqual(example);
    expect(JSON.stringify(signed.signature)).toBe(JSON.stringify(example.signature));
    const res = await verifyJson(example, aliceDoc);
    expect(res).toEqual({ signature_valid: true, identity_verified: true, message: null, is_valid: true });
    // The identity fails for a document of another controller and for a different key.
    const other = JSON.parse(JSON.stringify(aliceDoc).replaceAll('did:web:crypto.iscc.codes:alice', 'did:web:x.org')) as unknown;
    expect(await verifyJson(example, other)).toMatchObject({ signature_valid: true, identity_verified: false, is_valid: false });
  });

  it('verifies every note of the iscc-hub fixture', async () => {
    for (const note of hubFixtureNotes()) {
      expect(await verifyJson(note)).toEqual({ signature_valid: true, identity_verified: null, message: null, is_valid: true });
    }
  });

  it('fails verification after a one-character change anywhere in a signed document', async () => {
    const docs = [
      cryptoFixture('iscc-crypto_docs_iscc-sig-spec_example.json'),
      ...hubFixtureNotes().slice(0, 2),
    ];
    let checked = 0;
    for (const doc of docs) {
      for (const [where, mutated] of oneCharMutations(doc)) {
        const res = await verifyJson(mutated, null, null, false);
        expect(res.signature_valid, where).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('fails after adding, removing or renaming a member', async () => {
    const [note] = hubFixtureNotes();
    const n = note as Record<string, unknown>;
    const { metahash: _m, ...removed } = n;
    for (const bad of [{ ...n, extra: 1 }, removed, { ...removed, metahash2: n.metahash }]) {
      expect((await verifyJson(bad, null, null, false)).signature_valid).toBe(false);
    }
    await expect(verifyJson({ ...n, extra: 1 })).rejects.toMatchObject({ code: 'ISCC_SIGNATURE_INVALID' });
  });

  it('reproduces the W3C eddsa-jcs-2022 vector (payload, proofValue) and verifies it', async () => {
    expect(hex(createSignaturePayload(W3C_CREDENTIAL, W3C_OPTIONS))).toBe(W3C_PAYLOAD);
    const kp = await keyFromSecret(W3C_SECRET);
    const payload = Uint8Array.from(W3C_PAYLOAD.match(/../g)!, (h) => Number.parseInt(h, 16));
    expect(await signRaw(payload, kp)).toBe(W3C_PROOF);
    const signed = await signVc(W3C_CREDENTIAL, kp, W3C_OPTIONS);
    expect(signed.proof).toEqual({ ...W3C_OPTIONS, proofValue: W3C_PROOF });
    expect(await verifyVc(signed)).toMatchObject({ signature_valid: true, is_valid: true });
    expect(await verifyRaw(payload, W3C_PROOF, W3C_PUBLIC)).toMatchObject({ signature_valid: true });
    for (const [where, mutated] of oneCharMutations(signed)) {
      expect((await verifyVc(mutated, false)).signature_valid, where).toBe(false);
    }
  });
});

describe('signJson / verifyJson behaviour', () => {
  it('discloses per signature type and verifies each', async () => {
    const kp = await keyGenerate('did:web:example.com', 'key-1');
    const doc = { a: 1, nested: { b: [1, 2, 3] } };
    const auto = await signJson(doc, kp);
    expect(Object.keys(auto.signature).sort()).toEqual(['controller', 'keyid', 'proof', 'pubkey', 'version']);
    const po = await signJson(doc, kp, SigType.PROOF_ONLY);
    expect(Object.keys(po.signature).sort()).toEqual(['proof', 'version']);
    const sv = await signJson(doc, kp, SigType.SELF_VERIFYING);
    expect(Object.keys(sv.signature).sort()).toEqual(['proof', 'pubkey', 'version']);
    const ib = await signJson(doc, kp, SigType.IDENTITY_BOUND);
    expect(Object.keys(ib.signature).sort()).toEqual(['controller', 'keyid', 'proof', 'pubkey', 'version']);
    for (const s of [auto, sv, ib]) expect((await verifyJson(s)).is_valid).toBe(true);
    expect((await verifyJson(po, null, kp.public_key)).is_valid).toBe(true);
    await expect(verifyJson(po)).rejects.toThrow(/Missing pubkey/);
    const other = await keyGenerate();
    expect(await verifyJson(po, null, other.public_key, false)).toMatchObject({ signature_valid: false });
    // Input untouched, output a deep copy.
    expect(doc).toEqual({ a: 1, nested: { b: [1, 2, 3] } });
    (auto.nested.b as number[])[0] = 99;
    expect(doc.nested.b[0]).toBe(1);
  });

  it('checks identity with key ids and rejects a pinned key that differs from the embedded one', async () => {
    const kp = await keyGenerate('did:example:123', 'key-1');
    const signed = await signJson({ x: 'y' }, kp, SigType.IDENTITY_BOUND);
    const vm = { id: 'did:example:123#key-1', type: 'Multikey', controller: 'did:example:123', publicKeyMultibase: kp.public_key };
    expect((await verifyJson(signed, { id: 'did:example:123', verificationMethod: [vm] })).identity_verified).toBe(true);
    const wrongId = { ...vm, id: 'did:example:123#key-2' };
    expect((await verifyJson(signed, { id: 'did:example:123', verificationMethod: [wrongId] })).identity_verified).toBe(false);
    expect((await verifyJson(signed, { id: 'did:example:123', verificationMethod: [] })).identity_verified).toBe(false);
    const other = await keyGenerate();
    await expect(verifyJson(signed, null, other.public_key)).rejects.toThrow(/does not match signature pubkey/);
    // Without an identity document, identity is not checked.
    expect((await verifyJson(signed)).identity_verified).toBeNull();
  });

  it('refuses bad input', async () => {
    const kp = await keyGenerate();
    await expect(signJson({ signature: 'x' }, kp)).rejects.toThrow(IsccError);
    await expect(signJson({ a: NaN }, kp)).rejects.toThrow(IsccError);
    await expect(signJson([1] as unknown as object, kp)).rejects.toThrow(IsccError);
    await expect(signJson({ a: 1 }, kp, SigType.IDENTITY_BOUND)).rejects.toThrow(/controller/);
    await expect(signJson({ a: 1 }, kp, 'nope' as SigType)).rejects.toThrow(IsccError);
    await expect(signVc({ proof: 1 }, kp)).rejects.toThrow(IsccError);
    const bad = [
      null,
      {},
      { signature: { version: ISCC_SIG_VERSION } },
      { signature: { proof: 'zabc' } },
      { signature: { version: 'ISCC-SIG v0.9', proof: 'z1', pubkey: kp.public_key } },
      { signature: { version: ISCC_SIG_VERSION, proof: 'abc', pubkey: kp.public_key } },
      { signature: { version: ISCC_SIG_VERSION, proof: 'z0OIl', pubkey: kp.public_key } },
      { signature: { version: ISCC_SIG_VERSION, proof: 'z1111', pubkey: 'z6MkBAD' } },
    ];
    for (const b of bad) {
      const res = await verifyJson(b, null, null, false);
      expect(res.signature_valid).toBe(false);
      expect(typeof res.message).toBe('string');
      await expect(verifyJson(b)).rejects.toMatchObject({ code: 'ISCC_SIGNATURE_INVALID' });
    }
  });

  it('signVc defaults: did:key verification method, copied @context, round trip', async () => {
    const kp = await keyGenerate();
    const vc = { '@context': ['https://www.w3.org/ns/credentials/v2'], name: 'n' };
    const signed = await signVc(vc, kp);
    expect(signed.proof).toMatchObject({
      '@context': vc['@context'],
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      verificationMethod: `did:key:${kp.public_key}#${kp.public_key}`,
      proofPurpose: 'assertionMethod',
    });
    expect((await verifyVc(signed)).is_valid).toBe(true);
    const badCtx = { ...signed, '@context': ['https://other.example'] };
    expect(await verifyVc(badCtx, false)).toMatchObject({ signature_valid: false, message: expect.stringMatching(/@context/) });
    const kc = await keyGenerate('did:web:example.com');
    expect((await signVc({ a: 1 }, kc)).proof.verificationMethod).toBe(`did:web:example.com#${kc.public_key}`);
    expect(jsonCanonical(vc)).toEqual(jsonCanonical({ '@context': ['https://www.w3.org/ns/credentials/v2'], name: 'n' }));
  });
});
