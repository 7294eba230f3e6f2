import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { algWtahash, WTA_VIDEO_ID_PERMUTATIONS } from './wtahash.ts';
import { IsccError } from './errors.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const zeros = (n: number) => new Array<number>(n).fill(0);

describe('algWtahash (iscc-core alg_wtahash)', () => {
  it('matches the reference tests', () => {
    expect(hex(algWtahash([...zeros(379), 1], 256))).toBe(
      '0000000000000000000000000000000000000200000000000000000000000000',
    );
    expect(hex(algWtahash([1, ...zeros(379)], 256))).toBe('00'.repeat(32));
    expect(hex(algWtahash([1, ...zeros(378), 1], 256))).toBe(
      '0000000000000000000000000000000000000200000000000000000000000000',
    );
    expect(hex(algWtahash([0, ...new Array<number>(378).fill(2), 0], 256))).toBe('00'.repeat(32));
    expect(hex(algWtahash(Array.from({ length: 380 }, (_, i) => i), 256))).toBe(
      '528f91431f7c4ad26932fc073a28cac93f21a3071a152fc2925bdaed1d190061',
    );
  });

  it('stops at `bits` bits and packs MSB first, padding the last byte', () => {
    const vec = Array.from({ length: 380 }, (_, i) => i);
    expect(hex(algWtahash(vec, 64))).toBe('528f91431f7c4ad2');
    expect(hex(algWtahash(vec, 4))).toBe('50'); // first four bits of 0x52, zero-padded
    // The reference only stops on an exact count: other values run all 256 pairs.
    expect(algWtahash(vec, 0)).toHaveLength(32);
    expect(algWtahash(vec, 300)).toHaveLength(32);
  });

  it('carries the 256 reference permutations', () => {
    expect(WTA_VIDEO_ID_PERMUTATIONS).toHaveLength(256);
    expect(WTA_VIDEO_ID_PERMUTATIONS[0]).toEqual([292, 16]);
    expect(WTA_VIDEO_ID_PERMUTATIONS[1]).toEqual([219, 247]);
    expect(Math.max(...WTA_VIDEO_ID_PERMUTATIONS.flat())).toBe(379);
    expect(Object.isFrozen(WTA_VIDEO_ID_PERMUTATIONS)).toBe(true);
  });

  it('throws IsccError for vectors too short for the pairs used (IndexError upstream)', () => {
    expect(() => algWtahash(zeros(100), 64)).toThrow(IsccError);
    expect(() => algWtahash(null as unknown as number[], 64)).toThrow(IsccError);
  });

  it('agrees with the reference on the video goldens (via column sums)', () => {
    const g = JSON.parse(
      readFileSync(new URL('./__fixtures__/content-golden.json', import.meta.url), 'utf8'),
    ) as { video: { frames: number[][]; '256': string }[] };
    const e = g.video[0]!; // a single frame: the sum is the frame itself
    expect(hex(algWtahash(e.frames[0]!, 256))).toBe(e['256']);
  });
});
