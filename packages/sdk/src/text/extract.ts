/**
 * Text extraction, text metadata and metadata embedding for every text format, without Java
 * (iscc-sdk uses Apache Tika): the format is the file's media type (`mediatypeAndMode`).
 *
 * | format | text from |
 * | --- | --- |
 * | pdf | pdftotext -raw (poppler), `pdf.ts` |
 * | docx, odt | paragraphs of the body, `office.ts` (Tika's rule for empty paragraphs) |
 * | rtf | `rtf.ts` |
 * | epub, ibooks | spine documents through `htmlToText`, `epub.ts` |
 * | html, xhtml | `htmlToText` (scripts, styles and head dropped) |
 * | xml | character data (`xmlToText`, strict: malformed XML is an error) |
 * | txt, md, json, other text/* | the decoded file (BOM, else UTF-8, else windows-1252) |
 * | pptx, xlsx, ppt | `office.ts` (own readers) |
 * | doc | catdoc (catdoc package) |
 * | xls | xls2csv (catdoc package), cells joined by tabs |
 *
 * Containers are opened with `ZipArchive`, whose limits stop zip bombs while inflating.
 * Metadata: pdf (`pdf.ts`), docx/pptx/xlsx and odt (`docprops.ts`), epub (`epub.ts`), html
 * and xhtml (`htmlMeta`), doc/xls/ppt (OLE SummaryInformation, `cfb.ts`), rtf (`\info`); values are sanitised like iscc-sdk's (`textSanitize`). Embedding
 * into a copy: pdf, epub and docx, as iscc-sdk.
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { mediatypeAndMode } from '../mediatype.ts';
import { textSanitize } from '../sanitize.ts';
import { run } from '../tools.ts';
import { docxEmbed, odfMeta, ooxmlMeta } from './docprops.ts';
import { epubEmbed, epubMeta, epubText } from './epub.ts';
import { decodeTextBytes, htmlMeta, htmlToText } from './html.ts';
import { TEXT_MAX_FILE_BYTES, TEXT_MAX_IN_MEMORY_BYTES, TEXT_TOOL_TIMEOUT_MS } from './limits.ts';
import { docxText, odtText, pptText, pptxText, xlsxText } from './office.ts';
import { pdfMeta, pdfMetaEmbed, pdfText } from './pdf.ts';
import { rtfMeta, rtfToText } from './rtf.ts';
import { oleSummaryMeta } from './cfb.ts';
import { findTextTool } from './tools.ts';
import { xmlToText } from './xml.ts';
import { ZipArchive } from './zip.ts';

/** Media types by how they are read. */
export const TEXT_FORMATS = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  epub: 'application/epub+zip',
  ibooks: 'application/x-ibooks+zip',
  rtf: 'application/rtf',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  html: 'text/html',
  xhtml: 'application/xhtml+xml',
  xml: 'text/xml',
  json: 'application/json',
  markdown: 'text/markdown',
  plain: 'text/plain',
} as const;

/** Media types whose file content is the text itself (streamable when large). */
export const PLAIN_TEXT_TYPES: ReadonlySet<string> = new Set([TEXT_FORMATS.plain, TEXT_FORMATS.markdown, TEXT_FORMATS.json]);

/** Whether a media type is read as plain text (module table, last row but five). */
export function isPlainTextType(mediatype: string): boolean {
  return PLAIN_TEXT_TYPES.has(mediatype) || (mediatype.startsWith('text/') && mediatype !== TEXT_FORMATS.html && mediatype !== TEXT_FORMATS.xml);
}

/** Size of a file, with IO errors as ISCC_SDK_IO. */
export async function fileSize(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new Error('not a regular file');
    return s.size;
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
}

/** Read a whole document, refusing files over `limit` bytes. */
export async function readDocument(path: string, limit: number = TEXT_MAX_FILE_BYTES, limitName = 'TEXT_MAX_FILE_BYTES'): Promise<Uint8Array> {
  const size = await fileSize(path);
  if (size > limit) {
    throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `${basename(path)}: ${size} bytes exceeds ${limitName} (${limit}) for this format`, { path });
  }
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot read ${path}: ${(e as Error).message}`, { cause: e, path });
  }
}

/** Open a zip container (whole file read, limits of `zip.ts`). */
export async function openZip(path: string): Promise<ZipArchive> {
  return new ZipArchive(await readDocument(path), basename(path));
}

function withPath<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SdkError && e.path === undefined) {
      throw new SdkError(e.code, `${basename(path)}: ${e.message}`, { cause: e.cause, path });
    }
    throw e;
  }
}

function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"' && line[i + 1] === '"') { v += '"'; i += 2; } else if (line[i] === '"') { i++; break; } else v += line[i++];
      }
      cells.push(v);
      i++; // the comma
    } else {
      const j = line.indexOf(',', i);
      cells.push(line.slice(i, j < 0 ? line.length : j));
      i = j < 0 ? line.length + 1 : j + 1;
    }
  }
  return cells;
}

/** The raw text of a document of media type `mediatype` (before `textClean`). */
async function extractByType(path: string, mediatype: string): Promise<string> {
  const F = TEXT_FORMATS;
  switch (mediatype) {
    case F.pdf:
      return pdfText(path);
    case F.docx: {
      const zip = await openZip(path);
      return withPath(path, () => docxText(zip));
    }
    case F.odt: {
      const zip = await openZip(path);
      return withPath(path, () => odtText(zip));
    }
    case F.epub: case F.ibooks: {
      const zip = await openZip(path);
      return withPath(path, () => epubText(zip));
    }
    case F.pptx: {
      const zip = await openZip(path);
      return withPath(path, () => pptxText(zip));
    }
    case F.xlsx: {
      const zip = await openZip(path);
      return withPath(path, () => xlsxText(zip));
    }
    case F.ppt:
      return pptText(await readDocument(path), basename(path));
    case F.rtf: {
      const data = await readDocument(path);
      return rtfToText(data);
    }
    case F.doc: {
      await readDocument(path, TEXT_MAX_FILE_BYTES);
      const tool = await findTextTool('catdoc');
      const r = await run(tool.path, ['-w', '-d', 'utf-8', resolve(path)], { allowFail: true, timeoutMs: TEXT_TOOL_TIMEOUT_MS });
      if (r.code !== 0) throw new SdkError(SDK_ERROR_CODES.DECODE, `${basename(path)}: catdoc could not read it (${r.stderr.toString('utf8').trim()})`, { path });
      return r.stdout.toString('utf8');
    }
    case F.xls: {
      await readDocument(path, TEXT_MAX_FILE_BYTES);
      const tool = await findTextTool('xls2csv');
      const r = await run(tool.path, ['-d', 'utf-8', '-q', '1', resolve(path)], { allowFail: true, timeoutMs: TEXT_TOOL_TIMEOUT_MS });
      if (r.code !== 0) throw new SdkError(SDK_ERROR_CODES.DECODE, `${basename(path)}: xls2csv could not read it (${r.stderr.toString('utf8').trim()})`, { path });
      // Sheets are separated by form feeds; cells become tab-separated.
      return r.stdout.toString('utf8').split('\f').map((sheet) => sheet.split(/\r?\n/)
        .map((l) => parseCsvLine(l).filter((c) => c !== '').join('\t')).filter((l) => l !== '').join('\n')).join('\n');
    }
    case F.html: case F.xhtml:
      return htmlToText(decodeTextBytes(await readDocument(path, TEXT_MAX_IN_MEMORY_BYTES, 'TEXT_MAX_IN_MEMORY_BYTES'), true));
    case F.xml: {
      const src = decodeTextBytes(await readDocument(path, TEXT_MAX_IN_MEMORY_BYTES, 'TEXT_MAX_IN_MEMORY_BYTES'), true);
      return withPath(path, () => xmlToText(src, basename(path)));
    }
    default:
      if (isPlainTextType(mediatype)) {
        return decodeTextBytes(await readDocument(path, TEXT_MAX_IN_MEMORY_BYTES, 'TEXT_MAX_IN_MEMORY_BYTES'));
      }
      throw new SdkError(SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE, `${basename(path)}: no text extractor for ${mediatype}`, { path });
  }
}

/**
 * iscc-sdk `text_extract`: the plain text of a document (not yet cleaned), in reading order
 * with paragraphs as lines. Large plain text files are refused here (see `codeText`, which
 * streams them).
 * @throws SdkError ISCC_SDK_DECODE (unreadable, encrypted, malformed, or no text at all),
 *   ISCC_SDK_LIMIT_EXCEEDED, ISCC_SDK_TOOL_MISSING, ISCC_SDK_UNSUPPORTED_MEDIATYPE, ISCC_SDK_IO
 */
export async function textExtract(path: string): Promise<string> {
  const [mediatype, mode] = await mediatypeAndMode(path);
  if (mode !== 'text') {
    throw new SdkError(SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE, `${basename(path)}: ${mediatype} is not a text document (mode ${mode})`, { path });
  }
  const text = await extractByType(path, mediatype);
  if (text.trim() === '') throw new SdkError(SDK_ERROR_CODES.DECODE, `No text extracted from ${basename(path)}`, { path });
  return text;
}

/** Alias of {@link textExtract} (the name the `iscc extract` command uses). */
export const extractText = textExtract;

/**
 * iscc-sdk `text_meta_extract`: name, description, creator, keywords, rights, language, ...
 * of a document where its format has them (module comment); values sanitised.
 */
export async function textMetaExtract(path: string): Promise<Record<string, string>> {
  const [mediatype] = await mediatypeAndMode(path);
  const F = TEXT_FORMATS;
  let raw: Record<string, string> = {};
  if (mediatype === F.pdf) raw = await pdfMeta(path);
  else if (mediatype === F.docx || mediatype === F.pptx || mediatype === F.xlsx) {
    const zip = await openZip(path);
    raw = withPath(path, () => ooxmlMeta(zip));
  } else if (mediatype === F.odt) {
    const zip = await openZip(path);
    raw = withPath(path, () => odfMeta(zip));
  } else if (mediatype === F.epub || mediatype === F.ibooks) {
    const zip = await openZip(path);
    raw = withPath(path, () => epubMeta(zip));
  } else if (mediatype === F.doc || mediatype === F.xls || mediatype === F.ppt) {
    raw = oleSummaryMeta(await readDocument(path), basename(path));
  } else if (mediatype === F.rtf) {
    raw = rtfMeta(await readDocument(path));
  } else if (mediatype === F.html || mediatype === F.xhtml) {
    raw = { ...htmlMeta(decodeTextBytes(await readDocument(path, TEXT_MAX_IN_MEMORY_BYTES, 'TEXT_MAX_IN_MEMORY_BYTES'), true)) };
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    const s = textSanitize(v);
    if (s) out[k] = s;
  }
  return out;
}

/** Metadata fields {@link textMetaEmbed} can write (IsccMeta names). */
export interface TextEmbeddable {
  name?: string | null; description?: string | null; creator?: string | null; keywords?: string | null;
  meta?: string | null; license?: string | null; acquire?: string | null; credit?: string | null; rights?: string | null;
}

function strings(meta: TextEmbeddable): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(meta)) {
    if (typeof v === 'string' && v !== '') out[k] = v;
    else if (Array.isArray(v)) out[k] = v.join(', ');
  }
  return out;
}

async function writeCopy(path: string, bytes: Uint8Array): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'iscc-text-'));
  const out = join(dir, basename(path));
  await writeFile(out, bytes);
  return out;
}

/**
 * iscc-sdk `text_meta_embed`: a copy of the document (same name, new temporary folder) with
 * the metadata written, for pdf, epub and docx; `undefined` for other formats.
 */
export async function textMetaEmbed(path: string, meta: TextEmbeddable): Promise<string | undefined> {
  if (meta === null || typeof meta !== 'object') {
    throw new SdkError(SDK_ERROR_CODES.INVALID_ARGUMENT, `meta: expected an object of metadata fields, got ${meta === null ? 'null' : typeof meta}`);
  }
  const [mediatype] = await mediatypeAndMode(path);
  const m = strings(meta);
  if (mediatype === TEXT_FORMATS.pdf) return pdfMetaEmbed(path, m);
  if (mediatype === TEXT_FORMATS.epub) {
    const zip = await openZip(path);
    return writeCopy(path, withPath(path, () => epubEmbed(zip, m)));
  }
  if (mediatype === TEXT_FORMATS.docx) {
    const zip = await openZip(path);
    return writeCopy(path, withPath(path, () => docxEmbed(zip, m)));
  }
  return undefined;
}
