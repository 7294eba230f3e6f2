/**
 * Minimal ID3v2 support for audio tags that ffmpeg does not expose: WAV files keep ID3v2 in
 * an `ID3 ` (or `id3 `) RIFF chunk, which is where TagLib (iscc-sdk) reads and writes the
 * `ISCC:*` tags of a WAV, but ffmpeg 5.1 ignores it.
 *
 * - {@link parseId3v2}: the text frames of an ID3v2.2/2.3/2.4 tag under TagLib's property
 *   names (`TIT2` -> `TITLE`, `TXXX` -> its description upper-cased, `WXXX` -> `URL`, ...;
 *   first value of a frame, first frame of a name wins).
 * - {@link buildId3v2Frames}/{@link buildId3v2}: a tag of text (`T***`) and user text
 *   (`TXXX`) frames, UTF-8 for v2.4 and UTF-16 for v2.3, keeping other frames given raw.
 * - {@link riffChunks}/{@link wavWithId3}: list the chunks of a RIFF file, and a copy of a WAV
 *   whose ID3 chunks are replaced by one new `ID3 ` chunk at the end (audio untouched).
 */
import { SdkError, SDK_ERROR_CODES } from './errors.ts';

/** ID3v2 frame id -> TagLib property name (the frames the audio metadata map can use). */
const FRAME_TO_PROPERTY: Readonly<Record<string, string>> = {
  TIT2: 'TITLE', TPE1: 'ARTIST', TPE2: 'ALBUMARTIST', TCOM: 'COMPOSER', TOPE: 'ORIGINALARTIST',
  TCOP: 'COPYRIGHT', TLAN: 'LANGUAGE', WOAR: 'ARTISTWEBPAGE', TALB: 'ALBUM',
};
/** ID3v2.2 three-letter ids of those frames. */
const V22_IDS: Readonly<Record<string, string>> = {
  TT2: 'TIT2', TP1: 'TPE1', TP2: 'TPE2', TCM: 'TCOM', TOA: 'TOPE', TCR: 'TCOP', TLA: 'TLAN',
  WAR: 'WOAR', TAL: 'TALB', TXX: 'TXXX', WXX: 'WXXX',
};

function syncsafe(b: Uint8Array, o: number): number {
  return ((b[o]! & 0x7f) << 21) | ((b[o + 1]! & 0x7f) << 14) | ((b[o + 2]! & 0x7f) << 7) | (b[o + 3]! & 0x7f);
}

/** Decode ID3 text of `enc` (0 Latin-1, 1 UTF-16 with BOM, 2 UTF-16BE, 3 UTF-8). */
function decodeText(enc: number, b: Uint8Array): string {
  if (enc === 0) return Array.from(b, (c) => String.fromCharCode(c)).join('');
  if (enc === 3) return new TextDecoder('utf-8').decode(b);
  let le = enc === 1;
  let s = b;
  if (enc === 1 && b.length >= 2) {
    if (b[0] === 0xfe && b[1] === 0xff) { le = false; s = b.subarray(2); }
    else if (b[0] === 0xff && b[1] === 0xfe) { le = true; s = b.subarray(2); }
  }
  return new TextDecoder(le ? 'utf-16le' : 'utf-16be').decode(s.subarray(0, s.length - (s.length % 2)));
}

/** Split ID3 text at its terminators (one zero byte, or two aligned for UTF-16). */
function splitText(enc: number, b: Uint8Array): Uint8Array[] {
  const wide = enc === 1 || enc === 2;
  const parts: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i += wide ? 2 : 1) {
    if (b[i] === 0 && (!wide || b[i + 1] === 0)) {
      parts.push(b.subarray(start, i));
      start = i + (wide ? 2 : 1);
    }
  }
  parts.push(b.subarray(start));
  return parts;
}

/** One frame of an ID3v2 tag. */
export interface Id3Frame { id: string; body: Uint8Array }

/** The major version and frames of an ID3v2 tag at the start of `tag`, or null when there is none. */
export function readId3v2(tag: Uint8Array): { version: number; frames: Id3Frame[] } | null {
  if (tag.length < 10 || tag[0] !== 0x49 || tag[1] !== 0x44 || tag[2] !== 0x33) return null;
  const version = tag[3]!;
  if (version < 2 || version > 4) return null;
  const flags = tag[5]!;
  const end = Math.min(tag.length, 10 + syncsafe(tag, 6));
  let pos = 10;
  if (flags & 0x40 && version >= 3) {
    // Extended header: v2.3 size excludes its own 4 bytes; v2.4 size is syncsafe and includes them.
    pos += version === 3 ? 4 + ((tag[10]! << 24) | (tag[11]! << 16) | (tag[12]! << 8) | tag[13]!) : syncsafe(tag, 10);
  }
  const frames: Id3Frame[] = [];
  const hdr = version === 2 ? 6 : 10;
  while (pos + hdr <= end) {
    let id: string;
    let size: number;
    if (version === 2) {
      id = String.fromCharCode(tag[pos]!, tag[pos + 1]!, tag[pos + 2]!);
      size = (tag[pos + 3]! << 16) | (tag[pos + 4]! << 8) | tag[pos + 5]!;
    } else {
      id = String.fromCharCode(tag[pos]!, tag[pos + 1]!, tag[pos + 2]!, tag[pos + 3]!);
      size = version === 4 ? syncsafe(tag, pos + 4) : ((tag[pos + 4]! << 24) | (tag[pos + 5]! << 16) | (tag[pos + 6]! << 8) | tag[pos + 7]!) >>> 0;
    }
    if (!/^[A-Z0-9]{3,4}$/.test(id) || size <= 0 || pos + hdr + size > end) break; // padding or damage
    frames.push({ id: version === 2 ? (V22_IDS[id] ?? id) : id, body: tag.subarray(pos + hdr, pos + hdr + size) });
    pos += hdr + size;
  }
  return { version, frames };
}

/**
 * Text frames of an ID3v2 tag as TagLib property name -> first value (see the module comment).
 * @param tag - bytes starting with the `ID3` header
 */
export function parseId3v2(tag: Uint8Array): Map<string, string> {
  const props = new Map<string, string>();
  const parsed = readId3v2(tag);
  if (!parsed) return props;
  for (const { id, body } of parsed.frames) {
    if (body.length < 1) continue;
    let key: string | undefined;
    let value: string | undefined;
    if (id === 'TXXX' || id === 'WXXX') {
      const enc = body[0]!;
      const [desc = new Uint8Array(), ...rest] = splitText(enc, body.subarray(1));
      const d = decodeText(enc, desc);
      if (id === 'TXXX') {
        key = d.toUpperCase();
        value = rest.length > 0 ? decodeText(enc, rest[0]!) : '';
      } else {
        key = d ? `URL:${d.toUpperCase()}` : 'URL';
        // The URL itself is always Latin-1, after the description's terminator.
        const wide = enc === 1 || enc === 2;
        const descEnd = 1 + desc.length + (wide ? 2 : 1);
        value = decodeText(0, splitText(0, body.subarray(descEnd))[0]!);
      }
    } else if (id.startsWith('T') && FRAME_TO_PROPERTY[id]) {
      key = FRAME_TO_PROPERTY[id];
      value = decodeText(body[0]!, splitText(body[0]!, body.subarray(1))[0]!);
    } else if (id.startsWith('W') && FRAME_TO_PROPERTY[id]) {
      key = FRAME_TO_PROPERTY[id];
      value = decodeText(0, splitText(0, body)[0]!);
    }
    if (key && value !== undefined && !props.has(key)) props.set(key, value);
  }
  return props;
}

function syncsafeBytes(n: number): number[] {
  return [(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f];
}

function encodeText(version: number, s: string): Uint8Array {
  if (version >= 4) return new TextEncoder().encode(s);
  const out = new Uint8Array(2 + s.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 + i * 2] = c & 0xff;
    out[3 + i * 2] = c >> 8;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Frames for `text` (frame id -> value, e.g. `TIT2`) and `user` (TXXX description -> value),
 * encoded for ID3v2.`version` (3 or 4).
 */
export function buildId3v2Frames(version: 3 | 4, text: ReadonlyArray<readonly [string, string]>, user: ReadonlyArray<readonly [string, string]>): Id3Frame[] {
  const enc = version === 4 ? 3 : 1;
  const term = version === 4 ? [0] : [0, 0];
  const frames: Id3Frame[] = [];
  for (const [id, v] of text) frames.push({ id, body: concat([Uint8Array.of(enc), encodeText(version, v)]) });
  for (const [d, v] of user) {
    frames.push({ id: 'TXXX', body: concat([Uint8Array.of(enc), encodeText(version, d), Uint8Array.from(term), encodeText(version, v)]) });
  }
  return frames;
}

/** Serialise frames as an ID3v2.`version` tag (3 or 4), without unsynchronisation. */
export function buildId3v2(version: 3 | 4, frames: readonly Id3Frame[]): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { id, body } of frames) {
    const n = body.length;
    const size = version === 4 ? syncsafeBytes(n) : [(n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
    parts.push(Uint8Array.from([...Array.from(id, (c) => c.charCodeAt(0)), ...size, 0, 0]), body);
  }
  const payload = concat(parts);
  return concat([Uint8Array.from([0x49, 0x44, 0x33, version, 0, 0, ...syncsafeBytes(payload.length)]), payload]);
}

/** A chunk of a RIFF file: its id and where its data lies. */
export interface RiffChunk { id: string; start: number; size: number }

/** Top-level chunks of a RIFF/WAVE file (empty when `buf` is not one). */
export function riffChunks(buf: Uint8Array): RiffChunk[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (buf.length < 12 || String.fromCharCode(...buf.subarray(0, 4)) !== 'RIFF') return [];
  const chunks: RiffChunk[] = [];
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = String.fromCharCode(...buf.subarray(pos, pos + 4));
    const size = dv.getUint32(pos + 4, true);
    chunks.push({ id, start: pos + 8, size: Math.min(size, buf.length - pos - 8) });
    pos += 8 + size + (size & 1);
  }
  return chunks;
}

/** The ID3v2 tag stored in a WAV's `ID3 `/`id3 ` chunk, or null. */
export function wavId3(buf: Uint8Array): Uint8Array | null {
  const c = riffChunks(buf).find((ch) => ch.id === 'ID3 ' || ch.id === 'id3 ');
  return c ? buf.subarray(c.start, c.start + c.size) : null;
}

/**
 * A copy of a WAV file whose ID3 chunks are replaced by one `ID3 ` chunk holding `tag`
 * (appended; the RIFF size is updated).
 * @throws SdkError ISCC_SDK_DECODE when `buf` is not a RIFF file
 */
export function wavWithId3(buf: Uint8Array, tag: Uint8Array): Uint8Array {
  const chunks = riffChunks(buf);
  if (chunks.length === 0) throw new SdkError(SDK_ERROR_CODES.DECODE, 'not a RIFF/WAVE file');
  const keep: Uint8Array[] = [buf.subarray(0, 12)];
  for (const c of chunks) {
    if (c.id === 'ID3 ' || c.id === 'id3 ') continue;
    keep.push(buf.subarray(c.start - 8, Math.min(buf.length, c.start + c.size + (c.size & 1))));
  }
  const head = new Uint8Array(8);
  head.set([0x49, 0x44, 0x33, 0x20]);
  new DataView(head.buffer).setUint32(4, tag.length, true);
  keep.push(head, tag);
  if (tag.length & 1) keep.push(new Uint8Array(1));
  const out = concat(keep);
  new DataView(out.buffer).setUint32(4, out.length - 8, true);
  return out;
}
