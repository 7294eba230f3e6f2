/**
 * EPUB: text in spine order, Dublin Core metadata, the cover, the images inside (for
 * container processing) and metadata embedding into a copy.
 *
 * - Package: `META-INF/container.xml` names the OPF; its manifest maps ids to parts, its
 *   spine gives the reading order. Text: every (X)HTML spine item through `htmlToText`,
 *   joined by newlines - the first text of the sample is its table of contents ("THE
 *   CONTENTS"), as Tika's EPUB parser gives it.
 * - Metadata (Tika's mapping in iscc-sdk): first `dc:title` -> name, `dc:description` ->
 *   description, all `dc:creator` joined with ", " -> creator, `dc:rights` -> rights, plus
 *   `dc:language` -> language.
 * - Images: entries ending in .jpg/.jpeg/.png/.gif/.webp in archive order (iscc-sdk's
 *   `epub_extract_images`), the caller filters them by size. Fixed-layout books are skipped.
 * - Embedding: the OPF's first title, description and creators (split at commas) replaced or
 *   added; every other entry is copied unchanged (the `mimetype` entry stays first and stored).
 */
import { posix } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { decodeTextBytes, htmlToText } from './html.ts';
import { attr, findAll, findFirst, localName, parseXml, serializeXml, textContent, type XmlElement } from './xml.ts';
import type { ZipArchive } from './zip.ts';

/** Path of the OPF package document. */
export function epubOpfPath(zip: ZipArchive): string {
  const c = 'META-INF/container.xml';
  if (!zip.has(c)) throw new SdkError(SDK_ERROR_CODES.DECODE, `not an EPUB: ${c} is missing`);
  const rootfile = findFirst(parseXml(zip.readText(c), c), 'rootfile');
  const p = rootfile ? attr(rootfile, 'full-path') : undefined;
  if (!p || !zip.has(p)) throw new SdkError(SDK_ERROR_CODES.DECODE, `not an EPUB: the package document ${p ?? '(none)'} is missing`);
  return p;
}

interface ManifestItem { href: string; mediaType: string; properties: string }

function manifest(opf: XmlElement, opfPath: string): Map<string, ManifestItem> {
  const dir = posix.dirname(opfPath);
  const items = new Map<string, ManifestItem>();
  for (const it of findAll(opf, 'item')) {
    const id = attr(it, 'id');
    const href = attr(it, 'href');
    if (!id || !href) continue;
    let h: string;
    try {
      h = decodeURIComponent(href.split('#')[0]!);
    } catch {
      h = href;
    }
    items.set(id, { href: posix.normalize(posix.join(dir, h)), mediaType: attr(it, 'media-type') ?? '', properties: attr(it, 'properties') ?? '' });
  }
  return items;
}

/** Plain text of an EPUB in spine order (module comment). */
export function epubText(zip: ZipArchive): string {
  const opfPath = epubOpfPath(zip);
  const opf = parseXml(zip.readText(opfPath), opfPath);
  const items = manifest(opf, opfPath);
  const parts: string[] = [];
  for (const ref of findAll(opf, 'itemref')) {
    const item = items.get(attr(ref, 'idref') ?? '');
    if (!item || !/html|xml/.test(item.mediaType) || !zip.has(item.href)) continue;
    const t = htmlToText(decodeTextBytes(zip.read(item.href), true));
    if (t) parts.push(t);
  }
  return parts.join('\n');
}

/** EPUB metadata mapped to IsccMeta fields (module comment). */
export function epubMeta(zip: ZipArchive): Record<string, string> {
  const opfPath = epubOpfPath(zip);
  const md = findFirst(parseXml(zip.readText(opfPath), opfPath), 'metadata');
  const out: Record<string, string> = {};
  if (!md) return out;
  const values = (name: string): string[] =>
    findAll(md, name).filter((e) => e.name.startsWith('dc:') || localName(e.name) === e.name)
      .map((e) => textContent(e).replace(/\s+/g, ' ').trim()).filter((v) => v !== '');
  const title = values('title')[0];
  if (title) out['name'] = title;
  const description = values('description')[0];
  if (description) out['description'] = description;
  const creators = values('creator');
  if (creators.length) out['creator'] = creators.join(', ');
  const rights = values('rights')[0];
  if (rights) out['rights'] = rights;
  const language = values('language')[0];
  if (language) out['language'] = language;
  return out;
}

/** Whether the book declares a fixed layout (iscc-sdk skips container processing then). */
export function epubIsFixedLayout(zip: ZipArchive): boolean {
  try {
    const opfPath = epubOpfPath(zip);
    for (const m of findAll(parseXml(zip.readText(opfPath), opfPath), 'meta')) {
      if (attr(m, 'property') === 'rendition:layout' && textContent(m).trim() === 'pre-paginated') return true;
      if (attr(m, 'name') === 'fixed-layout' && /^(true|yes)$/.test(attr(m, 'content') ?? '')) return true;
    }
  } catch {
    return false;
  }
  return false;
}

/** Image entries of the archive that container processing looks at (module comment). */
export function epubImageEntries(zip: ZipArchive): string[] {
  return zip.entries.map((e) => e.name).filter((n) => /\.(jpe?g|png|gif|webp)$/i.test(n));
}

/** The cover image entry (EPUB2 `meta name=cover`, EPUB3 `cover-image`, else an image named cover). */
export function epubCoverEntry(zip: ZipArchive): string | undefined {
  const opfPath = epubOpfPath(zip);
  const opf = parseXml(zip.readText(opfPath), opfPath);
  const items = manifest(opf, opfPath);
  const metaCover = findAll(opf, 'meta').find((m) => attr(m, 'name') === 'cover');
  const byMeta = metaCover ? items.get(attr(metaCover, 'content') ?? '') : undefined;
  const byProp = [...items.values()].find((i) => ` ${i.properties} `.includes(' cover-image '));
  const byName = [...items.values()].find((i) => i.mediaType.startsWith('image/') && i.href.toLowerCase().includes('cover'));
  const found = byMeta ?? byProp ?? byName;
  return found && zip.has(found.href) ? found.href : undefined;
}

/** Fields that can be embedded into an EPUB. */
export interface EpubEmbeddable { name?: string; description?: string; creator?: string }

/**
 * The EPUB's bytes with the metadata set (module comment).
 * @throws SdkError ISCC_SDK_DECODE when the package document is missing or malformed
 */
export function epubEmbed(zip: ZipArchive, meta: EpubEmbeddable): Buffer {
  const opfPath = epubOpfPath(zip);
  const opf = parseXml(zip.readText(opfPath), opfPath);
  const md = findFirst(opf, 'metadata');
  if (!md) throw new SdkError(SDK_ERROR_CODES.DECODE, `${opfPath}: no <metadata> element`);
  const dcPrefix = 'dc';
  if (!md.attrs['xmlns:dc'] && !opf.attrs['xmlns:dc']) md.attrs['xmlns:dc'] = 'http://purl.org/dc/elements/1.1/';
  const setFirst = (name: string, value: string): void => {
    const el = md.children.find((c): c is XmlElement => typeof c !== 'string' && localName(c.name) === name);
    if (el) el.children = [value];
    else md.children.push({ name: `${dcPrefix}:${name}`, attrs: {}, children: [value] }, '\n');
  };
  if (meta.name) setFirst('title', meta.name);
  if (meta.description) setFirst('description', meta.description);
  if (meta.creator) {
    const names = meta.creator.split(',').map((s) => s.trim()).filter((s) => s !== '');
    const old = md.children.filter((c): c is XmlElement => typeof c !== 'string' && localName(c.name) === 'creator');
    const oldIds = new Set(old.map((c) => attr(c, 'id')).filter((x): x is string => !!x).map((x) => `#${x}`));
    // Drop the old creators and the refinements that pointed at them (file-as, role).
    md.children = md.children.filter((c) => typeof c === 'string'
      || (localName(c.name) !== 'creator' && !(localName(c.name) === 'meta' && oldIds.has(attr(c, 'refines') ?? ''))));
    for (const n of names) md.children.push({ name: `${dcPrefix}:creator`, attrs: {}, children: [n] }, '\n');
  }
  return zip.rewrite(new Map([[opfPath, Buffer.from(serializeXml(opf), 'utf8')]]));
}
