/**
 * Video mode on more inputs: synthetic scene cuts, the sample formats (a representative two;
 * all of them at 256 bits with ISCC_SLOW set) and bad input. Needs Debian's ffmpeg.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import './audio-video.ts';
import { codeIscc } from './main.ts';
import sharp from 'sharp';
import { codeVideo, videoThumbnail } from './video.ts';
import { SdkError } from './errors.ts';
import { SAMPLES_DIR } from './_test-paths.ts';
import { rejectionCode } from '../../../tests/test-support.ts';

let dir: string;
const p = (n: string): string => join(dir, n);
const ffmpeg = (...args: string[]): void => { execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]); };

const errorCode = (f: () => Promise<unknown>): Promise<string> => rejectionCode(f, SdkError);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-sdk-video-io-'));
  copyFileSync(join(SAMPLES_DIR, 'video/demo.mp4'), p('video.mp4'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('synthetic video with scene cuts', () => {
  it('finds the cuts and gives one simprint per completed scene', async () => {
    // 3 x 1 s of different content at 10 fps
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=96x64:rate=10:duration=1', '-f', 'lavfi', '-i', 'smptebars=size=96x64:rate=10:duration=1',
      '-f', 'lavfi', '-i', 'mandelbrot=size=96x64:rate=10,trim=duration=1', '-filter_complex', '[0][1][2]concat=n=3:v=1:a=0,format=yuv420p', p('cuts.mp4'));
    const r = await codeVideo(p('cuts.mp4'), { granular: true, create_thumb: false });
    expect(r.duration).toBe(3);
    expect(r.iscc).toMatch(/^ISCC:EMA[A-Z2-7]{13}$/);
    // cuts at 1.0 and 2.0, the last frame at 2.9 appended, the first cut dropped (as iscc-sdk);
    // the last signature frame (2.8 s at 5 fps) never reaches 2.9, so one scene remains
    expect(r.features).toHaveLength(1);
    expect(r.features![0]!.sizes).toEqual([2]);
    expect(r.features![0]!.simprints).toHaveLength(1);
  });
});

describe('thumbnails', () => {
  it('scaled to image_thumbnail_size wide, height by aspect (a portrait video stays taller, as iscc-sdk)', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=64x128:rate=5:duration=1', '-pix_fmt', 'yuv420p', p('portrait.mp4'));
    const t = await videoThumbnail(p('portrait.mp4'), { image_thumbnail_size: 100 });
    expect(t).toMatch(/^data:image\/webp;base64,/);
    const meta = await sharp(Buffer.from(t!.split(',')[1]!, 'base64')).metadata();
    expect([meta.width, meta.height]).toEqual([100, 200]);
    expect(await videoThumbnail(p('portrait.mp4'), { image_thumbnail_format: 'JPEG' })).toMatch(/^data:image\/jpeg;base64,/);
  });
  it('none for a file without video', async () => {
    writeFileSync(p('nothing.mp4'), 'no video here');
    expect(await videoThumbnail(p('nothing.mp4'))).toBeUndefined();
  });
});

describe("every video sample yields an ISCC with iscc-sdk's mode", () => {
  // iscc-sdk decides by name for Ogg (`.ogg` -> audio/ogg) and its Python mimetypes table maps
  // `.rm` to audio/x-pn-realaudio, so these two samples of the video folder are coded as audio.
  const MODE: Record<string, string> = { 'demo.ogg': 'audio', 'demo.rm': 'audio' };
  const TYPE: Record<string, string> = { audio: 'AudioObject', video: 'VideoObject' };
  const all = ['demo.3g2', 'demo.3gp', 'demo.asf', 'demo.avi', 'demo.f4v', 'demo.flv', 'demo.m1v', 'demo.m4v', 'demo.mkv',
    'demo.mov', 'demo.mp4', 'demo.mpeg', 'demo.mpg', 'demo.ogg', 'demo.ogv', 'demo.rm', 'demo.swf', 'demo.vob', 'demo.webm', 'demo.wmv'];
  const files = process.env['ISCC_SLOW'] ? all : ['demo.webm', 'demo.ogv'];
  it.each(files)('%s', async (f) => {
    const r = await codeIscc(join(SAMPLES_DIR, 'video', f), null, null, null, { create_thumb: false, bits: process.env['ISCC_SLOW'] ? 256 : 64 });
    const mode = MODE[f] ?? 'video';
    expect(r['mode']).toBe(mode);
    expect(r['@type']).toBe(TYPE[mode]);
    expect(r.iscc).toMatch(/^ISCC:K/);
  });
  it('demo.gif is an image (iscc-sdk: GIF is image mode)', async () => {
    const r = await codeIscc(join(SAMPLES_DIR, 'video', 'demo.gif'), null, null, null, { create_thumb: false });
    expect(r['mode']).toBe('image');
  });
});

describe('bad input: a clear SdkError, and the process goes on', () => {
  it('an mp4 without a video stream', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-c:a', 'aac', p('audio-only.mp4'));
    expect(await errorCode(() => codeVideo(p('audio-only.mp4')))).toBe('ISCC_SDK_DECODE');
    expect(await errorCode(() => codeVideo(p('audio-only.mp4'), { extract_meta: false, create_thumb: false }))).toBe('ISCC_SDK_DECODE');
  });
  it('a video too short for one frame at video_fps (ffmpeg 5.1 signature filter crashes)', async () => {
    ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=16x16:rate=25:duration=0.1', p('tiny.mkv'));
    await expect(codeVideo(p('tiny.mkv'), { create_thumb: false })).rejects.toThrow(/too short/);
    expect(await errorCode(() => codeVideo(p('tiny.mkv'), { extract_meta: false, create_thumb: false }))).toBe('ISCC_SDK_DECODE');
  });
  it('a truncated mp4, a file that is not media, an empty file, a missing file', async () => {
    writeFileSync(p('trunc.mp4'), readFileSync(p('video.mp4')).subarray(0, 100_000));
    expect(await errorCode(() => codeVideo(p('trunc.mp4')))).toBe('ISCC_SDK_DECODE');
    writeFileSync(p('junk.mp4'), 'not a video\n'.repeat(500));
    expect(await errorCode(() => codeVideo(p('junk.mp4'), { extract_meta: false }))).toBe('ISCC_SDK_DECODE');
    writeFileSync(p('empty.mkv'), '');
    expect(await errorCode(() => codeVideo(p('empty.mkv')))).toBe('ISCC_SDK_DECODE');
    expect(await errorCode(() => codeVideo(p('missing.mp4')))).toBe('ISCC_SDK_IO');
    expect(existsSync(p('video.mp4'))).toBe(true);
  });
});
