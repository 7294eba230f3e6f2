/**
 * Write metadata into a copy of an image, as iscc-sdk 0.9.5 `image_meta_embed` (XMP via exiv2):
 * `Xmp.iscc.name` + `Xmp.dc.title` = name, `Xmp.iscc.description` + `Xmp.dc.description` =
 * description, `Xmp.iscc.meta` = meta, `Xmp.xmpRights.WebStatement` = license,
 * `Xmp.dc.creator`, `Xmp.dc.rights`, `Xmp.dc.identifier`, and `acquire` as
 * `Xmp.plus.Licensor[1]/plus:LicensorURL` in a bag. `imageMetaExtract` reads all of them back.
 *
 * exiv2 is called with one `-M` argument per command (no shell, no command file); every value
 * carries an explicit type so that no value can be mistaken for a type keyword.
 */
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { findTool, run } from './tools.ts';

/** Metadata fields that can be embedded into images. */
export interface EmbeddableMeta {
  name?: string | null;
  description?: string | null;
  meta?: string | null;
  license?: string | null;
  creator?: string | null;
  rights?: string | null;
  identifier?: string | null;
  acquire?: string | null;
}

/** The exiv2 `-M` commands for `meta`. */
export function exiv2EmbedCommands(meta: EmbeddableMeta): string[] {
  const cmds = ['reg iscc http://purl.org/iscc/schema/'];
  const text = (key: string, v: string): string => `set ${key} XmpText ${v}`;
  const lang = (key: string, v: string): string => `set ${key} LangAlt lang="x-default" ${v}`;
  const str = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
  if (str(meta.name)) cmds.push(text('Xmp.iscc.name', meta.name), lang('Xmp.dc.title', meta.name));
  if (str(meta.description)) cmds.push(text('Xmp.iscc.description', meta.description), lang('Xmp.dc.description', meta.description));
  if (str(meta.meta)) cmds.push(text('Xmp.iscc.meta', meta.meta));
  if (str(meta.license)) cmds.push(text('Xmp.xmpRights.WebStatement', meta.license));
  // `set` appends to an existing array: delete first so that the creator is replaced.
  if (str(meta.creator)) cmds.push('del Xmp.dc.creator', `set Xmp.dc.creator XmpSeq ${meta.creator}`);
  if (str(meta.rights)) cmds.push(lang('Xmp.dc.rights', meta.rights));
  if (str(meta.identifier)) cmds.push(text('Xmp.dc.identifier', meta.identifier));
  if (str(meta.acquire)) {
    cmds.push('set Xmp.plus.Licensor XmpText type=Bag', text('Xmp.plus.Licensor[1]/plus:LicensorURL', meta.acquire));
  }
  return cmds;
}

/**
 * iscc-sdk `image_meta_embed`: embed `meta` into a copy of the image (in a new temporary
 * directory, same file name) and return the copy's path.
 */
export async function imageMetaEmbed(path: string, meta: EmbeddableMeta): Promise<string> {
  if (meta === null || typeof meta !== 'object') {
    throw new SdkError(SDK_ERROR_CODES.INVALID_ARGUMENT, `meta: expected an object of metadata fields, got ${typeof meta}`);
  }
  const tool = await findTool('exiv2');
  const dir = await mkdtemp(join(tmpdir(), 'iscc-embed-'));
  const out = join(dir, basename(path));
  try {
    await copyFile(path, out);
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot copy ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  const args: string[] = [];
  for (const c of exiv2EmbedCommands(meta)) args.push('-M', c);
  // exiv2 0.27 takes `--` after an action as a file name: pass absolute paths instead (they
  // cannot be mistaken for options).
  await run(tool.path, [...args, 'mo', resolve(out)], { timeoutMs: 60_000 });
  return out;
}

/** iscc-sdk `image_meta_delete`: remove all EXIF, XMP and IPTC from the file (in place). */
export async function imageMetaDelete(path: string): Promise<void> {
  const tool = await findTool('exiv2');
  await run(tool.path, ['-q', 'rm', resolve(path)], { timeoutMs: 60_000 });
}
