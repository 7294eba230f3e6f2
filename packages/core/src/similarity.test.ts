/**
 * Similarity tests: the intent of the comparison tests in iscc-core tests/test_utils.py
 * (expected values as data), including the reference's iscc_compare quirks, and
 * properties of the (NP) Hamming metrics.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IsccError } from './errors.ts';
import { MT, ST_CC, ST_ISCC } from './constants.ts';
import { encodeComponent } from './codec.ts';
import { Code } from './models.ts';
import { genIsccIdV1 } from './iscc-id.ts';
import {
  isccCompare,
  isccDistance,
  isccDistanceBytes,
  isccNphCompare,
  isccNphDistanceBytes,
  isccNphSimilarityBytes,
  isccSimilarity,
} from './similarity.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const te = (s: string): Uint8Array => new TextEncoder().encode(s);
const A = new Uint8Array([0b00000000, 0b00001111, 0, 0, 0, 0, 0, 0]);
const B = new Uint8Array([0b11110000, 0b00001111, 0, 0, 0, 0, 0, 0]);

describe('Hamming similarity and distance', () => {
  it('reference values (test_utils.py)', () => {
    expect(isccDistanceBytes(A, B)).toBe(4);
    const ia = Code.rnd(MT.CONTENT, ST_ISCC.IMAGE, 64, A).code;
    const ib = Code.rnd(MT.CONTENT, ST_ISCC.IMAGE, 64, B).code;
    expect(isccSimilarity(ia, ib)).toBe(93);
    expect(isccDistance(ia, ib)).toBe(4);
    const a = 'AAD7SATLZUS57KXZZL2HXAD7HT6264AHEIRZQ4QTLB6LHVRXNTLE7MA';
    const b = 'AAD7CATK5QX46LX5YL2HXIH7FT626UAHE4RYC4QTDB6LXVRXNDJE7MA';
    expect(isccSimilarity(a, b)).toBe(90);
    expect(isccDistance(a, b)).toBe(24);
    const ka = 'KQD7SATLZUS57KXZN2N6SA6A3THBJRQW4B5CZPGWU2PR566ZQNLM2AA';
    const kb = 'KQD7CATK5QX46LX5N2N6SA6A3THBJRQW4B5CZPGWU2PR566ZQNLM2AA';
    expect(isccSimilarity(ka, kb)).toBe(96);
    expect(isccDistance(ka, kb)).toBe(10);
  });
  it('WIDE codes', () => {
    const a = 'K4AP5Q74YXNZC4EKRCQEKOXKMYHCJV2JQHX2OCQMRAFY3DAZQXIHLWY';
    const d = 'K4AJVXNYPUVJYVGZOOX2V6MOWVBJEG4ET747CO7OEXGK5ZHMFAUXLCI';
    expect(isccSimilarity(a, a)).toBe(100);
    const sim = isccSimilarity(a, d);
    expect(sim >= 50 && sim < 100).toBe(true);
  });
  it('raises for unequal lengths, different headers and ISCC-ID v1', () => {
    expect(() => isccDistanceBytes(new Uint8Array(8), new Uint8Array(9))).toThrow(IsccError);
    expect(() => isccDistance('AAAWN77F727NXSUS', 'EAAWN77F727NXSUS')).toThrow(/headers don´t match/);
    const id1 = genIsccIdV1(1234567890, 42).iscc;
    const reg = Code.rnd(MT.CONTENT, ST_CC.TEXT, 64).code;
    expect(() => isccSimilarity(id1, reg)).toThrow('Similarity comparison not supported for ISCC-IDv1');
    expect(() => isccSimilarity(reg, id1)).toThrow('Similarity comparison not supported for ISCC-IDv1');
    expect(() => isccDistance(id1, reg)).toThrow('Similarity comparison not supported for ISCC-IDv1');
  });
  it('distance is a metric on equal-length digests (fast-check)', () => {
    const d8 = fc.uint8Array({ minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(d8, d8, d8, (x, y, z) => {
        expect(isccDistanceBytes(x, x)).toBe(0);
        expect(isccDistanceBytes(x, y)).toBe(isccDistanceBytes(y, x));
        expect(isccDistanceBytes(x, z)).toBeLessThanOrEqual(isccDistanceBytes(x, y) + isccDistanceBytes(y, z));
        const cx = encodeComponent(MT.DATA, 0, 0, 64, x);
        const cy = encodeComponent(MT.DATA, 0, 0, 64, y);
        const dist = isccDistance(cx, cy);
        expect(dist).toBe(isccDistanceBytes(x, y));
        expect(isccSimilarity(cx, cy)).toBe(Math.trunc(((64 - dist) / 64) * 100));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('isccCompare', () => {
  it('seeded random ISCC-CODEs (test_iscc_compare)', () => {
    Code.seed(0);
    const a = Code.rnd(MT.ISCC, null, 256);
    expect(isccCompare(a.code, a.code)).toEqual({ meta_dist: 0, semantic_dist: 0, data_dist: 0, instance_match: true });
    const b = Code.rnd(MT.ISCC, null, 256);
    const r = isccCompare(a.code, b.code);
    expect(r).toEqual({ meta_dist: 22, semantic_dist: 34, data_dist: 30, instance_match: false });
    expect(Object.keys(r)).toEqual(['meta_dist', 'semantic_dist', 'data_dist', 'instance_match']);
  });
  it('WIDE codes (test_wide_subtype_compare)', () => {
    const a = 'K4AP5Q74YXNZC4EKRCQEKOXKMYHCJV2JQHX2OCQMRAFY3DAZQXIHLWY';
    const d = 'K4AJVXNYPUVJYVGZOOX2V6MOWVBJEG4ET747CO7OEXGK5ZHMFAUXLCI';
    expect(isccCompare(a, a)).toEqual({ data_dist: 0, instance_match: true });
    const r = isccCompare(a, d);
    expect((r['data_dist'] as number) > 0).toBe(true);
    expect(r['instance_match']).toBe(false);
  });
  it('keeps the reference quirks: any ISCC-ID v1 gives id_match true', () => {
    const id1 = genIsccIdV1(1234567890, 42).iscc;
    const id2 = genIsccIdV1(1234567891, 42).iscc;
    expect(isccCompare(id1, id2)).toEqual({ id_match: true }); // different IDs, still true
    expect(isccCompare(id1, id1)).toEqual({ id_match: true });
  });
  it('units of one type but different lengths raise (unequal digests)', () => {
    expect(() => isccCompare(Code.rnd(MT.META, null, 64).code, Code.rnd(MT.META, null, 128).code)).toThrow(IsccError);
  });
});

describe('Normalized Prefix Hamming', () => {
  it('distance and similarity of byte strings (test_utils.py)', () => {
    expect(isccNphDistanceBytes(te('hello world'), te('hello world'))).toEqual({ distance: 0, common_prefix_bits: 88 });
    const d = isccNphDistanceBytes(te('hello world'), te('jello world'));
    expect(d).toEqual({ distance: 1 / 88, common_prefix_bits: 88 });
    expect(isccNphDistanceBytes(te('hello world'), te('hello'))).toEqual({ distance: 0, common_prefix_bits: 40 });
    expect(isccNphDistanceBytes(te('hello world'), te('jello')).distance).toBe(1 / 40);
    expect(isccNphDistanceBytes(te(''), te(''))).toEqual({ distance: 0, common_prefix_bits: 0 });
    expect(isccNphDistanceBytes(te('hello world'), te(''))).toEqual({ distance: 1, common_prefix_bits: 0 });
    expect(isccNphDistanceBytes(te(''), te('hello world'))).toEqual({ distance: 1, common_prefix_bits: 0 });
    expect(isccNphSimilarityBytes(te('hello world'), te('hello world'))).toEqual({ similarity: 1, common_prefix_bits: 88 });
    expect(isccNphSimilarityBytes(te('hello world'), te('jello world')).similarity).toBe(1 - 1 / 88);
    expect(isccNphSimilarityBytes(te('hello world'), te('hello')).similarity).toBe(1);
    expect(isccNphSimilarityBytes(te(''), te(''))).toEqual({ similarity: 1, common_prefix_bits: 0 });
    expect(isccNphSimilarityBytes(te('x'), te(''))).toEqual({ similarity: 0, common_prefix_bits: 0 });
    const upper = isccNphDistanceBytes(te('hello world'), te('HELLO WORLD')).distance;
    expect(upper > 0 && upper < 1).toBe(true);
  });
  it('similarity = 1 - distance, within [0, 1] (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ maxLength: 40 }), (a, b) => {
        const d = isccNphDistanceBytes(a, b);
        const s = isccNphSimilarityBytes(a, b);
        expect(d.common_prefix_bits).toBe(Math.min(a.length, b.length) * 8);
        expect(s.common_prefix_bits).toBe(d.common_prefix_bits);
        expect(d.distance >= 0 && d.distance <= 1).toBe(true);
        if (d.common_prefix_bits) expect(s.similarity).toBe(1 - d.distance);
      }),
      { numRuns: RUNS },
    );
  });
  it('per unit type (test_iscc_nph_compare_*)', () => {
    const code = Code.rnd(MT.CONTENT, ST_CC.TEXT, 64);
    expect(isccNphCompare(code.code, code.code)).toEqual({ CONTENT_TEXT_V0: { similarity: 1, common_prefix_bits: 64 } });
    const c128 = Code.rnd(MT.CONTENT, ST_CC.TEXT, 128);
    expect(isccNphCompare(code.code, c128.code)['CONTENT_TEXT_V0']!.common_prefix_bits).toBe(64);
    Code.seed(0);
    const a = Code.rnd(MT.ISCC, null, 256);
    const b = Code.rnd(MT.ISCC, null, 256);
    const r = isccNphCompare(a.code, b.code);
    expect(Object.keys(r)).toEqual(['META_NONE_V0', 'SEMANTIC_VIDEO_V0', 'DATA_NONE_V0', 'INSTANCE_NONE_V0']);
    expect(r['INSTANCE_NONE_V0']).toEqual({ similarity: 0, common_prefix_bits: 64 });
    expect(r['META_NONE_V0']!.similarity).toBe(1 - 22 / 64);
    Code.seed(0);
    const meta = Code.rnd(MT.META, null, 64);
    const content = Code.rnd(MT.CONTENT, ST_CC.TEXT, 64);
    expect(isccNphCompare(meta.code, content.code)).toEqual({});
    expect(isccNphCompare(genIsccIdV1(1234567890, 42).iscc, content.code)).toEqual({});
  });
});
