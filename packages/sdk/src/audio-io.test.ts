/**
 * Audio mode on more inputs: tags written by TagLib (as iscc-sdk embeds them), durations as
 * TagLib counts them, the sample formats (a representative two; all with ISCC_SLOW set) and
 * bad input. Needs Debian's ffmpeg and libchromaprint-tools.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genAudioCodeV0, isccDecode } from '@iscc-ts/core';
import './audio-video.ts';
import { codeIscc } from './main.ts';
import { audioFeaturesExtract, audioMetaExtract, codeAudio, ffmpegChromaprint, fpcalcFeatures } from './audio.ts';
import { mp4SoundTrackSeconds } from './audio-length.ts';
import { SdkError } from './errors.ts';
import { SAMPLES_DIR } from './_test-paths.ts';
import { rejectionCode } from '../../../tests/test-support.ts';

const EXP = JSON.parse(readFileSync(join(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'), 'utf8'));
const F = EXP.files;
let dir: string;
const p = (n: string): string => join(dir, n);
const ffmpeg = (...args: string[]): void => { execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]); };
/** Differing bits of two 64-bit codes' digests. */
function hamming(a: string, b: string): number {
  const x = isccDecode(a)[4], y = isccDecode(b)[4];
  let n = 0;
  for (let i = 0; i < x.length; i++) for (let v = x[i]! ^ y[i]!; v; v &= v - 1) n++;
  return n;
}

const decodeError = (f: () => Promise<unknown>): Promise<string> => rejectionCode(f, SdkError);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-sdk-audio-io-'));
  copyFileSync(join(SAMPLES_DIR, 'audio/demo.mp3'), p('audio.mp3'));
  copyFileSync(join(SAMPLES_DIR, 'audio/demo.wav'), p('audio.wav'));
  copyFileSync(join(SAMPLES_DIR, 'audio/withcover.mp3'), p('withcover.mp3'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tags written by TagLib (as iscc-sdk embeds them) read back', () => {
  const want = { name: 'Hello', description: 'Wörld', license: 'https://example.com/license', duration: 1 };
  it.each(['taglib.wav', 'taglib.mp3', 'taglib.ogg', 'taglib.flac'])('%s', async (f) => {
    const fixture = join(import.meta.dirname, '__fixtures__', 'audio', f);
    expect(await audioMetaExtract(fixture)).toEqual(want);
  });
});

describe('duration as TagLib counts it (whole seconds, Python round)', () => {
  // TagLib 1.13 lengthInMilliseconds on these generated files: 2500 (opus: pre-skip not
  // counted; ffprobe says 2.5065), 6523 (m4a: priming counted; ffprobe says 6.5), 2500 (flac),
  // 5500 (wav) -> round: 2, 7, 2, 6
  it.each([
    ['s.opus', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2.5', '-c:a', 'libopus'], 2],
    ['s.m4a', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=6.5', '-c:a', 'aac'], 7],
    ['s.flac', ['-f', 'lavfi', '-i', 'sine=frequency=440:duration=2.5'], 2],
    ['s.wav', ['-f', 'lavfi', '-i', 'anullsrc=d=5.5'], 6],
  ] as const)('%s', async (name, args, want) => {
    ffmpeg(...args, p(name));
    expect((await audioMetaExtract(p(name)))['duration']).toBe(want);
  });
  it('mp4SoundTrackSeconds reads the sound track mdhd (v0 and v1)', () => {
    const box = (type: string, body: number[]): number[] => {
      const n = 8 + body.length;
      return [(n >>> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255, ...Array.from(type, (c) => c.charCodeAt(0)), ...body];
    };
    const u32 = (v: number): number[] => [(v >>> 24) & 255, (v >> 16) & 255, (v >> 8) & 255, v & 255];
    const hdlr = (h: string): number[] => box('hdlr', [0, 0, 0, 0, ...u32(0), ...Array.from(h, (c) => c.charCodeAt(0)), ...new Array(12).fill(0)]);
    const mdhd0 = box('mdhd', [0, 0, 0, 0, ...u32(0), ...u32(0), ...u32(44100), ...u32(287674), 0, 0, 0, 0]);
    const mdhd1 = box('mdhd', [1, 0, 0, 0, ...u32(0), ...u32(0), ...u32(0), ...u32(0), ...u32(1000), ...u32(0), ...u32(2500), 0, 0, 0, 0]);
    const video = box('trak', box('mdia', [...hdlr('vide'), ...box('mdhd', [0, 0, 0, 0, ...u32(0), ...u32(0), ...u32(1), ...u32(99), 0, 0, 0, 0])]));
    expect(mp4SoundTrackSeconds(Uint8Array.from([...video, ...box('trak', box('mdia', [...hdlr('soun'), ...mdhd0]))]))).toBeCloseTo(287674 / 44100, 12);
    expect(mp4SoundTrackSeconds(Uint8Array.from(box('trak', box('mdia', [...mdhd1, ...hdlr('soun')]))))).toBe(2.5);
    expect(mp4SoundTrackSeconds(Uint8Array.from(video))).toBeNull();
    expect(mp4SoundTrackSeconds(Uint8Array.from([0, 0, 0, 99, 1, 2]))).toBeNull();
  });
});

describe('every audio sample yields an Audio-Code', () => {
  const all = ['demo.aac', 'demo.ac3', 'demo.aif', 'demo.mp3', 'demo.ogg', 'demo.opus', 'demo.wav', 'demo.wv', 'short.wav', 'withcover.mp3'];
  const files = process.env['ISCC_SLOW'] ? all : ['demo.opus', 'short.wav'];
  it.each(files)('%s', async (f) => {
    const path = join(SAMPLES_DIR, 'audio', f);
    const r = await codeAudio(path, { create_thumb: false, extract_meta: false });
    expect(r.iscc).toMatch(/^ISCC:EIA[A-Z2-7]{13}$/);
    if (f === 'short.wav') expect(r.iscc).toBe(genAudioCodeV0([]).iscc); // too short to fingerprint
    else expect(hamming(r.iscc, F['audio/demo.mp3'].code_audio)).toBeLessThanOrEqual(8); // the same music
    if (!f.endsWith('.aac') && !f.endsWith('.ac3')) {
      const full = await codeIscc(path, null, null, null, { create_thumb: false });
      expect(full['mode']).toBe('audio');
      expect(full['@type']).toBe('AudioObject');
    }
  });
  it('fpcalc and ffmpeg agree on every sample', async () => {
    for (const f of files.filter((x) => x !== 'short.wav')) {
      const path = join(SAMPLES_DIR, 'audio', f);
      expect((await ffmpegChromaprint(path)).fingerprint).toEqual((await fpcalcFeatures(path)).fingerprint);
    }
  });
});

describe('bad input: a clear SdkError, and the process goes on', () => {
  it('a file that is not media', async () => {
    writeFileSync(p('text.mp3'), 'this is not audio at all\n'.repeat(200));
    expect(await decodeError(() => codeAudio(p('text.mp3')))).toBe('ISCC_SDK_DECODE');
    expect(await decodeError(() => audioFeaturesExtract(p('text.mp3')))).toBe('ISCC_SDK_DECODE');
  });
  it('a zero-byte file and a missing file', async () => {
    writeFileSync(p('empty.wav'), '');
    expect(await decodeError(() => codeAudio(p('empty.wav')))).toBe('ISCC_SDK_DECODE');
    expect(await decodeError(() => codeAudio(p('missing.wav')))).toBe('ISCC_SDK_IO');
  });
  it('a video file without audio', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=5:duration=1', p('noaudio.mp4'));
    expect(await decodeError(() => audioFeaturesExtract(p('noaudio.mp4')))).toBe('ISCC_SDK_DECODE');
  });
  it('a truncated WAV still decodes what is there (as iscc-sdk)', async () => {
    writeFileSync(p('trunc.wav'), readFileSync(p('audio.wav')).subarray(0, 2_000_000));
    const r = await codeAudio(p('trunc.wav'), { create_thumb: false });
    expect(r.iscc).toMatch(/^ISCC:EIA/);
  });
});
