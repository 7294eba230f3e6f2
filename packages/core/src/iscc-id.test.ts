/**
 * ISCC-ID tests: the intent of iscc-core tests/test_iscc_id_v0.py and test_iscc_id_v1.py
 * (expected values as data) plus properties of the v1 layout and the default clock.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { MT, ST_ID, VS } from './constants.ts';
import { encodeBase32, encodeComponent, encodeHeader, isccExplain, isccValidate } from './codec.ts';
import { Code } from './models.ts';
import {
  algSimhashFromIsccId,
  genIsccId,
  genIsccIdV0,
  genIsccIdV1,
  isccIdIncr,
  isccIdIncrV0,
} from './iscc-id.ts';
import { genTextCodeV0 } from './code-content-text.ts';
import { genMetaCodeV0 } from './code-meta.ts';
import { genInstanceCodeV0 } from './code-instance.ts';
import { genDataCodeV0 } from './code-data.ts';
import { genIsccCodeV0 } from './iscc-code.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const WALLET = '1Bq568oLhi5HvdgC6rcBSGmu4G3FeAntCz';
const hello = new TextEncoder().encode('hello world');

function throwsCode(fn: () => unknown, code?: string, msg?: RegExp): void {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(IsccError);
    if (code) expect((e as IsccError).code).toBe(code);
    if (msg) expect((e as Error).message).toMatch(msg);
    return;
  }
  throw new Error('expected an IsccError');
}

describe('ISCC-ID v1', () => {
  const TS = 1714503123456789;
  it('reference vectors (test_iscc_id_v1.py)', () => {
    expect(genIsccIdV1(TS, 42, 0)).toEqual({ iscc: 'ISCC:MAIGC5KN3I6TCUBK' });
    expect(isccExplain('ISCC:MAIGC5KN3I6TCUBK')).toBe('ID-REALM_0-V1-64-1714503123456789-42');
    expect(genIsccIdV1(TS, 0, 0)).toEqual({ iscc: 'ISCC:MAIGC5KN3I6TCUAA' });
    expect(genIsccIdV1(TS, 4095, 0)).toEqual({ iscc: 'ISCC:MAIGC5KN3I6TCX77' });
    expect(genIsccIdV1(BigInt(TS), 42)).toEqual(genIsccIdV1(TS, 42));
    expect(genIsccId(TS, 42, 1).iscc).not.toBe('ISCC:MAIGC5KN3I6TCUBK');
    expect(new Code(genIsccId(TS, 42, 1).iscc).subtype).toBe(1);
    expect(isccValidate(genIsccIdV1(TS, 42).iscc)).toBe(true);
  });
  it('range checks', () => {
    throwsCode(() => genIsccIdV1(2 ** 52, 1), ISCC_ERROR_CODES.INVALID_ARGUMENT, /Timestamp overflow/);
    throwsCode(() => genIsccIdV1(2n ** 52n, 1), undefined, /Timestamp overflow/);
    throwsCode(() => genIsccIdV1(TS, 4096), undefined, /HUB-ID overflow/);
    throwsCode(() => genIsccIdV1(TS, 42, 2), undefined, /Realm-ID must be 0 \(test\) or 1 \(operational\)/);
    throwsCode(() => genIsccIdV1(-1, 0));
    throwsCode(() => genIsccIdV1(0, -1));
    throwsCode(() => genIsccIdV1(1.5, 0), ISCC_ERROR_CODES.INVALID_TYPE);
    expect(isccValidate(genIsccIdV1(0, 0).iscc)).toBe(true);
    expect(isccValidate(genIsccIdV1(2 ** 52 - 1, 4095).iscc)).toBe(true);
  });
  it('body = 52-bit timestamp ‖ 12-bit hub id (fast-check)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 52n - 1n }), fc.integer({ min: 0, max: 4095 }), fc.constantFrom(0, 1), (ts, hub, realm) => {
        const code = new Code(genIsccIdV1(ts, hub, realm).iscc);
        expect([code.maintype, code.subtype, code.version, code.length]).toEqual([MT.ID, realm, VS.V1, 64]);
        expect(code.hashUint).toBe((ts << 12n) | BigInt(hub));
        expect(isccExplain(code.uri)).toBe(`ID-REALM_${realm}-V1-64-${ts}-${hub}`);
      }),
      { numRuns: RUNS },
    );
  });
  it('defaults to now, strictly increasing within the process', () => {
    const now = BigInt(Date.now()) * 1000n;
    const ids = Array.from({ length: 200 }, () => new Code(genIsccIdV1(null, 100).iscc).hashUint >> 12n);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(ids[0]! >= now - 1000n).toBe(true);
    expect(ids[0]! < now + 1_000_000n).toBe(true);
    const c = new Code(genIsccId(undefined, 200, 1).iscc);
    expect([c.subtype, Number(c.hashUint & 0xfffn)]).toEqual([1, 200]);
  });
  it('has no uniqueness counter', () => {
    throwsCode(() => isccIdIncr(genIsccIdV1(TS, 42).iscc), ISCC_ERROR_CODES.UNSUPPORTED, /ISCC-IDv1 does not support uniqueness counters/);
  });
});

describe('ISCC-ID v0 (legacy)', () => {
  it('single component, counters (test_iscc_id_v0.py)', () => {
    const tc = genTextCodeV0('Hello World').iscc;
    expect(genIsccIdV0(tc, 0, WALLET)).toEqual({ iscc: 'ISCC:MAAJU3Y6GCTXLVKA' });
    expect(isccExplain('ISCC:MAAJU3Y6GCTXLVKA')).toBe('ID-PRIVATE-V0-64-9a6f1e30a775d540');
    expect(genIsccIdV0(tc, 0, WALLET, 1)).toEqual({ iscc: 'ISCC:MAAZU3Y6GCTXLVKAAE' });
    expect(isccExplain('ISCC:MAAZU3Y6GCTXLVKAAE')).toBe('ID-PRIVATE-V0-72-9a6f1e30a775d540-1');
    expect(genIsccIdV0(tc, 0, WALLET, 257).iscc).toBe('ISCC:MABJU3Y6GCTXLVKAQEBA');
    expect(isccExplain('ISCC:MABJU3Y6GCTXLVKAQEBA')).toBe('ID-PRIVATE-V0-80-9a6f1e30a775d540-257');
  });
  it('multiple components, full code, instance only, data + instance', () => {
    const mc = genMetaCodeV0('Some Title').iscc.slice(5);
    const tc = genTextCodeV0('Hello World').iscc.slice(5);
    expect(genIsccIdV0(mc + tc, 1, WALLET).iscc).toBe('ISCC:MEAJU7YOOSTOPYLI');
    expect(isccExplain('ISCC:MEAJU7YOOSTOPYLI')).toBe('ID-BITCOIN-V0-64-9a7f0e74a6e7e168');
    const full = 'ISCC:KQDZJFP6WBM3IIFZ7CRXCNDCNUU3ZEWGL5HAKHNMYHLN2WULPN3ZFHJO7AUS6VQQVM7Q';
    expect(genIsccIdV0(full, 1, WALLET).iscc).toBe('ISCC:MEAI5HGE6Z3QHYX7');
    const ic = genInstanceCodeV0(hello).iscc;
    expect(genIsccIdV0(ic, 0, WALLET).iscc).toBe('ISCC:MAAPVHK2BATN7FK3');
    expect(isccExplain('ISCC:MAAPVHK2BATN7FK3')).toBe('ID-PRIVATE-V0-64-fa9d5a0826df955b');
    const sum = genIsccCodeV0([ic, genDataCodeV0(hello).iscc]).iscc;
    expect(genIsccIdV0(sum, 0, WALLET).iscc).toBe('ISCC:MAAIVNGQOUGKGDRH');
    expect(isccExplain('ISCC:MAAIVNGQOUGKGDRH')).toBe('ID-PRIVATE-V0-64-8ab4d0750ca30e27');
  });
  it('seeded random ISCC-CODE, uc vs increment (test_iscc_id_incr_v0_vs_uc)', () => {
    Code.seed(0);
    const code = Code.rnd(MT.ISCC, null, 256);
    const a = genIsccIdV0(code.code, ST_ID.POLYGON, 'testwallet', 0).iscc;
    expect(a).toBe('ISCC:MMAMJ2RTNK6TRZGB');
    expect(new Code(a).explain).toBe('ID-POLYGON-V0-64-c4ea336abd38e4c1');
    const b = genIsccIdV0(code.code, ST_ID.POLYGON, 'testwallet', 1).iscc;
    expect(b).toBe('ISCC:MMA4J2RTNK6TRZGBAE');
    expect(isccIdIncrV0(a)).toBe('MMA4J2RTNK6TRZGBAE');
    expect(b).toBe('ISCC:' + isccIdIncrV0(a));
  });
  it('unit types and truncation (test_iscc_id_unit_types)', () => {
    const mc = Code.rnd(MT.META, null, 256);
    const expected = genIsccIdV0(mc.code, 0, 'a');
    expect(genIsccIdV0(mc.uri, 0, 'a')).toEqual(expected);
    expect(genIsccIdV0(encodeComponent(MT.META, 0, 0, 64, mc.hashBytes.slice(0, 8)), 0, 'a')).toEqual(expected);
    throwsCode(() => genIsccIdV0(Code.rnd(MT.ID, null, 64).code, 0, 'a'), undefined, /Cannot create ISCC-ID from ISCC-ID/);
    throwsCode(() => genIsccIdV0(mc.code, 0, 'wället'));
  });
  it('increments counters', () => {
    expect(isccIdIncr('ISCC:MAADB7WD7TC5XELQ')).toBe('MAATB7WD7TC5XELQAE');
    expect(new Code(isccIdIncr('MAADB7WD7TC5XELQ')).explain).toBe('ID-PRIVATE-V0-72-30fec3fcc5db9170-1');
    expect(new Code('ISCC:MAADB7WD7TC5XELQ').explain).toBe('ID-PRIVATE-V0-64-30fec3fcc5db9170');
    expect(isccIdIncrV0('ISCC:MAADB7WD7TC5XELQ')).toBe('MAATB7WD7TC5XELQAE');
    expect(isccIdIncrV0('ISCC:MAATB7WD7TC5XELQAE')).toBe('MAATB7WD7TC5XELQAI');
    expect(new Code('MAATB7WD7TC5XELQAI').explain).toBe('ID-PRIVATE-V0-72-30fec3fcc5db9170-2');
    let id = 'MAADB7WD7TC5XELQ';
    for (let i = 1; i <= 300; i++) id = isccIdIncrV0(id);
    expect(new Code(id).explain).toBe('ID-PRIVATE-V0-80-30fec3fcc5db9170-300');
  });
  it('increment errors', () => {
    throwsCode(() => isccIdIncrV0(Code.rnd(MT.META).code));
    throwsCode(() => isccIdIncr(encodeComponent(MT.META, 0, 0, 64, new Uint8Array(8))), undefined, /MainType .* is not ISCC-ID/);
    const v2 = encodeBase32(new Uint8Array([...encodeHeader(MT.ID, ST_ID.PRIVATE, 2, 64), ...new Uint8Array(8)]));
    throwsCode(() => isccIdIncr(v2), undefined, /Unsupported ISCC-ID version/);
    const id = new Code(Code.rnd(MT.ID));
    const v1 = new Code([id.maintype, id.subtype, 1, 0, id.hashBytes]).code;
    throwsCode(() => isccIdIncrV0(v1), undefined, /is not v0/);
  });
  it('recovers the similarity digest', () => {
    expect(algSimhashFromIsccId('MAAJU3Y6GCTXLVKA', WALLET)).toBe('20250db96e0d4a17');
  });
});
