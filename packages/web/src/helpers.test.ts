/**
 * The page's pure helpers in Node (the browser-only parts - WASM decoders, DOM - are covered
 * by tests/web.e2e.test.ts): file names to titles as the sdk derives them, the mode rules,
 * the text decoding fallbacks, EXIF orientation from JPEG and PNG headers (against the sdk's
 * fixtures), and the unit explanations.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { genMetaCodeV0 } from '@iscc-ts/core';
import { decodeText, modeOf, nameFromFilename } from './compute.ts';
import { exifOrientation, jpegInfo, pngInfo, sniffImage } from './image.ts';
import { compareKeyTitle, explainCode, explainUnit } from './explain.ts';
import { textNameFromUri } from '../../sdk/src/sanitize.ts';

const FIXTURES = join(import.meta.dirname, '..', '..', 'sdk', 'src', '__fixtures__', 'images');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));

describe('nameFromFilename', () => {
  it.each(['demo.jpg', 'my-cat_photo.final.png', '.hidden', '..', 'noext', 'a.b.c', '...x', 'x.'])('%s as the sdk', (f) => {
    expect(nameFromFilename(f)).toBe(textNameFromUri(f));
  });
  it('gives the Meta-Code the sdk gives a file without embedded metadata', () => {
    expect(genMetaCodeV0(nameFromFilename('demo.txt')).iscc).toBe('ISCC:AAA6P2X7C73P72Z4');
  });
});

describe('modeOf', () => {
  it('sniffs images by content and text by name or type', () => {
    expect(modeOf(fixture('rgb.png'), 'x.bin', '')).toBe('image');
    expect(modeOf(fixture('q50.jpg'), 'x.txt', '')).toBe('image');
    expect(modeOf(new Uint8Array([0x61]), 'notes.MD', '')).toBe('text');
    expect(modeOf(new Uint8Array([0x61]), 'x', 'text/plain')).toBe('text');
    expect(modeOf(new Uint8Array([0x61]), 'x.pdf', 'application/pdf')).toBe('sum');
    expect(sniffImage(new Uint8Array([0x47, 0x49, 0x46]))).toBeNull();
  });
});

describe('decodeText', () => {
  it('BOMs, then UTF-8, then windows-1252', () => {
    expect(decodeText(new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0xc3, 0xa9]))).toBe('hé');
    expect(decodeText(new Uint8Array([0xff, 0xfe, 0x68, 0, 0xe9, 0]))).toBe('hé');
    expect(decodeText(new Uint8Array([0xfe, 0xff, 0, 0x68, 0, 0xe9]))).toBe('hé');
    expect(decodeText(new Uint8Array([0x68, 0xc3, 0xa9]))).toBe('hé');
    expect(decodeText(new Uint8Array([0x68, 0xe9, 0x80]))).toBe('hé€');
  });
});

describe('orientation', () => {
  it.each([2, 3, 4, 5, 6, 7, 8])('orient-%i.jpg', (n) => {
    expect(jpegInfo(fixture(`orient-${n}.jpg`)).orientation).toBe(n);
  });
  it('JPEG without EXIF, and frame facts', () => {
    const info = jpegInfo(fixture('q50.jpg'));
    expect(info).toEqual({ orientation: 1, components: 3, width: 61, height: 47 });
    expect(jpegInfo(fixture('cmyk.jpg')).components).toBe(4);
    expect(jpegInfo(fixture('grey.jpg')).components).toBe(1);
  });
  it.each([
    ['orient-6.png', 6], ['orient-6-exif-after-idat.png', 6], ['orient-5-rawprofile.png', 5], ['orient-3-xmp.png', 3], ['rgb.png', 1],
  ] as const)('%s by Pillow\'s rules', async (name, n) => {
    expect((await pngInfo(fixture(name))).orientation).toBe(n);
  });
  it('PNG colour facts', async () => {
    expect(await pngInfo(fixture('p-trns.png'))).toMatchObject({ colorType: 3, trns: true, width: 61, height: 47 });
    expect(await pngInfo(fixture('rgb-trns.png'))).toMatchObject({ colorType: 2, trns: true });
    expect(await pngInfo(fixture('grey16.png'))).toMatchObject({ colorType: 0, bitDepth: 16, trns: false });
  });
  it('ignores malformed EXIF', () => {
    expect(exifOrientation(new Uint8Array([1, 2, 3]))).toBeNull();
    expect(exifOrientation(new Uint8Array([0x49, 0x49, 42, 0, 0xff, 0xff, 0, 0]))).toBeNull();
  });
});

describe('explain', () => {
  it('names every unit of an ISCC-CODE in code order', () => {
    const units = explainCode('ISCC:KAC6P2X7C73P72Z4AYCJRAL5Z36G76RFRMO4554RU26HZ4ORJGIVHDI');
    expect(units.map((u) => u.title)).toEqual(['Meta-Code', 'Content-Code Text', 'Data-Code', 'Instance-Code']);
    expect(units.map((u) => u.typeId)).toEqual(['META-NONE-V0-64', 'CONTENT-TEXT-V0-64', 'DATA-NONE-V0-64', 'INSTANCE-NONE-V0-64']);
    expect(units[0]!.explained).toMatch(/^META-NONE-V0-64-[0-9a-f]{16}$/);
    expect(units.every((u) => u.why.length > 20)).toBe(true);
  });
  it('explains ISCC-IDs and compare keys', () => {
    expect(explainUnit('ISCC:MAIGMDVGIE5IYUAA').title).toBe('ISCC-ID');
    expect(compareKeyTitle('CONTENT_IMAGE_V0')).toEqual({ maintype: 'CONTENT', title: 'Content-Code Image' });
    expect(compareKeyTitle('DATA_NONE_V0')).toEqual({ maintype: 'DATA', title: 'Data-Code' });
  });
});
