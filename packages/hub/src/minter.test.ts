/**
 * ISCC-ID v1 minting: strictly increasing under bursts and a clock that stalls or steps back,
 * the optional backward bound, exhaustion, and decoding (realm, hub id, timestamp).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { genIsccIdV1 } from '@iscc-ts/core';
import { IdMinter, decodeIsccIdV1, MAX_TIMESTAMP_US, TIMETRAVEL_BOUND_US } from './minter.ts';
import { HubError, HUB_ERROR_CODES } from './errors.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

describe('IdMinter', () => {
  it('encodes hub id, realm and timestamp as genIsccIdV1', () => {
    const m = new IdMinter({ hubId: 42, realmId: 0, clock: () => 1647312000000000n });
    const id = m.mint();
    expect(id.iscc_id).toBe('ISCC:MAIF3I4LNGBAAABK');
    expect(id.iscc_id).toBe(genIsccIdV1(1647312000000000n, 42, 0).iscc);
    expect(decodeIsccIdV1(id.iscc_id)).toEqual(id);
    const m1 = new IdMinter({ hubId: 4095, realmId: 1, clock: () => 5n });
    expect(decodeIsccIdV1(m1.mint().iscc_id)).toMatchObject({ hub_id: 4095, realm_id: 1, timestamp: 5n });
  });

  it('stays strictly increasing when the clock stalls, jumps and steps back (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 10n ** 15n }), { minLength: 1, maxLength: 200 }), (times) => {
        let i = 0;
        const m = new IdMinter({ hubId: 7, clock: () => times[i++ % times.length]! });
        let last = -1n;
        const seen = new Set<string>();
        for (let k = 0; k < times.length; k++) {
          const id = m.mint();
          if (id.value <= last || seen.has(id.iscc_id)) return false;
          // Base32 sorts like the integer (fixed header): IDs also sort as strings.
          last = id.value;
          seen.add(id.iscc_id);
        }
        return true;
      }),
      { numRuns: RUNS },
    );
  });

  it('ratchets over a backward step by default; refuses beyond maxBackwardUs', () => {
    let now = 10_000_000n;
    const ratchet = new IdMinter({ hubId: 1, clock: () => now });
    const a = ratchet.mint();
    now -= 5_000_000n; // five seconds back
    const b = ratchet.mint();
    expect(b.timestamp).toBe(a.timestamp + 1n);
    const strict = new IdMinter({ hubId: 1, clock: () => now, maxBackwardUs: TIMETRAVEL_BOUND_US });
    strict.observe(now + 200_000n);
    expect(() => strict.mint()).toThrow(HubError);
    strict.observe(0n);
    now += 150_000n; // now within 100 ms of the last ID: ratchet
    expect(strict.mint().timestamp).toBe(now + 50_000n + 1n);
  });

  it('refuses bad hub ids and realms, and an exhausted timestamp space', () => {
    for (const hubId of [-1, 4096, 1.5, NaN]) expect(() => new IdMinter({ hubId })).toThrow(HubError);
    expect(() => new IdMinter({ hubId: 0, realmId: 2 })).toThrow(HubError);
    const m = new IdMinter({ hubId: 0, clock: () => MAX_TIMESTAMP_US - 1n });
    m.mint();
    try {
      m.mint();
      expect.unreachable();
    } catch (e) {
      expect((e as HubError).code).toBe(HUB_ERROR_CODES.ID_EXHAUSTED);
    }
  });

  it('decodeIsccIdV1 refuses what is not an ISCC-ID v1', () => {
    const code = 'ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY';
    for (const bad of [code, 'ISCC:AAAQCAAAAAAAAAAA', 'ISCC:MAIF3I4LNGBAAAB', 'xyz', 42, null, 'ISCC:' + 'A'.repeat(100)]) {
      try {
        decodeIsccIdV1(bad);
        expect.unreachable(String(bad));
      } catch (e) {
        expect((e as HubError).code).toBe(HUB_ERROR_CODES.INVALID_ISCC_ID);
      }
    }
    expect(decodeIsccIdV1('MAIF3I4LNGBAAABK').iscc_id).toBe('ISCC:MAIF3I4LNGBAAABK');
  });
});
