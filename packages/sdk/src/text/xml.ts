/**
 * A small XML parser for document parts (OOXML, ODF, OPF, XHTML), and XML-to-text.
 *
 * `parseXml` builds an element tree in one iterative pass (no recursion, so deep nesting
 * cannot overflow the stack) and is strict where safety or meaning depends on it:
 * - tags must nest and close (`<a><b></a>` is malformed), one root element;
 * - `<!DOCTYPE ...>` with an internal subset declaring entities is refused (entity expansion
 *   attacks); only the five predefined and numeric character references are decoded, an
 *   unknown `&name;` is malformed;
 * - nesting deeper than {@link TEXT_XML_MAX_DEPTH} is refused.
 * Every failure is ISCC_SDK_DECODE ("malformed XML ...") with the position.
 * Comments, processing instructions and CDATA are handled; names keep their prefixes
 * (`w:t`), and {@link localName} strips them.
 */
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { TEXT_XML_MAX_DEPTH } from './limits.ts';

/** An element: qualified name, attributes, children (elements and text strings). */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: (XmlElement | string)[];
}

const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The name without its namespace prefix (`w:t` -> `t`). */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function malformed(label: string, pos: number, what: string): never {
  throw new SdkError(SDK_ERROR_CODES.DECODE, `${label}: malformed XML at offset ${pos}: ${what}`);
}

/**
 * Decode character references in XML text or attribute values.
 * @param strict - unknown named references are an error (XML) or left as they are (HTML-ish)
 */
export function decodeXmlEntities(s: string, label = 'xml', strict = true, pos = 0): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_][\w.-]*);?/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(cp) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
        if (strict) malformed(label, pos, `bad character reference ${m}`);
        return '\ufffd';
      }
      return String.fromCodePoint(cp);
    }
    const v = PREDEFINED[ref];
    if (v !== undefined && m.endsWith(';')) return v;
    if (strict) malformed(label, pos, `undefined entity ${m}`);
    return m;
  });
}

const ATTR_RE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

function parseAttrs(src: string, label: string, pos: number): Record<string, string> {
  const attrs: Record<string, string> = {};
  ATTR_RE.lastIndex = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = ATTR_RE.exec(src)) !== null) {
    if (src.slice(consumed, m.index).trim() !== '') malformed(label, pos, `bad attribute syntax near "${src.slice(consumed, m.index).trim().slice(0, 40)}"`);
    attrs[m[1]!] = decodeXmlEntities(m[2] ?? m[3] ?? '', label, true, pos);
    consumed = m.index + m[0].length;
  }
  if (src.slice(consumed).trim() !== '') malformed(label, pos, `bad attribute syntax near "${src.slice(consumed).trim().slice(0, 40)}"`);
  return attrs;
}

/**
 * Parse an XML document into its root element.
 * @param src - the document text
 * @param label - file or part name for error messages
 * @throws SdkError ISCC_SDK_DECODE for malformed or unsafe XML (module comment)
 */
export function parseXml(src: string, label = 'xml'): XmlElement {
  const doc: XmlElement = { name: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [doc];
  let root: XmlElement | null = null;
  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = src.slice(i, textEnd);
      if (stack.length === 1) {
        if (raw.trim() !== '') malformed(label, i, 'text outside the root element');
      } else {
        stack[stack.length - 1]!.children.push(decodeXmlEntities(raw, label, true, i));
      }
    }
    if (lt < 0) break;
    i = lt;
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end < 0) malformed(label, i, 'unterminated comment');
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end < 0) malformed(label, i, 'unterminated CDATA section');
      if (stack.length === 1) malformed(label, i, 'CDATA outside the root element');
      stack[stack.length - 1]!.children.push(src.slice(i + 9, end));
      i = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end < 0) malformed(label, i, 'unterminated processing instruction');
      i = end + 2;
    } else if (src.startsWith('<!DOCTYPE', i) || src.startsWith('<!doctype', i)) {
      const bracket = src.indexOf('[', i);
      const gt = src.indexOf('>', i);
      if (gt < 0) malformed(label, i, 'unterminated DOCTYPE');
      if (bracket >= 0 && bracket < gt) {
        const end = src.indexOf(']>', bracket);
        const subset = src.slice(bracket, end < 0 ? n : end);
        if (/<!ENTITY/i.test(subset)) malformed(label, i, 'entity declarations are not accepted (entity expansion attack guard)');
        if (end < 0) malformed(label, i, 'unterminated DOCTYPE');
        i = end + 2;
      } else {
        i = gt + 1;
      }
    } else if (src[i + 1] === '/') {
      const gt = src.indexOf('>', i);
      if (gt < 0) malformed(label, i, 'unterminated end tag');
      const name = src.slice(i + 2, gt).trim();
      const top = stack[stack.length - 1]!;
      if (stack.length === 1 || top.name !== name) malformed(label, i, `end tag </${name}> does not match <${top.name}>`);
      stack.pop();
      i = gt + 1;
    } else {
      // Start tag: find the closing '>' outside quoted attribute values.
      let j = i + 1;
      let quote = '';
      for (; j < n; j++) {
        const c = src[j]!;
        if (quote) {
          if (c === quote) quote = '';
        } else if (c === '"' || c === "'") quote = c;
        else if (c === '>') break;
        else if (c === '<') malformed(label, j, "'<' inside a tag");
      }
      if (j >= n) malformed(label, i, 'unterminated start tag');
      let body = src.slice(i + 1, j);
      const selfClosing = body.endsWith('/');
      if (selfClosing) body = body.slice(0, -1);
      const m = /^([^\s/>]+)/.exec(body);
      if (!m) malformed(label, i, 'missing element name');
      if (stack.length === 1 && root !== null) malformed(label, i, 'more than one root element');
      const el: XmlElement = { name: m[1]!, attrs: parseAttrs(body.slice(m[1]!.length), label, i), children: [] };
      stack[stack.length - 1]!.children.push(el);
      if (stack.length === 1) root = el;
      if (!selfClosing) {
        if (stack.length > TEXT_XML_MAX_DEPTH) malformed(label, i, `nesting deeper than TEXT_XML_MAX_DEPTH (${TEXT_XML_MAX_DEPTH})`);
        stack.push(el);
      }
      i = j + 1;
    }
  }
  if (stack.length > 1) malformed(label, n, `<${stack[stack.length - 1]!.name}> is not closed`);
  if (root === null) malformed(label, 0, 'no root element');
  return root;
}

/** Every element below `el` (depth first, document order) whose local name is `name`. */
export function findAll(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const stack: (XmlElement | string)[] = [...el.children].reverse();
  while (stack.length) {
    const c = stack.pop()!;
    if (typeof c === 'string') continue;
    if (localName(c.name) === name) out.push(c);
    for (let k = c.children.length - 1; k >= 0; k--) stack.push(c.children[k]!);
  }
  return out;
}

/** The first element below `el` with local name `name`. */
export function findFirst(el: XmlElement, name: string): XmlElement | undefined {
  return findAll(el, name)[0];
}

/** Concatenated text content of an element (document order). */
export function textContent(el: XmlElement): string {
  const parts: string[] = [];
  const stack: (XmlElement | string)[] = [el];
  while (stack.length) {
    const c = stack.pop()!;
    if (typeof c === 'string') parts.push(c);
    else for (let k = c.children.length - 1; k >= 0; k--) stack.push(c.children[k]!);
  }
  return parts.join('');
}

/** The attribute of `el` whose local name is `name` (any prefix). */
export function attr(el: XmlElement, name: string): string | undefined {
  if (el.attrs[name] !== undefined) return el.attrs[name];
  for (const [k, v] of Object.entries(el.attrs)) if (localName(k) === name) return v;
  return undefined;
}

/**
 * Plain text of a generic XML document, as Tika's XML parser gives it: the character data of
 * all elements in document order (the source's own line breaks kept), each line trimmed and
 * blank lines dropped.
 */
export function xmlToText(src: string, label = 'xml'): string {
  return textContent(parseXml(src, label))
    .split(/\r\n|\r|\n/)
    .map((l) => l.replace(/[ \t\f\v]+/g, ' ').trim())
    .filter((l) => l !== '')
    .join('\n');
}

function escapeXml(s: string, inAttr: boolean): string {
  const t = s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return inAttr ? t.replace(/"/g, '&quot;') : t;
}

/**
 * Serialize an element tree back to XML with an XML declaration (comments and processing
 * instructions of the source are not kept; metadata parts do not need them).
 */
export function serializeXml(root: XmlElement): string {
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'];
  const stack: (XmlElement | string | { close: string })[] = [root];
  while (stack.length) {
    const c = stack.pop()!;
    if (typeof c === 'string') {
      out.push(escapeXml(c, false));
      continue;
    }
    if ('close' in c) {
      out.push(`</${c.close}>`);
      continue;
    }
    const attrs = Object.entries(c.attrs).map(([k, v]) => ` ${k}="${escapeXml(v, true)}"`).join('');
    if (c.children.length === 0) {
      out.push(`<${c.name}${attrs}/>`);
      continue;
    }
    out.push(`<${c.name}${attrs}>`);
    stack.push({ close: c.name });
    for (let k = c.children.length - 1; k >= 0; k--) stack.push(c.children[k]!);
  }
  return out.join('');
}
