/**
 * Image mode: Image-Code, image metadata and thumbnails, as iscc-sdk 0.9.5 `image.py` /
 * `code_image`.
 *
 * - `codeImage`: (metadata) + (thumbnail) + decode (`image-decode.ts`) -> core's
 *   Pillow-exact `imageNormalize` -> `genImageCodeV0`.
 * - `imageMetaExtract`: EXIF, XMP and IPTC via the exiv2 program (`exiv2 -q -PEIXkv`, the
 *   keys and plain values iscc-sdk's exiv2 bindings see), mapped with iscc-sdk's
 *   `IMAGE_META_MAP` (first match wins), values sanitised; plus `width`/`height` from the
 *   header.
 * - `imageThumbnail`: longest side `image_thumbnail_size`, Lanczos, a little sharpening,
 *   WebP (or JPEG/AVIF) at `image_thumbnail_quality`, as a data URL. Not byte-identical to
 *   Pillow's encoder output (and need not be: thumbnails are not hashed).
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import sharp from 'sharp';
import { genImageCodeV0, imageNormalize } from '@iscc-ts/core';
import { decodeImage, imageSize } from './image-decode.ts';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import type { PixelImage } from './pixels.ts';
import { resolveOptions, type SdkOptions, type SdkOptionsInput } from './options.ts';
import { findTool, run } from './tools.ts';
import { textSanitize } from './sanitize.ts';
import { decodeBmp, bmpSize } from './bmp.ts';
import { decodePsd, psdSize } from './psd.ts';

/** Largest image file read into memory (bytes). */
export const IMAGE_MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** iscc-sdk `IMAGE_META_MAP`: exiv2 key -> metadata field; earlier entries win. */
export const IMAGE_META_MAP: ReadonlyArray<readonly [string, string]> = [
  ['Xmp.iscc.name', 'name'],
  ['Xmp.iscc.description', 'description'],
  ['Xmp.iscc.meta', 'meta'],
  ['Xmp.dc.title', 'name'],
  ['Xmp.xmp.Nickname', 'name'],
  ['Xmp.xmpDM.shotName', 'name'],
  ['Xmp.photoshop.Headline', 'name'],
  ['Xmp.iptcExt.AOTitle', 'name'],
  ['Iptc.Application2.Headline', 'name'],
  ['Iptc.Application2.BylineTitle', 'name'],
  ['Iptc.Application2.ObjectName', 'name'],
  ['Exif.Image.XPTitle', 'name'],
  ['Xmp.dc.description', 'description'],
  ['Xmp.dc.creator', 'creator'],
  ['Iptc.Application2.Byline', 'creator'],
  ['Exif.Image.Artist', 'creator'],
  ['Xmp.xmpRights.WebStatement', 'license'],
  ['Xmp.plus.Licensor[0].plus.LicensorURL', 'acquire'],
  ['Xmp.plus.Licensor[1]/plus:LicensorURL', 'acquire'],
  ['Xmp.dc.rights', 'rights'],
  ['Xmp.dc.identifier', 'identifier'],
  ['Xmp.xmp.Identifier', 'identifier'],
  ['Xmp.dc.language', 'language'],
  ['Iptc.Application2.Language', 'language'],
  ['Exif.Image.ImageID', 'identifier'],
  ['Exif.Photo.ImageUniqueID', 'identifier'],
];

/** Metadata fields an image yields. */
export interface ImageMeta {
  name?: string; description?: string; meta?: string; creator?: string; license?: string;
  acquire?: string; rights?: string; identifier?: string; language?: string;
  width?: number; height?: number;
}

/** Read a whole image file, refusing files over {@link IMAGE_MAX_FILE_BYTES}. */
export async function readImageFile(path: string): Promise<Uint8Array> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  if (size > IMAGE_MAX_FILE_BYTES) {
    throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `${path}: ${size} bytes exceeds IMAGE_MAX_FILE_BYTES (${IMAGE_MAX_FILE_BYTES})`, { path });
  }
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot read ${path}: ${(e as Error).message}`, { cause: e, path });
  }
}

/** iscc-sdk `_clean_xmp_value`: drop a leading `lang="..." ` qualifier. */
function cleanXmpValue(v: string): string {
  if (v.startsWith('lang="')) {
    const end = v.indexOf('"', 6);
    if (end > 0 && v.length > end + 2) return v.slice(end + 2).trim();
  }
  return v;
}

const KEY_LINE = /^((?:Exif|Iptc|Xmp)\.[A-Za-z0-9_-]+\.\S+)(?: +(.*))?$/;

/** Parse `exiv2 -PEIXkv` output into key -> value (last one wins, as a Python dict). */
export function parseExiv2(out: string): Map<string, string> {
  const result = new Map<string, string>();
  let key: string | null = null;
  let val = '';
  const flush = (): void => {
    if (key === null) return;
    let v = val.trim();
    if (key.startsWith('Xmp.')) v = cleanXmpValue(v);
    result.set(key, v);
  };
  for (const line of out.split('\n')) {
    const m = KEY_LINE.exec(line);
    if (m) {
      flush();
      key = m[1]!;
      val = m[2] ?? '';
    } else if (key !== null) {
      val += `\n${line}`; // a value that spans lines
    }
  }
  flush();
  return result;
}

/** Raw exiv2 key/value pairs of an image file (empty when it has none). */
export async function exiv2Read(path: string): Promise<Map<string, string>> {
  const tool = await findTool('exiv2');
  // An absolute path cannot be mistaken for an option (exiv2 0.27 mishandles `--`).
  const r = await run(tool.path, ['-q', '-PEIXkv', resolve(path)], { allowFail: true, timeoutMs: 60_000 });
  // exiv2 exits non-zero when a file has no metadata; what it printed is still valid.
  return parseExiv2(r.stdout.toString('utf8'));
}

/**
 * iscc-sdk `image_meta_extract`: metadata mapped to ISCC fields plus width and height.
 * @param buf - the file's bytes when already read (for the dimensions)
 */
export async function imageMetaExtract(path: string, buf?: Uint8Array): Promise<ImageMeta> {
  const raw = await exiv2Read(path);
  const mapped: Record<string, string | number> = {};
  for (const [tag, field] of IMAGE_META_MAP) {
    if (field in mapped) continue;
    const v = raw.get(tag);
    if (v) {
      const clean = textSanitize(v);
      mapped[field] = clean;
    }
  }
  const size = await imageSize(buf ?? (await readImageFile(path)));
  mapped['width'] = size.width;
  mapped['height'] = size.height;
  return mapped as ImageMeta;
}

/** Pixels for sharp when sharp cannot read the file itself (BMP, PSD). */
function ownDecoded(buf: Uint8Array, maxPixels: number | null): PixelImage | null {
  if (bmpSize(buf)) return decodeBmp(buf, maxPixels);
  if (psdSize(buf)) return decodePsd(buf, maxPixels);
  return null;
}

/** iscc-sdk `image_thumbnail` + `image_to_data_url`: a small preview as a data URL. */
export async function imageThumbnail(buf: Uint8Array, options: SdkOptionsInput | SdkOptions = {}): Promise<string> {
  const opts = resolveOptions(options as SdkOptionsInput);
  if (buf.length === 0) throw new SdkError(SDK_ERROR_CODES.DECODE, 'cannot create thumbnail: the file is empty');
  const size = opts.image_thumbnail_size;
  const q = opts.image_thumbnail_quality;
  const fmt = opts.image_thumbnail_format;
  try {
    const own = ownDecoded(buf, opts.image_max_pixels);
    let img = own
      ? sharp(own.data, { raw: { width: own.width, height: own.height, channels: own.channels } })
      : sharp(buf, { pages: 1, failOn: 'truncated', limitInputPixels: opts.image_max_pixels ?? false });
    img = img.removeAlpha().resize(size, size, { fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' }).sharpen({ sigma: 0.5 });
    const out = fmt === 'JPEG' ? img.jpeg({ quality: q }) : fmt === 'AVIF' ? img.avif({ quality: q }) : img.webp({ quality: q });
    const data = await out.toBuffer();
    return `data:image/${fmt.toLowerCase()};base64,${data.toString('base64')}`;
  } catch (e) {
    if (e instanceof SdkError) throw e;
    throw new SdkError(SDK_ERROR_CODES.DECODE, `cannot create thumbnail: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The 1024 normalised grey pixels iscc-sdk hashes for an image file (decode + `imageNormalize`
 * with the image_* options).
 */
export async function imageNormalizeFile(buf: Uint8Array, options: SdkOptionsInput | SdkOptions = {}): Promise<number[]> {
  const opts = resolveOptions(options as SdkOptionsInput);
  const { image, orientation } = await decodeImage(buf, opts.image_max_pixels);
  return imageNormalize(image, {
    orientation,
    image_exif_transpose: opts.image_exif_transpose,
    image_fill_transparency: opts.image_fill_transparency,
    image_trim_border: opts.image_trim_border,
  });
}

/** Result of {@link codeImage}: metadata fields, optional thumbnail and the Image-Code. */
export type ImageCodeMeta = ImageMeta & { thumbnail?: string; iscc: string };

/** iscc-sdk `code_image`: Content-Code Image of a file (with metadata and thumbnail per options). */
export async function codeImage(path: string, options: SdkOptionsInput = {}): Promise<ImageCodeMeta> {
  const opts = resolveOptions(options);
  const buf = await readImageFile(path);
  let meta: ImageMeta & { thumbnail?: string } = {};
  if (opts.extract_meta) meta = await imageMetaExtract(path, buf);
  if (opts.create_thumb) meta.thumbnail = await imageThumbnail(buf, opts);
  const pixels = await imageNormalizeFile(buf, opts);
  const { iscc } = genImageCodeV0(pixels, opts.bits);
  return { ...meta, iscc };
}
