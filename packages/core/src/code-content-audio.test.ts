import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genAudioCode, genAudioCodeV0, softHashAudioV0 } from './code-content-audio.ts';
import { algSimhash } from './simhash.ts';
import { IsccError } from './errors.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fixture = <T>(name: string) =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;

type Case = { inputs: unknown[]; outputs: Record<string, unknown> };
const vectors = readConformanceJson<Record<string, Record<string, Case>>>('data.json');
const CV = fixture<{ chroma_vector: number[] }>('content-samples.json').chroma_vector;

describe('genAudioCodeV0: conformance vectors (data.json)', () => {
  const cases = Object.entries(vectors['gen_audio_code_v0']!);
  it('has the 5 cases', () => expect(cases).toHaveLength(5));
  for (const [name, c] of cases) {
    it(name, () => {
      const [cv, bits] = c.inputs as [number[], number];
      expect(genAudioCodeV0(cv, bits)).toStrictEqual(c.outputs);
      expect(genAudioCode(Int32Array.from(cv), bits)).toStrictEqual(c.outputs);
    });
  }
});

describe('reference tests (test_code_content_audio.py)', () => {
  it('soft hashes', () => {
    expect(hex(softHashAudioV0([]))).toBe('00'.repeat(32));
    expect(hex(softHashAudioV0([1], 256))).toBe('0000000100000001000000000000000000000000000000010000000000000000');
    expect(hex(softHashAudioV0([1, 2], 256))).toBe('0000000300000001000000020000000000000000000000010000000200000000');
    expect(hex(softHashAudioV0([-1, 0, 1], 256))).toBe(
      '00000001ffffffff000000000000000100000000ffffffff0000000000000001',
    );
    expect(hex(softHashAudioV0(CV, 256))).toBe('6a24a22672e4e2a33a4e88876a84a0266a24a2263a4ea0836264a22468842a2f');
  });

  it('codes', () => {
    expect(genAudioCodeV0(CV)).toStrictEqual({ iscc: 'ISCC:EIAWUJFCEZZOJYVD' });
    expect(genAudioCodeV0(CV, 32)).toStrictEqual({ iscc: 'ISCC:EIAGUJFCEY' });
    expect(genAudioCodeV0(CV, 64)).toStrictEqual({ iscc: 'ISCC:EIAWUJFCEZZOJYVD' });
    expect(genAudioCodeV0(CV, 128)).toStrictEqual({ iscc: 'ISCC:EIBWUJFCEZZOJYVDHJHIRB3KQSQCM' });
    expect(genAudioCodeV0(CV, 256)).toStrictEqual({
      iscc: 'ISCC:EIDWUJFCEZZOJYVDHJHIRB3KQSQCM2REUITDUTVAQNRGJIRENCCCULY',
    });
    expect(genAudioCode(CV, 256)).toStrictEqual(genAudioCodeV0(CV, 256));
  });
});

describe('golden hashes from the reference engine', () => {
  const g = fixture<{ audio: Record<string, number[] | string>[] }>('content-golden.json').audio;
  it('all lengths 0..19, 50, 99, 300 at every bit length', () => {
    expect(g.length).toBeGreaterThan(20);
    for (const e of g) {
      for (const bits of [32, 64, 96, 128, 160, 192, 224, 256]) {
        expect(hex(softHashAudioV0(e['cv'] as number[], bits)), `n=${(e['cv'] as number[]).length} bits=${bits}`).toBe(
          e[String(bits)],
        );
      }
    }
  });
});

describe('the 32-bit SimHash shortcut equals algSimhash on 4-byte digests', () => {
  it('property', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -0x80000000, max: 0x7fffffff }), { minLength: 1, maxLength: 30 }), (cv) => {
        const digests = cv.map((v) => {
          const b = new Uint8Array(4);
          new DataView(b.buffer).setInt32(0, v);
          return b;
        });
        expect(softHashAudioV0(cv, 64).subarray(0, 4)).toEqual(algSimhash(digests));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('inputs the reference rejects', () => {
  it('values outside int32 or not integers (OverflowError / AttributeError upstream)', () => {
    expect(() => softHashAudioV0([2 ** 31])).toThrow(IsccError);
    expect(() => softHashAudioV0([-(2 ** 31) - 1])).toThrow(IsccError);
    expect(() => softHashAudioV0([1.5])).toThrow(IsccError);
    expect(() => softHashAudioV0(['1' as unknown as number])).toThrow(IsccError);
    expect(() => softHashAudioV0(null as unknown as number[])).toThrow(IsccError);
    expect(softHashAudioV0([2 ** 31 - 1, -(2 ** 31)])).toHaveLength(8);
  });
});

describe('bigint values (Python ints)', () => {
  it('are accepted in range and rejected outside', () => {
    expect(softHashAudioV0([1n, -1n, 0n], 256)).toEqual(softHashAudioV0([1, -1, 0], 256));
    expect(() => softHashAudioV0([2n ** 31n])).toThrow(IsccError);
    expect(() => softHashAudioV0([-(2n ** 31n) - 1n])).toThrow(IsccError);
  });
});
