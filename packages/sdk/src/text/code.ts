/**
 * Text mode: iscc-sdk `code_text` and the text content handler that `codeIscc`,
 * `codeContent`, `codeText`, `extractMetadata` and `embedMetadata` dispatch to.
 *
 * `codeTextFile(path, opts)`:
 * 1. metadata (`extract_meta`): `textMetaExtract`;
 * 2. thumbnail (`create_thumb`): PDF first page (pdftoppm) or EPUB cover, through the image
 *    thumbnailer;
 * 3. text: `textExtract`; the Text-Code at `bits` with `characters`, equal to iscc-core's
 *    `genTextCodeV0(textClean(text))` (computed by `textCodeOf`, faster on large texts);
 *    plain text files over TEXT_MAX_IN_MEMORY_BYTES are streamed (`stream.ts`), where
 *    `text_keep` and `granular` are refused (they need the whole text);
 * 4. `granular`: `features: [textFeatures(text)]`; `text_keep`: `text`;
 * 5. `process_container` (EPUB): `parts`, the `codeIscc` results of the images inside that
 *    are at least `min_image_size` wide and high (iscc-sdk `epub_process_container`; fixed
 *    layout books have none). iscc-sdk adds `parts` in `code_iscc` only; the handler
 *    interface has one `code` for both, so `codeText` shows them too when asked.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { textClean } from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { registerContentHandler, type IsccMetaDict } from '../handlers.ts';
import { imageSize } from '../image-decode.ts';
import { imageThumbnail } from '../image.ts';
import { mediatypeAndMode } from '../mediatype.ts';
import type { SdkOptions } from '../options.ts';
import { epubCoverEntry, epubImageEntries, epubIsFixedLayout } from './epub.ts';
import { fileSize, isPlainTextType, openZip, TEXT_FORMATS, textExtract, textMetaEmbed, textMetaExtract } from './extract.ts';
import { textFeatures } from './features.ts';
import { TEXT_MAX_IN_MEMORY_BYTES } from './limits.ts';
import { pdfFirstPagePng } from './pdf.ts';
import { textCodeOf, textCodeStream } from './stream.ts';

/** Result of {@link codeTextFile}: iscc-sdk's `code_text` fields. */
export type TextCodeMeta = IsccMetaDict & { iscc: string; characters: number };

/**
 * iscc-sdk `text_thumbnail`: a data URL for PDFs (first page) and EPUBs (cover), else
 * undefined.
 */
export async function textThumbnail(path: string, opts: SdkOptions): Promise<string | undefined> {
  const [mediatype] = await mediatypeAndMode(path);
  if (mediatype === TEXT_FORMATS.pdf) {
    return imageThumbnail(await pdfFirstPagePng(path, Math.max(opts.image_thumbnail_size * 2, 256)), opts);
  }
  if (mediatype === TEXT_FORMATS.epub) {
    const zip = await openZip(path);
    const cover = epubCoverEntry(zip);
    return cover ? imageThumbnail(zip.read(cover), opts) : undefined;
  }
  return undefined;
}

/**
 * iscc-sdk `epub_process_container`: `codeIscc` of every image in the EPUB whose sides are
 * at least `min_image_size` (module comment, step 5).
 */
export async function textContainerParts(path: string, opts: SdkOptions): Promise<IsccMetaDict[]> {
  const [mediatype] = await mediatypeAndMode(path);
  if (mediatype !== TEXT_FORMATS.epub) return [];
  const zip = await openZip(path);
  if (epubIsFixedLayout(zip)) return [];
  // Imported here: main.ts registers the handlers this module is one of.
  const { codeIscc } = await import('../main.ts');
  const dir = await mkdtemp(join(tmpdir(), 'iscc-epub-'));
  const parts: IsccMetaDict[] = [];
  try {
    for (const name of epubImageEntries(zip)) {
      const data = zip.read(name);
      let size: { width: number; height: number };
      try {
        size = await imageSize(data);
      } catch {
        continue; // not a decodable image: skipped, as iscc-sdk does
      }
      if (size.width < opts.min_image_size || size.height < opts.min_image_size) continue;
      const file = join(dir, basename(name));
      await writeFile(file, data);
      try {
        parts.push(await codeIscc(file, undefined, undefined, undefined, { ...opts }));
      } catch (e) {
        if (!(e instanceof SdkError)) throw e;
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return parts;
}

/**
 * iscc-sdk `code_text` for a file (module comment).
 * @throws SdkError ISCC_SDK_DECODE, ISCC_SDK_LIMIT_EXCEEDED, ISCC_SDK_TOOL_MISSING, ISCC_SDK_IO
 */
export async function codeTextFile(path: string, opts: SdkOptions): Promise<TextCodeMeta> {
  const out: IsccMetaDict = {};
  if (opts.extract_meta) Object.assign(out, await textMetaExtract(path));
  if (opts.create_thumb) {
    const t = await textThumbnail(path, opts);
    if (t) out['thumbnail'] = t;
  }
  const [mediatype] = await mediatypeAndMode(path);
  if (isPlainTextType(mediatype) && (await fileSize(path)) > TEXT_MAX_IN_MEMORY_BYTES) {
    if (opts.text_keep || opts.granular) {
      throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED,
        `${basename(path)}: text_keep and granular need the whole text in memory; the file exceeds TEXT_MAX_IN_MEMORY_BYTES (${TEXT_MAX_IN_MEMORY_BYTES}) and is only streamed`, { path });
    }
    Object.assign(out, await textCodeStream(path, opts.bits));
  } else {
    const raw = await textExtract(path);
    // The Text-Code only needs collapse(clean(raw)); the cleaned text itself only when kept
    // or chunked (textClean is the slow step on large texts).
    Object.assign(out, textCodeOf(raw, opts.bits));
    if (opts.granular || opts.text_keep) {
      const text = textClean(raw);
      if (opts.granular) out['features'] = [textFeatures(text, opts)];
      if (opts.text_keep) out['text'] = text;
    }
  }
  if (opts.process_container) {
    const parts = await textContainerParts(path, opts);
    if (parts.length) out['parts'] = parts;
  }
  return out as TextCodeMeta;
}

registerContentHandler('text', {
  code: codeTextFile,
  extractMeta: (path) => textMetaExtract(path),
  thumbnail: textThumbnail,
  embedMeta: (path, meta) => textMetaEmbed(path, meta as Record<string, string>),
});
