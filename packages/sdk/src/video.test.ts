/**
 * Video mode against the video expectations of shared/samples/EXPECTED-iscc-sdk.json
 * (iscc-sdk 0.9.5's own test assertions, reproduced by iscc-sdk on Debian's ffmpeg 5.1):
 * MPEG-7 signature bytes, frame vectors, scenes, granular features, Video-Code, code_iscc,
 * metadata; embed round trips. The expensive ffmpeg run happens once (beforeAll). Samples,
 * synthetic scene cuts and bad input: video-io.test.ts.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { genVideoCodeV0, isccDecode } from '@iscc-ts/core';
import './audio-video.ts';
import { codeIscc, codeMeta, embedMetadata, extractMetadata } from './main.ts';
import {
  VIDEO_META_MAP, codeVideo, parseFfmetadata, videoFfmetadata, videoMetaExtract, videoMp7sigAndSceneScores,
} from './video.ts';
import { readMp7Signature, type Mp7Frame } from './mp7.ts';
import { videoComputeGranular, videoParseScenes } from './scenes.ts';
import { standardizeLanguageTag } from './language.ts';
import { SAMPLES_DIR } from './_test-paths.ts';

const EXP = JSON.parse(readFileSync(join(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'), 'utf8'));
const E = EXP.files['video/demo.mp4'];
let dir: string;
const p = (n: string): string => join(dir, n);
const pick = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let sig: Uint8Array;
let sceneText: string;
let frames: Mp7Frame[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-sdk-video-'));
  copyFileSync(join(SAMPLES_DIR, 'video/demo.mp4'), p('video.mp4'));
  copyFileSync(join(SAMPLES_DIR, 'video/demo.mov'), p('video.mov'));
  ({ sig, sceneText } = await videoMp7sigAndSceneScores(p('video.mp4')));
  frames = readMp7Signature(sig);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('EXPECTED-iscc-sdk.json: video/demo.mp4', () => {
  it('MPEG-7 signature: last 32 bytes, last frame, first frame vector', async () => {
    expect(hex(sig.subarray(sig.length - 32))).toBe(E.mp7sig_last32_hex);
    const last = frames[frames.length - 1]!;
    expect(last.confidence).toBe(E.mp7_last_frame.confidence);
    expect(`${last.elapsed_num}/${last.elapsed_den}`).toBe(E.mp7_last_frame.elapsed);
    expect(Array.from(frames[0]!.vector.subarray(0, 20))).toEqual(E.features_frame0_first20);
  });
  it('scenes at limit 0.2', () => {
    expect(videoParseScenes(sceneText, 0.2)).toEqual(E['scenes_limit_0.2']);
  });
  it('granular features at scene limits 0.2 and 0.8', () => {
    for (const lim of ['0.2', '0.8']) {
      const g = videoComputeGranular(frames, videoParseScenes(sceneText, Number(lim)));
      expect(g).toEqual({ maintype: 'content', subtype: 'video', version: 0, ...E[`granular_scene_limit_${lim}`] });
    }
  });
  it('Video-Code at 64 and 256 bits; thumbnail; mp7sig stored next to the file on request', async () => {
    expect(genVideoCodeV0(frames.map((f) => f.vector), 64).iscc).toBe(E.code_video);
    const v256 = genVideoCodeV0(frames.map((f) => f.vector), 256).iscc;
    expect(isccDecode(v256)[4].subarray(0, 8)).toEqual(isccDecode(E.code_video)[4]);
    // one run of the non-granular path (video_mp7sig_extract) at 256 bits
    const r = await codeVideo(p('video.mp4'), { extract_meta: false, video_store_mp7sig: true, bits: 256 });
    expect(r.iscc).toBe(v256);
    expect(r.thumbnail).toMatch(/^data:image\/webp;base64,[A-Za-z0-9+/]+=*$/);
    expect(hex(readFileSync(p('video.iscc.mp7sig')))).toBe(hex(sig));
  });
  it('code_iscc with granular features (iscc-sdk test_code_iscc_video_granular) and code_meta', async () => {
    const r = await codeIscc(p('video.mp4'), null, null, null, { granular: true, video_scene_limit: 0.2, create_thumb: false });
    expect(pick(r, Object.keys(E.code_iscc))).toEqual(E.code_iscc);
    expect(r['features']).toEqual([{ maintype: 'content', subtype: 'video', version: 0, ...E['granular_scene_limit_0.2'] }]);
    expect(r.filename).toBe('video.mp4');
    expect((await codeMeta(p('video.mp4'))).iscc).toBe(E.code_meta);
  });
});

describe('metadata', () => {
  const full = {
    name: 'Hello', description: 'Wörld', meta: 'somestring', creator: 'The Creator',
    license: 'https://example.com/license', acquire: 'https://example.com/buy', rights: 'Copyright Notice',
  };
  const base = { duration: 60, fps: 24, height: 144, language: 'en', width: 176 };
  it('video/demo.mov video_meta_extract', async () => {
    expect(await videoMetaExtract(p('video.mov'))).toEqual(EXP.files['video/demo.mov'].video_meta_extract);
  });
  it.each(['video.mp4', 'video.mov'])('extract(embed(%s)) round-trips (iscc-sdk test_video_metadata_embed_*)', async (n) => {
    const out = await embedMetadata(p(n), full, { outpath: p(`embedded-${n}`) });
    expect(await extractMetadata(out!)).toEqual({ ...base, ...full });
  });
  it('escaping of special characters (iscc-sdk test_video_metadata_escaping)', async () => {
    const out = await embedMetadata(p('video.mp4'), { name: 'Some # Name', description: 'Multi\nLine\n\nDescription with ; and other = crazy characters\n' });
    expect(await videoMetaExtract(out!)).toEqual({ ...base, name: 'Some # Name', description: 'Multi\nLine\n\nDescription with ; and other = crazy characters' });
    rmSync(join(out!, '..'), { recursive: true, force: true });
  });
  it('FFMETADATA writing and parsing', () => {
    expect(videoFfmetadata({ name: 'a=b;c#d\\e', creator: ' x ', meta: null })).toBe(';FFMETADATA1\niscc_name=a\\=b\\;c\\#d\\\\e\nauthor=x\n');
    const m = parseFfmetadata(';FFMETADATA1\nTitle=T\\=1\nempty=\nencoder=Lavf\n[CHAPTER]\ntitle=chapter\n');
    expect([...m]).toEqual([['title', 'T=1'], ['encoder', 'Lavf']]);
    expect(VIDEO_META_MAP[0]).toEqual(['iscc_name', 'name']);
  });
  it('language tags as langcodes.standardize_tag', () => {
    expect(['eng', 'ger', 'deu', 'fre', 'und', 'en', 'EN', 'eng-us', 'zh_hant_tw', 'iw', 'haw'].map(standardizeLanguageTag))
      .toEqual(['en', 'de', 'de', 'fr', 'und', 'en', 'en', 'en-US', 'zh-Hant-TW', 'he', 'haw']);
  });
});
