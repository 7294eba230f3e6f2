/**
 * Content handlers: one per processing mode, so that text, audio and video plug into the
 * dispatcher (`codeIscc`, `codeContent`, `extractMetadata`) without changing it.
 *
 * A handler computes the mode's Content-Code unit with the metadata it finds (iscc-sdk
 * `code_<mode>`), extracts metadata (`<mode>_meta_extract`), makes thumbnails and embeds
 * metadata. Image is registered in `main.ts`; a new mode lives in its own module that calls
 * {@link registerContentHandler} at import time, and `index.ts` imports that module (so the
 * registration happens whenever the package is used).
 */
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import type { Mode } from './mediatype.ts';
import type { SdkOptions } from './options.ts';

/** Metadata object in iscc-sdk's IsccMeta vocabulary (snake_case keys, `@type` etc.). */
export type IsccMetaDict = Record<string, unknown>;

/** What a mode contributes. All functions receive fully resolved options. */
export interface ContentHandler {
  /**
   * iscc-sdk `code_<mode>`: the Content-Code as `iscc` plus extracted metadata (when
   * `extract_meta`), `thumbnail` (when `create_thumb`), and mode-specific fields
   * (`duration`, `features`, ...).
   */
  code(path: string, opts: SdkOptions): Promise<IsccMetaDict & { iscc: string }>;
  /** iscc-sdk `<mode>_meta_extract`: metadata mapped to IsccMeta fields. */
  extractMeta(path: string, opts: SdkOptions): Promise<IsccMetaDict>;
  /** A thumbnail data URL, or undefined when the file has none (e.g. audio without cover). */
  thumbnail?(path: string, opts: SdkOptions): Promise<string | undefined>;
  /**
   * iscc-sdk `<mode>_meta_embed`: write `meta` into a copy of the file and return the copy's
   * path (undefined when the format cannot carry metadata).
   */
  embedMeta?(path: string, meta: IsccMetaDict): Promise<string | undefined>;
}

const handlers = new Map<Mode, ContentHandler>();

/** Register (or replace) the handler of a mode. */
export function registerContentHandler(mode: Mode, handler: ContentHandler): void {
  handlers.set(mode, handler);
}

/**
 * The handler of a mode.
 * @throws SdkError ISCC_SDK_NOT_IMPLEMENTED when none is registered yet
 */
export function contentHandler(mode: Mode): ContentHandler {
  const h = handlers.get(mode);
  if (!h) {
    throw new SdkError(SDK_ERROR_CODES.NOT_IMPLEMENTED, `no content handler for mode "${mode}" is registered in this build of @iscc-ts/sdk`);
  }
  return h;
}

/** Whether a mode has a handler. */
export function hasContentHandler(mode: Mode): boolean {
  return handlers.has(mode);
}
