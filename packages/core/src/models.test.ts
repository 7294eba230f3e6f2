/**
 * Code and Flake tests: the intent of iscc-core tests/test_models.py, the Code parts of
 * test_codec.py and the Flake class tests of test_code_flake.py (expected values as data).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IsccError } from './errors.ts';
import { MT, ST_CC, ST_ID_REALM, ST_ISCC, VS } from './constants.ts';
import { decodeBase32, encodeBase32 } from './codec.ts';
import { Code, Flake } from './models.ts';
import { genIsccCodeV0 } from './iscc-code.ts';
import { genIsccIdV1 } from './iscc-id.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('Code', () => {
  // gen_meta_code("Hello World") with 64 and 256 bits (values from test_codec.py)
  const c64 = new Code('ISCC:AAAWN77F727NXSUS');
  const c256 = new Code('AADWN77F727NXSUSUVDFOUS64JFPMZ4GAR5NJ3O5P563LTMXWS5XNSQ');

  it('exposes the representations of test_code_properties', () => {
    expect(c64.code).toBe('AAAWN77F727NXSUS');
    expect(c256.code).toBe('AADWN77F727NXSUSUVDFOUS64JFPMZ4GAR5NJ3O5P563LTMXWS5XNSQ');
    expect(hex(c64.bytes)).toBe(c64.hex);
    expect(c64.typeId).toBe('META-NONE-V0-64');
    expect(c64.type_id).toBe('META-NONE-V0-64');
    expect(c64.explain).toBe('META-NONE-V0-64-' + c64.hashHex);
    expect(c64.hashBits).toBe(c64.hashInts.join(''));
    expect(c256.hashBits).toBe(c256.hash_ints.join(''));
    expect(c64.hashUint).toBe(7421903593216395922n);
    expect(c256.hash_uint).toBe(46588043924851280427026156359332814243502099936826263036193519252570625504970n);
    expect(c64.hashBase32).toBe('M376L7V63PFJE');
    expect(c64.base32hex).toBe('000MDVV5VQVDNIKI');
    expect(c64.mfBase32hex).toBe('vpg0g00b6vvivtfmrpa90');
    expect(c64.maintype).toBe(MT.META);
    expect(c64.subtype).toBe(0);
    expect(c64.version).toBe(VS.V0);
    expect(c64.length).toBe(64);
    expect(c256.length).toBe(256);
    expect(c64.uint).toBe(BigInt('0x' + c64.hex));
    expect(c64.headerBytes).toEqual(new Uint8Array([0x00, 0x01]));
    expect(c64.hashBa).toEqual(c64.hashInts);
    expect(Object.isFrozen(c64.hash_ba)).toBe(true);
    expect(new Code('KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY').typeId).toBe('ISCC-TEXT-V0-MCDI');
    expect(new Code('KICQOCPJM46YUUCBMWS6FFXRGM3LJOU5MZOVPOUHIJOHPI324GKN67Q').hashBase32hex).toBe(
      '0S4UIPPTH9842PD5SABF2CPMMIT9QPITAUT8EGISEUHNLOCKRTV0',
    );
  });

  it('XOR distance, equality and construction from every representation', () => {
    expect(c64.xor(c64)).toBe(0);
    expect(c64.distance(new Code('AAAWN77F727NXSUT'))).toBe(1);
    expect(() => c64.xor(c256)).toThrow(IsccError);
    expect(c64.equals(new Code(c64.bytes))).toBe(true);
    expect(c64.equals(new Code(c64.code))).toBe(true);
    expect(c64.equals(new Code([...c64] as [number, number, number, number, Uint8Array]))).toBe(true);
    expect(c64.equals(new Code(c64))).toBe(true);
    expect(c64.equals(c256)).toBe(false);
    expect(() => new Code(13 as unknown as string)).toThrow(IsccError);
    expect(() => new Code([1, 2] as unknown as string)).toThrow(IsccError);
  });

  it('str/repr/bytes (test_Code_str_repr) and uri', () => {
    const m = new Code('AAAWH7PF7473PQ57');
    expect(String(m)).toBe('AAAWH7PF7473PQ57');
    expect(`${m}`).toBe('AAAWH7PF7473PQ57');
    expect(m.repr()).toBe('Code("AAAWH7PF7473PQ57")');
    expect(hex(m.bytes)).toBe('000163fde5ff3fb7c3bf');
    expect(new Code('AAAX334V4AMT2PP4').uri).toBe('ISCC:AAAX334V4AMT2PP4');
  });

  it('multiformat encodings (test_Code_mf_*)', () => {
    expect(new Code('AAATKVHH3C7FOAAZ').mfBase16).toBe('fcc0100013554e7d8be570019');
    expect(new Code('AAAQKV7H7K7VMAEL').mfBase32).toBe('bzqaqaaifk7t7vp2wacfq');
    expect(new Code('AAA2O57HTG7HMCO3').mfBase58btc).toBe('z4rHVQUrFdpfYWuGLa');
    expect(new Code('AAA2O57HTG7HMCO3').mf_base58btc).toBe('z4rHVQUrFdpfYWuGLa');
    expect(new Code('AAAYSN37BCO2L3O7').mfBase64url).toBe('uzAEAAYk3fwidpe3f');
    const w = Code.rnd(MT.ISCC, ST_ISCC.WIDE);
    expect(w.mcBytes.length).toBe(w.bytes.length + 2);
    expect(Array.from(w.mc_bytes.slice(0, 2))).toEqual([0xcc, 0x01]);
    for (const [p, v] of [['f', w.mfBase16], ['b', w.mfBase32], ['v', w.mfBase32hex], ['z', w.mfBase58btc], ['u', w.mfBase64url]]) {
      expect(v!.startsWith(p!)).toBe(true);
    }
  });

  it('WIDE codes (test_models)', () => {
    const a = Code.rnd(MT.ISCC, ST_ISCC.WIDE);
    expect(a.maintype).toBe(MT.ISCC);
    expect(a.subtype).toBe(ST_ISCC.WIDE);
    expect(a.length).toBe(256);
    expect(a.typeId).toBe('ISCC-WIDE-V0-DI');
    expect(a.hashBytes).toHaveLength(32);
    expect(a.hashHex).toHaveLength(64);
    expect(a.hashBits).toHaveLength(256);
    expect(a.explain).toContain('ISCC-WIDE-V0-DI');
    const b = new Code(a.code);
    expect(b.equals(a)).toBe(true);
    expect(b.uint).toBe(a.uint);
    expect(Code.rnd(MT.ISCC, ST_ISCC.WIDE).equals(a)).toBe(false);
  });

  it('ISCC-ID v1 (test_code_iscc_idv1)', () => {
    const code = new Code(genIsccIdV1(1647312000000000, 42, 0).iscc);
    expect(code.maintype).toBe(MT.ID);
    expect(code.subtype).toBe(ST_ID_REALM.REALM_0);
    expect(code.version).toBe(VS.V1);
    expect(code.length).toBe(64);
    expect(code.typeId).toBe('ID-REALM_0-V1-64');
    expect(code.explain).toContain('1647312000000000-42');
    const body = code.hashUint;
    expect(body >> 12n).toBe(1647312000000000n);
    expect(body & 0xfffn).toBe(42n);
  });

  it('rnd: structure and seeded reproduction of the reference', () => {
    const cco = Code.rnd(MT.CONTENT, ST_CC.TEXT, 256);
    expect([cco.maintype, cco.subtype, cco.length]).toEqual([MT.CONTENT, ST_CC.TEXT, 256]);
    expect(Code.rnd(MT.ISCC, null, 128).maintype).toBe(MT.ISCC);
    expect(Code.rnd(MT.ID).maintype).toBe(MT.ID);
    expect(() => Code.rnd(MT.ISCC, null, 64)).toThrow(IsccError);
    expect(() => Code.rnd(MT.ISCC, ST_ISCC.TEXT)).toThrow(IsccError);
    // test_iscc_id_v0.py test_iscc_id_incr_v0_vs_uc: Code.rgen = random.Random(0)
    Code.seed(0);
    expect(Code.rnd(MT.ISCC, null, 256).explain).toBe(
      'ISCC-VIDEO-V0-MSDI-c8a70639eb1167b367a9c3787c65c1e582e2e662f728b4fa42485e3a0a5d2f34',
    );
    Code.seed(0);
    const first = Code.rnd(MT.META).code;
    Code.seed(0);
    expect(Code.rnd(MT.META).code).toBe(first);
    const data = new Uint8Array([0, 15, 0, 0, 0, 0, 0, 0]);
    expect(Code.rnd(MT.CONTENT, ST_ISCC.IMAGE, 64, data).hashBytes).toEqual(data);
  });

  it('ISCC-CODE without content (test_iscc_code_no_content_code structure)', () => {
    const units = [Code.rnd(MT.META), Code.rnd(MT.DATA), Code.rnd(MT.INSTANCE)].map((c) => c.code);
    const co = new Code(genIsccCodeV0(units).iscc);
    expect(co.typeId).toBe('ISCC-NONE-V0-MDI');
    expect(co.explain).toBe('ISCC-NONE-V0-MDI-' + units.map((u) => hex(decodeBase32(u).slice(2))).join(''));
  });

  it('invalid header fields throw from the properties, like the reference enums', () => {
    const odd = new Code([0, 0, 5, 1, new Uint8Array(8)]); // META with version 5
    expect(() => odd.version).toThrow(IsccError);
    expect(() => odd.subtype).toThrow(IsccError);
    expect(odd.code).toBe(encodeBase32(odd.bytes));
    expect(() => new Code([9, 0, 0, 1, new Uint8Array(8)]).maintype).toThrow(IsccError);
    expect(() => new Code(new Uint8Array([0, 0])).hashUint).toThrow(IsccError);
  });

  it('round-trips bytes -> Code -> code -> Code (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3, 4, 7),
        fc.integer({ min: 0, max: 4 }),
        fc.constantFrom(32, 64, 96, 128, 256),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (mt, st, bits, data) => {
          const c = Code.rnd(mt, st, bits, data.slice(0, bits / 8));
          const d = new Code(c.code);
          expect(d.equals(c)).toBe(true);
          expect(d.hashBytes).toEqual(data.slice(0, bits / 8));
          expect(d.length).toBe(bits);
          expect(d.xor(c)).toBe(0);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('Flake', () => {
  const TS = 1644830125.1892536;
  it('time-derived representations (test_code_flake.py)', () => {
    const f = new Flake(TS);
    expect(f.iscc.startsWith('ISCC:OAAQC7XXQPWI')).toBe(true);
    expect(f.repr().startsWith('Flake("05VFF0VC')).toBe(true);
    expect(String(f)).toBe(f.string);
    expect(f.string.startsWith('05VFF0VCG')).toBe(true);
    expect(typeof f.int).toBe('bigint');
    expect(String(f.int).startsWith('107795587084')).toBe(true);
    expect(f.time).toBe('2022-02-14T09:15:25.189');
  });
  it('from_int / from_string round trips, equality and ordering', () => {
    const f = new Flake();
    expect(Flake.fromInt(f.int).equals(f)).toBe(true);
    expect(Flake.fromString(f.string).equals(f)).toBe(true);
    const f1 = new Flake();
    const f2 = new Flake();
    expect(f1.lt(f2)).toBe(true);
    expect(f2.gt(f1)).toBe(true);
    expect([f2, f1].sort(Flake.compare)[0]).toBe(f1);
    expect(() => Flake.fromInt(-1n)).toThrow(IsccError);
    expect(() => Flake.fromInt(2n ** 64n)).toThrow(IsccError);
  });
  it('128-bit flakes', () => {
    const f = new Flake(null, 128);
    expect(f.iscc.startsWith('ISCC:OAB')).toBe(true);
    expect(f.string).toHaveLength(26);
  });
});
