/**
 * The canonical fast path of isccDecompose, isccNormalize, isccDecode, isccTypeId and
 * isccExplain (codec.ts, `canonicalTuple`) against the full path: the reference algorithm
 * (iscc-core `codec.py`), written out here from the public building blocks as the oracle. Both must return the same
 * value or throw the same IsccError (code and message) for every input: the golden vectors'
 * codes, generated headers and bodies of every shape (legal, truncated, over-long, odd
 * padding nibbles, non-zero trailing bits, versions and lengths the recomposition rewrites),
 * and hostile strings.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { MT, PREFIXES, ST, ST_ISCC, VS, mtName, subtypeName, vsName } from './constants.ts';
import {
  decodeBase32,
  decodeHeader,
  decodeLength,
  decodeUnits,
  encodeBase32,
  encodeComponent,
  encodeHeader,
  isccClean,
  isccDecode,
  isccDecompose,
  isccExplain,
  isccNormalize,
  isccTypeId,
  normalizeMultiformat,
  type IsccTuple,
} from './codec.ts';
import { genIsccCodeV0 } from './iscc-code.ts';
import { genIsccIdV1 } from './iscc-id.ts';
import { concatBytes, pySlice, toHex, uvarintDecode } from './_pyutil.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

// --- the oracle: iscc_decompose, iscc_normalize, iscc_decode, iscc_type_id, iscc_explain as the reference does them
function slowDecompose(isccCode: string): string[] {
  const components: string[] = [];
  let raw = decodeBase32(normalizeMultiformat(isccCode));
  while (raw.length) {
    const [mt, st, vs, ln, body] = decodeHeader(raw);
    if (mt !== MT.ISCC) {
      const lnBits = decodeLength(mt, ln);
      components.push(encodeComponent(mt, st, vs, lnBits, body.subarray(0, lnBits / 8)));
      raw = body.subarray(Math.min(lnBits / 8, body.length));
      continue;
    }
    const mainTypes = decodeUnits(ln);
    if (st === ST_ISCC.WIDE) {
      components.push(encodeComponent(MT.DATA, ST.NONE, vs, 128, pySlice(body, 0, 16)), encodeComponent(MT.INSTANCE, ST.NONE, vs, 128, pySlice(body, 16, 32)));
      break;
    }
    mainTypes.forEach((mtype, idx) => components.push(encodeComponent(mtype, mtype === MT.META ? ST.NONE : st, vs, 64, pySlice(body, idx * 8))));
    components.push(encodeComponent(MT.DATA, ST.NONE, vs, 64, pySlice(body, -16, -8)), encodeComponent(MT.INSTANCE, ST.NONE, vs, 64, pySlice(body, -8)));
    break;
  }
  return components;
}
function slowNormalize(isccCode: string): string {
  const code = normalizeMultiformat(isccCode);
  const prefix = code.toUpperCase().slice(0, 2);
  if (!PREFIXES.includes(prefix)) throw new IsccError(ISCC_ERROR_CODES.INVALID_CODE, `ISCC starts with invalid prefix ${prefix}`);
  const header = decodeHeader(decodeBase32(isccClean(code)));
  const isWide = header[0] === MT.ISCC && header[1] === ST_ISCC.WIDE;
  const decomposed = slowDecompose(code);
  if (decomposed.length === 0) throw new Error('nothing to normalize');
  const recomposed = decomposed.length >= 2 ? genIsccCodeV0(decomposed, isWide).iscc : decomposed[0]!;
  return recomposed.startsWith('ISCC:') ? recomposed : `ISCC:${recomposed}`;
}
function slowDecode(iscc: string): IsccTuple {
  return decodeHeader(decodeBase32(isccClean(slowNormalize(iscc))));
}
function slowTypeId(iscc: string): string {
  const [mt, st, vs, ln] = slowDecode(iscc);
  const mname = mtName(mt);
  const sname = subtypeName(mt, vs, st);
  const length = mt === MT.ISCC ? decodeUnits(ln).map((t) => mtName(t)[0]).join('') + 'DI' : String(decodeLength(mt, ln));
  return `${mname}-${sname}-${vsName(vs)}-${length}`;
}
function slowExplain(iscc: string): string {
  const tid = slowTypeId(iscc);
  const [mt, st, vs, , tail] = slowDecode(iscc);
  if (mt === MT.ID) {
    if (vs === VS.V1) {
      let v = 0n;
      for (const b of tail) v = (v << 8n) | BigInt(b);
      return `ID-REALM_${st}-V1-64-${v >> 12n}-${v & 0xfffn}`;
    }
    const counter = tail.subarray(8);
    if (counter.length) return `${tid}-${toHex(tail.subarray(0, 8))}-${uvarintDecode(counter)}`;
  }
  return `${tid}-${toHex(tail)}`;
}

/** The outcome of `fn(x)`: its value (bytes as hex) or the IsccError's code and message. */
function outcome(fn: (s: string) => unknown, x: string): unknown {
  try {
    const v = fn(x);
    return Array.isArray(v) ? v.map((f) => (f instanceof Uint8Array ? toHex(f) : f)) : v;
  } catch (e) {
    if (!(e instanceof IsccError)) throw new Error(`${fn.name}(${JSON.stringify(x)}) threw ${String(e)}`);
    return { code: e.code, message: e.message };
  }
}

const PAIRS: [string, (s: string) => unknown, (s: string) => unknown][] = [
  ['isccDecompose', isccDecompose, slowDecompose],
  ['isccNormalize', isccNormalize, slowNormalize],
  ['isccDecode', isccDecode, slowDecode],
  ['isccTypeId', isccTypeId, slowTypeId],
  ['isccExplain', isccExplain, slowExplain],
];

function agree(x: string): void {
  for (const [name, fast, slow] of PAIRS) expect(outcome(fast, x), `${name}(${JSON.stringify(x)})`).toEqual(outcome(slow, x));
}

// --- inputs
const vectorCodes = (): string[] => {
  const path = fileURLToPath(new URL('./__vectors__/reference-1.3.0.json', import.meta.url));
  return [...new Set(readFileSync(path, 'utf8').match(/ISCC:[A-Z2-7]+/g) ?? [])];
};

/** Header fields biased to legal values (ISCC-CODEs and Version 0 most), sometimes out of the tables. */
const field = (legal: fc.Arbitrary<number>): fc.Arbitrary<number> => fc.oneof({ weight: 6, arbitrary: legal }, { weight: 1, arbitrary: fc.integer({ min: 0, max: 4679 }) });
const mainType = field(fc.oneof(fc.constant(MT.ISCC), fc.integer({ min: 0, max: 7 })));
const version = field(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2 })));
/** A header and a body around the length the header asks for (exact, short, long). */
const headerAndBody = fc
  .tuple(mainType, field(fc.integer({ min: 0, max: 7 })), version, field(fc.integer({ min: 0, max: 8 })), fc.integer({ min: -9, max: 9 }), fc.boolean(), fc.boolean(), fc.uint8Array({ minLength: 48, maxLength: 48 }))
  .map(([mt, st, vs, ln, delta, exact1, exact2, pool]) => {
    let want = 8;
    try {
      want = mt === MT.ISCC ? (st === ST_ISCC.WIDE ? 32 : (decodeUnits(ln).length + 2) * 8) : decodeLength(mt, ln) / 8;
    } catch {
      // an illegal header: any body
    }
    const n = Math.max(0, Math.min(48, want + (exact1 || exact2 ? 0 : delta)));
    return encodeBase32(concatBytes(encodeHeader(mt, st, vs, ln), pool.subarray(0, n)));
  });
/** Variations a client might send: bare, lower case, dashes, trailing bits, padding nibbles. */
const variant = fc.tuple(headerAndBody, fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 31 })).map(([b32, how, k]) => {
  switch (how) {
    case 0:
    case 1:
      return 'ISCC:' + b32;
    case 2:
      return b32;
    case 3:
      return 'ISCC:' + b32.toLowerCase();
    case 4:
      return 'ISCC:' + b32.slice(0, -1) + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[k]; // other trailing bits
    case 5:
      return 'ISCC:' + b32.slice(0, Math.max(0, b32.length - 1 - (k % 3))); // odd lengths
    case 6:
      return 'ISCC:' + b32.slice(0, 8) + '-' + b32.slice(8);
    default:
      return 'ISCC:' + b32 + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[k]; // one character too many
  }
});

describe('canonical fast path == full normalization', () => {
  it('every ISCC in the golden vectors, as given, bare and lower case', () => {
    const codes = vectorCodes();
    expect(codes.length).toBeGreaterThan(500);
    for (const c of codes) {
      agree(c);
      agree(c.slice(5));
      agree(c.toLowerCase());
    }
  });
  it('known canonical codes take the fast path to themselves', () => {
    const wide = genIsccCodeV0(['GABTMCHNLCHTI2NHZFXOLEB53KSPU', 'IAB3GN6WUSNSX3MJBT6PBTVFAQZ7G'], true).iscc;
    const id = genIsccIdV1(1647312000000000, 42, 0).iscc;
    for (const c of ['ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY', 'ISCC:KUAG2PRCRS5LNVZVJKAFAVOJXLZZM', 'ISCC:AAATTZCKVH3S42TP', wide, id]) {
      expect(isccNormalize(c)).toBe(c);
      expect(isccNormalize(c.slice(5))).toBe(c);
      agree(c);
    }
  });
  it('generated headers and bodies (fast-check)', () => {
    let canonical = 0;
    fc.assert(
      fc.property(variant, (x) => {
        agree(x);
        if (outcome(isccNormalize, x) === x) canonical++;
      }),
      { numRuns: RUNS * 5 },
    );
    // The generator must keep reaching the fast path, or this test would prove little.
    expect(canonical).toBeGreaterThan(RUNS / 5);
  });
  it('hostile strings (fast-check)', () => {
    const alphabet = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567abz-: '.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: alphabet, maxLength: 70 }), fc.string({ unit: alphabet, maxLength: 60 }).map((s) => 'ISCC:' + s)), (x) => agree(x)),
      { numRuns: RUNS },
    );
  });
});
