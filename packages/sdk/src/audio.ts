/**
 * Audio mode: Audio-Code, audio metadata, cover thumbnails and metadata embedding, as
 * iscc-sdk 0.9.5 `audio.py` / `code_audio`.
 *
 * - {@link audioFeaturesExtract}: Chromaprint fingerprint of the whole file
 *   (`fpcalc -raw -json -signed -length 0`, as iscc-sdk). Debian's fpcalc 1.5.1 exits 3 after
 *   printing a valid result (an FFmpeg 5 end-of-file quirk): accepted. Audio too short to
 *   fingerprint (fpcalc: "Empty fingerprint") gives an empty fingerprint, hence the Audio-Code
 *   of no features, instead of an error. Without fpcalc, ffmpeg's `chromaprint` muxer
 *   (`-f chromaprint -fp_format raw`) gives the same numbers.
 * - {@link audioMetaExtract}: tags via ffprobe (format tags, then audio stream tags, e.g.
 *   Vorbis comments), with ffmpeg's generic names turned back into TagLib's property names
 *   (`album_artist` -> `ALBUMARTIST`, others upper-cased; ID3 `TXXX:ISCC:NAME` arrives as
 *   `ISCC:NAME`; a WAV's ID3 chunk, which ffmpeg ignores, is parsed here and wins), then
 *   iscc-sdk's `AUDIO_META_MAP` (first match per field wins), plus `duration` = TagLib's
 *   length (`audio-length.ts`) rounded to whole seconds (Python `round`). Stream tags count
 *   only in Ogg (Vorbis comments); elsewhere they are container fields TagLib does not show.
 * - {@link audioMetaEmbed}: a copy with `TITLE` and `ISCC:NAME/DESCRIPTION/META/LICENSE/ACQUIRE`
 *   written by `ffmpeg -map 0 -c copy -metadata ...` (AIFF gets an ID3v2 chunk, MP4 a freeform
 *   atom, so the custom keys survive); the audio data is copied, not re-encoded. WAV: ffmpeg
 *   can neither write nor read the `ID3 ` chunk where TagLib keeps these tags, so the copy's
 *   ID3 chunk is rewritten here (`id3.ts`) and read back by {@link audioMetaExtract}.
 * - {@link audioThumbnail}: embedded cover art (copied out by ffmpeg) as a WebP data URL.
 */
import { mkdtemp, open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { genAudioCodeV0 } from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { resolveOptions, type SdkOptions, type SdkOptionsInput } from './options.ts';
import { findTool } from './tools.ts';
import { assertReadable, ffprobe, mediaInput, runMediaTool } from './ffmpeg.ts';
import { pyRound } from './scenes.ts';
import { tagLibLength } from './audio-length.ts';
import { imageThumbnail } from './image.ts';
import { buildId3v2, buildId3v2Frames, parseId3v2, readId3v2, type Id3Frame } from './id3.ts';

/** iscc-sdk `AUDIO_META_MAP`: TagLib property -> metadata field; earlier entries win. */
export const AUDIO_META_MAP: ReadonlyArray<readonly [string, string]> = [
  ['ISCC:NAME', 'name'],
  ['ISCC:DESCRIPTION', 'description'],
  ['ISCC:META', 'meta'],
  ['ISCC:LICENSE', 'license'],
  ['ISCC:ACQUIRE', 'acquire'],
  ['TITLE', 'name'],
  ['COMPOSER', 'creator'],
  ['ORIGINALARTIST', 'creator'],
  ['ARTIST', 'creator'],
  ['ALBUMARTIST', 'creator'],
  ['LICENSE', 'license'],
  ['COPYRIGHT', 'rights'],
  ['LANGUAGE', 'language'],
  ['URL', 'acquire'],
  ['ARTISTWEBPAGE', 'acquire'],
];

/** ffmpeg's generic tag names whose TagLib property name is not just the upper-cased name. */
const FFMPEG_TO_TAGLIB: Readonly<Record<string, string>> = {
  album_artist: 'ALBUMARTIST',
  tope: 'ORIGINALARTIST',
  woar: 'ARTISTWEBPAGE',
};

/** Metadata fields an audio file yields. */
export interface AudioMeta {
  name?: string; description?: string; meta?: string; creator?: string; license?: string;
  acquire?: string; rights?: string; language?: string; duration?: number;
}

/** Result of {@link audioFeaturesExtract} (fpcalc's JSON). */
export interface AudioFeatures {
  /** Length in seconds as the fingerprinter saw it. */
  duration: number;
  /** Chromaprint fingerprint: signed 32-bit integers. */
  fingerprint: number[];
}

/**
 * iscc-sdk `audio_features_extract`: the Chromaprint fingerprint of the whole file.
 * @throws SdkError ISCC_SDK_DECODE when the file has no decodable audio,
 *   ISCC_SDK_TOOL_MISSING when neither fpcalc nor ffmpeg is installed
 */
export async function audioFeaturesExtract(path: string): Promise<AudioFeatures> {
  await assertReadable(path);
  let useFpcalc = true;
  try {
    await findTool('fpcalc');
  } catch (e) {
    if (!(e instanceof SdkError) || e.code !== SDK_ERROR_CODES.TOOL_MISSING) throw e;
    useFpcalc = false;
  }
  return useFpcalc ? fpcalcFeatures(path) : ffmpegChromaprint(path);
}

/** Fingerprint with fpcalc (iscc-sdk's way). */
export async function fpcalcFeatures(path: string): Promise<AudioFeatures> {
  // An absolute path: fpcalc has no `--` and would read a leading `-` as an option.
  const r = await runMediaTool('fpcalc', ['-raw', '-json', '-signed', '-length', '0', resolve(path)], path, [2, 3]);
  const out = r.stdout.toString('utf8').trim();
  if (out) {
    try {
      const j = JSON.parse(out) as { duration?: unknown; fingerprint?: unknown };
      if (Array.isArray(j.fingerprint) && j.fingerprint.every((v) => Number.isInteger(v))) {
        return { duration: typeof j.duration === 'number' ? j.duration : 0, fingerprint: j.fingerprint as number[] };
      }
    } catch {
      // fall through to the error below
    }
  }
  const err = r.stderr.toString('utf8');
  if (r.code === 2 && /Empty fingerprint/.test(err)) {
    // Decoded, but too short to fingerprint.
    return { duration: 0, fingerprint: [] };
  }
  throw new SdkError(SDK_ERROR_CODES.DECODE,
    `fpcalc could not fingerprint ${path} (exit ${r.code}): ${err.trim().split('\n').slice(-2).join(' | ') || 'no output'}`, { path });
}

/** Fingerprint with ffmpeg's chromaprint muxer (same numbers as fpcalc; no duration). */
export async function ffmpegChromaprint(path: string): Promise<AudioFeatures> {
  let r;
  try {
    r = await runMediaTool('ffmpeg', [
      '-loglevel', 'error', '-i', mediaInput(path), '-vn', '-f', 'chromaprint', '-fp_format', 'raw', '-',
    ], path);
  } catch (e) {
    if (e instanceof SdkError && /chromaprint/i.test(e.message) && /(not a suitable output format|Unknown|Requested output format)/i.test(e.message)) {
      throw new SdkError(SDK_ERROR_CODES.TOOL_MISSING,
        'no Chromaprint fingerprinter: fpcalc is not installed and this ffmpeg has no chromaprint muxer. Install it with: apt-get install libchromaprint-tools', { cause: e, path });
    }
    throw e;
  }
  const b = r.stdout;
  const fingerprint: number[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) fingerprint.push(b.readInt32LE(i));
  return { duration: 0, fingerprint };
}

/** Tags of a probe result under TagLib's property names (format tags first, then streams). */
function taglibProperties(probe: Awaited<ReturnType<typeof ffprobe>>): Map<string, string> {
  const props = new Map<string, string>();
  const add = (tags: Record<string, string> | undefined): void => {
    for (const [k, v] of Object.entries(tags ?? {})) {
      const key = FFMPEG_TO_TAGLIB[k.toLowerCase()] ?? k.toUpperCase();
      if (!props.has(key)) props.set(key, v);
    }
  };
  add(probe.format?.tags);
  // ffmpeg puts Vorbis comments of Ogg files on the stream; other formats' stream tags are
  // container fields (track language, handler name) that TagLib does not report.
  if ((probe.format?.format_name ?? '').split(',').includes('ogg')) {
    for (const s of probe.streams ?? []) if (s.codec_type === 'audio') add(s.tags);
  }
  return props;
}

/** Largest ID3 chunk read from a WAV (bytes); bigger ones (huge cover art) are skipped. */
export const WAV_ID3_MAX_BYTES = 64 * 1024 * 1024;

/** The ID3v2 tag in a WAV file's `ID3 ` chunk (reading only chunk headers), or null. */
export async function readWavId3(path: string): Promise<Uint8Array | null> {
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(12);
    if ((await fh.read(head, 0, 12, 0)).bytesRead < 12) return null;
    if (head.toString('latin1', 0, 4) !== 'RIFF' || head.toString('latin1', 8, 12) !== 'WAVE') return null;
    const size = (await fh.stat()).size;
    const ch = Buffer.alloc(8);
    for (let pos = 12; pos + 8 <= size;) {
      await fh.read(ch, 0, 8, pos);
      const id = ch.toString('latin1', 0, 4);
      const len = ch.readUInt32LE(4);
      if (id === 'ID3 ' || id === 'id3 ') {
        if (len > WAV_ID3_MAX_BYTES) return null;
        const tag = Buffer.alloc(Math.min(len, size - pos - 8));
        await fh.read(tag, 0, tag.length, pos + 8);
        return new Uint8Array(tag);
      }
      pos += 8 + len + (len & 1);
    }
    return null;
  } finally {
    await fh.close();
  }
}

/**
 * iscc-sdk `audio_meta_extract`: tags mapped to ISCC fields, and `duration` in whole seconds.
 * @throws SdkError ISCC_SDK_DECODE when the file cannot be read as media
 */
export async function audioMetaExtract(path: string): Promise<AudioMeta> {
  await assertReadable(path);
  const probe = await ffprobe(path);
  const mapped: Record<string, string | number> = {};
  const length = await tagLibLength(path, probe);
  if (length !== null) mapped['duration'] = pyRound(length);
  // ffmpeg does not read a WAV's ID3 chunk (where TagLib keeps the ISCC tags); it comes first.
  const id3 = await readWavId3(path);
  const props = id3 ? parseId3v2(id3) : new Map<string, string>();
  for (const [k, v] of taglibProperties(probe)) if (!props.has(k)) props.set(k, v);
  for (const [tag, field] of AUDIO_META_MAP) {
    if (field in mapped) continue;
    const v = props.get(tag);
    if (v) mapped[field] = v;
  }
  return mapped as AudioMeta;
}

/** iscc-sdk `audio_thumbnail`: the embedded cover art as a thumbnail data URL, if any. */
export async function audioThumbnail(path: string, options: SdkOptionsInput | SdkOptions = {}): Promise<string | undefined> {
  const opts = resolveOptions(options as SdkOptionsInput);
  let cover: Buffer;
  try {
    const r = await runMediaTool('ffmpeg', [
      '-loglevel', 'error', '-i', mediaInput(path), '-an', '-map', '0:v:0', '-c:v', 'copy', '-frames:v', '1', '-f', 'image2pipe', '-',
    ], path);
    cover = r.stdout;
  } catch (e) {
    if (e instanceof SdkError && e.code === SDK_ERROR_CODES.DECODE) return undefined; // no cover
    throw e;
  }
  if (cover.length === 0) return undefined;
  try {
    return await imageThumbnail(new Uint8Array(cover), opts);
  } catch (e) {
    if (e instanceof SdkError) return undefined; // a cover we cannot decode is no cover
    throw e;
  }
}

/** Metadata that {@link audioMetaEmbed} writes. */
export interface AudioEmbedMeta {
  name?: string | null; description?: string | null; meta?: unknown; license?: string | null; acquire?: string | null;
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const s = (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v)).trim();
  return s || undefined;
}

/**
 * iscc-sdk `audio_meta_embed`: write metadata into a copy of the file (in a new temporary
 * directory, same file name) and return the copy's path.
 * @throws SdkError ISCC_SDK_DECODE when ffmpeg cannot rewrite the file
 */
export async function audioMetaEmbed(path: string, meta: AudioEmbedMeta): Promise<string> {
  await assertReadable(path);
  const dir = await mkdtemp(join(tmpdir(), 'iscc-sdk-'));
  const out = join(dir, basename(path));
  const md: string[] = [];
  const set = (k: string, v: string | undefined): void => {
    if (v !== undefined) md.push('-metadata', `${k}=${v}`);
  };
  const name = text(meta.name);
  set('title', name);
  set('ISCC:NAME', name);
  set('ISCC:DESCRIPTION', text(meta.description));
  set('ISCC:META', text(meta.meta));
  set('ISCC:LICENSE', text(meta.license));
  set('ISCC:ACQUIRE', text(meta.acquire));
  const user: Array<[string, string]> = [];
  for (const [k, v] of [['ISCC:NAME', name], ['ISCC:DESCRIPTION', text(meta.description)], ['ISCC:META', text(meta.meta)],
    ['ISCC:LICENSE', text(meta.license)], ['ISCC:ACQUIRE', text(meta.acquire)]] as const) if (v !== undefined) user.push([k, v]);
  const head = await readHead12(path);
  if (head.toString('latin1', 0, 4) === 'RIFF' && head.toString('latin1', 8, 12) === 'WAVE') {
    await writeWavWithId3(path, out, wavId3Tag(await readWavId3(path), name, user));
    return out;
  }
  const ext = extname(path).toLowerCase();
  const extra: string[] = [];
  if (ext === '.aif' || ext === '.aiff') extra.push('-write_id3v2', '1');
  if (['.mp4', '.m4a', '.m4b', '.mov', '.3gp'].includes(ext)) extra.push('-movflags', 'use_metadata_tags');
  // Ogg keeps the Vorbis comment on the stream: the copied stream TITLE would win over ours.
  if (['.ogg', '.oga', '.opus', '.spx'].includes(ext) && name !== undefined) extra.push('-metadata:s:a:0', `title=${name}`);
  await runMediaTool('ffmpeg', [
    '-loglevel', 'error', '-i', mediaInput(path), '-map', '0', '-c', 'copy', ...md, ...extra, mediaInput(out),
  ], path);
  return out;
}

async function readHead12(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(12);
    await fh.read(b, 0, 12, 0);
    return b;
  } finally {
    await fh.close();
  }
}

/**
 * The ID3 tag TagLib would leave in a WAV: `TIT2` = name and the `TXXX` frames of `user`;
 * other frames of the existing v2.3/v2.4 tag `old` are kept (same version).
 */
function wavId3Tag(old: Uint8Array | null, name: string | undefined, user: ReadonlyArray<readonly [string, string]>): Uint8Array {
  const parsed = old ? readId3v2(old) : null;
  const version: 3 | 4 = parsed && parsed.version === 3 ? 3 : 4;
  const replaced = new Set(user.map(([k]) => k.toUpperCase()));
  const kept: Id3Frame[] = [];
  if (parsed && parsed.version >= 3) {
    for (const f of parsed.frames) {
      if (f.id === 'TIT2' && name !== undefined) continue;
      if (f.id === 'TXXX') {
        const d = parseId3v2(buildId3v2(version, [f]));
        if ([...d.keys()].some((k) => replaced.has(k))) continue;
      }
      kept.push(f);
    }
  }
  const fresh = buildId3v2Frames(version, name !== undefined ? [['TIT2', name]] : [], user);
  return buildId3v2(version, [...kept, ...fresh]);
}

/** Bytes copied per read when rewriting a WAV. */
const COPY_BLOCK = 1024 * 1024;

/**
 * Write a copy of the WAV at `path` to `out` without its ID3 chunks and with one new `ID3 `
 * chunk holding `tag` at the end; streams, so WAVs of any size up to RIFF's 4 GiB work.
 * @throws SdkError ISCC_SDK_DECODE for a file that is not RIFF/WAVE, ISCC_SDK_LIMIT_EXCEEDED
 *   when the result would not fit RIFF's 32-bit size
 */
async function writeWavWithId3(path: string, out: string, tag: Uint8Array): Promise<void> {
  const src = await open(path, 'r');
  try {
    const size = (await src.stat()).size;
    const h = Buffer.alloc(12);
    await src.read(h, 0, 12, 0);
    if (h.toString('latin1', 0, 4) !== 'RIFF' || h.toString('latin1', 8, 12) !== 'WAVE') {
      throw new SdkError(SDK_ERROR_CODES.DECODE, `${path} is not a RIFF/WAVE file`, { path });
    }
    const ranges: Array<[number, number]> = [];
    for (let pos = 12; pos + 8 <= size;) {
      await src.read(h, 0, 8, pos);
      const len = h.readUInt32LE(4);
      const next = pos + 8 + len + (len & 1);
      const id = h.toString('latin1', 0, 4);
      if (id !== 'ID3 ' && id !== 'id3 ') ranges.push([pos, Math.min(size, next)]);
      pos = next;
    }
    const pad = tag.length & 1;
    const riffSize = 4 + ranges.reduce((n, [a, b]) => n + b - a, 0) + 8 + tag.length + pad;
    if (riffSize > 0xffffffff) {
      throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `${path}: the tagged copy would exceed RIFF's 4 GiB limit`, { path });
    }
    const dst = await open(out, 'w');
    try {
      const head = Buffer.alloc(12);
      head.write('RIFF', 0, 'latin1');
      head.writeUInt32LE(riffSize, 4);
      head.write('WAVE', 8, 'latin1');
      await dst.write(head);
      const block = Buffer.alloc(COPY_BLOCK);
      for (const [a, b] of ranges) {
        for (let p = a; p < b;) {
          const { bytesRead } = await src.read(block, 0, Math.min(COPY_BLOCK, b - p), p);
          if (bytesRead === 0) break;
          await dst.write(block, 0, bytesRead);
          p += bytesRead;
        }
      }
      const ch = Buffer.alloc(8);
      ch.write('ID3 ', 0, 'latin1');
      ch.writeUInt32LE(tag.length, 4);
      await dst.write(ch);
      await dst.write(tag);
      if (pad) await dst.write(Buffer.alloc(1));
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
}

/** Result of {@link codeAudio}: metadata fields, optional thumbnail and the Audio-Code. */
export type AudioCodeMeta = AudioMeta & { thumbnail?: string; iscc: string };

/**
 * iscc-sdk `code_audio`: Content-Code Audio of a file, with metadata and cover thumbnail per
 * options (`extract_meta`, `create_thumb`, `bits`).
 * @throws SdkError ISCC_SDK_DECODE for files without decodable audio
 */
export async function codeAudio(path: string, options: SdkOptionsInput | SdkOptions = {}): Promise<AudioCodeMeta> {
  const opts = resolveOptions(options as SdkOptionsInput);
  await assertReadable(path);
  let meta: AudioMeta & { thumbnail?: string } = {};
  if (opts.extract_meta) meta = await audioMetaExtract(path);
  if (opts.create_thumb) {
    const t = await audioThumbnail(path, opts);
    if (t) meta.thumbnail = t;
  }
  const features = await audioFeaturesExtract(path);
  const { iscc } = genAudioCodeV0(features.fingerprint, opts.bits);
  return { ...meta, iscc };
}
