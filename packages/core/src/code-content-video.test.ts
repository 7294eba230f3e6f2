import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genVideoCode, genVideoCodeV0, softHashVideoV0 } from './code-content-video.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { algWtahash } from './wtahash.ts';

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

describe('duplicate removal against a set-based oracle', () => {
  /** The reference's semantics spelled out: a set of frames, summed column by column. */
  function oracle(frames: number[][], bits: number): Uint8Array {
    const seen = new Set<string>();
    const kept = frames.filter((f) => {
      const key = f.join(',');
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const width = Math.min(...kept.map((f) => f.length));
    const sums = Array.from({ length: width }, (_, i) => kept.reduce((a, f) => a + f[i]!, 0));
    return algWtahash(sums, bits);
  }
  it('drops duplicates among many frames (> 64: the map path)', () => {
    const a = Array.from({ length: 380 }, (_, i) => i % 3);
    const b = Array.from({ length: 380 }, (_, i) => (i * 7) % 5);
    const many = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? [...b] : [...a]));
    expect(softHashVideoV0(many, 256)).toEqual(softHashVideoV0([a, b], 256));
  });
  it('agrees for few and many frames (> 64: the map path), duplicates and sampled-hash twins', () => {
    const runs = process.env['ISCC_SLOW'] ? 2000 : 100;
    fc.assert(
      fc.property(
        fc.oneof(
          fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 1, maxLength: 40 }),
          fc.array(fc.integer({ min: 0, max: 8 }), { minLength: 65, maxLength: 120 }),
        ),
        fc.integer({ min: 1, max: 0x7fffffff }),
        (picks, seed) => {
          // Six base frames; 1 and 2 differ from 0 only at positions that are not sampled by the
          // duplicate hash (not multiples of 8), 3 is 0 with one extra value.
          let x = seed;
          const base = Array.from({ length: 380 }, () => ((x = (Math.imul(x, 48271) + 11) | 0) >>> 28) % 3);
          const frames = [
            base,
            base.map((v, i) => (i === 5 ? v + 1 : v)),
            base.map((v, i) => (i === 379 ? v + 2 : v)),
            [...base, 1],
            base.map((v) => 2 - v),
            base.map((v, i) => (i % 8 === 0 ? v : 1)),
          ];
          // Skewed counts (frame 0 about half of all): equal counts would only scale the sums,
          // which leaves every WTA comparison, and so a missed duplicate, unchanged.
          const input = picks.map((p) => [...frames[p < 4 ? 0 : p - 3]!]);
          expect(softHashVideoV0(input, 256)).toEqual(oracle(input, 256));
        },
      ),
      { numRuns: runs },
    );
  });
});
