/**
 * ISCC-CODE tests: the gen_iscc_code_v0 vectors of the conformance data (from
 * $ISCC_CONFORMANCE_DIR, failing loudly when absent), the intent of iscc-core
 * tests/test_iscc_code.py, WIDE composition and decompose/compose round trips.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { IsccError } from './errors.ts';
import { MT, ST_CC } from './constants.ts';
import { encodeComponent, isccDecompose, isccExplain, isccNormalize } from './codec.ts';
import { Code } from './models.ts';
import { genIsccCode, genIsccCodeV0 } from './iscc-code.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const MID_64 = 'AAAYPXW445FTYNJ3';
const CID_64 = 'EAARMJLTQCUWAND2';
const DID_128 = 'GABVVC5DMJJGYKZ4ZBYVNYABFFYXG';
const IID_256 = 'IADWIK7A7JTUAQ2D6QARX7OBEIK3OOUAM42LOBLCZ4ZOGDLRHMDL6TQ';
const DID_64 = 'GAAQQICFKJYKY4KU';

type Vectors = Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>>;

describe('conformance vectors (data.json gen_iscc_code_v0)', () => {
  const data = readConformanceJson<Vectors>('data.json');
  const cases = Object.entries(data['gen_iscc_code_v0'] ?? {});
  it('has the 5 reference cases', () => expect(cases).toHaveLength(5));
  for (const [name, { inputs, outputs }] of cases) {
    it(name, () => {
      expect(genIsccCodeV0(...(inputs as [string[]]))).toEqual(outputs);
    });
  }
});

describe('genIsccCodeV0', () => {
  it('test_iscc_code.py values', () => {
    const full = 'ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY';
    expect(genIsccCode([MID_64, CID_64, DID_128, IID_256])).toEqual({ iscc: full });
    expect(genIsccCodeV0([CID_64, MID_64, IID_256, DID_128])).toEqual({ iscc: full });
    expect(isccExplain(full)).toBe('ISCC-TEXT-V0-MCDI-87dedce74b3c353b16257380a960347a5a8ba362526c2b3c642be0fa67404343');
    const noMeta = genIsccCodeV0([CID_64, DID_128, IID_256]).iscc;
    expect(noMeta).toBe('ISCC:KAARMJLTQCUWAND2LKF2GYSSNQVTYZBL4D5GOQCDIM');
    expect(isccExplain(noMeta)).toBe('ISCC-TEXT-V0-CDI-16257380a960347a5a8ba362526c2b3c642be0fa67404343');
    expect(isccExplain(genIsccCodeV0([DID_128, IID_256]).iscc)).toBe('ISCC-SUM-V0-DI-5a8ba362526c2b3c642be0fa67404343');
    expect(genIsccCodeV0([DID_64, IID_256]).iscc).toBe('ISCC:KUAAQICFKJYKY4KUMQV6B6THIBBUG');
    const units256 = [
      'ISCC:CADR6SWKRPW5ZV25SQIHSHRXHIVKXPCU2ZBEGJPZLTEBCAX2K2CFS2Y',
      'ISCC:EADQJV6YHB6TD24CIVIF6SCAWBX4TQJZ3Z6G2RRN7AFUHQYVF6D6C3I',
      'ISCC:GADQJV6YHB6TD24CIVIF6SCAWBX4TQJZ3Z6G2RRN7AFUHQYVF6D6C3I',
      'ISCC:IADSETL3YMLTGKMNKSA2MVY45JTDN3GBSKA6PZMH2WPOH2NX2BEDDLY',
    ];
    expect(genIsccCodeV0(units256)).toEqual({ iscc: 'ISCC:KABR6SWKRPW5ZV25ATL5QOD5GHVYEBGX3A4H2MPLQIRE266DC4ZSTDI' });
  });
  it('SubType NONE for Meta + Data + Instance; dashes and prefixes accepted', () => {
    const co = new Code(genIsccCodeV0([`ISCC:${MID_64}`, 'GAAQQICF-KJYKY4KU', IID_256]).iscc);
    expect(co.typeId).toBe('ISCC-NONE-V0-MDI');
  });
  it('WIDE: exactly Data + Instance of >= 128 bits each, otherwise ignored', () => {
    const data = 'GABTMCHNLCHTI2NHZFXOLEB53KSPU';
    const inst = 'IAB3GN6WUSNSX3MJBT6PBTVFAQZ7G';
    expect(genIsccCodeV0([data, inst]).iscc).toBe('ISCC:KUADMCHNLCHTI2NHWM35NJE3FPWYS');
    const wide = genIsccCodeV0([data, inst], true).iscc;
    expect(new Code(wide).typeId).toBe('ISCC-WIDE-V0-DI');
    expect(isccDecompose(wide)).toEqual([data, inst]);
    expect(genIsccCodeV0([DID_64, IID_256], true).iscc).toBe('ISCC:KUAAQICFKJYKY4KUMQV6B6THIBBUG');
    expect(new Code(genIsccCodeV0([MID_64, DID_128, IID_256], true).iscc).typeId).toBe('ISCC-NONE-V0-MDI');
  });
  it('raises like the reference', () => {
    const raises = (codes: string[], msg: RegExp) => expect(() => genIsccCodeV0(codes)).toThrow(msg);
    raises([CID_64], /Minimum two/);
    raises(['AAAGKLHFXM', 'EAAP5Q74YU'], /Cannot build ISCC-CODE from units shorter than 64-bits/);
    raises([MID_64, CID_64, DID_128], /requires at least MT.DATA and MT.INSTANCE/);
    const sema = Code.rnd(MT.SEMANTIC, ST_CC.TEXT, 64).code;
    const cont = Code.rnd(MT.CONTENT, ST_CC.IMAGE, 64).code;
    raises([sema, cont, DID_64, IID_256], /Semantic-Code and Content-Code must be of same SubType/);
    raises([CID_64, CID_64, DID_64, IID_256], /Invalid ISCC-UNIT/);
    expect(genIsccCodeV0(new Set([DID_64, IID_256])).iscc).toBe('ISCC:KUAAQICFKJYKY4KUMQV6B6THIBBUG');
    expect(() => genIsccCodeV0('AAAA' as unknown as string[])).toThrow(IsccError);
  });
  it('semantic units compose like the others', () => {
    const sema = Code.rnd(MT.SEMANTIC, ST_CC.VIDEO, 64).code;
    const cont = Code.rnd(MT.CONTENT, ST_CC.VIDEO, 64).code;
    const code = genIsccCodeV0([MID_64, cont, sema, DID_64, IID_256]).iscc;
    expect(new Code(code).typeId).toBe('ISCC-VIDEO-V0-MSCDI');
    const parts = isccDecompose(code);
    expect(parts.slice(0, 4)).toEqual([MID_64, sema, cont, DID_64]);
    expect(new Code(parts[4]!).hashBytes).toEqual(new Code(IID_256).hashBytes.slice(0, 8));
  });
  it('decompose(compose(units)) returns the 64-bit prefixes (fast-check)', () => {
    const body = fc.uint8Array({ minLength: 8, maxLength: 8 });
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 4 }), body, body, body, body, body,
        (m, s, c, st, bm, bs, bc, bd, bi) => {
          const units = [
            ...(m ? [encodeComponent(MT.META, 0, 0, 64, bm)] : []),
            ...(s ? [encodeComponent(MT.SEMANTIC, st, 0, 64, bs)] : []),
            ...(c ? [encodeComponent(MT.CONTENT, st, 0, 64, bc)] : []),
            encodeComponent(MT.DATA, 0, 0, 64, bd),
            encodeComponent(MT.INSTANCE, 0, 0, 64, bi),
          ];
          const code = genIsccCodeV0([...units].reverse()).iscc;
          expect(isccDecompose(code)).toEqual(units);
          expect(isccNormalize(units.join('-'))).toBe(code);
        }),
      { numRuns: RUNS },
    );
  });
});
