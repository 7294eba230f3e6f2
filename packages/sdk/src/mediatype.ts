/**
 * Media type detection and processing modes, as iscc-sdk 0.9.5 `mediatype.py` decides them.
 *
 * 1. From the name: Python's `mimetypes.guess_type` (strict table, Debian's /etc/mime.types,
 *    iscc-sdk's additions) - a snapshot in `_mimetypes.ts`; compressed suffixes (.gz, ...)
 *    give no type.
 * 2. From the content (first 4096 bytes): `file-type`, with its answers renamed to the names
 *    iscc-sdk's sniffer (puremagic 1.30) gives, plus TIFF/JSON/HTML signatures file-type
 *    misses. Like puremagic there is no plain-text or XML sniff: such files are recognised by
 *    their extension. (Where file-type is more precise than puremagic - ODF/OOXML files
 *    without a known extension - we keep file-type's answer.)
 * 3. Both normalised (`MEDIATYPE_NORM`). When they disagree the name wins if it is supported
 *    (or the content is generic XML); the content wins if only it is supported; otherwise
 *    the name. Ogg: the name decides audio or video. Generic XML with an `<svg>` root is SVG.
 *    Nothing found: `application/octet-stream`.
 * 4. The mode: `SUPPORTED_MEDIATYPES[type].mode`, else the top-level type when it is
 *    text/image/audio/video, else unsupported.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { EXT_TYPES, SUFFIX_MAP, ENCODINGS_MAP } from './_mimetypes.ts';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';

/** Processing modes. */
export type Mode = 'text' | 'image' | 'audio' | 'video';

/** Bytes read from the start of a file for sniffing (iscc-sdk reads 4096). */
export const SNIFF_SIZE = 4096;

const T = 'text', I = 'image', A = 'audio', V = 'video';
/** iscc-sdk 0.9.5 `SUPPORTED_MEDIATYPES`: media type -> mode and extensions. */
export const SUPPORTED_MEDIATYPES: Readonly<Record<string, { mode: Mode; ext: string | string[] }>> = {
  'application/rtf': { mode: T, ext: 'rtf' },
  'application/msword': { mode: T, ext: 'doc' },
  'application/pdf': { mode: T, ext: 'pdf' },
  'application/epub+zip': { mode: T, ext: 'epub' },
  'text/xml': { mode: T, ext: 'xml' },
  'application/json': { mode: T, ext: 'json' },
  'application/xhtml+xml': { mode: T, ext: 'xhtml' },
  'application/vnd.oasis.opendocument.text': { mode: T, ext: 'odt' },
  'text/html': { mode: T, ext: 'html' },
  'text/plain': { mode: T, ext: 'txt' },
  'application/x-ibooks+zip': { mode: T, ext: 'ibooks' },
  'text/markdown': { mode: T, ext: ['md', 'markdown'] },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { mode: T, ext: 'docx' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { mode: T, ext: 'xlsx' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { mode: T, ext: 'pptx' },
  'application/vnd.ms-powerpoint': { mode: T, ext: 'ppt' },
  'application/vnd.ms-excel': { mode: T, ext: 'xls' },
  'image/bmp': { mode: I, ext: 'bmp' },
  'image/gif': { mode: I, ext: 'gif' },
  'image/jpeg': { mode: I, ext: ['jpg', 'jpeg'] },
  'image/png': { mode: I, ext: 'png' },
  'image/tiff': { mode: I, ext: 'tif' },
  'image/vnd.adobe.photoshop': { mode: I, ext: 'psd' },
  'application/postscript': { mode: I, ext: 'eps' },
  'image/avif': { mode: I, ext: 'avif' },
  'image/heic': { mode: I, ext: 'heic' },
  'image/svg+xml': { mode: I, ext: 'svg' },
  'audio/mpeg': { mode: A, ext: 'mp3' },
  'audio/wav': { mode: A, ext: 'wav' },
  'audio/x-wav': { mode: A, ext: 'wav' },
  'audio/ogg': { mode: A, ext: 'ogg' },
  'audio/aiff': { mode: A, ext: 'aif' },
  'audio/x-aiff': { mode: A, ext: 'aif' },
  'audio/x-flac': { mode: A, ext: 'flac' },
  'audio/opus': { mode: A, ext: 'opus' },
  'audio/x-wavpack': { mode: A, ext: 'wv' },
  'application/vnd.rn-realmedia': { mode: V, ext: 'rm' },
  'video/x-dirac': { mode: V, ext: 'drc' },
  'video/3gpp': { mode: V, ext: '3gp' },
  'video/3gpp2': { mode: V, ext: '3g2' },
  'video/x-ms-asf': { mode: V, ext: 'asf' },
  'video/avi': { mode: V, ext: 'avi' },
  'video/webm': { mode: V, ext: 'webm' },
  'video/mpeg': { mode: V, ext: ['mpeg', 'mpg', 'm1v', 'vob'] },
  'video/mp4': { mode: V, ext: 'mp4' },
  'video/x-m4v': { mode: V, ext: 'm4v' },
  'video/x-matroska': { mode: V, ext: 'mkv' },
  'video/ogg': { mode: V, ext: ['ogg', 'ogv'] },
  'video/quicktime': { mode: V, ext: ['mov', 'f4v'] },
  'video/x-flv': { mode: V, ext: 'flv' },
  'application/x-shockwave-flash': { mode: V, ext: 'swf' },
  'video/h264': { mode: V, ext: 'h264' },
  'video/x-ms-wmv': { mode: V, ext: 'wmv' },
};

/** iscc-sdk `MEDIATYPE_NORM`: aliases folded onto one name. */
export const MEDIATYPE_NORM: Readonly<Record<string, string>> = {
  'audio/x-aiff': 'audio/aiff',
  'audio/x-wav': 'audio/wav',
  'image/x-ms-bmp': 'image/bmp',
  'video/x-msvideo': 'video/avi',
  'application/ogg': 'video/ogg',
  'application/xml': 'text/xml',
  'application/vnd.ms-asf': 'video/x-ms-asf',
  'application/vnd.adobe.flash.movie': 'application/x-shockwave-flash',
};

/** Content types that yield to a supported name (iscc-sdk `_GENERIC_SNIFF_TYPES`). */
const GENERIC_SNIFF_TYPES = new Set(['text/xml', 'application/xml']);

/**
 * file-type's names -> the names iscc-sdk's sniffer (puremagic 1.30, via python-magic-pure)
 * reports for the same content, so that files named without a supported extension land on
 * iscc-sdk's media type. `null`: puremagic has no (or an empty) answer there.
 * Checked on every shared sample against puremagic 1.30.
 */
const FILE_TYPE_RENAME: Readonly<Record<string, string | null>> = {
  'audio/wav': 'audio/wave',
  'audio/aiff': 'audio/x-aiff',
  'audio/wavpack': 'audio/x-wavpack',
  'audio/ogg': 'application/ogg',
  'audio/opus': 'application/ogg',
  'video/ogg': 'application/ogg',
  'audio/vnd.dolby.dd-raw': 'audio/ac3',
  'audio/x-m4a': 'audio/mp4',
  'image/bmp': 'image/x-ms-bmp',
  'video/vnd.avi': 'video/avi',
  'video/matroska': 'video/x-matroska',
  'video/MP1S': 'video/dvd',
  'video/MP2P': 'video/dvd',
  'video/3gpp': 'video/mp4',
  'video/3gpp2': 'video/mp4',
  'video/x-m4v': 'video/mp4',
  'video/x-ms-asf': 'video/x-ms-wmv',
  'application/vnd.rn-realmedia': 'audio/x-pn-realaudio',
  'application/x-cfb': null,
  'application/x-sqlite3': null,
  'application/xml': null,
};

/** iscc-sdk `mediatype_normalize`. */
export function mediatypeNormalize(mime: string): string;
export function mediatypeNormalize(mime: string | null): string | null;
export function mediatypeNormalize(mime: string | null): string | null {
  if (mime === null) return null;
  return MEDIATYPE_NORM[mime] ?? mime;
}

/** iscc-sdk `mediatype_supported`: has the (normalised) type an entry in SUPPORTED_MEDIATYPES? */
export function mediatypeSupported(mime: string | null): boolean {
  return mime !== null && Object.hasOwn(SUPPORTED_MEDIATYPES, mediatypeNormalize(mime));
}

/** Python `posixpath.splitext`: leading dots of the last component do not start an extension. */
function splitext(p: string): [string, string] {
  const sep = p.lastIndexOf('/');
  const dot = p.lastIndexOf('.');
  if (dot > sep) {
    // An extension needs a non-dot character before it in the last component.
    for (let i = sep + 1; i < dot; i++) {
      if (p[i] !== '.') return [p.slice(0, dot), p.slice(dot)];
    }
  }
  return [p, ''];
}

/**
 * iscc-sdk `mediatype_from_name`: Python `mimetypes.guess_type(name)` (strict), `null` when
 * unknown or when the name marks a compressed file (`.gz`, `.svgz`, ...).
 */
export function mediatypeFromName(name: string): string | null {
  let [base, ext] = splitext(name);
  for (let guard = 0; guard < 16 && Object.hasOwn(SUFFIX_MAP, ext.toLowerCase()); guard++) {
    [base, ext] = splitext(base + SUFFIX_MAP[ext.toLowerCase()]!);
  }
  if (Object.hasOwn(ENCODINGS_MAP, ext)) return null;
  ext = ext.toLowerCase();
  return Object.hasOwn(EXT_TYPES, ext) ? EXT_TYPES[ext]! : null;
}

const XML_COMMENT_RE = /<!--[\s\S]*?-->/g;
const FIRST_ELEM_RE = /<([a-zA-Z][\w.-]*)/;

/** iscc-sdk `_has_svg_root`: first element `<svg>` and the SVG namespace declared. */
function hasSvgRoot(data: Uint8Array): boolean {
  const text = new TextDecoder('latin1').decode(data).replace(XML_COMMENT_RE, '');
  const m = FIRST_ELEM_RE.exec(text);
  return m !== null && m[1] === 'svg'
    && (text.includes('xmlns="http://www.w3.org/2000/svg"') || text.includes("xmlns='http://www.w3.org/2000/svg'"));
}

/**
 * iscc-sdk `mediatype_from_data`: the media type from the first bytes, `null` when unknown.
 * Binary formats by file-type (renamed to puremagic's names), a few text signatures.
 */
export async function mediatypeFromData(data: Uint8Array): Promise<string | null> {
  const head = data.subarray(0, SNIFF_SIZE);
  let found: string | null = null;
  try {
    const ft = await fileTypeFromBuffer(head);
    if (ft) found = ft.mime.split(';')[0]!.trim();
  } catch {
    found = null; // a sniffer failure is "unknown", as in iscc-sdk
  }
  if (found !== null) return Object.hasOwn(FILE_TYPE_RENAME, found) ? FILE_TYPE_RENAME[found]! : found;
  // Signatures puremagic knows and file-type misses within the first 4096 bytes.
  const b = head;
  if (b.length >= 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a))) {
    return 'image/tiff'; // a TIFF whose first IFD lies beyond the sniffed bytes
  }
  const start = new TextDecoder('latin1').decode(head.subarray(0, 256));
  if (start.startsWith('{')) return 'application/json';
  if (/^(<!DOCTYPE|<!doctype|<!DocType|<!Doctype|<html|<body|<BODY|<h1|<H1|<!--)/.test(start)) return 'text/html';
  // No XML sniff: puremagic has no answer for XML either, so such files are recognised by name.
  return null;
}

/** iscc-sdk `mediatype_clean`: first entry of a list, parameters after `;` dropped, trimmed. */
export function mediatypeClean(mime: string | string[]): string {
  let m = Array.isArray(mime) ? (mime[0] ?? '') : mime;
  m = m.split(';')[0]!;
  return m.trim();
}

/**
 * iscc-sdk `mediatype_guess`: combine the name's and the content's answers (module comment,
 * step 3). Always returns a media type (`application/octet-stream` when nothing is known).
 */
export async function mediatypeGuess(data: Uint8Array, fileName?: string | null): Promise<string> {
  let guessName = fileName ? mediatypeFromName(fileName) : null;
  let guessData = await mediatypeFromData(data);
  guessData = mediatypeNormalize(guessData);
  guessName = mediatypeNormalize(guessName);
  let mediaType: string | null;
  if (guessName && guessData && guessName !== guessData) {
    const nameOk = mediatypeSupported(guessName);
    const dataOk = mediatypeSupported(guessData);
    if ((nameOk && !dataOk) || (nameOk && GENERIC_SNIFF_TYPES.has(guessData))) mediaType = guessName;
    else if (dataOk && !nameOk) mediaType = guessData;
    else mediaType = guessName;
  } else {
    mediaType = guessName || guessData;
  }
  if (guessName && guessData && guessName !== guessData && guessName.includes('ogg') && guessData.includes('ogg')) {
    mediaType = guessName;
  }
  if (mediaType !== null && GENERIC_SNIFF_TYPES.has(mediaType) && data.length > 0 && hasSvgRoot(data.subarray(0, SNIFF_SIZE))) {
    mediaType = 'image/svg+xml';
  }
  return mediaType ?? 'application/octet-stream';
}

/**
 * iscc-sdk `mediatype_to_mode`: the processing mode of a media type.
 * @throws SdkError ISCC_SDK_UNSUPPORTED_MEDIATYPE when there is none
 */
export function mediatypeToMode(mime: string): Mode {
  const m = mediatypeClean(mime);
  const entry = Object.hasOwn(SUPPORTED_MEDIATYPES, m) ? SUPPORTED_MEDIATYPES[m] : undefined;
  if (entry) return entry.mode;
  const top = m.split('/')[0];
  if (top === 'text' || top === 'image' || top === 'audio' || top === 'video') return top;
  throw new SdkError(SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE, `No known processing mode for ${m}`);
}

/** The processing mode, or `null` for unsupported media types. */
export function mediatypeToModeOrNull(mime: string): Mode | null {
  try {
    return mediatypeToMode(mime);
  } catch {
    return null;
  }
}

/** Read up to `n` bytes from the start of a file. */
export async function readHead(path: string, n: number = SNIFF_SIZE): Promise<Uint8Array> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  try {
    const buf = new Uint8Array(n);
    let got = 0;
    while (got < n) {
      const { bytesRead } = await fh.read(buf, got, n - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot read ${path}: ${(e as Error).message}`, { cause: e, path });
  } finally {
    await fh.close();
  }
}

/**
 * iscc-sdk `mediatype_and_mode`: media type and mode of a file (`fileName` overrides the
 * name used for guessing).
 * @throws SdkError ISCC_SDK_UNSUPPORTED_MEDIATYPE when the type has no mode
 */
export async function mediatypeAndMode(path: string, fileName?: string): Promise<[string, Mode]> {
  const head = await readHead(path);
  const mediatype = await mediatypeGuess(head, fileName ?? basename(path));
  const mode = mediatypeToModeOrNull(mediatype);
  if (mode === null) {
    throw new SdkError(SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE, `Unsupported mediatype ${mediatype} for ${basename(path)}`, { path });
  }
  return [mediatype, mode];
}
