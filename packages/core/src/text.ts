/**
 * Text preprocessing of iscc-core 1.3.0, host-independent (pinned Unicode 14.0.0, see unicode.ts).
 *
 * - `textClean` (display text): NFKC; drop category C except the newline characters of
 *   `coreOpts.text_newlines`; split into lines (Python `splitlines`); keep at most one blank
 *   (whitespace-only) line in a row, emitted as an empty line; join with LF; strip.
 * - `textRemoveNewlines` (single-line titles): split on whitespace runs and join with one space.
 * - `textTrim`: cut the UTF-8 encoding at `nbytes` (Python slice semantics), drop a trailing
 *   partial character, strip whitespace.
 * - `textCollapse` (input of the Text-Code): NFD; Python lower(); drop whitespace and the
 *   major categories of `coreOpts.text_unicode_filter` (C, M, P); NFKC.
 *
 * Each step works on code point arrays with the tables of unicode.ts: no regexes, no
 * `String.prototype.normalize`/`toLowerCase`, so results never depend on the JS engine.
 */

import { argError, typeError } from './errors.ts';
import { coreOpts } from './options.ts';
import {
  _categoryMask,
  _collapse,
  _compose,
  _decompose,
  _filterCodePoints,
  fromCodePoints,
  pySplitWhitespace,
  pySplitlines,
  pyStrip,
  toCodePoints,
} from './unicode.ts';

/** Categories `textCollapse` removes (major classes C, M, P by default). */
const COLLAPSE_DROP = _categoryMask(coreOpts.text_unicode_filter);
/** `textClean` removes all control, format, unassigned, private-use and surrogate code points... */
const CLEAN_DROP = _categoryMask(['C']);
/** ...except the newline characters, which `splitlines` then handles. */
const CLEAN_KEEP: ReadonlySet<number> = new Set(coreOpts.text_newlines.map((c) => c.codePointAt(0) as number));

function checkText(text: unknown): asserts text is string {
  if (typeof text !== 'string') typeError('text', 'a string', text);
}

/**
 * Clean text for display (iscc-core `text_clean`): NFKC-normalize, remove control characters
 * except newlines, collapse runs of whitespace-only lines into one empty line, strip.
 */
export function textClean(text: string): string {
  checkText(text);
  const cps = _filterCodePoints(_compose(_decompose(toCodePoints(text), true)), CLEAN_DROP, false, CLEAN_KEEP);
  const kept: string[] = [];
  let blank = 0;
  for (const line of pySplitlines(fromCodePoints(cps))) {
    if (pyStrip(line) !== '') {
      kept.push(line);
      blank = 0;
    } else if (blank < 1) {
      kept.push('');
      blank++;
    }
  }
  return pyStrip(kept.join('\n'));
}

/**
 * Turn text into a single line (iscc-core `text_remove_newlines`): split at runs of Python
 * whitespace (newlines included) and join the parts with single spaces.
 */
export function textRemoveNewlines(text: string): string {
  checkText(text);
  return pySplitWhitespace(text).join(' ');
}

/** UTF-8 length of a code point. */
function utf8Length(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/**
 * Trim text so that its UTF-8 encoding does not exceed `nbytes` bytes (iscc-core `text_trim`),
 * then strip surrounding whitespace. A character cut in half is dropped whole. Like Python's
 * byte slice, a negative `nbytes` counts from the end. Throws on lone surrogates, which Python
 * cannot encode as UTF-8.
 */
export function textTrim(text: string, nbytes: number): string {
  checkText(text);
  if (typeof nbytes !== 'number') typeError('nbytes', 'an integer number of bytes', nbytes);
  if (!Number.isSafeInteger(nbytes)) argError('nbytes', 'an integer number of bytes', nbytes);
  const cps = toCodePoints(text);
  let total = 0;
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i] as number;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      argError('text', `text encodable as UTF-8 (lone surrogate U+${cp.toString(16).toUpperCase()} at code point ${i})`, text);
    }
    total += utf8Length(cp);
  }
  const limit = nbytes >= 0 ? Math.min(nbytes, total) : Math.max(0, total + nbytes);
  if (limit === total) return pyStrip(text);
  let used = 0;
  let units = 0; // UTF-16 length of the kept prefix
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i] as number;
    const len = utf8Length(cp);
    if (used + len > limit) break;
    used += len;
    units += cp >= 0x10000 ? 2 : 1;
  }
  return pyStrip(text.slice(0, units));
}

/**
 * Normalize and simplify text for similarity hashing (iscc-core `text_collapse`): NFD, lower
 * case, remove whitespace and characters of the filtered categories (control, marks,
 * punctuation), recombine with NFKC.
 */
export function textCollapse(text: string): string {
  checkText(text);
  return fromCodePoints(_collapse(text, COLLAPSE_DROP));
}
