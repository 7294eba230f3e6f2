/**
 * Top-level functions of the SDK, as iscc-sdk 0.9.5 `main.py` / `metadata.py`:
 * `codeIscc` (everything), `codeContent`, `codeMeta`, `extractMetadata`, and the per-mode
 * `codeImage`/`codeAudio`/`codeVideo`/`codeText` dispatchers.
 *
 * `codeIscc(path)`:
 * 1. media type from the first 4096 bytes and the name; mode (or none: unsupported);
 *    unsupported without `fallback` -> ISCC_SDK_UNSUPPORTED_MEDIATYPE;
 * 2. thumbnail first (failures only lose the thumbnail);
 * 3. Data + Instance in one read (`codeSum`);
 * 4. the mode's Content-Code (`ContentHandler.code`, without thumbnail);
 * 5. the Meta-Code from extracted metadata, overridden by `name`/`description`/`meta`,
 *    the file name as fallback name (`codeMeta`);
 * 6. merge (sum, content, meta; later wins), units = [meta, content, data, instance],
 *    `genIsccCodeV0(units, wide)`.
 * Files of unsupported types get the ISCC-SUM with their media type (fallback).
 */
import { mkdir, rename, copyFile, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { coreOpts, genIsccCodeV0, genMetaCodeV0, isccDecompose, textClean, textRemoveNewlines, textTrim } from '@iscc-ts/core';
import type { MetaInput } from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { mediatypeAndMode, mediatypeGuess, mediatypeToModeOrNull, readHead, type Mode } from './mediatype.ts';
import { resolveOptions, type SdkOptions, type SdkOptionsInput } from './options.ts';
import { hashFile, sumFromHashers } from './sum.ts';
import { contentHandler, registerContentHandler, type IsccMetaDict } from './handlers.ts';
import { codeImage as codeImageFile, imageMetaExtract, imageThumbnail, readImageFile } from './image.ts';
import { textNameFromUri } from './sanitize.ts';
import { imageMetaEmbed, type EmbeddableMeta } from './image-embed.ts';

/** Package version reported in `generator`. */
export const SDK_VERSION = '0.1.0';

/** schema.org type per mode (iscc-sdk's `schema_org_map`). */
export const SCHEMA_ORG_TYPES: Readonly<Record<Mode, string>> = {
  text: 'TextDigitalDocument',
  image: 'ImageObject',
  audio: 'AudioObject',
  video: 'VideoObject',
};

/** Output key order (IsccMeta's field order for the keys we emit); others follow. */
const KEY_ORDER = [
  '@context', '@type', '$schema', 'iscc', 'name', 'description', 'meta', 'creator', 'license', 'acquire',
  'credit', 'rights', 'keywords', 'identifier', 'language', 'mode', 'mediatype', 'filename', 'filesize',
  'width', 'height', 'duration', 'fps', 'characters', 'thumbnail', 'metahash', 'datahash', 'units',
  'features', 'parts', 'text', 'generator',
];

function ordered(d: IsccMetaDict): IsccMetaDict {
  const out: IsccMetaDict = {};
  for (const k of KEY_ORDER) if (d[k] !== undefined && d[k] !== null) out[k] = d[k];
  for (const [k, v] of Object.entries(d)) if (!(k in out) && v !== undefined && v !== null) out[k] = v;
  return out;
}

// The image mode is built in.
registerContentHandler('image', {
  code: (path, opts) => codeImageFile(path, opts) as Promise<IsccMetaDict & { iscc: string }>,
  extractMeta: async (path) => ({ ...(await imageMetaExtract(path)) }),
  thumbnail: async (path, opts) => imageThumbnail(await readImageFile(path), opts),
  embedMeta: (path, meta) => imageMetaEmbed(path, meta as EmbeddableMeta),
});

async function modeOf(path: string): Promise<Mode> {
  return (await mediatypeAndMode(path))[1];
}

/**
 * iscc-sdk `embed_metadata`: write `meta` into a copy of the file; returns the copy's path
 * (`outpath` when given), or undefined when the file's mode cannot embed metadata.
 */
export async function embedMetadata(path: string, meta: IsccMetaDict, options: { outpath?: string } = {}): Promise<string | undefined> {
  if (meta === null || typeof meta !== 'object') {
    throw new SdkError(SDK_ERROR_CODES.INVALID_ARGUMENT, `meta: expected an object of metadata fields, got ${typeof meta}`);
  }
  const handler = contentHandler(await modeOf(path));
  if (!handler.embedMeta) return undefined;
  const written = await handler.embedMeta(path, meta);
  if (written === undefined || options.outpath === undefined) return written;
  await mkdir(dirname(options.outpath), { recursive: true });
  try {
    await rename(written, options.outpath);
  } catch {
    // Different file systems: copy, then remove the temporary copy.
    await copyFile(written, options.outpath);
    await unlink(written);
  }
  return options.outpath;
}

/** iscc-sdk `extract_metadata`: metadata of a file by its mode. */
export async function extractMetadata(path: string, options: SdkOptionsInput = {}): Promise<IsccMetaDict> {
  const opts = resolveOptions(options);
  return ordered(await contentHandler(await modeOf(path)).extractMeta(path, opts));
}

/** Caller-supplied metadata for {@link codeMeta} and {@link codeIscc}. */
export interface MetaOverrides {
  name?: string | null;
  description?: string | null;
  meta?: MetaInput | null;
}

async function metaFor(path: string, over: MetaOverrides, opts: SdkOptions, extracted?: IsccMetaDict): Promise<IsccMetaDict> {
  let d: IsccMetaDict = {};
  if (opts.extract_meta) d = { ...(extracted ?? (await contentHandler(await modeOf(path)).extractMeta(path, opts))) };
  if (over.name !== undefined && over.name !== null) d['name'] = over.name;
  if (over.description !== undefined && over.description !== null) d['description'] = over.description;
  if (over.meta !== undefined && over.meta !== null) d['meta'] = over.meta;
  const rawName = typeof d['name'] === 'string' ? d['name'] : '';
  const nameVal = textTrim(textRemoveNewlines(textClean(rawName)), coreOpts.meta_trim_name);
  if (!nameVal) d['name'] = textNameFromUri(path);
  const mc = genMetaCodeV0(
    d['name'] as string,
    (d['description'] as string | undefined) ?? null,
    (d['meta'] as MetaInput | undefined) ?? null,
    opts.bits,
  );
  return { ...d, ...mc };
}

/** iscc-sdk `code_meta`: Meta-Code from embedded metadata (or the given values / file name). */
export async function codeMeta(
  path: string,
  name?: string | null,
  description?: string | null,
  meta?: MetaInput | null,
  options: SdkOptionsInput = {},
): Promise<IsccMetaDict & { iscc: string; metahash: string }> {
  const opts = resolveOptions(options);
  return ordered(await metaFor(path, { name, description, meta }, opts)) as IsccMetaDict & { iscc: string; metahash: string };
}

/** iscc-sdk `code_image`. */
export async function codeImage(path: string, options: SdkOptionsInput = {}): Promise<IsccMetaDict & { iscc: string }> {
  return ordered(await contentHandler('image').code(path, resolveOptions(options))) as IsccMetaDict & { iscc: string };
}
/** iscc-sdk `code_audio` (needs the audio handler; ISCC_SDK_NOT_IMPLEMENTED until registered). */
export async function codeAudio(path: string, options: SdkOptionsInput = {}): Promise<IsccMetaDict & { iscc: string }> {
  return ordered(await contentHandler('audio').code(path, resolveOptions(options))) as IsccMetaDict & { iscc: string };
}
/** iscc-sdk `code_video` (needs the video handler). */
export async function codeVideo(path: string, options: SdkOptionsInput = {}): Promise<IsccMetaDict & { iscc: string }> {
  return ordered(await contentHandler('video').code(path, resolveOptions(options))) as IsccMetaDict & { iscc: string };
}
/** iscc-sdk `code_text` (needs the text handler). */
export async function codeText(path: string, options: SdkOptionsInput = {}): Promise<IsccMetaDict & { iscc: string }> {
  return ordered(await contentHandler('text').code(path, resolveOptions(options))) as IsccMetaDict & { iscc: string };
}

/** iscc-sdk `code_content`: the Content-Code of the file's mode, with mediatype/mode/@type. */
export async function codeContent(path: string, options: SdkOptionsInput = {}): Promise<IsccMetaDict & { iscc: string }> {
  const opts = resolveOptions(options);
  const [mediatype, mode] = await mediatypeAndMode(path);
  const cc = await contentHandler(mode).code(path, opts);
  return ordered({ ...cc, mediatype, mode, '@type': SCHEMA_ORG_TYPES[mode] }) as IsccMetaDict & { iscc: string };
}

/** Result of {@link codeIscc}: iscc-sdk's IsccMeta as a plain object. */
export type IsccMetaResult = IsccMetaDict & { iscc: string; mediatype: string; filename: string; datahash: string; filesize: number };

/**
 * iscc-sdk `code_iscc`: the full ISCC-CODE of a file with merged metadata (module comment).
 * @throws SdkError ISCC_SDK_UNSUPPORTED_MEDIATYPE (only with `fallback: false`), ISCC_SDK_DECODE,
 *   ISCC_SDK_LIMIT_EXCEEDED, ISCC_SDK_TOOL_MISSING, ISCC_SDK_IO, ...
 */
export async function codeIscc(
  path: string,
  name?: string | null,
  description?: string | null,
  meta?: MetaInput | null,
  options: SdkOptionsInput = {},
): Promise<IsccMetaResult> {
  const opts = resolveOptions(options);
  const filename = basename(path);
  const head = await readHead(path);
  const mediatype = await mediatypeGuess(head, filename);
  const mode = mediatypeToModeOrNull(mediatype);
  if (mode === null && !opts.fallback) {
    throw new SdkError(SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE, `No known processing mode for ${mediatype} (${filename}); set fallback to get an ISCC-SUM`, { path });
  }
  const out: IsccMetaDict = { filename, mediatype };
  if (mode) {
    out['@type'] = SCHEMA_ORG_TYPES[mode];
    out['mode'] = mode;
  }
  const handler = mode ? contentHandler(mode) : null;
  if (opts.create_thumb && handler?.thumbnail) {
    try {
      const t = await handler.thumbnail(path, opts);
      if (t) out['thumbnail'] = t;
    } catch (e) {
      // Thumbnails are optional; a broken file fails below with a clear error.
      if (!(e instanceof SdkError)) throw e;
    }
  }
  const sum = sumFromHashers(await hashFile(path), opts.bits, opts.wide, opts.add_units);
  let cc: (IsccMetaDict & { iscc: string }) | null = null;
  if (handler) cc = await handler.code(path, { ...opts, create_thumb: false });
  let mc: IsccMetaDict | null = null;
  if (opts.create_meta && mode) {
    // The content handler already extracted the metadata; reuse it rather than reading twice.
    let extracted: IsccMetaDict | undefined;
    if (cc && opts.extract_meta) {
      extracted = { ...cc };
      delete extracted['iscc'];
      delete extracted['thumbnail'];
      delete extracted['features'];
    }
    mc = await metaFor(path, { name, description, meta }, opts, mode === 'image' ? extracted : undefined);
  }
  Object.assign(out, sum);
  if (cc) Object.assign(out, cc);
  if (mc) Object.assign(out, mc);
  const units: string[] = [];
  if (mc) units.push(mc['iscc'] as string);
  if (cc) units.push(cc.iscc);
  if (sum.units) units.push(...sum.units);
  else units.push(...isccDecompose(sum.iscc).map((u) => `ISCC:${u}`));
  if (opts.add_units) out['units'] = units;
  else delete out['units'];
  if (opts.granular) {
    const features: unknown[] = [];
    const f = cc?.['features'];
    if (Array.isArray(f) && f.length > 0) features.push(f[0]);
    out['features'] = features;
  } else if (cc?.['features'] !== undefined) {
    delete out['features'];
  }
  out['iscc'] = genIsccCodeV0(units, opts.wide).iscc;
  out['generator'] = `iscc-ts sdk - v${SDK_VERSION}`;
  return ordered(out) as IsccMetaResult;
}
