/**
 * Text of office formats read in TypeScript: Word (docx), OpenDocument text (odt),
 * PowerPoint (pptx, ppt) and Excel 2007+ (xlsx).
 *
 * - docx: the body's `w:p` paragraphs, one line each (runs `w:t`, `w:tab`, `w:br`); as in
 *   Tika, a paragraph element without any content (`<w:p/>`) gives no line, while one with
 *   only properties gives an empty line - this reproduces iscc-sdk's granular chunk offsets.
 *   Deleted text and field instructions are left out; text boxes follow their paragraph.
 * - odt: `text:p`/`text:h` of the body, one line each (`text:s` spaces, tabs, line breaks).
 * - pptx: slides in presentation order (`p:sldIdLst` -> relationships -> slide parts); each
 *   `a:p` paragraph is a line (runs `a:t` joined, `a:br` a line break, `a:tab` a tab); then
 *   the slide's notes, if any.
 * - xlsx: sheets in workbook order, the sheet name as a line, then one line per row with the
 *   cell texts (shared strings, inline strings, formula results, numbers as stored) joined by
 *   tabs - the shape of Tika's spreadsheet output.
 * - ppt (binary PowerPoint 97-2003): the "PowerPoint Document" stream of the compound file is
 *   walked record by record; text atoms (TextCharsAtom UTF-16, TextBytesAtom 8-bit) are the
 *   text, `\r` ends a paragraph and `\v` a line. Master slides and handouts (template
 *   placeholder text such as "Click to edit Master title style") are skipped.
 */
import { posix } from 'node:path';
import { CfbFile } from './cfb.ts';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { attr, findAll, findFirst, localName, parseXml, textContent, type XmlElement } from './xml.ts';
import type { ZipArchive } from './zip.ts';

/** Relationship id -> target part path (resolved against the source part's folder). */
export function readRels(zip: ZipArchive, part: string): Map<string, string> {
  const dir = posix.dirname(part);
  const relsPath = posix.join(dir, '_rels', `${posix.basename(part)}.rels`);
  const out = new Map<string, string>();
  if (!zip.has(relsPath)) return out;
  for (const rel of findAll(parseXml(zip.readText(relsPath), relsPath), 'Relationship')) {
    const id = attr(rel, 'Id');
    const target = attr(rel, 'Target');
    if (!id || !target || attr(rel, 'TargetMode') === 'External') continue;
    out.set(id, target.startsWith('/') ? target.slice(1) : posix.normalize(posix.join(dir, target)));
  }
  return out;
}

/** The relationship id attribute (`r:id`, whatever the prefix) of an element. */
function relId(el: XmlElement): string | undefined {
  for (const [k, v] of Object.entries(el.attrs)) if (k.endsWith(':id')) return v;
  return undefined;
}

/** Lines of DrawingML paragraphs (`a:p`) below `root`. */
function drawingParagraphs(root: XmlElement): string[] {
  const lines: string[] = [];
  for (const p of findAll(root, 'p')) {
    if (p.name !== 'a:p') continue;
    let line = '';
    const stack: (XmlElement | string)[] = [...p.children].reverse();
    while (stack.length) {
      const c = stack.pop()!;
      if (typeof c === 'string') continue;
      const ln = localName(c.name);
      if (ln === 't') line += textContent(c);
      else if (ln === 'br') line += '\n';
      else if (ln === 'tab') line += '\t';
      else for (let k = c.children.length - 1; k >= 0; k--) stack.push(c.children[k]!);
    }
    if (line.trim() !== '') lines.push(line);
  }
  return lines;
}

/** Plain text of a pptx presentation (module comment). */
export function pptxText(zip: ZipArchive): string {
  const pres = 'ppt/presentation.xml';
  if (!zip.has(pres)) throw new SdkError(SDK_ERROR_CODES.DECODE, 'not a PowerPoint presentation: ppt/presentation.xml is missing');
  const rels = readRels(zip, pres);
  const root = parseXml(zip.readText(pres), pres);
  const out: string[] = [];
  for (const sld of findAll(root, 'sldId')) {
    const rid = relId(sld);
    const part = rid ? rels.get(rid) : undefined;
    if (!part || !zip.has(part)) continue;
    out.push(...drawingParagraphs(parseXml(zip.readText(part), part)));
    for (const target of readRels(zip, part).values()) {
      if (/notesSlide\d*\.xml$/.test(target) && zip.has(target)) {
        // Notes repeat the slide image placeholder; keep their body text only.
        out.push(...drawingParagraphs(parseXml(zip.readText(target), target)).filter((l) => !/^\d+$/.test(l.trim())));
      }
    }
  }
  return out.join('\n');
}

/** Plain text of an xlsx workbook (module comment). */
export function xlsxText(zip: ZipArchive): string {
  const wb = 'xl/workbook.xml';
  if (!zip.has(wb)) throw new SdkError(SDK_ERROR_CODES.DECODE, 'not an Excel workbook: xl/workbook.xml is missing');
  const shared: string[] = [];
  if (zip.has('xl/sharedStrings.xml')) {
    for (const si of findAll(parseXml(zip.readText('xl/sharedStrings.xml'), 'sharedStrings.xml'), 'si')) {
      // Phonetic runs (rPh) are reading aids, not cell text.
      shared.push(findAll(si, 't').filter((t) => !isInside(si, t, 'rPh')).map(textContent).join(''));
    }
  }
  const rels = readRels(zip, wb);
  const out: string[] = [];
  for (const sheet of findAll(parseXml(zip.readText(wb), wb), 'sheet')) {
    const part = rels.get(relId(sheet) ?? '');
    if (!part || !zip.has(part)) continue;
    out.push(attr(sheet, 'name') ?? '');
    for (const row of findAll(parseXml(zip.readText(part), part), 'row')) {
      const cells: string[] = [];
      for (const c of row.children) {
        if (typeof c === 'string' || localName(c.name) !== 'c') continue;
        const t = attr(c, 't');
        const v = findFirst(c, 'v');
        let s = '';
        if (t === 's' && v) s = shared[Number(textContent(v))] ?? '';
        else if (t === 'inlineStr') s = findAll(c, 't').map(textContent).join('');
        else if (v) s = textContent(v);
        if (s !== '') cells.push(s);
      }
      if (cells.length) out.push(cells.join('\t'));
    }
  }
  return out.join('\n');
}

function isInside(root: XmlElement, target: XmlElement, name: string): boolean {
  const walk = (el: XmlElement, inside: boolean): boolean | null => {
    if (el === target) return inside;
    for (const c of el.children) {
      if (typeof c === 'string') continue;
      const r = walk(c, inside || localName(c.name) === name);
      if (r !== null) return r;
    }
    return null;
  };
  return walk(root, false) ?? false;
}

const RT_MAIN_MASTER = 0x03f8;
const RT_HANDOUT = 0x0fc9;
const RT_TEXT_CHARS = 0x0fa0;
const RT_TEXT_BYTES = 0x0fa8;

/** Plain text of a binary PowerPoint 97-2003 file (module comment). */
export function pptText(data: Uint8Array, label: string): string {
  const cfb = new CfbFile(data, label);
  const doc = cfb.stream('PowerPoint Document');
  if (!doc) throw new SdkError(SDK_ERROR_CODES.DECODE, `${label}: no "PowerPoint Document" stream`, { path: label });
  const paras: string[] = [];
  let skipUntil = -1;
  let p = 0;
  while (p + 8 <= doc.length) {
    if (skipUntil >= 0 && p >= skipUntil) skipUntil = -1;
    const verInst = doc.readUInt16LE(p);
    const type = doc.readUInt16LE(p + 2);
    const len = doc.readUInt32LE(p + 4);
    const body = p + 8;
    const end = Math.min(doc.length, body + len);
    if ((verInst & 0xf) === 0xf) {
      // A container: its children follow directly.
      if (skipUntil < 0 && (type === RT_MAIN_MASTER || type === RT_HANDOUT)) skipUntil = end;
      p = body;
      continue;
    }
    if (skipUntil < 0) {
      let s = '';
      if (type === RT_TEXT_CHARS) s = doc.toString('utf16le', body, body + ((end - body) & ~1));
      else if (type === RT_TEXT_BYTES) s = doc.toString('latin1', body, end);
      if (s) for (const line of s.split('\r')) paras.push(line.replace(/\v/g, '\n'));
    }
    p = end;
  }
  return paras.filter((l) => l.trim() !== '').join('\n');
}

/**
 * Lines of WordprocessingML or ODF paragraphs below `root`, Tika-style: each paragraph is a
 * line; a paragraph element with no content at all (`<w:p/>`) gives nothing, one with only
 * properties gives an empty line. Nested paragraphs (text boxes) are their own lines, and
 * `mc:Fallback` copies of `mc:Choice` content are skipped.
 */
function paragraphLines(root: XmlElement, isPara: (el: XmlElement) => boolean, inline: (el: XmlElement, push: (s: string) => void) => boolean): string[] {
  const lines: string[] = [];
  const walk: (XmlElement | string)[] = [root];
  while (walk.length) {
    const el = walk.pop()!;
    if (typeof el === 'string') continue;
    if (localName(el.name) === 'Fallback') continue;
    if (isPara(el)) {
      if (el.children.length === 0) continue;
      let line = '';
      const nested: XmlElement[] = [];
      const st: (XmlElement | string)[] = [...el.children].reverse();
      while (st.length) {
        const c = st.pop()!;
        if (typeof c === 'string') continue;
        if (localName(c.name) === 'Fallback') continue;
        if (isPara(c)) {
          nested.push(c);
          continue;
        }
        if (inline(c, (s) => (line += s))) continue;
        for (let k = c.children.length - 1; k >= 0; k--) st.push(c.children[k]!);
      }
      lines.push(line);
      // Text-box paragraphs follow the paragraph that anchors them.
      for (let k = nested.length - 1; k >= 0; k--) walk.push(nested[k]!);
      continue;
    }
    for (let k = el.children.length - 1; k >= 0; k--) walk.push(el.children[k]!);
  }
  return lines;
}

/** Plain text of a docx body (paragraph rule of `paragraphLines`; runs, tabs, breaks). */
export function docxText(zip: ZipArchive): string {
  const part = 'word/document.xml';
  if (!zip.has(part)) throw new SdkError(SDK_ERROR_CODES.DECODE, 'not a Word document: word/document.xml is missing');
  const body = findFirst(parseXml(zip.readText(part), part), 'body');
  if (!body) return '';
  return paragraphLines(body, (el) => el.name === 'w:p', (c, push) => {
    const ln = localName(c.name);
    if (ln === 't' && c.name === 'w:t') push(textContent(c));
    else if (ln === 'tab' && c.name === 'w:tab') push('\t');
    else if ((ln === 'br' || ln === 'cr') && c.name.startsWith('w:')) push('\n');
    else if (ln === 'noBreakHyphen') push('\u2011');
    else if (ln === 'delText' || ln === 'instrText' || ln === 'pPr' || ln === 'rPr') return true;
    else return false;
    return true;
  }).join('\n');
}

/** Plain text of an ODF text document (`text:p`/`text:h` lines; spaces, tabs, breaks). */
export function odtText(zip: ZipArchive): string {
  const part = 'content.xml';
  if (!zip.has(part)) throw new SdkError(SDK_ERROR_CODES.DECODE, 'not an OpenDocument: content.xml is missing');
  const body = findFirst(parseXml(zip.readText(part), part), 'body');
  if (!body) return '';
  const isPara = (el: XmlElement): boolean => el.name === 'text:p' || el.name === 'text:h';
  // Unlike WordprocessingML, ODF paragraphs hold their text directly (mixed content), with
  // runs of spaces encoded as <text:s c="n"/>; source whitespace is collapsed.
  const lines: string[] = [];
  const walk: (XmlElement | string)[] = [body];
  while (walk.length) {
    const el = walk.pop()!;
    if (typeof el === 'string') continue;
    if (isPara(el)) {
      if (el.children.length === 0) continue;
      let line = '';
      const st: (XmlElement | string)[] = [...el.children].reverse();
      while (st.length) {
        const c = st.pop()!;
        if (typeof c === 'string') {
          line += c.replace(/[ \t\r\n]+/g, ' ');
          continue;
        }
        const ln = c.name;
        if (ln === 'text:s') line += ' '.repeat(Math.min(1000, Number(attr(c, 'c') ?? '1') || 1));
        else if (ln === 'text:tab') line += '\t';
        else if (ln === 'text:line-break') line += '\n';
        else if (ln === 'office:annotation' || ln === 'text:note-citation' || ln === 'text:tracked-changes') continue;
        else for (let k = c.children.length - 1; k >= 0; k--) st.push(c.children[k]!);
      }
      lines.push(line);
      continue;
    }
    if (el.name === 'text:tracked-changes' || el.name === 'office:forms') continue;
    for (let k = el.children.length - 1; k >= 0; k--) walk.push(el.children[k]!);
  }
  return lines.join('\n');
}
