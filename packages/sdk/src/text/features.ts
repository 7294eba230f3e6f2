/**
 * Granular text features (iscc-sdk `text_chunks` / `text_features`).
 *
 * 1. Encode the cleaned text as UTF-32BE and cut it with content-defined chunking
 *    (`algCdcChunks`, UTF-32 mode: cuts on 4-byte boundaries) at an average of
 *    `text_avg_chunk_size` characters (x 4 bytes).
 * 2. For each chunk: `textCollapse`, 13-character n-grams, xxh32 each, MinHash-256
 *    (`softHashTextV0` does exactly this), base64url without padding -> one simprint.
 * 3. Offsets and sizes count characters (code points), or UTF-8 bytes with `byte_offsets`.
 */
import { algCdcChunks, encodeBase64, softHashTextV0, textCollapse } from '@iscc-ts/core';
import { SDK_DEFAULTS } from '../options.ts';

/** Granular features of one text (the object iscc-sdk puts in `features`). */
export interface TextFeatures {
  maintype: 'content';
  subtype: 'text';
  version: 0;
  byte_offsets: boolean;
  simprints: string[];
  offsets: number[];
  sizes: number[];
}

function utf32be(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 4);
  const view = new DataView(out.buffer);
  let k = 0;
  for (const ch of text) {
    view.setUint32(k, ch.codePointAt(0)!, false);
    k += 4;
  }
  return out.subarray(0, k);
}

function fromUtf32be(b: Uint8Array): string {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const parts: string[] = [];
  const cps: number[] = [];
  for (let k = 0; k + 4 <= b.length; k += 4) {
    cps.push(view.getUint32(k, false));
    if (cps.length === 8192) parts.push(String.fromCodePoint(...cps.splice(0)));
  }
  parts.push(String.fromCodePoint(...cps));
  return parts.join('');
}

/**
 * iscc-sdk `text_chunks`: variable-size chunks of `text` (their concatenation is `text`).
 * @param avgSize - target average chunk size in characters (default 512)
 */
export function* textChunks(text: string, avgSize: number = SDK_DEFAULTS.text_avg_chunk_size): Generator<string> {
  for (const chunk of algCdcChunks(utf32be(text), true, avgSize * 4)) yield fromUtf32be(chunk);
}

const utf8 = new TextEncoder();

function codePoints(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * iscc-sdk `text_features`: chunked simprints with offsets and sizes (module comment).
 * @param text - cleaned plain text
 * @param options - `byte_offsets` (UTF-8 byte offsets/sizes) and `text_avg_chunk_size`
 */
export function textFeatures(
  text: string,
  options: { byte_offsets?: boolean; text_avg_chunk_size?: number } = {},
): TextFeatures {
  const byteOffsets = options.byte_offsets ?? false;
  const simprints: string[] = [];
  const offsets: number[] = [];
  const sizes: number[] = [];
  let offset = 0;
  for (const chunk of textChunks(text, options.text_avg_chunk_size ?? SDK_DEFAULTS.text_avg_chunk_size)) {
    offsets.push(offset);
    simprints.push(encodeBase64(softHashTextV0(textCollapse(chunk))));
    const size = byteOffsets ? utf8.encode(chunk).length : codePoints(chunk);
    sizes.push(size);
    offset += size;
  }
  return { maintype: 'content', subtype: 'text', version: 0, byte_offsets: byteOffsets, simprints, offsets, sizes };
}
