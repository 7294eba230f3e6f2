/**
 * PDF: text (poppler's pdftotext), metadata (pdfinfo; pdf-lib for the catalog language),
 * metadata embedding into a copy (pdf-lib), and a first-page thumbnail (pdftoppm).
 *
 * Text: `pdftotext -raw` keeps the content-stream order, which is what iscc-sdk's pdfium
 * `get_text_bounded` follows (measured on the sample: the same Text-Code; the default
 * reading-order mode was 1 bit away). Pages are joined with "\n" as iscc-sdk does.
 *
 * Encrypted PDFs: those that open without a password (owner password only) are read as
 * usual; those that need a user password fail with ISCC_SDK_DECODE ("encrypted PDF"), and
 * embedding into any encrypted PDF is refused (its strings would have to be re-encrypted).
 */
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, EncryptedPDFError } from 'pdf-lib';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { run } from '../tools.ts';
import { TEXT_MAX_FILE_BYTES, TEXT_TOOL_TIMEOUT_MS } from './limits.ts';
import { findTextTool } from './tools.ts';

/** Custom Info keys iscc-sdk writes and reads (IsccMeta field -> Info key). */
export const PDF_ISCC_META_KEYS: ReadonlyArray<readonly [string, string]> = [
  ['name', 'iscc_name'],
  ['description', 'iscc_description'],
  ['meta', 'iscc_meta'],
  ['license', 'iscc_license'],
  ['acquire', 'iscc_acquire'],
  ['credit', 'iscc_credit'],
  ['rights', 'iscc_rights'],
];

function encryptedError(path: string, cause?: unknown): SdkError {
  return new SdkError(SDK_ERROR_CODES.DECODE,
    `${basename(path)}: encrypted PDF - it needs a password to open, and text cannot be extracted`, { path, cause });
}

async function checkSize(path: string): Promise<void> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  if (size > TEXT_MAX_FILE_BYTES) {
    throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `${path}: ${size} bytes exceeds TEXT_MAX_FILE_BYTES (${TEXT_MAX_FILE_BYTES})`, { path });
  }
}

/** Run a poppler tool, turning its password and damage complaints into clear errors. */
async function poppler(name: 'pdftotext' | 'pdfinfo', args: string[], path: string): Promise<string> {
  const tool = await findTextTool(name);
  const r = await run(tool.path, [...args, resolve(path), ...(name === 'pdftotext' ? ['-'] : [])],
    { allowFail: true, timeoutMs: TEXT_TOOL_TIMEOUT_MS });
  const err = r.stderr.toString('utf8');
  if (r.code !== 0) {
    if (/password/i.test(err)) throw encryptedError(path);
    throw new SdkError(SDK_ERROR_CODES.DECODE, `${basename(path)}: not a readable PDF (${name}: ${err.trim().split('\n').slice(-2).join(' | ')})`, { path });
  }
  return r.stdout.toString('utf8');
}

/**
 * Plain text of a PDF, pages joined by newlines (module comment).
 * @throws SdkError ISCC_SDK_DECODE (damaged or password-protected), ISCC_SDK_TOOL_MISSING
 */
export async function pdfText(path: string): Promise<string> {
  await checkSize(path);
  const out = await poppler('pdftotext', ['-raw', '-enc', 'UTF-8'], path);
  // pdftotext ends every page with a form feed; iscc-sdk joins pages with "\n".
  return out.replace(/\f$/, '').replace(/\f/g, '\n');
}

/** Number of pages (pdfinfo). */
export async function pdfPageCount(path: string): Promise<number> {
  const info = parsePdfInfo(await poppler('pdfinfo', ['-enc', 'UTF-8'], path));
  return Number(info.get('Pages') ?? 0);
}

/** Parse pdfinfo's "Key:   value" lines (continuation lines belong to the previous key). */
export function parsePdfInfo(out: string): Map<string, string> {
  const info = new Map<string, string>();
  let last = '';
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z_][\w .-]*?):\s?(.*)$/.exec(line);
    if (m && !/^\s/.test(line)) {
      last = m[1]!;
      info.set(last, m[2]!.trim());
    } else if (last && line.trim() !== '') {
      info.set(last, `${info.get(last)}\n${line.trim()}`);
    }
  }
  return info;
}

/**
 * PDF metadata mapped to IsccMeta fields: custom `iscc_*` Info keys first, then Title (name),
 * Subject (description), Author (creator), Keywords (keywords), and the catalog's `/Lang`.
 */
export async function pdfMeta(path: string): Promise<Record<string, string>> {
  await checkSize(path);
  const info = parsePdfInfo(await poppler('pdfinfo', ['-custom', '-enc', 'UTF-8'], path));
  const out: Record<string, string> = {};
  const put = (field: string, value: string | undefined): void => {
    if (value && value.trim() && out[field] === undefined) out[field] = value.trim();
  };
  for (const [field, key] of PDF_ISCC_META_KEYS) put(field, info.get(key));
  put('name', info.get('Title'));
  put('description', info.get('Subject'));
  put('creator', info.get('Author'));
  put('keywords', info.get('Keywords'));
  if (info.get('Encrypted')?.startsWith('no')) {
    try {
      const doc = await PDFDocument.load(await readFile(path), { updateMetadata: false });
      const lang = doc.catalog.lookup(PDFName.of('Lang'));
      if (lang instanceof PDFString || lang instanceof PDFHexString) put('language', lang.decodeText());
    } catch {
      // The language is optional; pdfinfo already read the rest.
    }
  }
  return out;
}

/** Metadata fields that can be embedded into a PDF. */
export interface PdfEmbeddable {
  name?: string; description?: string; creator?: string; keywords?: string; meta?: string;
  license?: string; acquire?: string; credit?: string; rights?: string;
}

/**
 * iscc-sdk `pdf_meta_embed`: a copy of the PDF (same file name, in a new temporary folder)
 * with Title/Subject/Author/Keywords and the custom `iscc_*` Info keys set.
 * @throws SdkError ISCC_SDK_DECODE for encrypted or unreadable PDFs
 */
export async function pdfMetaEmbed(path: string, meta: PdfEmbeddable): Promise<string> {
  await checkSize(path);
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(await readFile(path), { updateMetadata: false });
  } catch (e) {
    if (e instanceof EncryptedPDFError) {
      throw new SdkError(SDK_ERROR_CODES.DECODE, `${basename(path)}: encrypted PDF - metadata cannot be embedded`, { path, cause: e });
    }
    throw new SdkError(SDK_ERROR_CODES.DECODE, `${basename(path)}: not a readable PDF (${(e as Error).message})`, { path, cause: e });
  }
  if (meta.name) doc.setTitle(meta.name);
  if (meta.description) doc.setSubject(meta.description);
  if (meta.creator) doc.setAuthor(meta.creator);
  // pdf-lib keeps its Info dictionary accessor private; custom keys need it.
  const info = (doc as unknown as { getInfoDict(): PDFDict }).getInfoDict();
  if (meta.keywords) info.set(PDFName.of('Keywords'), PDFHexString.fromText(meta.keywords));
  for (const [field, key] of PDF_ISCC_META_KEYS) {
    const v = meta[field as keyof PdfEmbeddable];
    if (v) info.set(PDFName.of(key), PDFHexString.fromText(v));
  }
  const dir = await mkdtemp(join(tmpdir(), 'iscc-pdf-'));
  const out = join(dir, basename(path));
  await writeFile(out, await doc.save({ useObjectStreams: false }));
  return out;
}

/** PNG bytes of the first page, longest side `size` pixels (pdftoppm; no output root = stdout). */
export async function pdfFirstPagePng(path: string, size: number): Promise<Uint8Array> {
  const tool = await findTextTool('pdftoppm');
  const r = await run(tool.path, ['-f', '1', '-l', '1', '-singlefile', '-png', '-scale-to', String(size), resolve(path)],
    { timeoutMs: TEXT_TOOL_TIMEOUT_MS });
  return new Uint8Array(r.stdout);
}
