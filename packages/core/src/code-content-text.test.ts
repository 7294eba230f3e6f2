import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genTextCode, genTextCodeV0, softHashTextV0 } from './code-content-text.ts';
import { slidingWindow } from './sliding-window.ts';
import { xxh32 } from './xxh32.ts';
import { algMinhash256 } from './minhash.ts';
import { textCollapse } from './text.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

type Case = { inputs: unknown[]; outputs: Record<string, unknown> };
const vectors = readConformanceJson<Record<string, Record<string, Case>>>('data.json');

const TEXT_A = `
    Their most significant and usefull property of similarity-preserving
    fingerprints gets lost in the fragmentation of individual, propietary and
    use case specific implementations. The real benefit lies in similarity
    preservation beyond your local data archive on a global scale accross
    vendors.
`;
const TEXT_B = `
    The most significant and usefull property of similarity-preserving
    fingerprints gets lost in the fragmentation of individual, propietary and
    use case specific implementations. The real benefit lies in similarity
    preservation beyond your local data archive on a global scale accross
    vendors.
`;
const TEXT_C = `
    A need for open standard fingerprinting. We don\u00b4t need the best
    Fingerprinting algorithm just an accessible and widely used one.
`;

describe('genTextCodeV0: conformance vectors (data.json)', () => {
  const cases = Object.entries(vectors['gen_text_code_v0']!);
  it('has the 5 cases', () => expect(cases).toHaveLength(5));
  for (const [name, c] of cases) {
    it(name, () => {
      const [text, bits] = c.inputs as [string, number];
      expect(genTextCodeV0(text, bits)).toStrictEqual(c.outputs);
      expect(genTextCode(text, bits)).toStrictEqual(c.outputs);
    });
  }
});

describe('reference tests (test_code_content_text.py)', () => {
  it('soft hashes (uncollapsed input, as the reference test passes it)', () => {
    expect(hex(softHashTextV0(TEXT_A))).toBe('5f869a775c18bfbc3a117ab0114e13b2bf92614cda91513ee1f889fef3d6985f');
    expect(hex(softHashTextV0(TEXT_B))).toBe('5f869a775c18bdfc3a117ab0114e13f2bf92610cda91513ee1f889bef3d6985f');
    expect(hex(softHashTextV0(TEXT_C))).toBe('377b2f7b099a6df6bbc4a2ee4ff957b944c6434fa0e78842e7aad1169b71dd07');
  });

  it('codes at several lengths', () => {
    expect(genTextCodeV0(TEXT_A)).toStrictEqual({ iscc: 'ISCC:EAAZHFKU6PNI7UVW', characters: 249 });
    expect(genTextCodeV0(TEXT_A, 32)).toStrictEqual({ iscc: 'ISCC:EAAJHFKU6M', characters: 249 });
    expect(genTextCodeV0(TEXT_B, 128)).toStrictEqual({ iscc: 'ISCC:EABZHFKU6PNIXUVWYEEIQLOYHILX6', characters: 247 });
    expect(genTextCodeV0(TEXT_C, 256)).toStrictEqual({
      iscc: 'ISCC:EADQE77SQ5NHKYPCDXT3E2NTB2EGV7VSKEUJDNXG2MICLCFZOPSDI4I',
      characters: 108,
    });
    expect(genTextCodeV0('Hello World')).toStrictEqual({ iscc: 'ISCC:EAASKDNZNYGUUF5A', characters: 10 });
  });

  it('empty text', () => {
    expect(genTextCode('', 128)).toStrictEqual({ iscc: 'ISCC:EABSL4F2WZY7KBXBYUZPREWZ26IXU', characters: 0 });
  });

  it('counts code points, not UTF-16 units', () => {
    expect(genTextCodeV0('\u{1F4A9}\u{1F4A9}a').characters).toBe(3);
  });

  it('rejects non-strings (TypeError upstream)', () => {
    expect(() => genTextCode(new Uint8Array(0) as unknown as string, 64)).toThrow(IsccError);
    expect(() => softHashTextV0(1 as unknown as string)).toThrow(IsccError);
  });

  it('rejects text Python cannot UTF-8 encode (lone surrogates)', () => {
    try {
      softHashTextV0('abc\uD800def');
      expect.unreachable();
    } catch (e) {
      expect((e as IsccError).code).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
    }
    // textCollapse drops them (category Cs), so the generator accepts such text.
    expect(genTextCodeV0('abc\uD800def').characters).toBe(6);
  });
});

describe('softHashTextV0 equals the literal algorithm', () => {
  const enc = new TextEncoder();
  const literal = (t: string) => algMinhash256(slidingWindow(t, 13).map((s) => xxh32(enc.encode(s))));
  it('property: byte-offset n-grams == encoding every window', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => {
        const t = textCollapse(s);
        expect(softHashTextV0(t)).toEqual(literal(t));
      }),
      { numRuns: RUNS },
    );
  });
});
