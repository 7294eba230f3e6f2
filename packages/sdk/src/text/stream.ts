/**
 * The Text-Code of a large plain text file with bounded memory (`genTextCodeV0(textClean(t))`
 * without ever holding `t`).
 *
 * Why it is the same code: the Text-Code only sees `textCollapse(textClean(t))`. Both
 * functions work line by line wherever it matters - NFKC/NFD never compose across a line
 * break, Python's lower() decides a final sigma within a line, and whatever `textClean` does
 * to whitespace and blank lines `textCollapse` removes anyway. So the file is decoded as
 * UTF-8 in reads of {@link TEXT_STREAM_READ_BYTES}, cut after its last line break (a line
 * longer than a read is cut at an ASCII point no composition, combining mark or casing
 * context crosses - see `safeCut`; only a line of more than {@link TEXT_STREAM_MAX_LINE}
 * characters without any such point is cut blindly), and each piece is cleaned and collapsed
 * on its own.
 *
 * The n-gram features then run over the concatenated collapsed pieces: the last 12 code points
 * are carried over, so every 13-character window is hashed exactly once; the minima are
 * folded into 64 running values (`_minhashFold`), as `algMinhash256` would compute them over
 * the whole list. `characters` is the sum of the pieces' code point counts; a text shorter
 * than 13 characters hashes as one window (iscc-core's rule), the empty text as "".
 */
import { open } from 'node:fs/promises';
import {
  _minhashFold, algMinhashCompress, encodeComponent, MT, ST_CC, VS, textClean, textCollapse, xxh32,
} from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { TEXT_STREAM_READ_BYTES } from './limits.ts';

const NGRAM = 13;
const utf8 = new TextEncoder();

/** Incremental Text-Code over pieces of already collapsed text. */
export class CollapsedTextHasher {
  private readonly mins = new Uint32Array(64).fill(0xffffffff);
  private tail = ''; // up to NGRAM - 1 code points carried to the next piece
  private tailLen = 0;
  /** Code points pushed so far. */
  characters = 0;
  private features = 0;

  /** Add the next piece of collapsed text. */
  push(collapsed: string): void {
    if (collapsed === '') return;
    const s = this.tail + collapsed;
    const bytes = utf8.encode(s);
    // UTF-8 offset of every code point start (plus the end).
    const offs: number[] = [];
    let pos = 0;
    for (const ch of s) {
      offs.push(pos);
      const cp = ch.codePointAt(0)!;
      pos += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    }
    offs.push(pos);
    const n = offs.length - 1;
    this.characters += n - this.tailLen;
    const count = n - NGRAM + 1;
    if (count > 0) {
      const feats = new Uint32Array(count);
      for (let k = 0; k < count; k++) feats[k] = xxh32(bytes, 0, offs[k]!, offs[k + NGRAM]!);
      _minhashFold(this.mins, feats, 0, count);
      this.features += count;
    }
    const keep = Math.min(NGRAM - 1, n);
    this.tail = new TextDecoder().decode(bytes.subarray(offs[n - keep]!, offs[n]!));
    this.tailLen = keep;
  }

  /** The Text-Code of everything pushed. */
  digest(bits = 64): { iscc: string; characters: number } {
    const mins = this.mins.slice();
    if (this.features === 0) {
      // Fewer than 13 characters in all: one window over the whole (possibly empty) text.
      const b = utf8.encode(this.tail);
      _minhashFold(mins, Uint32Array.of(xxh32(b, 0, 0, b.length)), 0, 1);
    }
    const digest = algMinhashCompress(Array.from(mins), 4);
    return { iscc: `ISCC:${encodeComponent(MT.CONTENT, ST_CC.TEXT, VS.V0, bits, digest)}`, characters: this.characters };
  }
}

/** Characters of one line held before a cut is forced (see {@link safeCut}). */
export const TEXT_STREAM_MAX_LINE = 64 * 1024 * 1024;

const SAFE_EDGE = /[A-Za-z0-9 \t]/;

/**
 * Where to cut `s` so that the piece before the cut can be cleaned and collapsed alone:
 * after the last line break (not between CR and LF); else, when `force`, before an ASCII
 * space/digit (or between two ASCII letters/digits) that is followed by another ASCII
 * character: ASCII never composes, a combining mark cannot follow, and a cased letter,
 * digit or space on both sides stops Python's final-sigma context scan within each piece.
 * Returns 0 for "wait for more".
 */
function safeCut(s: string, force: boolean): number {
  const nl = Math.max(s.lastIndexOf('\n'), s.lastIndexOf('\r'));
  if (nl >= 0 && !(s[nl] === '\r' && nl === s.length - 1)) return nl + 1;
  if (!force) return 0;
  for (let k = s.length - 2; k > 0; k--) {
    if (s.charCodeAt(k + 1) >= 0x80) continue;
    const c = s[k]!;
    if (c === ' ' || c === '\t' || (c >= '0' && c <= '9')) return k;
    if (SAFE_EDGE.test(c) && SAFE_EDGE.test(s[k - 1]!)) return k;
  }
  // No safe point in a line this long (e.g. CJK without spaces): cut anyway once it gets
  // huge; at most the 12 n-grams around such a cut can differ from the in-memory code.
  return s.length > TEXT_STREAM_MAX_LINE ? s.length : 0;
}

/**
 * Text-Code and `characters` of a UTF-8 (or BOM-marked UTF-8) plain text file, streamed
 * (module comment). Memory stays around a few times {@link TEXT_STREAM_READ_BYTES}.
 * @throws SdkError ISCC_SDK_IO when the file cannot be read
 */
export async function textCodeStream(path: string, bits = 64, readBytes = TEXT_STREAM_READ_BYTES): Promise<{ iscc: string; characters: number }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  const hasher = new CollapsedTextHasher();
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  const buf = new Uint8Array(readBytes);
  let pending = '';
  const feed = (s: string): void => {
    hasher.push(textCollapse(textClean(s)));
  };
  try {
    for (;;) {
      let got: number;
      try {
        got = (await fh.read(buf, 0, buf.length, null)).bytesRead;
      } catch (e) {
        throw new SdkError(SDK_ERROR_CODES.IO, `cannot read ${path}: ${(e as Error).message}`, { cause: e, path });
      }
      if (got === 0) break;
      pending += decoder.decode(buf.subarray(0, got), { stream: true });
      const cut = safeCut(pending, pending.length > readBytes);
      if (cut > 0) {
        feed(pending.slice(0, cut));
        pending = pending.slice(cut);
      }
    }
    pending += decoder.decode();
    if (pending) feed(pending);
  } finally {
    await fh.close();
  }
  return hasher.digest(bits);
}
