/**
 * Audio mode against the audio expectations of shared/samples/EXPECTED-iscc-sdk.json
 * (iscc-sdk 0.9.5's own test assertions, reproduced by iscc-sdk on Debian's fpcalc 1.5.1 and
 * ffmpeg 5.1) and metadata embed round trips. Samples are copied to the names iscc-sdk's
 * tests use (audio.mp3, ...). Needs Debian's ffmpeg and libchromaprint-tools. More inputs,
 * durations and bad input: audio-io.test.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genAudioCodeV0, isccDecode } from '@iscc-ts/core';
import './audio-video.ts';
import { codeIscc, codeMeta, embedMetadata, extractMetadata, codeAudio as codeAudioDispatch } from './main.ts';
import { riffChunks, wavId3, wavWithId3 } from './id3.ts';
import { AUDIO_META_MAP, audioMetaEmbed, audioFeaturesExtract, audioMetaExtract, codeAudio, ffmpegChromaprint } from './audio.ts';
import { SAMPLES_DIR } from './_test-paths.ts';

const EXP = JSON.parse(readFileSync(join(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'), 'utf8'));
const F = EXP.files;
let dir: string;
const p = (n: string): string => join(dir, n);
const ffmpeg = (...args: string[]): void => { execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]); };
const pick = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-sdk-audio-'));
  copyFileSync(join(SAMPLES_DIR, 'audio/demo.mp3'), p('audio.mp3'));
  copyFileSync(join(SAMPLES_DIR, 'audio/demo.wav'), p('audio.wav'));
  copyFileSync(join(SAMPLES_DIR, 'audio/withcover.mp3'), p('withcover.mp3'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EXPECTED-iscc-sdk.json: audio/demo.mp3', () => {
  const e = F['audio/demo.mp3'];
  it('fpcalc fingerprint and duration (fpcalc 1.5.1)', async () => {
    const f = await audioFeaturesExtract(p('audio.mp3'));
    expect(f.fingerprint).toEqual(e.fpcalc.fingerprint);
    expect(f.duration).toBe(e.fpcalc['duration_fpcalc_1.5.1']);
  });
  it("ffmpeg's chromaprint muxer gives the same fingerprint", async () => {
    expect((await ffmpegChromaprint(p('audio.mp3'))).fingerprint).toEqual(e.fpcalc.fingerprint);
  });
  it('code_audio at 64 and 256 bits', async () => {
    expect(await codeAudio(p('audio.mp3'), { create_thumb: false })).toEqual({ name: 'Belly Button', duration: 16, iscc: e.code_audio });
    const r256 = await codeAudio(p('audio.mp3'), { create_thumb: false, extract_meta: false, bits: 256 });
    expect(r256).toEqual({ iscc: genAudioCodeV0(e.fpcalc.fingerprint, 256).iscc });
    // the 64-bit digest is the head of the 256-bit one
    expect(isccDecode(r256.iscc)[4].subarray(0, 8)).toEqual(isccDecode(e.code_audio)[4]);
  });
  it('code_iscc (all expected keys) and code_meta', async () => {
    const r = await codeIscc(p('audio.mp3'), null, null, null, { create_thumb: false });
    expect(pick(r, Object.keys(e.code_iscc))).toEqual(e.code_iscc);
    expect(r.filename).toBe('audio.mp3');
    expect((await codeMeta(p('audio.mp3'))).iscc).toBe(e.code_meta);
  });
  it('the dispatcher reaches the audio handler', async () => {
    expect((await codeAudioDispatch(p('audio.mp3'), { create_thumb: false, extract_meta: false })).iscc).toBe(e.code_audio);
  });
});

describe('EXPECTED-iscc-sdk.json: audio/demo.wav and withcover.mp3', () => {
  it('demo.wav code_audio', async () => {
    expect(await codeAudio(p('audio.wav'), { create_thumb: false })).toEqual(F['audio/demo.wav'].code_audio);
  });
  it('withcover.mp3 code_audio with a cover thumbnail', async () => {
    const { has_thumbnail: _, ...e } = F['audio/withcover.mp3'].code_audio;
    const r = await codeAudio(p('withcover.mp3'));
    const { thumbnail, ...rest } = r;
    expect(rest).toEqual(e);
    expect(thumbnail).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
    expect((await codeAudio(p('audio.mp3'))).thumbnail).toBeUndefined(); // no cover, no thumbnail
  });
});

describe('metadata', () => {
  const meta = { name: 'Hello', description: 'Wörld', meta: 'somestring', license: 'https://example.com/license', acquire: 'https://example.com/buy' };
  const want = { acquire: 'https://example.com/buy', description: 'Wörld', duration: 16, license: 'https://example.com/license', meta: 'somestring', name: 'Hello' };
  it.each(['audio.mp3', 'audio.wav'])('extract(embed(%s)) round-trips (iscc-sdk test_audio_meta_embed_*)', async (name) => {
    const out = await embedMetadata(p(name), meta, { outpath: p(`embedded-${name}`) });
    expect(out).toBe(p(`embedded-${name}`));
    expect(await audioMetaExtract(out!)).toEqual(want);
    expect(await extractMetadata(out!)).toEqual(want);
    // the audio is untouched
    expect((await codeAudio(out!, { extract_meta: false, create_thumb: false })).iscc).toBe(F['audio/demo.mp3'].code_audio);
    // the source is untouched
    expect((await audioMetaExtract(p(name)))['name']).not.toBe('Hello');
  });
  it('WAV: the streamed rewrite equals the in-memory one; embedding again keeps one ID3 chunk and other frames', async () => {
    const once = (await audioMetaEmbed(p('audio.wav'), meta))!;
    const bytes = new Uint8Array(readFileSync(once));
    const inMemory = wavWithId3(new Uint8Array(readFileSync(p('audio.wav'))), wavId3(bytes)!);
    expect(Buffer.from(bytes).equals(Buffer.from(inMemory))).toBe(true); // (toEqual on 4 MB is slow)
    const twice = await audioMetaEmbed(once, { name: 'Again' });
    const b2 = new Uint8Array(readFileSync(twice));
    expect(riffChunks(b2).filter((c) => c.id === 'ID3 ' || c.id === 'id3 ')).toHaveLength(1);
    expect(await audioMetaExtract(twice)).toEqual({ ...want, name: 'Again' });
  });
  it('maps tags in iscc-sdk AUDIO_META_MAP order (ISCC:NAME before TITLE, first creator wins)', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=300:duration=1', '-metadata', 'title=T', '-metadata', 'artist=A',
      '-metadata', 'composer=C', '-metadata', 'copyright=R', '-metadata', 'ISCC:NAME=N', p('tags.ogg'));
    expect(await audioMetaExtract(p('tags.ogg'))).toEqual({ duration: 1, name: 'N', creator: 'C', rights: 'R' });
    expect(AUDIO_META_MAP[0]).toEqual(['ISCC:NAME', 'name']);
  });
});
