import { describe, it, expect } from 'vitest';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genMixedCode, genMixedCodeV0, softHashCodesV0 } from './code-content-mixed.ts';
import { genTextCodeV0 } from './code-content-text.ts';
import { genMetaCodeV0 } from './code-meta.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

type Case = { inputs: unknown[]; outputs: Record<string, unknown> };
const vectors = readConformanceJson<Record<string, Record<string, Case>>>('data.json');

function errCode(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof IsccError) return e.code;
    throw e;
  }
  return undefined;
}

describe('genMixedCodeV0: conformance vectors (data.json)', () => {
  const cases = Object.entries(vectors['gen_mixed_code_v0']!);
  it('has the 2 cases', () => expect(cases).toHaveLength(2));
  for (const [name, c] of cases) {
    it(name, () => {
      const [codes, bits] = c.inputs as [string[], number];
      expect(genMixedCodeV0(codes, bits)).toStrictEqual(c.outputs);
      expect(genMixedCode(codes, bits)).toStrictEqual(c.outputs);
    });
  }
});

describe('reference tests (test_code_content_mixed.py)', () => {
  const tcLong = genTextCodeV0('Hello World', 256).iscc;
  const tcShort = genTextCodeV0('Short Text-Code', 64).iscc;

  it('mixed lengths are cut to `bits`', () => {
    const want = {
      iscc: 'ISCC:EQASBPL7XH763357',
      parts: ['ISCC:EADSKDNZNYGUUF5AMFEJLZ5P66CP5YKCOA3X7F36RWE4CIRCBTUWXYY', 'ISCC:EAA3265Q67Q27P7F'],
    };
    expect(genMixedCodeV0([tcLong, tcShort], 64)).toStrictEqual(want);
    expect(genMixedCodeV0([tcLong, tcShort])).toStrictEqual(want);
  });

  it('needs two codes, all CONTENT, all long enough (AssertionError upstream)', () => {
    expect(errCode(() => genMixedCodeV0([genTextCodeV0('Hello World').iscc]))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
    const mc = genMetaCodeV0('Meta Code Title', null, null, 64).iscc;
    expect(errCode(() => genMixedCodeV0([genTextCodeV0('Hello World').iscc, mc], 64))).toBe(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
    );
    expect(errCode(() => genMixedCodeV0([tcLong, tcShort], 128))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
    expect(errCode(() => genMixedCode([tcLong, tcShort], 128))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
  });

  it('returns the parts as given (not normalised) in a new array', () => {
    const codes = [tcLong.slice(5), tcShort];
    const r = genMixedCodeV0(codes);
    expect(r.parts).toEqual(codes);
    expect(r.parts).not.toBe(codes);
  });

  it('rejects undecodable input', () => {
    expect(() => genMixedCodeV0(['not a code', tcShort])).toThrow(IsccError);
    expect(() => genMixedCodeV0('EAA' as unknown as string[])).toThrow(IsccError);
    expect(() => softHashCodesV0([new Uint8Array([0x20]), new Uint8Array([0x20])])).toThrow(IsccError);
  });
});
