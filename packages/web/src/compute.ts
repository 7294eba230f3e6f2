/**
 * ISCC of a local file, computed in the browser with @iscc-ts/core the way iscc-sdk's
 * `code_iscc` computes it with default options (64-bit units, not wide):
 *
 * 1. Mode from the first bytes and the name: JPEG/PNG -> image, .txt/.md/.markdown (or a
 *    `text/plain`/`text/markdown` type) -> text; anything else gets Data + Instance only
 *    (an ISCC-SUM) plus the Meta-Code.
 * 2. Data-Code and Instance-Code: the file is streamed once through `DataHasherV0` and
 *    `InstanceHasherV0` (never loaded whole for this), reporting progress.
 * 3. Content-Code: text decoded as the sdk decodes plain text (BOM, else UTF-8, else
 *    windows-1252), `textClean`, `genTextCodeV0`; images decoded exactly (`image.ts`), then
 *    `imageNormalize` (Pillow-exact, EXIF orientation, transparency, border trim) and
 *    `genImageCodeV0`.
 * 4. Meta-Code from the title the user typed, else the file name as the sdk derives it
 *    (`textNameFromUri`: base name without extension, `-` and `_` as spaces). The sdk also
 *    reads titles embedded in images and documents, which the page does not: for such files
 *    the Meta-Code (and so the ISCC-CODE) can differ while every other unit is the same.
 * 5. ISCC-CODE: `genIsccCodeV0([meta, content?, data, instance])`.
 */
import {
  DataHasherV0,
  InstanceHasherV0,
  genImageCodeV0,
  genIsccCodeV0,
  genMetaCodeV0,
  genTextCodeV0,
  imageNormalize,
  textClean,
} from '@iscc-ts/core';
import { decodeImageFile, sniffImage } from './image.ts';

/** What the page knows about one file after computing its ISCC. */
export interface FileIscc {
  filename: string;
  filesize: number;
  mode: 'image' | 'text' | 'sum';
  /** The ISCC-CODE (`ISCC:` prefixed). */
  iscc: string;
  /** Units in code order: Meta, Content (when the mode has one), Data, Instance. */
  units: string[];
  name: string;
  description?: string;
  metahash: string;
  datahash: string;
  /** Characters of the cleaned text (text mode). */
  characters?: number;
  /** Pixel size (image mode). */
  width?: number;
  height?: number;
  /** Why the Content-Code is missing, when the mode should have had one. */
  contentNote?: string;
}

/** Options for {@link computeIscc}. */
export interface ComputeOptions {
  /** Title for the Meta-Code (default: from the file name). */
  title?: string;
  description?: string;
  /** Called with the share of bytes hashed (0..1). */
  onProgress?: (fraction: number, stage: string) => void;
  /** Bytes per read while streaming (default 1 MiB). */
  chunkSize?: number;
}

const TEXT_EXT = /\.(txt|text|md|markdown)$/i;

/** iscc-sdk `text_name_from_uri` for a plain file name. */
export function nameFromFilename(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? filename;
  const dot = base.lastIndexOf('.');
  let name = base;
  // Python os.path.splitext: a leading dot (or only dots) does not start an extension.
  if (dot > 0 && /[^.]/.test(base.slice(0, dot))) name = base.slice(0, dot);
  return name.replaceAll('-', ' ').replaceAll('_', ' ');
}

/** Processing mode of a file from its first bytes, name and type. */
export function modeOf(head: Uint8Array, filename: string, type: string): FileIscc['mode'] {
  if (sniffImage(head)) return 'image';
  if (TEXT_EXT.test(filename) || type === 'text/plain' || type === 'text/markdown') return 'text';
  return 'sum';
}

/** Code points of windows-1252 bytes 0x80..0x9F (WHATWG mapping; the 5 unassigned bytes map to themselves). */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * windows-1252 by the table: browsers' TextDecoder has it, but some engines (Node) treat the
 * label as Latin-1, and the page's helpers must decode alike everywhere.
 */
function decodeWindows1252(data: Uint8Array): string {
  const latin = new TextDecoder('latin1').decode(data);
  return latin.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
}

/** The text of a plain text file as the sdk decodes it: BOM, else UTF-8, else windows-1252. */
export function decodeText(data: Uint8Array): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return new TextDecoder('utf-8').decode(data.subarray(3));
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return decodeWindows1252(data);
  }
}

/** Stream a Blob through the Data and Instance hashers. */
async function hashBlob(blob: Blob, onProgress: (f: number) => void, chunkSize: number): Promise<{ data: string; instance: string; datahash: string }> {
  const dh = new DataHasherV0();
  const ih = new InstanceHasherV0();
  let done = 0;
  let lastReport = 0;
  // Slices rather than blob.stream(): bounded reads of a known size, and every await lets the
  // page repaint the progress bar.
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    const part = new Uint8Array(await blob.slice(offset, offset + chunkSize).arrayBuffer());
    dh.push(part);
    ih.push(part);
    done += part.length;
    const now = performance.now();
    if (now - lastReport > 50) {
      lastReport = now;
      onProgress(done / blob.size);
    }
  }
  onProgress(1);
  return { data: dh.code(64), instance: ih.code(64), datahash: ih.multihash() };
}

/** Compute the ISCC of a file in the browser (module comment). */
export async function computeIscc(file: File, options: ComputeOptions = {}): Promise<FileIscc> {
  const progress = options.onProgress ?? (() => undefined);
  const head = new Uint8Array(await file.slice(0, 64).arrayBuffer());
  const mode = modeOf(head, file.name, file.type);
  const out: Partial<FileIscc> = { filename: file.name, filesize: file.size, mode };

  progress(0, 'Hashing data');
  const hashed = await hashBlob(file, (f) => progress(f, 'Hashing data'), options.chunkSize ?? 1 << 20);
  out.datahash = hashed.datahash;

  let content: string | null = null;
  if (mode === 'text') {
    progress(1, 'Reading text');
    const text = textClean(decodeText(new Uint8Array(await file.arrayBuffer())));
    const r = genTextCodeV0(text, 64);
    content = r.iscc;
    out.characters = r.characters;
  } else if (mode === 'image') {
    progress(1, 'Decoding image');
    try {
      const { image, orientation } = await decodeImageFile(new Uint8Array(await file.arrayBuffer()));
      const pixels = imageNormalize(image, { orientation });
      content = genImageCodeV0(pixels, 64).iscc;
      const swap = orientation >= 5 && orientation <= 8;
      out.width = swap ? image.height : image.width;
      out.height = swap ? image.width : image.height;
    } catch (e) {
      out.contentNote = (e as Error).message;
    }
  }

  const title = options.title?.trim() ? options.title : nameFromFilename(file.name);
  const meta = genMetaCodeV0(title, options.description || undefined, undefined, 64);
  out.name = meta.name;
  if (meta.description) out.description = meta.description;
  out.metahash = meta.metahash;

  const units = [meta.iscc, ...(content ? [content] : []), hashed.data, hashed.instance];
  out.units = units;
  out.iscc = genIsccCodeV0(units, false).iscc;
  return out as FileIscc;
}
