/**
 * Tests of the pinned Unicode 14.0.0 helpers against Python 3.11 golden data
 * (`__fixtures__/unicode-golden.json`, written by `python3 scripts/gen-unicode.py golden`):
 * - every code point: NFD/NFC/NFKD/NFKC/lower of the single character, category, combining
 *   class and isspace, compared through per-block SHA-256 digests;
 * - ~3,100 mixed strings: normalization, lower (final sigma), split/strip/splitlines;
 * - properties: normalization forms are idempotent and related as UAX #15 says.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import {
  UNICODE_VERSION,
  _categoryMask,
  _collapse,
  _compose,
  _filterCodePoints,
  _decompose,
  _lower,
  combiningClass,
  fromCodePoints,
  nfc,
  nfd,
  nfkc,
  nfkd,
  pyIsLineBreak,
  pyIsSpace,
  pyLower,
  pySplitWhitespace,
  pySplitlines,
  pyStrip,
  toCodePoints,
  unicodeCategory,
} from './unicode.ts';
import { IsccError } from './errors.ts';

interface GoldenCase {
  s: string;
  nfd?: string;
  nfc?: string;
  nfkd?: string;
  nfkc?: string;
  lower?: string;
  strip?: string;
  split: string[];
  splitlines: string[];
}
interface Golden {
  unidata_version: string;
  block_size: number;
  block_digests: string[];
  cases: GoldenCase[];
}

const GOLDEN_PATH = new URL('./__fixtures__/unicode-golden.json', import.meta.url);
const golden = JSON.parse(readFileSync(GOLDEN_PATH, 'utf8')) as Golden;
const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;

const hex = (cps: readonly number[]): string => cps.map((c) => c.toString(16)).join(',');

describe('unicode tables', () => {
  it('are Unicode 14.0.0 like the golden data', () => {
    expect(UNICODE_VERSION).toBe('14.0.0');
    expect(golden.unidata_version).toBe(UNICODE_VERSION);
  });

  it('match Python for every single code point (per-block digests)', () => {
    const enc = new TextEncoder();
    const mismatches: string[] = [];
    golden.block_digests.forEach((want, b) => {
      const lines: string[] = [];
      for (let cp = b * golden.block_size; cp < (b + 1) * golden.block_size; cp++) {
        // the array cores of nfd/nfc/nfkd/nfkc/pyLower (string wrappers are tested below)
        const d = _decompose([cp], false);
        const kd = _decompose([cp], true);
        lines.push(
          [
            cp.toString(16),
            hex(d),
            hex(_compose(d.slice())),
            hex(kd),
            hex(_compose(kd.slice())),
            hex(_lower([cp])),
            unicodeCategory(cp),
            String(combiningClass(cp)),
            pyIsSpace(cp) ? '1' : '0',
          ].join('|'),
        );
      }
      lines.push('');
      const got = bytesToHex(sha256(enc.encode(lines.join('\n')))).slice(0, 16);
      if (got !== want) mismatches.push(`block ${(b * golden.block_size).toString(16)}`);
    });
    expect(golden.block_digests.length).toBe(0x110000 / golden.block_size);
    expect(mismatches).toEqual([]);
  });

  it('know the category of characters new in later Unicode versions as Cn', () => {
    expect(unicodeCategory(0x1e030)).toBe('Cn'); // Unicode 15 modifier letter, Lm today
    expect(nfkc('\u{1e030}')).toBe('\u{1e030}'); // Unicode 15 gives it <super> 0430
    expect(unicodeCategory(0x1c89)).toBe('Cn'); // Unicode 16 capital letter
    expect(pyLower('\u1c89')).toBe('\u1c89');
    expect(unicodeCategory(0x2c2f)).toBe('Lu'); // new in Unicode 14
    expect(pyLower('\u2c2f')).toBe('\u2c5f');
    expect(unicodeCategory(0xd800)).toBe('Cs');
    expect(unicodeCategory(0x10ffff)).toBe('Cn');
  });

  it('rejects bad arguments with IsccError', () => {
    expect(() => unicodeCategory(0x110000)).toThrow(IsccError);
    expect(() => unicodeCategory(-1)).toThrow(IsccError);
    expect(() => combiningClass(1.5)).toThrow(IsccError);
    expect(() => pyIsSpace('a' as unknown as number)).toThrow(IsccError);
    expect(() => nfc(5 as unknown as string)).toThrow(IsccError);
    expect(() => pyLower(null as unknown as string)).toThrow(IsccError);
  });

  it('line breaks are those of str.splitlines', () => {
    const breaks = [0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x85, 0x2028, 0x2029];
    for (let cp = 0; cp < 0x3000; cp++) expect(pyIsLineBreak(cp)).toBe(breaks.includes(cp));
  });
});

describe('golden strings (Python 3.11)', () => {
  const cases = golden.cases;
  it('has the expected number of cases', () => {
    expect(cases.length).toBeGreaterThan(3000);
  });
  const check = (name: string, fn: (c: GoldenCase) => unknown, want: (c: GoldenCase) => unknown): void => {
    it(name, () => {
      const bad: string[] = [];
      for (const c of cases) {
        const got = fn(c);
        const exp = want(c);
        if (JSON.stringify(got) !== JSON.stringify(exp)) bad.push(`${JSON.stringify(c.s)}: ${JSON.stringify(got)} != ${JSON.stringify(exp)}`);
      }
      expect(bad.slice(0, 5)).toEqual([]);
    });
  };
  check('nfd', (c) => nfd(c.s), (c) => c.nfd ?? c.s);
  check('nfc', (c) => nfc(c.s), (c) => c.nfc ?? c.s);
  check('nfkd', (c) => nfkd(c.s), (c) => c.nfkd ?? c.s);
  check('nfkc', (c) => nfkc(c.s), (c) => c.nfkc ?? c.s);
  check('lower', (c) => pyLower(c.s), (c) => c.lower ?? c.s);
  check('strip', (c) => pyStrip(c.s), (c) => c.strip ?? c.s);
  check('split', (c) => pySplitWhitespace(c.s), (c) => c.split);
  check('splitlines', (c) => pySplitlines(c.s), (c) => c.splitlines);
});

describe('known Python results', () => {
  it('final sigma follows CPython', () => {
    expect(pyLower('ΟΔΥΣΣΕΥΣ')).toBe('οδυσσευς');
    expect(pyLower('Σ')).toBe('σ');
    expect(pyLower('ΑΣ.')).toBe('ας.');
    expect(pyLower('Α\u00adΣ')).toBe('α\u00adς');
    expect(pyLower('ΑΣ\u0301')).toBe('ας\u0301');
    expect(pyLower('ΑΣΑ')).toBe('ασα');
  });
  it('full lowercase mapping', () => {
    expect(pyLower('\u0130')).toBe('i\u0307');
    expect(pyLower('\u1e9e')).toBe('ß');
    expect(pyLower('\u212a')).toBe('k');
  });
  it('composition respects blocking and exclusions', () => {
    expect(nfc('e\u0327\u0301')).toBe('ȩ\u0301');
    expect(nfc('a\u0313\u0301')).toBe('a\u0313\u0301'); // blocked by an equal class
    expect(nfc('a\u0315\u0301')).toBe('á\u0315'); // reordered first (232 > 230), then composed
    expect(nfc('a\u0302\u0323')).toBe('ậ');
    expect(nfc('\u0958')).toBe('\u0915\u093c'); // composition exclusion
    expect(nfc('\u212b')).toBe('Å'); // singleton
    expect(nfc('\u1100\u1161\u11a8')).toBe('각');
    expect(nfd('각')).toBe('\u1100\u1161\u11a8');
    expect(nfkc('ﬁ①x²Ⅻ')).toBe('fi1x2XII');
  });
  it('keeps lone surrogates as code points', () => {
    expect(toCodePoints('a\ud800b\udc00')).toEqual([0x61, 0xd800, 0x62, 0xdc00]);
    expect(toCodePoints('\u{1f600}')).toEqual([0x1f600]);
    expect(nfc('\ud800\u0301')).toBe('\ud800\u0301');
  });
  it('fromCodePoints handles long inputs', () => {
    const cps = Array.from({ length: 20000 }, (_, i) => (i % 2 ? 0x1f600 : 0x61));
    expect(toCodePoints(fromCodePoints(cps))).toEqual(cps);
  });
});

describe('properties', () => {
  const opts = { numRuns: RUNS };
  it('normal forms are idempotent and related', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => {
        const d = nfd(s);
        const c = nfc(s);
        const kd = nfkd(s);
        const kc = nfkc(s);
        expect(nfd(d)).toBe(d);
        expect(nfc(c)).toBe(c);
        expect(nfkd(kd)).toBe(kd);
        expect(nfkc(kc)).toBe(kc);
        expect(nfd(c)).toBe(d);
        expect(nfc(d)).toBe(c);
        expect(nfkd(kc)).toBe(kd);
        expect(nfkc(kd)).toBe(kc);
        expect(nfkd(c)).toBe(kd);
      }),
      opts,
    );
  });
  it('the fused _collapse equals its steps run one by one', () => {
    const mask = _categoryMask(['C', 'M', 'P']);
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        const steps = _compose(_decompose(_filterCodePoints(_lower(_decompose(toCodePoints(s), false)), mask, true), true));
        expect(_collapse(s, mask)).toEqual(steps);
      }),
      opts,
    );
  });
  it('round-trips code points and keeps strip/split consistent', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        expect(fromCodePoints(toCodePoints(s))).toBe(s);
        const parts = pySplitWhitespace(s);
        for (const p of parts) expect(pyStrip(p)).toBe(p);
        expect(pySplitWhitespace(pyStrip(s))).toEqual(parts);
      }),
      opts,
    );
  });
});
