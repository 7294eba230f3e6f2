import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { decodeBase64, softHashVideoV0, encodeBase64 } from '@iscc-ts/core';
import { fractionGte, pyRound, videoComputeGranular, videoParseScenes } from './scenes.ts';
import type { Mp7Frame } from './mp7.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;

describe('pyRound (Python round)', () => {
  // [x, round(x, 3), round(x, 2), round(x)] computed with CPython 3.11
  const CASES: number[][] = [
    [2.0625, 2.062, 2.06, 2], [0.0005, 0.001, 0.0, 0], [1.0005, 1.0, 1.0, 1], [15.54, 15.54, 15.54, 16],
    [59.8, 59.8, 59.8, 60], [7.625, 7.625, 7.62, 8], [20.792, 20.792, 20.79, 21], [0.30000000000000004, 0.3, 0.3, 0],
    [0.3333333333333333, 0.333, 0.33, 0], [2.675, 2.675, 2.67, 3], [1.0625, 1.062, 1.06, 1], [1.1875, 1.188, 1.19, 1],
    [1.5, 1.5, 1.5, 2], [6.667000000000002, 6.667, 6.67, 7], [12345.0625, 12345.062, 12345.06, 12345],
    [0.0625, 0.062, 0.06, 0], [0.4375, 0.438, 0.44, 0],
  ];
  it.each(CASES)('round(%d)', (x, r3, r2, r0) => {
    expect(pyRound(x!, 3)).toBe(r3);
    expect(pyRound(x!, 2)).toBe(r2);
    expect(pyRound(x!)).toBe(r0);
  });
  it('ties to even at whole numbers', () => {
    expect([2.5, 3.5, -2.5, 0.5, 1.5].map((x) => pyRound(x))).toEqual([2, 4, -2, 0, 2]);
  });
  it('agrees with toFixed except on exact ties, and stays within half a unit', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, n) => {
      const r = pyRound(x, n);
      expect(Math.abs(r - x)).toBeLessThanOrEqual(0.5 * 10 ** -n * (1 + 1e-9) + Number.EPSILON * x * 4);
    }), { numRuns: RUNS });
  });
});

describe('fractionGte (exact Fraction >= float, as Python)', () => {
  it('matches Python on values that are not exact in binary', () => {
    expect(fractionGte(299, 5, 59.8)).toBe(true);
    expect(fractionGte(183, 24, 7.625)).toBe(true);
    expect(fractionGte(1, 10, 0.1)).toBe(false); // the double 0.1 is above 1/10
    expect(fractionGte(3, 10, 0.3)).toBe(true); // the double 0.3 is below 3/10
    expect(fractionGte(3, 10, 0.1 + 0.2)).toBe(false);
  });
  it('agrees with float division when the difference is large', () => {
    fc.assert(fc.property(fc.nat(1e6), fc.integer({ min: 1, max: 65535 }), fc.double({ min: 0, max: 1e4, noNaN: true }), (n, d, x) => {
      if (Math.abs(n / d - x) > 1e-6) expect(fractionGte(n, d, x)).toBe(n / d >= x);
    }), { numRuns: RUNS });
  });
});

/** ffmpeg `metadata=print` text for frames at `times` with `scores`. */
function sceneText(times: number[], scores: number[]): string {
  return times.map((t, i) => `frame:${i}    pts:${Math.round(t * 1000)}    pts_time:${t}\nlavfi.scene_score=${scores[i]!.toFixed(6)}\n`).join('');
}

describe('videoParseScenes (iscc-sdk video_parse_scenes)', () => {
  it('returns [] for blank text', () => {
    expect(videoParseScenes(' ', 0.4)).toEqual([]);
  });
  it('cuts where the score reaches the limit, appends the last time, drops the first cut', () => {
    const times = [0, 0.5, 1, 1.5, 2, 2.5];
    const scores = [0, 0.9, 0.1, 0.4, 0.2, 0.1];
    // cuts: 0.5, 1.5 (>= 0.4), then the last time 2.5 appended; the first cut is dropped
    expect(videoParseScenes(sceneText(times, scores), 0.4)).toEqual([1.5, 2.5]);
  });
  it('does not append the last time twice', () => {
    expect(videoParseScenes(sceneText([0, 1, 2], [0, 0.5, 0.5]), 0.4)).toEqual([2]);
  });
  it('rounds times to milliseconds', () => {
    expect(videoParseScenes(sceneText([0, 1.0416667, 2.0833333], [0.5, 0.5, 0]), 0.4)).toEqual([1.042, 2.083]);
  });
  it('no cut at all gives []', () => {
    expect(videoParseScenes(sceneText([0, 1, 2], [0, 0.1, 0.1]), 0.4)).toEqual([]);
  });
});

function frame(i: number, den = 5): Mp7Frame {
  const vector = new Uint8Array(380);
  for (let k = 0; k < 380; k++) vector[k] = (i * 7 + k * 13 + ((i * k) % 5)) % 3;
  return { vector, elapsed_num: i, elapsed_den: den, confidence: 1 };
}
const sp = (fs: Mp7Frame[]): string => encodeBase64(softHashVideoV0(fs.map((f) => f.vector), 256));

describe('videoComputeGranular (iscc-sdk video_compute_granular)', () => {
  const frames = Array.from({ length: 20 }, (_, i) => frame(i)); // 0, 0.2, ..., 3.8 s
  it('one simprint per reached cut; the scene at the end that no frame reaches is dropped', () => {
    const g = videoComputeGranular(frames, [1, 2.5, 4]);
    expect(g.maintype).toBe('content');
    expect(g.subtype).toBe('video');
    expect(g.version).toBe(0);
    // frames 0..5 (t <= 1.0), then 6..13 (t <= 2.6 >= 2.5); 4.0 is never reached
    expect(g.simprints).toEqual([sp(frames.slice(0, 6)), sp(frames.slice(6, 14))]);
    expect(g.sizes).toEqual([1, 1.5]);
    expect(decodeBase64(g.simprints[0]!).length).toBe(32);
  });
  it('no scenes: one simprint of all frames sized by the last frame time', () => {
    const g = videoComputeGranular(frames, []);
    expect(g.simprints).toEqual([sp(frames)]);
    expect(g.sizes).toEqual([3.8]);
  });
  it('cuts beyond the end: falls back to all frames', () => {
    const g = videoComputeGranular(frames, [10]);
    expect(g.simprints).toEqual([sp(frames)]);
    expect(g.sizes).toEqual([3.8]);
  });
});
