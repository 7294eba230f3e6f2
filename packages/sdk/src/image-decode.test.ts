/**
 * Decoders + normalisation against Pillow 9.4: every fixture image (many encodings, made by
 * scripts/gen-sdk-image-fixtures.py) and the shared image samples must normalise to exactly
 * Pillow's 1024 grey pixels.
 */
import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
// Relative until core's index exports image-normalize (the lead wires it); then '@iscc-ts/core'.
import { imageNormalize } from '../../core/src/image-normalize.ts';
import { decodeImage } from './image-decode.ts';
import { SdkError } from './errors.ts';
import { SAMPLES_DIR } from './_test-paths.ts';

const dir = new URL('./__fixtures__/images/', import.meta.url);
const expected = JSON.parse(readFileSync(new URL('expected.json', dir), 'utf8')).files as Record<string, { normalized_b64: string; size: [number, number] }>;

function fileBytes(name: string): Uint8Array {
  if (name.startsWith('samples/')) return readFileSync(`${SAMPLES_DIR}/image/${name.slice(8)}`);
  return readFileSync(new URL(name, dir));
}

describe('decodeImage + imageNormalize == Pillow 9.4 (iscc-sdk image_normalize)', () => {
  it('covers every fixture file', () => {
    const files = readdirSync(dir).filter((f) => f !== 'expected.json');
    expect(files.sort()).toEqual(Object.keys(expected).filter((k) => !k.startsWith('samples/')).sort());
  });
  for (const [name, exp] of Object.entries(expected)) {
    it(name, async () => {
      const { image, orientation } = await decodeImage(fileBytes(name), 128_000_000);
      expect([image.width, image.height]).toEqual(exp.size);
      const px = imageNormalize(image, { orientation });
      const want = Buffer.from(exp.normalized_b64, 'base64');
      let bad = 0;
      for (let i = 0; i < 1024; i++) if (px[i] !== want[i]) bad++;
      expect(bad, `${bad} of 1024 pixels differ`).toBe(0);
    });
  }
});

describe('bad image input', () => {
  it('zero bytes', async () => {
    await expect(decodeImage(new Uint8Array(0), null)).rejects.toMatchObject({ code: 'ISCC_SDK_DECODE' });
  });
  it('truncated JPEG', async () => {
    const jpg = readFileSync(`${SAMPLES_DIR}/image/demo.jpg`);
    await expect(decodeImage(jpg.subarray(0, jpg.length >> 1), null)).rejects.toBeInstanceOf(SdkError);
  });
  it('not an image', async () => {
    await expect(decodeImage(new TextEncoder().encode('hello world, not an image'), null)).rejects.toMatchObject({ code: 'ISCC_SDK_DECODE' });
  });
});
