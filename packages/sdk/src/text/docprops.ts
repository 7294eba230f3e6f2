/**
 * Document properties of OOXML (docx, pptx, xlsx) and ODF (odt) files: read, and (docx)
 * write into a copy.
 *
 * Read, in iscc-sdk's precedence (its Tika key map): custom properties `iscc_name`,
 * `iscc_description`, `iscc_meta`, `iscc_license`, `iscc_acquire`, `iscc_credit`,
 * `iscc_rights` first; then `dc:title` -> name, `dc:description` -> description,
 * `dc:creator` -> creator (ODF: `meta:initial-creator` when there is no `dc:creator`),
 * keywords (`cp:keywords`, `meta:keyword`s joined with ", ") and `dc:language`.
 *
 * Write (docx, as python-docx's core properties in iscc-sdk): name -> `dc:title`,
 * description -> `dc:description` ("comments"), creator -> `dc:creator`, keywords ->
 * `cp:keywords`, in `docProps/core.xml` (created, with its relationship and content type,
 * when the package has none).
 */
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { attr, findAll, localName, parseXml, serializeXml, textContent, type XmlElement } from './xml.ts';
import type { ZipArchive } from './zip.ts';

const ISCC_CUSTOM: ReadonlyArray<readonly [string, string]> = [
  ['iscc_name', 'name'], ['iscc_description', 'description'], ['iscc_meta', 'meta'], ['iscc_license', 'license'],
  ['iscc_acquire', 'acquire'], ['iscc_credit', 'credit'], ['iscc_rights', 'rights'],
];

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/** Metadata of an OOXML package (docx/pptx/xlsx) mapped to IsccMeta fields. */
export function ooxmlMeta(zip: ZipArchive): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (field: string, v: string | undefined): void => {
    if (v !== undefined && clean(v) && out[field] === undefined) out[field] = clean(v);
  };
  if (zip.has('docProps/custom.xml')) {
    const custom = parseXml(zip.readText('docProps/custom.xml'), 'docProps/custom.xml');
    const props = new Map(findAll(custom, 'property').map((p) => [attr(p, 'name') ?? '', textContent(p)]));
    for (const [key, field] of ISCC_CUSTOM) put(field, props.get(key));
  }
  if (zip.has('docProps/core.xml')) {
    const core = parseXml(zip.readText('docProps/core.xml'), 'docProps/core.xml');
    const first = (name: string): string | undefined => findAll(core, name).map(textContent).find((v) => clean(v) !== '');
    put('name', first('title'));
    put('description', first('description'));
    put('creator', first('creator'));
    put('keywords', first('keywords'));
    put('language', first('language'));
  }
  return out;
}

/** Metadata of an ODF package (odt) mapped to IsccMeta fields. */
export function odfMeta(zip: ZipArchive): Record<string, string> {
  const out: Record<string, string> = {};
  if (!zip.has('meta.xml')) return out;
  const put = (field: string, v: string | undefined): void => {
    if (v !== undefined && clean(v) && out[field] === undefined) out[field] = clean(v);
  };
  const root = parseXml(zip.readText('meta.xml'), 'meta.xml');
  const user = new Map(findAll(root, 'user-defined').map((p) => [attr(p, 'name') ?? '', textContent(p)]));
  for (const [key, field] of ISCC_CUSTOM) put(field, user.get(key));
  const first = (name: string): string | undefined => findAll(root, name).map(textContent).find((v) => clean(v) !== '');
  put('name', first('title'));
  put('description', first('description'));
  put('creator', first('creator') ?? first('initial-creator'));
  const kw = findAll(root, 'keyword').map((k) => clean(textContent(k))).filter((k) => k !== '');
  if (kw.length) put('keywords', kw.join(', '));
  put('language', first('language'));
  return out;
}

/** Fields that can be embedded into a docx. */
export interface DocxEmbeddable { name?: string; description?: string; creator?: string; keywords?: string }

const CORE_NS = {
  'xmlns:cp': 'http://schemas.openxmlformats.org/package/2006/metadata/core-properties',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:dcterms': 'http://purl.org/dc/terms/',
  'xmlns:dcmitype': 'http://purl.org/dc/dcmitype/',
  'xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
};

/**
 * The docx's bytes with core properties set (module comment).
 * @throws SdkError ISCC_SDK_DECODE when the package is not a Word document
 */
export function docxEmbed(zip: ZipArchive, meta: DocxEmbeddable): Buffer {
  if (!zip.has('word/document.xml') && !zip.has('[Content_Types].xml')) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, 'not a Word document: word/document.xml is missing');
  }
  const corePath = 'docProps/core.xml';
  const existing = zip.has(corePath);
  const core: XmlElement = existing
    ? parseXml(zip.readText(corePath), corePath)
    : { name: 'cp:coreProperties', attrs: { ...CORE_NS }, children: [] };
  const set = (qname: string, value: string): void => {
    const ln = localName(qname);
    const el = core.children.find((c): c is XmlElement => typeof c !== 'string' && localName(c.name) === ln);
    if (el) el.children = [value];
    else core.children.push({ name: qname, attrs: {}, children: [value] });
  };
  if (meta.name) set('dc:title', meta.name);
  if (meta.description) set('dc:description', meta.description);
  if (meta.creator) set('dc:creator', meta.creator);
  if (meta.keywords) set('cp:keywords', meta.keywords);
  const xml = Buffer.from(serializeXml(core), 'utf8');
  if (existing) return zip.rewrite(new Map([[corePath, xml]]));
  // A package without core properties: add the part, its relationship and its content type.
  const replace = new Map<string, Uint8Array>();
  if (zip.has('_rels/.rels')) {
    const rels = parseXml(zip.readText('_rels/.rels'), '_rels/.rels');
    rels.children.push({ name: 'Relationship', attrs: { Id: 'rIdIsccCore', Type: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties', Target: corePath }, children: [] });
    replace.set('_rels/.rels', Buffer.from(serializeXml(rels), 'utf8'));
  }
  if (zip.has('[Content_Types].xml')) {
    const ct = parseXml(zip.readText('[Content_Types].xml'), '[Content_Types].xml');
    ct.children.push({ name: 'Override', attrs: { PartName: `/${corePath}`, ContentType: 'application/vnd.openxmlformats-package.core-properties+xml' }, children: [] });
    replace.set('[Content_Types].xml', Buffer.from(serializeXml(ct), 'utf8'));
  }
  return zip.rewrite(replace, new Map([[corePath, xml]]));
}
