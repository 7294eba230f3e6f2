/**
 * Tests of the iscc-core text functions: the reference's own unit-test expectations, ~3,100
 * golden strings with Python 3.11 results (`__fixtures__/unicode-golden.json`), properties over
 * random Unicode, and a speed guard for `textCollapse`.
 */
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { textClean, textCollapse, textRemoveNewlines, textTrim } from './text.ts';
import { nfkc, pyStrip, toCodePoints, unicodeCategory, pyIsSpace } from './unicode.ts';
import { IsccError } from './errors.ts';
import { coreOpts } from './options.ts';

interface GoldenCase {
  s: string;
  clean?: string;
  remove_newlines?: string;
  collapse?: string;
  trim: [number, string | null][];
}
const golden = JSON.parse(
  readFileSync(new URL('./__fixtures__/unicode-golden.json', import.meta.url), 'utf8'),
) as { cases: GoldenCase[] };
const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const utf8Len = (s: string): number => new TextEncoder().encode(s).length;

describe('iscc-core unit test expectations', () => {
  it('textTrim', () => {
    const t2 = textTrim('ü'.repeat(128), 128);
    expect([t2.length, utf8Len(t2)]).toEqual([64, 128]);
    const t3 = textTrim('驩'.repeat(128), 128);
    expect([t3.length, utf8Len(t3)]).toEqual([42, 126]);
    const mixed = textTrim('Iñtërnâtiônàlizætiøn☃💩'.repeat(6), 128);
    expect([toCodePoints(mixed).length, utf8Len(mixed)]).toEqual([85, 128]);
  });
  it('textClean', () => {
    expect(textClean(' Hello World! ')).toBe('Hello World!');
    expect(textClean('Hello\n    \n    \n    \n    \nWorld')).toBe('Hello\n\nWorld');
    const md =
      '\n\n# Document\n\n*Subtitle*\n\n\nSome Text **text**! Also Iñtërnâtiôn\nàlizætiøn☃💩.\n\n## Subheader\n\n' +
      '- Maybe even a list\n- Item 2\n    - Nested\n- Unnested\n\nMore Text\n';
    expect(textClean(md)).toBe(
      '# Document\n\n*Subtitle*\n\nSome Text **text**! Also Iñtërnâtiôn\nàlizætiøn☃💩.\n\n## Subheader\n\n' +
        '- Maybe even a list\n- Item 2\n    - Nested\n- Unnested\n\nMore Text',
    );
  });
  it('textRemoveNewlines', () => {
    expect(textRemoveNewlines('   Hello\nWorld!  - How Are you   ')).toBe('Hello World! - How Are you');
  });
  it('textCollapse', () => {
    expect(textCollapse('  Iñtërnâtiôn\nàlizætiøn☃💩 –  is a tric\t ky \u00a0 thing!\r')).toBe(
      'internationalizætiøn☃💩isatrickything',
    );
    expect(textCollapse(' ')).toBe('');
    expect(textCollapse('  Hello  World ? ')).toBe('helloworld');
    expect(textCollapse('Hello\nWorld')).toBe('helloworld');
  });
});

type Vectors = Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>>;
/** A vector file from $ISCC_CONFORMANCE_DIR (fails loudly, naming the path, when absent). */
const loadVectors = (file: string): Vectors => readConformanceJson<Vectors>(file);

describe('conformance vectors (data.json)', () => {
  const data = loadVectors('data.json');
  it('Meta-Code name and description come out of the text pipeline', () => {
    const cases = Object.values(data['gen_meta_code_v0'] ?? {});
    expect(cases.length).toBeGreaterThan(10);
    for (const { inputs, outputs } of cases) {
      const name = textTrim(textRemoveNewlines(textClean(inputs[0] as string)), coreOpts.meta_trim_name);
      expect(name).toBe(outputs['name']);
      const description = textTrim(textClean((inputs[1] as string | null) ?? ''), coreOpts.meta_trim_description);
      expect(description).toBe(outputs['description'] ?? '');
    }
  });
  it('Text-Code character counts are the code points of textCollapse', () => {
    const cases = Object.values(data['gen_text_code_v0'] ?? {});
    expect(cases.length).toBeGreaterThan(3);
    for (const { inputs, outputs } of cases) {
      expect(toCodePoints(textCollapse(inputs[0] as string)).length).toBe(outputs['characters']);
    }
  });
});

describe('golden strings (Python 3.11)', () => {
  const cases = golden.cases;
  const check = (name: string, fn: (c: GoldenCase) => unknown, want: (c: GoldenCase) => unknown): void => {
    it(name, () => {
      const bad: string[] = [];
      for (const c of cases) {
        const got = fn(c);
        const exp = want(c);
        if (JSON.stringify(got) !== JSON.stringify(exp)) bad.push(`${JSON.stringify(c.s)}: ${JSON.stringify(got)} != ${JSON.stringify(exp)}`);
      }
      expect(cases.length).toBeGreaterThan(3000);
      expect(bad.slice(0, 5)).toEqual([]);
    });
  };
  check('textClean', (c) => textClean(c.s), (c) => c.clean ?? c.s);
  check('textRemoveNewlines', (c) => textRemoveNewlines(c.s), (c) => c.remove_newlines ?? c.s);
  check('textCollapse', (c) => textCollapse(c.s), (c) => c.collapse ?? c.s);
  check(
    'textTrim (null = Python raises)',
    (c) =>
      c.trim.map(([n]) => {
        try {
          return [n, textTrim(c.s, n)];
        } catch (e) {
          if (!(e instanceof IsccError)) throw e;
          return [n, null];
        }
      }),
    (c) => c.trim,
  );
});

describe('arguments', () => {
  it('non-strings and bad sizes throw IsccError', () => {
    for (const f of [textClean, textCollapse, textRemoveNewlines]) {
      expect(() => f(undefined as unknown as string)).toThrow(IsccError);
      expect(() => f(42 as unknown as string)).toThrow(IsccError);
    }
    expect(() => textTrim('abc', 1.5)).toThrow(IsccError);
    expect(() => textTrim('abc', '3' as unknown as number)).toThrow(IsccError);
    expect(() => textTrim(null as unknown as string, 3)).toThrow(IsccError);
    expect(() => textTrim('a\ud800', 100)).toThrow(/nbytes|text/);
  });
  it('textTrim follows Python slicing for edge sizes', () => {
    expect(textTrim(' ab ', 0)).toBe('');
    expect(textTrim('abc', -1)).toBe('ab');
    expect(textTrim('abc', -10)).toBe('');
    expect(textTrim('a💩', 4)).toBe('a');
    expect(textTrim('a💩', 5)).toBe('a💩');
  });
});

describe('properties', () => {
  const opts = { numRuns: RUNS };
  const anyText = fc.string({ unit: 'binary', maxLength: 80 });
  it('textCollapse never throws and yields NFKC text without whitespace or category C', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = textCollapse(s);
        expect(nfkc(out)).toBe(out);
        // NFKC may bring back punctuation (U+3200 -> "(\u1100)") or spaces (U+FDFA), never C
        for (const cp of toCodePoints(out)) expect(unicodeCategory(cp)[0]).not.toBe('C');
      }),
      opts,
    );
  });
  it('textCollapse is idempotent on Latin-1 and Greek letters', () => {
    const range = (a: number, b: number): string[] =>
      Array.from({ length: b - a + 1 }, (_, i) => String.fromCharCode(a + i)).filter((c) => c !== '\u03a2');
    // letters, digits and spaces only: NFKC turns some symbols (U+00B4) into space + mark
    const alphabet = [
      ...range(0x30, 0x39), ...range(0x41, 0x5a), ...range(0x61, 0x7a), ...range(0xc0, 0xd6), ...range(0xd8, 0xf6),
      ...range(0xf8, 0xff), ...range(0x391, 0x3a9), ...range(0x3ac, 0x3ce), 'Σ', 'Σ', ' ', ' ',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 40 }), (chars) => {
        const once = textCollapse(chars.join(''));
        expect(textCollapse(once)).toBe(once);
      }),
      opts,
    );
  });
  it('textClean is not always idempotent, as in iscc-core: stripping can leave combining marks to reorder', () => {
    // iscc-core 1.3.0: text_clean('\u02d8\x00\U00010f4d') == '\u0306\U00010f4d' (NFKC turns the
    // breve into a space and U+0306, the strip drops the space), and text_clean of that is
    // '\U00010f4d\u0306' (NFKC puts the two combining marks in canonical order).
    const once = textClean('\u02d8\u0000\u{10f4d}');
    expect(once).toBe('\u0306\u{10f4d}');
    expect(textClean(once)).toBe('\u{10f4d}\u0306');
  });
  it('textClean is stable from its second application, textRemoveNewlines from its first; results are stripped', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const c = textClean(textClean(s));
        expect(textClean(c)).toBe(c);
        expect(pyStrip(c)).toBe(c);
        expect(pyStrip(textClean(s))).toBe(textClean(s));
        const r = textRemoveNewlines(s);
        expect(textRemoveNewlines(r)).toBe(r);
        expect(r).not.toMatch(/[\n\r\u2028\u2029\u0085\u000b\u000c]/);
      }),
      opts,
    );
  });
  it('textTrim never exceeds nbytes and keeps a prefix', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.nat(300), (s, n) => {
        const t = textTrim(s, n);
        expect(utf8Len(t)).toBeLessThanOrEqual(n);
        expect(s.includes(t)).toBe(true);
        if (utf8Len(s) <= n) expect(t).toBe(pyStrip(s));
      }),
      opts,
    );
  });
  it('textCollapse ignores whitespace and punctuation between words', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { maxLength: 10 }), (words) => {
        expect(textCollapse(words.join(' \n\t, '))).toBe(words.join(''));
      }),
      opts,
    );
  });
});

// Timing belongs to bench/ (project rule: no timing in unit tests); see bench/core.bench.mjs.
