/** Options: iscc-sdk defaults, ISCC_SDK_* environment, overrides, validation; tools lookup. */
import { describe, it, expect } from 'vitest';
import { resolveOptions, SDK_DEFAULTS, SDK_OPTION_NAMES } from './options.ts';
import { findTool, compareVersions, run } from './tools.ts';
import { SdkError } from './errors.ts';
import { textSanitize, textNameFromUri, htmlUnescape } from './sanitize.ts';

describe('options', () => {
  it('iscc-sdk defaults (fallback on by design)', () => {
    const o = resolveOptions({}, {});
    expect(o).toEqual(SDK_DEFAULTS);
    expect(o.bits).toBe(64);
    expect(o.image_max_pixels).toBe(128_000_000);
    expect(o.image_thumbnail_format).toBe('WEBP');
    expect(o.fallback).toBe(true);
    expect(SDK_OPTION_NAMES).toHaveLength(24);
  });
  it('environment, then overrides', () => {
    const env = { ISCC_SDK_BITS: '256', ISCC_SDK_WIDE: 'true', ISCC_SDK_IMAGE_MAX_PIXELS: 'None', ISCC_SDK_VIDEO_SCENE_LIMIT: '0.2', ISCC_SDK_IMAGE_THUMBNAIL_FORMAT: 'jpeg' };
    const o = resolveOptions({ wide: false }, env);
    expect(o.bits).toBe(256);
    expect(o.wide).toBe(false);
    expect(o.image_max_pixels).toBeNull();
    expect(o.video_scene_limit).toBe(0.2);
    expect(o.image_thumbnail_format).toBe('JPEG');
  });
  it.each([
    [{ nope: true }, {}],
    [{ bits: '64' }, {}],
    [{ bits: 64.5 }, {}],
    [{ wide: 1 }, {}],
    [{}, { ISCC_SDK_WIDE: 'maybe' }],
    [{}, { ISCC_SDK_BITS: 'x' }],
    [{ image_thumbnail_format: 'GIF' }, {}],
  ])('rejects %j / %j', (over, env) => {
    expect(() => resolveOptions(over as never, env)).toThrow(SdkError);
  });
});

describe('external tools', () => {
  it('finds exiv2 once, with its version', async () => {
    const a = await findTool('exiv2');
    expect(a.version).toMatch(/^\d+\.\d+/);
    expect(await findTool('exiv2')).toBe(a);
  });
  it('a missing program names the Debian package', async () => {
    const old = process.env['ISCC_SDK_FPCALC_PATH'];
    process.env['ISCC_SDK_FPCALC_PATH'] = '/nonexistent/fpcalc';
    try {
      const err = await findTool('fpcalc').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SdkError);
      expect((err as SdkError).message).toMatch(/fpcalc/);
    } finally {
      if (old === undefined) delete process.env['ISCC_SDK_FPCALC_PATH'];
      else process.env['ISCC_SDK_FPCALC_PATH'] = old;
    }
  });
  it('run uses argument arrays (no shell)', async () => {
    const r = await run('/bin/echo', ['a;b', '$(x)']);
    expect(r.stdout.toString()).toBe('a;b $(x)\n');
    await expect(run('/bin/false', [])).rejects.toMatchObject({ code: 'ISCC_SDK_TOOL_FAILED' });
  });
  it('compares versions numerically', () => {
    expect(compareVersions('0.27.6', '0.27')).toBeGreaterThan(0);
    expect(compareVersions('1.10', '1.9')).toBeGreaterThan(0);
    expect(compareVersions('4.4', '5.1')).toBeLessThan(0);
  });
});

describe('text helpers', () => {
  it('textSanitize strips markup, decodes entities, collapses whitespace', () => {
    expect(textSanitize('  <b>Cat</b> &amp; <i>Dog</i>\n\t<script>x()</script>&#228;  ')).toBe('Cat & Dog ä');
    expect(textSanitize('a < b')).toBe('a < b');
    expect(htmlUnescape('&lt;&#x41;&unknown;')).toBe('<A&unknown;');
  });
  it('textNameFromUri', () => {
    expect(textNameFromUri('/x/y/img.bmp')).toBe('img');
    expect(textNameFromUri('my-file_name.tar.gz')).toBe('my file name.tar');
    expect(textNameFromUri('.hidden')).toBe('.hidden');
    expect(textNameFromUri('https://example.com/a/b/some_file.pdf?x=1')).toBe('some file');
  });
});
