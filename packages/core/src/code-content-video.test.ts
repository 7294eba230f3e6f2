import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genVideoCode, genVideoCodeV0, softHashVideoV0 } from './code-content-video.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
type Case = { inputs: unknown[]; outputs: Record<string, unknown> };
const vectors = readConformanceJson<Record<string, Record<string, Case>>>('data.json');

const FA = Array.from({ length: 76 }, () => [0, 1, 0, 2, 1]).flat();
const FB = Array.from({ length: 76 }, () => [1, 2, 1, 0, 2]).flat();
const RANGE = Array.from({ length: 380 }, (_, i) => i);

describe('genVideoCodeV0: conformance vectors (data.json)', () => {
  const cases = Object.entries(vectors['gen_video_code_v0']!);
  it('has the 3 cases', () => expect(cases).toHaveLength(3));
  for (const [name, c] of cases) {
    it(name, () => {
      const [frames, bits] = c.inputs as [number[][], number];
      expect(genVideoCodeV0(frames, bits)).toStrictEqual(c.outputs);
      expect(genVideoCode(frames.map((f) => Int32Array.from(f)), bits)).toStrictEqual(c.outputs);
    });
  }
});

describe('reference tests (test_code_content_video.py)', () => {
  it('soft hashes', () => {
    expect(hex(softHashVideoV0([new Array<number>(380).fill(0)], 256))).toBe('00'.repeat(32));
    expect(hex(softHashVideoV0([RANGE], 256))).toBe('528f91431f7c4ad26932fc073a28cac93f21a3071a152fc2925bdaed1d190061');
    expect(hex(softHashVideoV0([FA, FB], 256))).toBe('9230d219501e00f42664b4bd206b000c98488635b0b03c010010ee00aaf93e43');
  });

  it('codes', () => {
    expect(genVideoCodeV0([new Array<number>(380).fill(0)])).toStrictEqual({ iscc: 'ISCC:EMAQAAAAAAAAAAAA' });
    expect(genVideoCodeV0([RANGE], 128)).toStrictEqual({ iscc: 'ISCC:EMBVFD4RIMPXYSWSNEZPYBZ2FDFMS' });
    const long = { iscc: 'ISCC:EMDZEMGSDFIB4AHUEZSLJPJANMAAZGCIQY23BMB4AEABB3QAVL4T4QY' };
    expect(genVideoCodeV0([FA, FB], 256)).toStrictEqual(long);
    expect(genVideoCode([FA, FB], 256)).toStrictEqual(long);
    expect(genVideoCodeV0([FA, FB])).toStrictEqual({ iscc: 'ISCC:EMAZEMGSDFIB4AHU' });
  });

  it('rejects no frames (ValueError upstream)', () => {
    try {
      softHashVideoV0([]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IsccError);
      expect((e as IsccError).code).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
      expect((e as IsccError).message).toMatch(/frame_sigs cannot be empty/);
    }
  });
});

describe('duplicates and golden hashes', () => {
  it('drops duplicate frames (a set upstream)', () => {
    expect(softHashVideoV0([FA, FB, [...FA], FB], 256)).toEqual(softHashVideoV0([FA, FB], 256));
    expect(softHashVideoV0([FA, FA], 256)).toEqual(softHashVideoV0([FA], 256));
  });

  it('matches the reference engine on random frames', () => {
    const g = (
      JSON.parse(readFileSync(new URL('./__fixtures__/content-golden.json', import.meta.url), 'utf8')) as {
        video: Record<string, number[][] | string>[];
      }
    ).video;
    expect(g.length).toBe(5);
    for (const e of g) {
      for (const bits of [32, 64, 128, 256]) {
        expect(hex(softHashVideoV0(e['frames'] as number[][], bits))).toBe(e[String(bits)]);
      }
    }
  });

  it('rejects malformed frames', () => {
    expect(() => softHashVideoV0([[1, 2, 3]])).toThrow(IsccError); // too short for the WTA pairs
    expect(() => softHashVideoV0([['x'] as unknown as number[]])).toThrow(IsccError);
    expect(() => softHashVideoV0('abc' as unknown as number[][])).toThrow(IsccError);
  });
});
