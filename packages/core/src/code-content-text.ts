/**
 * ISCC Content-Code Text (iscc-core `code_content_text`): a similarity hash of plain text.
 *
 * Steps:
 * 1. Collapse the text ({@link textCollapse}: NFD, lower case, drop whitespace, control
 *    characters, marks and punctuation, NFKC). Markup should be removed by the caller.
 * 2. `characters` is the number of code points of the collapsed text.
 * 3. Slide a window of `coreOpts.text_ngram_size` (13) code points over it (a shorter text,
 *    even the empty one, gives one window: the whole text).
 * 4. Hash each window's UTF-8 bytes with xxh32 and build a 256-bit MinHash from these features.
 * 5. Encode the first `bits` bits as a CONTENT/TEXT unit.
 *
 * The n-grams are hashed straight out of one UTF-8 encoding of the whole text (by code point
 * byte offsets) instead of encoding every window again; the bytes hashed are the same.
 */
import { encodeComponent } from './codec.ts';
import { MT, ST_CC, VS } from './constants.ts';
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { algMinhash256 } from './minhash.ts';
import { coreOpts } from './options.ts';
import { textCollapse } from './text.ts';
import { xxh32 } from './xxh32.ts';

/** A UTF-16 surrogate without its partner: Python cannot UTF-8 encode it (UnicodeEncodeError). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const utf8 = new TextEncoder();

/** Result of {@link genTextCodeV0}. */
export interface TextCodeResult {
  /** The Content-Code Text, `ISCC:` prefixed. */
  iscc: string;
  /** Number of code points of the collapsed text. */
  characters: number;
}

/**
 * Create an ISCC Content-Code Text with the latest algorithm (alias of {@link genTextCodeV0}).
 * @param text - plain text
 * @param bits - code length in bits (default 64)
 */
export function genTextCode(text: string, bits: number = coreOpts.text_bits): TextCodeResult {
  return genTextCodeV0(text, bits);
}

/**
 * Create an ISCC Content-Code Text with algorithm v0.
 * @param text - plain text (markup removed)
 * @param bits - code length in bits: a multiple of 32 up to 256 (default 64)
 * @returns `{ iscc, characters }`
 * @throws IsccError ISCC_INVALID_TYPE when `text` is not a string; codec errors for bad `bits`
 * @example genTextCodeV0('Hello World') // { iscc: 'ISCC:EAASKDNZNYGUUF5A', characters: 10 }
 */
export function genTextCodeV0(text: string, bits: number = coreOpts.text_bits): TextCodeResult {
  if (typeof text !== 'string') typeError('text', 'a string', text);
  const collapsed = textCollapse(text);
  const characters = countCodePoints(collapsed);
  const digest = softHashTextV0(collapsed);
  const code = encodeComponent(MT.CONTENT, ST_CC.TEXT, VS.V0, bits, digest);
  return { iscc: 'ISCC:' + code, characters };
}

/** Number of code points (Python `len(str)`): a surrogate pair counts once. */
function countCodePoints(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/**
 * UTF-8 byte offset of every code point start, plus the total length at the end.
 * Assumes well-formed UTF-16 (checked by the caller).
 */
function codePointByteOffsets(s: string): Int32Array {
  const offsets = new Int32Array(countCodePoints(s) + 1);
  let k = 0;
  let pos = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    offsets[k++] = pos;
    if (c < 0x80) pos += 1;
    else if (c < 0x800) pos += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      pos += 4;
      i++; // the low surrogate belongs to this code point
    } else pos += 3;
  }
  offsets[k] = pos;
  return offsets;
}

/**
 * 256-bit similarity hash of (already collapsed) text (iscc-core `soft_hash_text_v0`).
 * @param text - text as produced by {@link textCollapse}
 * @returns 32-byte MinHash digest
 * @throws IsccError ISCC_INVALID_TYPE for non-strings, ISCC_INVALID_ARGUMENT for text with
 *   lone surrogates (which UTF-8, and therefore the reference, cannot encode)
 */
export function softHashTextV0(text: string): Uint8Array {
  if (typeof text !== 'string') typeError('text', 'a string', text);
  if (LONE_SURROGATE.test(text)) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      'text: expected well-formed Unicode, got a string with a lone surrogate (not UTF-8 encodable)',
    );
  }
  const width = coreOpts.text_ngram_size;
  const bytes = utf8.encode(text);
  const offsets = codePointByteOffsets(text);
  const n = offsets.length - 1;
  const count = Math.max(n - width + 1, 1);
  const features = new Array<number>(count);
  for (let i = 0; i < count; i++) features[i] = xxh32(bytes, 0, offsets[i]!, offsets[Math.min(i + width, n)]!);
  return algMinhash256(features);
}
