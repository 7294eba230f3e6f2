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
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  _minhashFold, algMinhashCompress, encodeComponent, MT, ST_CC, VS, textClean, textCollapse, xxh32,
} from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { TEXT_STREAM_READ_BYTES } from './limits.ts';

const NGRAM = 13;
const utf8 = new TextEncoder();
const decoder = new TextDecoder();
const latin1 = new TextDecoder('latin1');

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
    const bytes = utf8.encode(this.tail + collapsed);
    // Byte offset of every code point start (bytes that are not UTF-8 continuation bytes).
    const starts = new Int32Array(bytes.length + 1);
    let n = 0;
    for (let i = 0; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) starts[n++] = i;
    starts[n] = bytes.length;
    this.characters += n - this.tailLen;
    const count = n - NGRAM + 1;
    if (count > 0) {
      const feats = new Uint32Array(count);
      for (let k = 0; k < count; k++) feats[k] = xxh32(bytes, 0, starts[k]!, starts[k + NGRAM]!);
      _minhashFold(this.mins, feats, 0, count);
      this.features += count;
    }
    const keep = Math.min(NGRAM - 1, n);
    this.tail = decoder.decode(bytes.subarray(starts[n - keep]!, bytes.length));
    this.tailLen = keep;
  }

  /** Forget the carried context and continue after `tail` (the last code points so far). */
  reset(tail: string): void {
    this.tail = tail;
    let n = 0;
    for (const _ of tail) n++;
    this.tailLen = n;
  }

  /**
   * The Text-Code of this hasher's windows together with `mins`/`count` from elsewhere, with
   * `characters` given (used by {@link PieceMerger}).
   */
  digestWith(mins: Uint32Array, count: number, characters: number, bits: number): { iscc: string; characters: number } {
    const m = this.mins.slice();
    for (let k = 0; k < 64; k++) if (mins[k]! < m[k]!) m[k] = mins[k]!;
    if (this.features + count === 0) {
      const b = utf8.encode(this.tail);
      _minhashFold(m, Uint32Array.of(xxh32(b, 0, 0, b.length)), 0, 1);
    }
    return { iscc: `ISCC:${encodeComponent(MT.CONTENT, ST_CC.TEXT, VS.V0, bits, algMinhashCompress(Array.from(m), 4))}`, characters };
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

/**
 * ASCII characters `textCollapse` keeps, lowercased (0 = dropped): letters, digits and the
 * ASCII symbols of categories Sm/Sc/Sk ($ + < = > ^ ` | ~); whitespace, controls (C) and
 * punctuation (P) are dropped.
 */
const ASCII_KEEP = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) ASCII_KEEP[c] = c;
for (let c = 0x61; c <= 0x7a; c++) ASCII_KEEP[c] = c;
for (let c = 0x41; c <= 0x5a; c++) ASCII_KEEP[c] = c + 32;
for (const ch of '$+<=>^`|~') ASCII_KEEP[ch.charCodeAt(0)] = ch.charCodeAt(0);

/**
 * `textCollapse(textClean(s))`, fast for mostly-ASCII text: the text is split at spaces (a
 * space composes with nothing, takes no combining mark into a composition, and stops Python's
 * final-sigma context), runs of all-ASCII words are collapsed by table (NFKC/NFD are the
 * identity there), and runs of words with other characters go through iscc-core's
 * `textClean` and `textCollapse`. Tested equal to the composition on samples and fuzz input.
 */
export function collapseClean(s: string): string {
  const out: string[] = [];
  const n = s.length;
  let buf = new Uint8Array(Math.max(16, Math.min(n, 1 << 16)));
  let len = 0;
  const flush = (): void => {
    if (len) {
      out.push(latin1.decode(buf.subarray(0, len)));
      len = 0;
    }
  };
  let i = 0;
  while (i < n) {
    if (len > 1 << 15) flush(); // only between words, so a word can still be undone
    // One word: up to and including the next space (or the end); collapsed by table while
    // it stays ASCII.
    const mark = len;
    let j = i;
    let ascii = true;
    for (; j < n; j++) {
      const c = s.charCodeAt(j);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      const v = ASCII_KEEP[c]!;
      if (v) {
        if (len === buf.length) {
          const grown = new Uint8Array(buf.length * 2);
          grown.set(buf);
          buf = grown;
        }
        buf[len++] = v;
      }
      if (c === 0x20) {
        j++;
        break;
      }
    }
    if (ascii) {
      i = j;
      continue;
    }
    // Not ASCII: undo this word, then take the run of words up to the next all-ASCII word.
    len = mark;
    let e = s.indexOf(' ', i);
    e = e < 0 ? n : e + 1;
    while (e < n) {
      let f = s.indexOf(' ', e);
      f = f < 0 ? n : f + 1;
      let a = true;
      for (let k = e; k < f; k++) if (s.charCodeAt(k) >= 0x80) { a = false; break; }
      if (a) break;
      e = f;
    }
    flush();
    out.push(textCollapse(textClean(s.slice(i, e))));
    i = e;
  }
  flush();
  return out.join('');
}

/** Characters of one line held before a cut is forced (see {@link safeCut}). */
export const TEXT_STREAM_MAX_LINE = 64 * 1024 * 1024;

// No tab: textClean deletes it (category Cc), which would join its neighbours.
const SAFE_EDGE = /[A-Za-z0-9 ]/;

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
    if (c === ' ' || (c >= '0' && c <= '9')) return k;
    if (SAFE_EDGE.test(c) && SAFE_EDGE.test(s[k - 1]!)) return k;
  }
  // No safe point in a line this long (e.g. CJK without spaces): cut anyway once it gets
  // huge; at most the 12 n-grams around such a cut can differ from the in-memory code.
  return s.length > TEXT_STREAM_MAX_LINE ? s.length : 0;
}

/** What one piece of text contributes: its inner windows' minima and its edges. */
export interface PieceHash {
  /** Minima over the 13-character windows that lie inside the piece. */
  mins: Uint32Array;
  /** Number of those windows. */
  count: number;
  /** Code points of the collapsed piece. */
  n: number;
  /** First and last min(12, n) code points of the collapsed piece. */
  head: string;
  tail: string;
}

/** Collapse one piece (cut by `safeCut`) and hash the windows inside it. */
export function hashPiece(text: string): PieceHash {
  const bytes = utf8.encode(collapseClean(text));
  const starts = new Int32Array(bytes.length + 1);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) if ((bytes[i]! & 0xc0) !== 0x80) starts[n++] = i;
  starts[n] = bytes.length;
  const mins = new Uint32Array(64).fill(0xffffffff);
  const count = Math.max(0, n - NGRAM + 1);
  if (count > 0) {
    const feats = new Uint32Array(count);
    for (let k = 0; k < count; k++) feats[k] = xxh32(bytes, 0, starts[k]!, starts[k + NGRAM]!);
    _minhashFold(mins, feats, 0, count);
  }
  const e = Math.min(NGRAM - 1, n);
  return {
    mins, count, n,
    head: decoder.decode(bytes.subarray(0, starts[e]!)),
    tail: decoder.decode(bytes.subarray(starts[n - e]!, bytes.length)),
  };
}

/**
 * Combines {@link PieceHash}es in text order. The windows that cross a boundary all start in
 * the last 12 code points before it, so they are the windows of (carried tail + next head);
 * a window counted twice (around pieces shorter than 12) does not change a minimum.
 */
export class PieceMerger {
  private readonly hasher = new CollapsedTextHasher();
  private readonly mins = new Uint32Array(64).fill(0xffffffff);
  private count = 0;
  private characters = 0;

  /** Add the next piece's hash. */
  add(p: PieceHash): void {
    for (let k = 0; k < 64; k++) if (p.mins[k]! < this.mins[k]!) this.mins[k] = p.mins[k]!;
    this.count += p.count;
    this.characters += p.n;
    // The boundary windows: the carried tail plus this head, through the sequential hasher;
    // then carry this piece's tail (its whole text when shorter than 12).
    this.hasher.push(p.head);
    if (p.n >= NGRAM - 1) this.hasher.reset(p.tail);
  }

  /** The Text-Code of all pieces added. */
  digest(bits = 64): { iscc: string; characters: number } {
    return this.hasher.digestWith(this.mins, this.count, this.characters, bits);
  }
}

/** Worker threads for {@link textCodeStream}: built JavaScript only (a .ts worker cannot start). */
function workerScript(): URL | null {
  return import.meta.url.endsWith('.js') ? new URL('./stream-worker.js', import.meta.url) : null;
}

/**
 * Text-Code and `characters` of a UTF-8 (or BOM-marked UTF-8) plain text file, streamed
 * (module comment). Memory stays around a few times {@link TEXT_STREAM_READ_BYTES} per
 * thread. Pieces are hashed on up to `threads` worker threads (default: the cores less one,
 * at most 8; built package only - from TypeScript sources everything runs in this thread).
 * @throws SdkError ISCC_SDK_IO when the file cannot be read
 */
export async function textCodeStream(
  path: string,
  bits = 64,
  readBytes = TEXT_STREAM_READ_BYTES,
  threads = Math.min(8, Math.max(1, availableParallelism() - 1)),
): Promise<{ iscc: string; characters: number }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  const merger = new PieceMerger();
  const script = threads > 1 ? workerScript() : null;
  const pool: Worker[] = [];
  const inflight: Promise<PieceHash>[] = [];
  let next = 0;
  if (script) for (let k = 0; k < threads; k++) pool.push(new Worker(script));
  const results = new Map<number, { res: (p: PieceHash) => void; rej: (e: unknown) => void }>();
  // A worker that fails fails every piece still out, so nothing waits forever.
  const failAll = (e: unknown): void => {
    for (const r of results.values()) r.rej(e);
    results.clear();
  };
  for (const w of pool) {
    w.on('message', (m: { id: number; piece: PieceHash }) => {
      results.get(m.id)?.res(m.piece);
      results.delete(m.id);
    });
    w.on('error', failAll);
    w.on('exit', (code) => {
      if (code !== 0) failAll(new SdkError(SDK_ERROR_CODES.TOOL_FAILED, `text hashing worker exited with code ${code}`));
    });
  }
  const feed = async (s: string): Promise<void> => {
    if (pool.length === 0) {
      merger.add(hashPiece(s));
      return;
    }
    const id = next++;
    inflight.push(new Promise<PieceHash>((res, rej) => results.set(id, { res, rej })));
    pool[id % pool.length]!.postMessage({ id, text: s });
    // Keep at most two pieces per thread in flight (bounded memory), merging in order.
    while (inflight.length > 2 * pool.length) merger.add(await inflight.shift()!);
  };
  const decoder = new TextDecoder('utf-8', { ignoreBOM: false });
  const buf = new Uint8Array(readBytes);
  let pending = '';
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
        await feed(pending.slice(0, cut));
        pending = pending.slice(cut);
      }
    }
    pending += decoder.decode();
    if (pending) await feed(pending);
    while (inflight.length) merger.add(await inflight.shift()!);
  } finally {
    await fh.close();
    for (const w of pool) w.removeAllListeners('exit');
    await Promise.all(pool.map((w) => w.terminate()));
    // Pieces still out after an error must not reject unobserved.
    for (const p of inflight) p.catch(() => undefined);
  }
  return merger.digest(bits);
}

/**
 * `genTextCodeV0(textClean(text), bits)` by way of {@link collapseClean} and
 * {@link CollapsedTextHasher} (several times faster on mostly-ASCII text; same result).
 */
export function textCodeOf(text: string, bits = 64): { iscc: string; characters: number } {
  const h = new CollapsedTextHasher();
  // Pieces keep the intermediate arrays of the Unicode path small.
  let start = 0;
  while (start < text.length) {
    let end = Math.min(text.length, start + TEXT_STREAM_READ_BYTES);
    if (end < text.length) {
      const cut = text.lastIndexOf('\n', end);
      end = cut > start ? cut + 1 : text.indexOf('\n', end) + 1 || text.length;
    }
    h.push(collapseClean(text.slice(start, end)));
    start = end;
  }
  return h.digest(bits);
}
