/**
 * Scene cuts and granular video features, as iscc-sdk 0.9.5 `video_parse_scenes` and
 * `video_compute_granular`, plus the Python number semantics they rely on.
 *
 * - {@link videoParseScenes}: ffmpeg `metadata=print` output -> frame times (rounded to ms)
 *   and `lavfi.scene_score` values, paired in order; times whose score reaches the limit
 *   are cut points; the last frame time is appended when it is not the last cut; the first
 *   cut point is dropped (as the reference does).
 * - {@link videoComputeGranular}: walks the MPEG-7 frames once per cut point, collecting
 *   frames until one's time reaches the cut, then emits a 256-bit video simprint of the
 *   collected frames and the scene's length. The reference's quirks are kept on purpose
 *   (a cut no frame reaches emits nothing, so the final scene is usually missing; with no
 *   simprint at all, one simprint of every frame and the last frame's time as its size),
 *   because the simprints must equal iscc-sdk's.
 * - {@link pyRound}: Python's `round(x, n)` (exact value, ties to even), which differs from
 *   `toFixed` on exact ties.
 */
import { encodeBase64, softHashVideoV0 } from '@iscc-ts/core';
import type { Mp7Frame } from './mp7.ts';

/**
 * Python `round(x, ndigits)` for finite doubles: rounds the exact binary value, ties to even.
 * @param x - the value
 * @param ndigits - decimal places (0..20)
 */
export function pyRound(x: number, ndigits = 0): number {
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return x;
  // toFixed(100) prints the exact decimal expansion of the double for the magnitudes we see
  // (times and durations); an exact tie is a 5 followed only by zeros.
  const full = Math.abs(x).toFixed(100);
  const dot = full.indexOf('.');
  if (!/^50*$/.test(full.slice(dot + 1 + ndigits))) return Number(x.toFixed(ndigits)) || 0;
  // Tie: keep the truncated digits, plus one unit in the last place when that digit is odd.
  let digits = BigInt(full.slice(0, dot) + full.slice(dot + 1, dot + 1 + ndigits));
  if (digits % 2n === 1n) digits += 1n;
  const s = digits.toString().padStart(ndigits + 1, '0');
  const r = Number(`${x < 0 ? '-' : ''}${s.slice(0, s.length - ndigits)}.${s.slice(s.length - ndigits)}`);
  return Object.is(r, -0) ? 0 : r;
}

/** `num / den >= x` decided exactly (Python compares a Fraction with a float exactly). */
export function fractionGte(num: number, den: number, x: number): boolean {
  if (Number.isNaN(x)) return false;
  if (x === Infinity) return false;
  if (x === -Infinity) return true;
  let k = 0;
  let m = x;
  while (!Number.isInteger(m)) {
    m *= 2; // exact for doubles
    k++;
  }
  return BigInt(num) * 2n ** BigInt(k) >= BigInt(m) * BigInt(den);
}

/**
 * iscc-sdk `video_parse_scenes`: cut points (seconds) from ffmpeg's scene score listing.
 * @param sceneText - what `select='gte(scene,0)',metadata=print:file=...` wrote
 * @param sceneLimit - score at or above which a frame starts a scene
 */
export function videoParseScenes(sceneText: string, sceneLimit: number): number[] {
  if (!sceneText.trim()) return [];
  const times: number[] = [];
  const scores: number[] = [];
  for (const line of sceneText.split(/\r\n|\r|\n/)) {
    if (line.startsWith('frame:')) {
      const last = line.trim().split(/\s+/).pop()!;
      times.push(pyRound(Number(last.split(':').pop()), 3));
    }
    if (line.startsWith('lavfi.scene_score')) scores.push(Number(line.split('=').pop()));
  }
  const cuts: number[] = [];
  const n = Math.min(times.length, scores.length);
  for (let i = 0; i < n; i++) if (scores[i]! >= sceneLimit) cuts.push(times[i]!);
  if (cuts.length > 0 && cuts[cuts.length - 1] !== times[times.length - 1]) cuts.push(times[times.length - 1]!);
  return cuts.slice(1);
}

/** A granular video feature object (iscc-schema `Feature`, iscc-sdk's key order). */
export interface VideoFeatures {
  maintype: 'content';
  subtype: 'video';
  version: 0;
  /** Base64url 256-bit video simprints, one per scene. */
  simprints: string[];
  /** Scene lengths in seconds (rounded to ms). */
  sizes: number[];
}

function simprint(segment: Uint8Array[]): string {
  return encodeBase64(softHashVideoV0(segment, 256));
}

/**
 * iscc-sdk `video_compute_granular`: per-scene simprints (see the module comment).
 * @param frames - the MPEG-7 frames of the video (at least one)
 * @param scenes - cut points from {@link videoParseScenes}
 */
export function videoComputeGranular(frames: readonly Mp7Frame[], scenes: readonly number[]): VideoFeatures {
  const features: string[] = [];
  const sizes: number[] = [];
  let segment: Uint8Array[] = [];
  let start = 0;
  let rest: readonly Mp7Frame[] = frames;
  for (let c = 0; c < scenes.length; c++) {
    const cut = scenes[c]!;
    rest = rest.slice(start);
    for (let i = 0; i < rest.length; i++) {
      const fr = rest[i]!;
      segment.push(fr.vector);
      if (fractionGte(fr.elapsed_num, fr.elapsed_den, cut)) {
        features.push(simprint(segment));
        segment = [];
        const prev = c === 0 ? 0 : scenes[c - 1]!;
        sizes.push(pyRound(cut - prev, 3));
        start = i + 1;
        break;
      }
    }
  }
  if (features.length === 0) {
    const last = rest[rest.length - 1];
    features.push(simprint(rest.map((f) => f.vector)));
    sizes.splice(0, sizes.length, last ? pyRound(last.elapsed_num / last.elapsed_den, 3) : 0);
  }
  return { maintype: 'content', subtype: 'video', version: 0, simprints: features, sizes };
}
