/**
 * HTML/XHTML to plain text, HTML metadata, and character set detection for markup and text
 * files.
 *
 * `htmlToText` is a forgiving single pass over the markup (real-world HTML is rarely
 * well-formed, so nothing here throws):
 * 1. `<script>`, `<style>`, `<template>`, `<noscript>` and the whole `<head>` are skipped
 *    with their content (Tika's body handler also leaves the head out).
 * 2. Block elements (p, div, headings, list items, table rows, ...) and `<br>` end a line;
 *    table cells are separated by tabs; other tags vanish.
 * 3. Outside `<pre>`, whitespace runs become one space (as a browser renders them); lines are
 *    trimmed and blank lines dropped, so paragraphs come out as lines.
 * 4. Character references are decoded (the HTML named ones that matter for text).
 *
 * `decodeTextBytes` picks the encoding: a BOM, else a `<meta charset>` / XML declaration for
 * markup, else UTF-8 when the bytes are valid UTF-8, else windows-1252 (what browsers and
 * Tika's detector fall back to for Western text).
 */
import { htmlUnescape } from '../sanitize.ts';

const SKIP = new Set(['script', 'style', 'template', 'noscript', 'head', 'svg', 'math']);
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'center', 'dd', 'details', 'dialog', 'dir', 'div',
  'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5',
  'h6', 'header', 'hgroup', 'hr', 'html', 'legend', 'li', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section',
  'summary', 'table', 'tbody', 'tfoot', 'thead', 'tr', 'ul', 'option', 'title',
]);
const CELL = new Set(['td', 'th']);

/** Extra named references beyond sanitize.ts's common set. */
const MORE_NAMED: Record<string, string> = {
  shy: '\u00ad', bull: '\u2022', middot: '\u00b7', sect: '\u00a7', para: '\u00b6', times: '\u00d7',
  divide: '\u00f7', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009', zwnj: '\u200c', zwj: '\u200d',
  sbquo: '\u201a', bdquo: '\u201e', prime: '\u2032', Prime: '\u2033', dagger: '\u2020', oelig: '\u0153',
  aelig: '\u00e6', oslash: '\u00f8', aring: '\u00e5', iacute: '\u00ed', oacute: '\u00f3', uacute: '\u00fa',
  ecirc: '\u00ea', acirc: '\u00e2', ocirc: '\u00f4', icirc: '\u00ee', ucirc: '\u00fb', euml: '\u00eb',
  iuml: '\u00ef', yuml: '\u00ff', atilde: '\u00e3', otilde: '\u00f5', pound: '\u00a3', yen: '\u00a5',
  cent: '\u00a2', frac12: '\u00bd', frac14: '\u00bc', frac34: '\u00be', sup2: '\u00b2', sup3: '\u00b3',
  iexcl: '\u00a1', iquest: '\u00bf', ordf: '\u00aa', ordm: '\u00ba', micro: '\u00b5', plusmn: '\u00b1',
};

/** Decode HTML character references. */
export function decodeHtmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  const t = s.replace(/&([a-zA-Z][a-zA-Z0-9]*);/g, (m, ref: string) => MORE_NAMED[ref] ?? m);
  return htmlUnescape(t);
}

function tagName(body: string): string {
  const m = /^\/?\s*([a-zA-Z][^\s/>]*)/.exec(body);
  return m ? localLower(m[1]!) : '';
}

function localLower(name: string): string {
  const i = name.indexOf(':');
  return (i < 0 ? name : name.slice(i + 1)).toLowerCase();
}

/** Find the '>' that closes the tag starting at `i` (quoted attribute values skipped). */
function tagEnd(src: string, i: number): number {
  let quote = '';
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      // Quotes only matter inside attribute values (after '='); a stray quote elsewhere is text.
      if (/=\s*$/.test(src.slice(Math.max(i, j - 8), j))) quote = c;
    } else if (c === '>') return j;
  }
  return -1;
}

/**
 * Plain text of an HTML or XHTML document (module comment).
 * @param src - the markup, already decoded to a string
 */
export function htmlToText(src: string): string {
  const out: string[] = [];
  let pre = 0;
  let i = 0;
  const n = src.length;
  const pushText = (raw: string): void => {
    const t = decodeHtmlEntities(raw);
    out.push(pre > 0 ? t.replace(/\r\n?/g, '\n') : t.replace(/\s+/g, ' '));
  };
  while (i < n) {
    const lt = src.indexOf('<', i);
    if (lt < 0) {
      pushText(src.slice(i));
      break;
    }
    if (lt > i) pushText(src.slice(i, lt));
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      pushText(src.slice(i + 9, end < 0 ? n : end).replace(/&/g, '&amp;'));
      i = end < 0 ? n : end + 3;
      continue;
    }
    const c1 = src[i + 1];
    if (c1 === '!' || c1 === '?') {
      const end = src.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (c1 === undefined || !/[a-zA-Z/]/.test(c1)) {
      // A lone '<' is text.
      pushText('<');
      i++;
      continue;
    }
    const gt = tagEnd(src, i);
    if (gt < 0) break;
    const body = src.slice(i + 1, gt);
    const closing = body.startsWith('/');
    const name = tagName(body);
    i = gt + 1;
    if (!closing && SKIP.has(name) && !body.endsWith('/')) {
      // Skip to the matching end tag (raw text for script/style; nested same-name tags counted).
      const re = new RegExp(`<(/?)(?:[a-zA-Z][\\w.-]*:)?${name}\\b[^>]*>`, 'gi');
      re.lastIndex = i;
      let depth = 1;
      let m: RegExpExecArray | null;
      while (depth > 0 && (m = re.exec(src)) !== null) {
        if (m[1]) depth--;
        else if (name !== 'script' && name !== 'style' && !m[0].endsWith('/>')) depth++;
      }
      i = depth > 0 ? n : re.lastIndex;
      continue;
    }
    if (name === 'pre') pre = Math.max(0, pre + (closing ? -1 : 1));
    if (name === 'br') out.push('\n');
    else if (BLOCK.has(name)) out.push('\n');
    else if (CELL.has(name) && closing) out.push('\t');
    // Images vanish with their alternative text, as in Tika's output.
  }
  return out
    .join('')
    .split('\n')
    .map((l) => l.replace(/[ \t\f\v\u00a0]+$/g, '').replace(/^[ \f\v\u00a0]+/g, '').replace(/^\t+$/, ''))
    .filter((l) => l.trim() !== '')
    .join('\n');
}

/** Metadata of an HTML head: title, author, description, keywords, language. */
export interface HtmlMeta { name?: string; creator?: string; description?: string; keywords?: string; language?: string }

/** The `<head>` metadata of an HTML/XHTML document (Dublin Core `DC.*` names included). */
export function htmlMeta(src: string): HtmlMeta {
  const meta: HtmlMeta = {};
  const headEnd = src.search(/<body\b/i);
  const head = headEnd < 0 ? src.slice(0, 65536) : src.slice(0, headEnd);
  const title = /<title\b[^>]*>([\s\S]*?)<\/title\s*>/i.exec(head);
  if (title) meta.name = decodeHtmlEntities(title[1]!).replace(/\s+/g, ' ').trim();
  const tagRe = /<meta\b([^>]*)>/gi;
  let m: RegExpExecArray | null;
  while ((m = tagRe.exec(head)) !== null) {
    const attrs: Record<string, string> = {};
    for (const a of m[1]!.matchAll(/([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/g)) {
      attrs[a[1]!.toLowerCase()] = decodeHtmlEntities(a[2] ?? a[3] ?? a[4] ?? '');
    }
    const key = (attrs['name'] ?? attrs['property'] ?? '').toLowerCase();
    const value = (attrs['content'] ?? '').trim();
    if (!value) continue;
    if ((key === 'dc.title' || key === 'dcterms.title' || key === 'og:title') && !meta.name) meta.name = value;
    else if ((key === 'author' || key === 'dc.creator' || key === 'dcterms.creator') && !meta.creator) meta.creator = value;
    else if ((key === 'description' || key === 'dc.description' || key === 'dcterms.description') && !meta.description) meta.description = value;
    else if ((key === 'keywords' || key === 'dc.subject') && !meta.keywords) meta.keywords = value;
    else if ((key === 'dc.language' || key === 'content-language') && !meta.language) meta.language = value;
    if ((attrs['http-equiv'] ?? '').toLowerCase() === 'content-language' && !meta.language) meta.language = value;
  }
  const lang = /<html\b[^>]*?\s(?:xml:)?lang\s*=\s*["']([^"']+)["']/i.exec(src.slice(0, 65536));
  if (lang && !meta.language) meta.language = lang[1]!.trim();
  return meta;
}

/** windows-1252 code points of bytes 0x80..0x9F (the rest equals Latin-1). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * Decode windows-1252 (WHATWG mapping). Node's TextDecoder treats the label as Latin-1 and
 * gives C1 controls for 0x80..0x9F (e.g. no euro sign), so the table is applied here.
 */
export function decodeWindows1252(data: Uint8Array): string {
  const latin = new TextDecoder('latin1').decode(data);
  return /[\x80-\x9f]/.test(latin) ? latin.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!)) : latin;
}

/** Decode with a WHATWG label, windows-1252 (and its Latin-1/ASCII aliases) by the table. */
export function decodeWithLabel(data: Uint8Array, encoding: string): string {
  return encoding === 'windows-1252' ? decodeWindows1252(data) : new TextDecoder(encoding).decode(data);
}

/** Labels TextDecoder accepts that HTML documents commonly declare. */
function validLabel(label: string): string | null {
  try {
    return new TextDecoder(label.trim().toLowerCase()).encoding;
  } catch {
    return null;
  }
}

/**
 * Decode the bytes of a text, markup or XML file (module comment).
 * @param data - the file's bytes
 * @param markup - also look for a declared charset (`<meta charset>`, XML declaration)
 */
export function decodeTextBytes(data: Uint8Array, markup = false): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return new TextDecoder('utf-8').decode(data.subarray(3));
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  if (markup) {
    const head = new TextDecoder('latin1').decode(data.subarray(0, 4096));
    const m = /<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']/i.exec(head)
      ?? /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head);
    const enc = m ? validLabel(m[1]!) : null;
    if (enc) return decodeWithLabel(data, enc);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return decodeWindows1252(data);
  }
}
