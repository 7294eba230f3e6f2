/**
 * The private codec against @iscc-ts/core: decomposition of every conformance ISCC-CODE,
 * base32, ISCC-IDv1 keys with realms, cleaning and multiformat input.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { isccDecompose, encodeBase32 as coreB32 } from '@iscc-ts/core';
import { decomposeIscc, decodeBase32, encodeBase32, encodeUnit, encodeIsccId, decodeIsccId, cleanIscc } from './codec.ts';
import { IsccIndexError } from './errors.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const dir = process.env.ISCC_CONFORMANCE_DIR ?? resolve(import.meta.dirname, '../../../../shared/conformance');

function conformance(): Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>> {
  const path = join(dir, 'data.json');
  if (!existsSync(path)) throw new Error(`conformance data not found at ${path} (set ISCC_CONFORMANCE_DIR)`);
  return JSON.parse(readFileSync(path, 'utf8'));
}

describe('private index codec', () => {
  it('decomposes every conformance ISCC-CODE exactly like @iscc-ts/core isccDecompose', () => {
    const data = conformance();
    let n = 0;
    for (const [fn, cases] of Object.entries(data)) {
      if (fn.startsWith('_')) continue;
      for (const c of Object.values(cases)) {
        const iscc = c.outputs.iscc;
        if (typeof iscc !== 'string') continue;
        const ours = decomposeIscc(iscc).map((u) => encodeUnit(u));
        const core = isccDecompose(iscc).map((u) => (u.startsWith('ISCC:') ? u : 'ISCC:' + u));
        expect(ours, iscc).toEqual(core);
        n++;
      }
    }
    expect(n).toBeGreaterThan(40);
  });

  it('base32 round-trips and agrees with core', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (b) => {
        const s = encodeBase32(b);
        expect(s).toBe(coreB32(b));
        expect(decodeBase32(s)).toEqual(b);
      }),
      { numRuns: RUNS },
    );
  });

  it('ISCC-IDv1 keys round-trip and realms are checked', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 1 }), (k, realm) => {
        const id = encodeIsccId(k, realm);
        expect(decodeIsccId(id, realm)).toBe(k);
        expect(() => decodeIsccId(id, 1 - realm)).toThrow(IsccIndexError);
      }),
      { numRuns: RUNS },
    );
  });

  it('cleans schemes, dashes and multiformat prefixes; refuses other schemes', () => {
    expect(cleanIscc(' iscc:GAAW-2PRC ')).toBe('GAAW2PRC');
    expect(() => cleanIscc('http:GAAW')).toThrow(IsccIndexError);
    // Multibase base16 (f) of the ISCC multicodec prefix 0xcc01 + a Data unit.
    const hex = 'fcc01' + '3001' + '0102030405060708';
    expect(decomposeIscc(hex).map(encodeUnit)).toEqual(decomposeIscc('ISCC:' + encodeBase32(Uint8Array.of(0x30, 0x01, 1, 2, 3, 4, 5, 6, 7, 8))).map(encodeUnit));
  });
});
