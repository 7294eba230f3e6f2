/**
 * The ISCC-SIG checks of issue 8 as plain data-in/results-out functions, so the same code runs
 * in Node and, through the browser bundle, in Chromium (scripts/browser-conformance.mjs):
 * every iscc-hub fixture note verifies, the iscc-crypto spec example and README vector
 * reproduce their proofs byte for byte, and a one-character change fails verification.
 * Isomorphic: no Node imports; the fixture JSON is passed in.
 */
import { keyFromSecret, signJson, SigType, verifyJson } from '../packages/core/src/index.ts';

/** The secret key published with the iscc-crypto spec example and README (test key only). */
export const ALICE_SECRET = 'z3u2So9EAtuYVuxGog4F2ksFGws8YT7pBPs4xyRbv3NJgrNA';
/** README vector: the proof of signing `{"title":"My Document","content":"Important data"}`. */
export const README_PROOF = 'z5xCgXk6tGJTVcvrcvVok5XgLn5Mefo49ztwwW8QCmjoySH4ZEkri4XoY2JjiyaD7yD4Na7eoGPqmhPoeM2uvBmF8';

export interface CryptoFixtures {
  /** iscc-crypto_docs_iscc-sig-spec_example.json */
  example: Record<string, unknown> & { signature: Record<string, string> };
  /** iscc-crypto_docs_alice_did.json */
  aliceDid: unknown;
  /** iscc-hub_fixtures_test_data.json */
  hub: { model: string; fields: { iscc_note?: unknown } }[];
}

export interface CryptoResult {
  name: string;
  passed: boolean;
  error: string | null;
}

/** Change one character in the middle of the first string value found (depth-first). */
function mutateOneChar(doc: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const stack: Record<string, unknown>[] = [copy];
  while (stack.length) {
    const o = stack.pop()!;
    for (const [k, v] of Object.entries(o)) {
      if (k === 'signature') continue;
      if (typeof v === 'string' && v.length > 0) {
        const i = v.length >> 1;
        o[k] = v.slice(0, i) + (v[i] === 'a' ? 'b' : 'a') + v.slice(i + 1);
        return copy;
      }
      if (v && typeof v === 'object') stack.push(v as Record<string, unknown>);
    }
  }
  return copy;
}

/** Run the checks; never throws (a failing check is a result). */
export async function runCryptoChecks(f: CryptoFixtures): Promise<CryptoResult[]> {
  const out: CryptoResult[] = [];
  const check = async (name: string, fn: () => Promise<boolean>) => {
    try {
      out.push({ name, passed: await fn(), error: null });
    } catch (e) {
      out.push({ name, passed: false, error: e instanceof Error ? e.message : String(e) });
    }
  };
  const notes = f.hub.filter((r) => r.model === 'iscc_hub.event').map((r) => r.fields.iscc_note);
  await check('hub fixture has 5 signed notes', async () => notes.length === 5);
  for (const [i, note] of notes.entries()) {
    await check(`hub fixture note ${i} verifies`, async () => (await verifyJson(note)).is_valid === true);
    await check(`hub fixture note ${i} with one character changed fails`, async () => {
      return (await verifyJson(mutateOneChar(note), null, null, false)).signature_valid === false;
    });
  }
  await check('spec example reproduces byte for byte', async () => {
    const { signature, ...doc } = f.example;
    const kp = await keyFromSecret(ALICE_SECRET, signature.controller);
    const signed = await signJson(doc, kp, SigType.IDENTITY_BOUND);
    return JSON.stringify(signed) === JSON.stringify(f.example);
  });
  await check('spec example verifies against the alice DID document', async () => {
    const r = await verifyJson(f.example, f.aliceDid);
    return r.signature_valid === true && r.identity_verified === true;
  });
  await check('spec example with one character changed fails', async () => {
    return (await verifyJson(mutateOneChar(f.example), null, null, false)).signature_valid === false;
  });
  await check('README vector reproduces its proof', async () => {
    const kp = await keyFromSecret(ALICE_SECRET);
    const signed = await signJson({ title: 'My Document', content: 'Important data' }, kp, SigType.SELF_VERIFYING);
    return (signed.signature as { proof?: string }).proof === README_PROOF;
  });
  return out;
}
