/**
 * iscc-sdk `text_sanitize` (for metadata read from untrusted files) and `text_name_from_uri`.
 *
 * Sanitize: drop `<script>`/`<style>` elements with their content, HTML comments and every
 * tag, decode HTML entities, collapse whitespace runs to one space and trim.
 */
import { basename } from 'node:path';

const SCRIPT_RE = /<script\b[^>]*>[\s\S]*?<\/script\s*>/gi;
const STYLE_RE = /<style\b[^>]*>[\s\S]*?<\/style\s*>/gi;
const COMMENT_RE = /<!--[\s\S]*?(?:-->|$)/g;
const TAG_RE = /<\/?[a-zA-Z][^<>]*>|<![^<>]*>|<\?[^<>]*>/g;

const NAMED: Record<string, string> = {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', copy: '\u00a9', reg: '\u00ae',
  trade: '\u2122', hellip: '\u2026', mdash: '\u2014', ndash: '\u2013', lsquo: '\u2018', rsquo: '\u2019',
  ldquo: '\u201c', rdquo: '\u201d', laquo: '\u00ab', raquo: '\u00bb', euro: '\u20ac', deg: '\u00b0',
  auml: '\u00e4', ouml: '\u00f6', uuml: '\u00fc', Auml: '\u00c4', Ouml: '\u00d6', Uuml: '\u00dc', szlig: '\u00df',
  eacute: '\u00e9', egrave: '\u00e8', aacute: '\u00e1', agrave: '\u00e0', ccedil: '\u00e7', ntilde: '\u00f1',
};

/** Decode HTML character references (numeric and the common named ones). */
export function htmlUnescape(s: string): string {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z][a-zA-Z0-9]*);?/g, (m, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!Number.isFinite(cp) || cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
      return String.fromCodePoint(cp);
    }
    return Object.hasOwn(NAMED, ref) ? NAMED[ref]! : m;
  });
}

/** iscc-sdk `text_sanitize`. */
export function textSanitize(text: string): string {
  let t = text.replace(SCRIPT_RE, '').replace(STYLE_RE, '').replace(COMMENT_RE, '').replace(TAG_RE, '');
  t = htmlUnescape(t);
  return t.replace(/\s+/gu, ' ').trim();
}

/**
 * iscc-sdk `text_name_from_uri`: the file name without extension, `-` and `_` as spaces.
 * URLs: the last path segment (or the host when there is no path).
 */
export function textNameFromUri(uri: string): string {
  let base: string;
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(uri)) {
    const u = new URL(uri);
    base = u.pathname && u.pathname !== '/' ? basename(decodeURIComponent(u.pathname)) : u.host;
  } else {
    base = basename(uri);
  }
  // Python os.path.splitext: a leading dot does not start an extension.
  const dot = base.lastIndexOf('.');
  let name = base;
  if (dot > 0 && /[^.]/.test(base.slice(0, dot))) name = base.slice(0, dot);
  return name.replaceAll('-', ' ').replaceAll('_', ' ');
}
