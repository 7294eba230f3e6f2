import { describe, expect, it } from 'vitest';
import { readConformanceJson } from './conformance-dir.ts';
import { runCryptoChecks, type CryptoFixtures } from './crypto-checks.ts';

describe('ISCC-SIG fixtures (the checks the browser run repeats in Chromium)', () => {
  it('all hold in Node', async () => {
    const fixtures: CryptoFixtures = {
      example: readConformanceJson('crypto/iscc-crypto_docs_iscc-sig-spec_example.json'),
      aliceDid: readConformanceJson('crypto/iscc-crypto_docs_alice_did.json'),
      hub: readConformanceJson('crypto/iscc-hub_fixtures_test_data.json'),
    };
    const results = await runCryptoChecks(fixtures);
    expect(results.length).toBe(15);
    for (const r of results) expect(r, r.name).toMatchObject({ passed: true, error: null });
  });
});
