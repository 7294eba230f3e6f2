/**
 * The image expectations of shared/samples/EXPECTED-iscc-sdk.json (iscc-sdk 0.9.5's own test
 * assertions), the fallback, and bad input. Samples are copied to the names iscc-sdk's tests
 * use (img.jpg, ...), since `filename` and filename-derived names depend on them.
 * Needs Debian's exiv2 (metadata); thumbnails are not compared (encoder-dependent).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeIscc, codeMeta, codeImage, codeContent, extractMetadata, embedMetadata } from './main.ts';
import { codeData, codeInstance, codeSum } from './sum.ts';
import { imageNormalizeFile, imageMetaExtract, parseExiv2 } from './image.ts';
import { SdkError } from './errors.ts';
import { SAMPLES_DIR } from './_test-paths.ts';
import * as core from '@iscc-ts/core';

// Until the lead exports core's image-normalize from '@iscc-ts/core' (in progress), the image
// pipeline cannot run through the package entry; these tests are then skipped, not failed.
const CORE_READY = 'imageNormalize' in core;
const describeImage = CORE_READY ? describe : describe.skip;

const EXP = JSON.parse(readFileSync(join(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'), 'utf8'));
const F = EXP.files;
const S = EXP.synthetic;
let dir: string;
const p = (n: string): string => join(dir, n);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-sdk-test-'));
  copyFileSync(join(SAMPLES_DIR, 'image/demo.jpg'), p('img.jpg'));
  copyFileSync(join(SAMPLES_DIR, 'image/demo.png'), p('img.png'));
  copyFileSync(join(SAMPLES_DIR, 'image/demo.bmp'), p('img.bmp'));
  writeFileSync(p('data.dat'), S.fallback_56_bytes.content_ascii);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pick = (o: Record<string, unknown>, keys: string[]): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k]]));

describeImage('EXPECTED-iscc-sdk.json: image/demo.jpg', () => {
  const e = F['image/demo.jpg'];
  it('code_iscc', async () => {
    const r = await codeIscc(p('img.jpg'));
    expect(pick(r, Object.keys(e.code_iscc))).toEqual(e.code_iscc);
    expect(r.filename).toBe('img.jpg');
    expect(typeof r['thumbnail']).toBe('string');
    expect(String(r['thumbnail'])).toMatch(/^data:image\/webp;base64,/);
  });
  it('units_64 and units_256', async () => {
    const r64 = await codeIscc(p('img.jpg'), null, null, null, { add_units: true, create_thumb: false });
    expect(r64['units']).toEqual(e.units_64);
    const r256 = await codeIscc(p('img.jpg'), null, null, null, { add_units: true, bits: 256, create_thumb: false });
    expect(r256['units']).toEqual(e.units_256);
  });
  it('code_iscc_create_meta_false', async () => {
    const r = await codeIscc(p('img.jpg'), null, null, null, { create_meta: false, create_thumb: false });
    expect(r.iscc).toBe(e.code_iscc_create_meta_false);
  });
  it('code_meta', async () => {
    const r = await codeMeta(p('img.jpg'));
    expect(pick(r, Object.keys(e.code_meta))).toEqual(e.code_meta);
  });
  it('code_image', async () => {
    const r = await codeImage(p('img.jpg'), { create_thumb: false });
    expect(r.iscc).toBe(e.code_image);
    const c = await codeContent(p('img.jpg'), { create_thumb: false });
    expect(pick(c, ['iscc', 'mediatype', 'mode', '@type'])).toEqual({ iscc: e.code_image, mediatype: 'image/jpeg', mode: 'image', '@type': 'ImageObject' });
  });
  it('image_normalize first/last 14', async () => {
    const px = await imageNormalizeFile(readFileSync(p('img.jpg')));
    expect(px.slice(0, 14)).toEqual(e.image_normalize_first14);
    expect(px.slice(-14)).toEqual(e.image_normalize_last14);
  });
  it('image_meta_extract', async () => {
    expect(await imageMetaExtract(p('img.jpg'))).toEqual(e.image_meta_extract);
    expect(await extractMetadata(p('img.jpg'))).toEqual(e.image_meta_extract);
  });
});

describeImage('EXPECTED-iscc-sdk.json: image/demo.png, image/demo.bmp', () => {
  const e = F['image/demo.png'];
  it('code_data, code_instance', async () => {
    expect((await codeData(p('img.png'))).iscc).toBe(e.code_data);
    expect(await codeInstance(p('img.png'))).toEqual(e.code_instance);
  });
  it('image_normalize first/last 14', async () => {
    const px = await imageNormalizeFile(readFileSync(p('img.png')));
    expect(px.slice(0, 14)).toEqual(e.image_normalize_first14);
    expect(px.slice(-14)).toEqual(e.image_normalize_last14);
  });
  it('image_meta_extract', async () => {
    expect(await imageMetaExtract(p('img.png'))).toEqual(e.image_meta_extract);
  });
  it('code_meta of img.bmp (name from the file name)', async () => {
    const r = await codeMeta(p('img.bmp'));
    const want = F['image/demo.bmp']['code_meta_as_img.bmp'];
    expect(pick(r, Object.keys(want))).toEqual(want);
  });
  it('synthetic RGBA ellipse normalises as iscc-sdk', async () => {
    const w = S['image_normalize_rgba_100x100_transparent_red_bg_gray_ellipse_25_25_75_75_fill_126'];
    const px = await imageNormalizeFile(readFileSync(new URL('./__fixtures__/images/alpha-ellipse.png', import.meta.url)));
    expect(px.slice(0, 14)).toEqual(w.first14);
    expect(px.slice(-14)).toEqual(w.last14);
  });
  it('every image sample codes in image mode', async () => {
    for (const f of ['demo.bmp', 'demo.gif', 'demo.jpg', 'demo.png', 'demo.psd', 'demo.tif']) {
      const r = await codeIscc(join(SAMPLES_DIR, 'image', f), null, null, null, { create_thumb: false });
      expect(r['mode']).toBe('image');
      expect(r.iscc).toMatch(/^ISCC:KEC[A-Z2-7]+$/);
    }
  });
});

describe('fallback (ISCC-SUM) for unsupported files', () => {
  const e = S.fallback_56_bytes;
  it('56 bytes of unknown data', async () => {
    const r = await codeIscc(p('data.dat'));
    expect(r).toEqual({ iscc: e.iscc, mediatype: e.mediatype, filename: 'data.dat', filesize: 56, datahash: e.datahash, generator: r['generator'] });
  });
  it('wide, 256 bits', async () => {
    const r = await codeIscc(p('data.dat'), null, null, null, { bits: 256, wide: true });
    expect(r.iscc).toBe(e.iscc_wide_256);
    expect((await codeSum(p('data.dat'), { bits: 256, wide: true })).iscc).toBe(e.iscc_wide_256);
  });
  it('fallback off: a clear error', async () => {
    await expect(codeIscc(p('data.dat'), null, null, null, { fallback: false })).rejects.toMatchObject({ code: 'ISCC_SDK_UNSUPPORTED_MEDIATYPE' });
  });
});

describe('bad input', () => {
  it('zero-byte .jpg: decode error', async () => {
    writeFileSync(p('empty.jpg'), new Uint8Array(0));
    await expect(codeIscc(p('empty.jpg'))).rejects.toMatchObject({ code: 'ISCC_SDK_DECODE' });
  });
  it('zero-byte file without extension: fallback', async () => {
    writeFileSync(p('empty'), new Uint8Array(0));
    const r = await codeIscc(p('empty'));
    expect(r.filesize).toBe(0);
    expect(r.mediatype).toBe('application/octet-stream');
  });
  it('truncated JPEG: decode error', async () => {
    const jpg = readFileSync(p('img.jpg'));
    writeFileSync(p('cut.jpg'), jpg.subarray(0, 9000));
    await expect(codeIscc(p('cut.jpg'), null, null, null, { create_thumb: false })).rejects.toMatchObject({ code: 'ISCC_SDK_DECODE' });
  });
  it('decompression bomb: 100000x100000 PNG header -> image_max_pixels, no allocation', async () => {
    const png = pngHeader(100_000, 100_000);
    writeFileSync(p('bomb.png'), png);
    const before = process.memoryUsage().rss;
    const err = await codeIscc(p('bomb.png'), null, null, null, { create_thumb: false }).catch((x: unknown) => x);
    expect(err).toBeInstanceOf(SdkError);
    expect((err as SdkError).code).toBe('ISCC_SDK_LIMIT_EXCEEDED');
    expect((err as SdkError).message).toMatch(/image_max_pixels/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });
  it('missing file: IO error', async () => {
    await expect(codeIscc(p('nope.jpg'))).rejects.toMatchObject({ code: 'ISCC_SDK_IO' });
  });
  it('unknown option: INVALID_OPTION', async () => {
    await expect(codeIscc(p('img.jpg'), null, null, null, { nope: 1 } as never)).rejects.toMatchObject({ code: 'ISCC_SDK_INVALID_OPTION' });
  });
});

describe('exiv2 output parsing', () => {
  it('keys, multi-line values, lang qualifiers', () => {
    const m = parseExiv2('Xmp.dc.title                                  lang="x-default" A Title\nExif.Image.Artist   Someone\nIptc.Application2.Caption  line one\nline two\n');
    expect(m.get('Xmp.dc.title')).toBe('A Title');
    expect(m.get('Exif.Image.Artist')).toBe('Someone');
    expect(m.get('Iptc.Application2.Caption')).toBe('line one\nline two');
  });
});

/** A PNG signature + IHDR (valid CRC) + empty IDAT + IEND claiming width x height. */
function pngHeader(width: number, height: number): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array): number => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Uint8Array): Uint8Array => {
    const out = new Uint8Array(12 + data.length);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, data.length);
    out.set(new TextEncoder().encode(type), 4);
    out.set(data, 8);
    dv.setUint32(8 + data.length, crc(out.subarray(4, 8 + data.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const dv = new DataView(ihdr.buffer);
  dv.setUint32(0, width); dv.setUint32(4, height);
  ihdr[8] = 8; ihdr[9] = 2;
  const parts = [Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a), chunk('IHDR', ihdr), chunk('IDAT', new Uint8Array(0)), chunk('IEND', new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of parts) { out.set(x, o); o += x.length; }
  return out;
}

describeImage('embedMetadata round trip (images)', () => {
  const meta = {
    name: 'Embedded Name', description: 'Line one\nline two & more', meta: 'data:application/json;base64,eyJhIjoxfQ==',
    license: 'https://example.com/license', creator: 'Jane Doe', rights: '(c) Jane', identifier: 'urn:x:1',
    acquire: 'https://example.com/buy',
  };
  for (const f of ['img.jpg', 'img.png']) {
    it(f, async () => {
      const out = await embedMetadata(p(f), meta, { outpath: p(`embedded-${f}`) });
      expect(out).toBe(p(`embedded-${f}`));
      const got = await extractMetadata(out!);
      expect(got).toMatchObject({ ...meta, description: 'Line one line two & more' });
      // the original is untouched; the Image-Code does not change
      expect((await extractMetadata(p(f)))['name']).not.toBe('Embedded Name');
      expect((await codeImage(out!, { create_thumb: false })).iscc).toBe((await codeImage(p(f), { create_thumb: false })).iscc);
      const r = await codeMeta(out!);
      expect(r['name']).toBe('Embedded Name');
    });
  }
});
