/**
 * RTF to plain text (pandoc 2.17's RTF reader leaves stray characters from list-numbering
 * groups in the text, so RTF is read here).
 *
 * One pass over the bytes with a group stack (each group inherits the `\ucN` fallback count
 * and whether its content is skipped):
 * - destinations that are not document text are skipped with their whole group: anything
 *   after `\*`, and font/colour/style tables, document info, pictures, list tables,
 *   numbering text, field instructions (field results are kept), headers/footers, theme and
 *   data stores, revision tables;
 * - `\par`, `\line`, `\row`, `\sect`, `\page` end a line, `\tab` and `\cell` give a tab;
 * - `\'hh` bytes are decoded with the document code page (`\ansicpgN`, windows-1252 by
 *   default); `\uN` gives the UTF-16 unit N (negative values + 65536) and skips the next
 *   `\ucN` fallback characters;
 * - `\binN` skips N raw bytes; named symbols (`\emdash`, `\lquote`, `\~`, ...) become their
 *   characters.
 * Malformed input (unbalanced braces) never throws: the text read so far is returned.
 */

import { decodeWithLabel } from './html.ts';

const SKIP_DESTINATIONS = new Set([
  'fonttbl', 'colortbl', 'stylesheet', 'info', 'pict', 'listtable', 'listoverridetable', 'rsidtbl', 'generator',
  'xmlnstbl', 'themedata', 'colorschememapping', 'datastore', 'latentstyles', 'header', 'footer', 'headerl',
  'headerr', 'headerf', 'footerl', 'footerr', 'footerf', 'pntext', 'pntxtb', 'pntxta', 'listtext', 'fldinst',
  'bkmkstart', 'bkmkend', 'xe', 'tc', 'private', 'mmathPr', 'wgrffmtfilter', 'pgdsctbl', 'revtbl',
  'protusertbl', 'fchars', 'lchars', 'passwordhash', 'userprops', 'docvar', 'blipuid', 'objdata', 'objclass',
  'nonshppict', 'shpinst', 'sp', 'sn', 'sv', 'filetbl', 'operator', 'author', 'title', 'subject', 'comment',
  'keywords', 'doccomm', 'company', 'category', 'template', 'ftnsep', 'ftnsepc', 'aftnsep', 'aftnsepc',
  'pnseclvl', 'fontemb', 'fontfile', 'falt', 'panose', 'listpicture', 'listlevel', 'defchp', 'defpap',
  'mmath', 'ud',
]);

const SYMBOLS: Record<string, string> = {
  par: '\n', line: '\n', row: '\n', sect: '\n', page: '\n', tab: '\t', cell: '\t', nestcell: '\t',
  emdash: '\u2014', endash: '\u2013', bullet: '\u2022', lquote: '\u2018', rquote: '\u2019',
  ldblquote: '\u201c', rdblquote: '\u201d', emspace: '\u2003', enspace: '\u2002', qmspace: '\u2005',
  zwj: '\u200d', zwnj: '\u200c', ltrmark: '\u200e', rtlmark: '\u200f',
};

interface GroupState { uc: number; skip: boolean }

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

/**
 * Plain text of an RTF document (module comment).
 * @param data - the file's bytes
 */
export function rtfToText(data: Uint8Array): string {
  const out: string[] = [];
  let bytes: number[] = [];
  let encoding = 'windows-1252';
  const flush = (): void => {
    if (bytes.length) {
      out.push(decodeWithLabel(new Uint8Array(bytes), encoding));
      bytes = [];
    }
  };
  const emit = (s: string): void => {
    flush();
    out.push(s);
  };
  let state: GroupState = { uc: 1, skip: false };
  const stack: GroupState[] = [];
  let pendingSkip = 0; // fallback characters still to skip after \uN
  let groupStart = false; // just after '{': the next control word may name a destination
  let i = 0;
  const n = data.length;
  while (i < n) {
    const c = data[i]!;
    if (c === 0x7b) { // {
      stack.push(state);
      state = { ...state };
      groupStart = true;
      pendingSkip = 0;
      i++;
      continue;
    }
    if (c === 0x7d) { // }
      state = stack.pop() ?? state;
      groupStart = false;
      pendingSkip = 0;
      i++;
      continue;
    }
    if (c === 0x5c) { // backslash
      const d = data[i + 1];
      if (d === undefined) break;
      if (isLetter(d)) {
        let j = i + 1;
        while (j < n && isLetter(data[j]!)) j++;
        const word = String.fromCharCode(...data.subarray(i + 1, j));
        let param: number | null = null;
        let k = j;
        if (data[k] === 0x2d || (data[k]! >= 0x30 && data[k]! <= 0x39)) {
          let e = k + 1;
          while (e < n && data[e]! >= 0x30 && data[e]! <= 0x39) e++;
          param = Number(String.fromCharCode(...data.subarray(k, e)));
          k = e;
        }
        if (data[k] === 0x20) k++;
        i = k;
        const first = groupStart;
        groupStart = false;
        if (word === 'bin' && param !== null && param > 0) {
          i += param;
          continue;
        }
        if (first && (SKIP_DESTINATIONS.has(word) || word.startsWith('pnseclvl'))) {
          state.skip = true;
          continue;
        }
        if (state.skip) continue;
        if (word === 'ansicpg' && param !== null) {
          try {
            encoding = new TextDecoder(`windows-${param}`).encoding;
          } catch {
            // Unknown code page: keep windows-1252.
          }
          continue;
        }
        if (word === 'uc' && param !== null) {
          state.uc = Math.max(0, param);
          continue;
        }
        if (word === 'u' && param !== null) {
          emit(String.fromCharCode(param < 0 ? param + 65536 : param));
          pendingSkip = state.uc;
          continue;
        }
        if (pendingSkip > 0) {
          // A control word inside the fallback counts as one skipped character.
          pendingSkip--;
          continue;
        }
        const sym = SYMBOLS[word];
        if (sym !== undefined) emit(sym);
        continue;
      }
      // Control symbols.
      i += 2;
      if (d === 0x2a) { // \*: an ignorable destination
        state.skip = true;
        groupStart = false;
        continue;
      }
      groupStart = false;
      if (d === 0x27) { // \'hh
        const hex = String.fromCharCode(data[i] ?? 0, data[i + 1] ?? 0);
        i += 2;
        if (state.skip) continue;
        if (pendingSkip > 0) {
          pendingSkip--;
          continue;
        }
        const b = parseInt(hex, 16);
        if (Number.isFinite(b)) bytes.push(b);
        continue;
      }
      if (state.skip) continue;
      if (pendingSkip > 0) {
        pendingSkip--;
        continue;
      }
      if (d === 0x5c || d === 0x7b || d === 0x7d) bytes.push(d);
      else if (d === 0x7e) emit('\u00a0');
      else if (d === 0x5f) emit('\u2011');
      else if (d === 0x0a || d === 0x0d) emit('\n');
      else if (d === 0x09) emit('\t');
      // \- (optional hyphen), \: and others produce nothing.
      continue;
    }
    i++;
    groupStart = false;
    if (c === 0x0a || c === 0x0d || state.skip) continue;
    if (pendingSkip > 0) {
      pendingSkip--;
      continue;
    }
    bytes.push(c);
  }
  flush();
  return out.join('').split('\n').map((l) => l.replace(/[ \t]+$/, '')).join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

const INFO_FIELDS: Record<string, string> = { title: 'name', author: 'creator', keywords: 'keywords', doccomm: 'description', subject: 'subject' };

/**
 * Document properties of an RTF file from its `{\info ...}` group: title, author, keywords
 * and comments (`subject` is not an IsccMeta field and is left out).
 */
export function rtfMeta(data: Uint8Array): Record<string, string> {
  const head = new TextDecoder('latin1').decode(data.subarray(0, 1 << 20));
  const info = /\{\\info\b/.exec(head);
  if (!info) return {};
  const cp = /\\ansicpg(\d+)/.exec(head)?.[1] ?? '1252';
  const out: Record<string, string> = {};
  const re = /\{\\(title|author|keywords|doccomm|subject)\b ?((?:[^{}\\]|\\[^{}])*)\}/g;
  re.lastIndex = info.index;
  let m: RegExpExecArray | null;
  while ((m = re.exec(head)) !== null) {
    const field = INFO_FIELDS[m[1]!]!;
    if (field === 'subject' || out[field] !== undefined) continue;
    const v = rtfToText(Buffer.from(`{\\rtf1\\ansi\\ansicpg${cp} ${m[2]}}`, 'latin1')).replace(/\s+/g, ' ').trim();
    if (v) out[field] = v;
  }
  return out;
}
