/**
 * Video mode: Video-Code, scenes and granular features, video metadata, thumbnails and
 * metadata embedding, as iscc-sdk 0.9.5 `video.py` / `code_video`.
 *
 * - {@link videoMp7sigExtract}: `ffmpeg -i FILE -vf fps=fps=N,signature=format=binary:filename=SIG
 *   -f null -` -> the binary MPEG-7 signature (parsed by `mp7.ts`).
 * - {@link videoMp7sigExtractScenes}: the same signature and, in the same decode, the scene
 *   score of every frame (`split`, `select='gte(scene,0)',metadata=print:file=...`) ->
 *   cut points (`scenes.ts`).
 * - {@link codeVideo}: (metadata) + (thumbnail) + signature -> frame vectors ->
 *   `genVideoCodeV0`; with `granular`, per-scene simprints as `features`.
 * - {@link videoMetaExtract}: ffprobe (duration = largest of container and video stream
 *   durations, rounded to whole seconds; width, height; fps from `r_frame_rate` rounded to
 *   ms; title; language of the container or first tagged stream, normalised like Python
 *   `langcodes.standardize_tag` for ISO 639 codes) updated by ffmpeg's FFMETADATA dump mapped
 *   with iscc-sdk's `VIDEO_META_MAP` (first match per field wins).
 * - {@link videoMetaEmbed}: an FFMETADATA file (`iscc_name`, `iscc_description`, `iscc_meta`,
 *   `author`, `copyright`, `license`, `acquire`, escaped as iscc-sdk does) muxed into a copy
 *   with `-map_metadata 1 -codec copy` (`-movflags use_metadata_tags` for MP4/MOV).
 * - {@link videoThumbnail}: ffmpeg's `thumbnail` filter picks a representative frame,
 *   scaled to `image_thumbnail_size` wide -> WebP data URL.
 *
 * A file without a video stream (e.g. an audio-only MP4) is ISCC_SDK_DECODE.
 */
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import { genVideoCodeV0 } from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { resolveOptions, type SdkOptions, type SdkOptionsInput } from './options.ts';
import {
  assertReadable, escapeFilterValue, ffprobe, mediaInput, runMediaTool, withTempDir, type ProbeResult,
} from './ffmpeg.ts';
import { readMp7Signature, type Mp7Frame } from './mp7.ts';
import { pyRound, videoComputeGranular, videoParseScenes, type VideoFeatures } from './scenes.ts';
import sharp from 'sharp';
import { standardizeLanguageTag } from './language.ts';

/** iscc-sdk `VIDEO_META_MAP`: ffmpeg metadata key -> metadata field; earlier entries win. */
export const VIDEO_META_MAP: ReadonlyArray<readonly [string, string]> = [
  ['iscc_name', 'name'],
  ['iscc_description', 'description'],
  ['iscc_meta', 'meta'],
  ['title', 'name'],
  ['track', 'name'],
  ['show', 'name'],
  ['album', 'name'],
  ['description', 'description'],
  ['synopsis', 'description'],
  ['comment', 'description'],
  ['author', 'creator'],
  ['composer', 'creator'],
  ['artist', 'creator'],
  ['album_artist', 'creator'],
  ['copyright', 'rights'],
  ['license', 'license'],
  ['acquire', 'acquire'],
];

/** Metadata fields a video yields. */
export interface VideoMeta {
  name?: string; description?: string; meta?: string; creator?: string; rights?: string;
  license?: string; acquire?: string; language?: string;
  duration?: number; width?: number; height?: number; fps?: number;
}

/** Check that ffprobe found a video stream; return the first. */
function videoStream(probe: ProbeResult, path: string): NonNullable<ProbeResult['streams']>[number] {
  const vs = (probe.streams ?? []).filter((s) => s.codec_type === 'video');
  if (vs.length === 0) throw new SdkError(SDK_ERROR_CODES.DECODE, `no video stream detected in ${path}`, { path });
  return vs[0]!;
}

/** iscc-sdk `video_meta_extract_ffprobe`: duration, size, fps, title, language. */
export async function videoMetaExtractFfprobe(path: string): Promise<VideoMeta> {
  const probe = await ffprobe(path);
  const vstream = videoStream(probe, path);
  const meta: VideoMeta = {};
  const durations = [probe.format?.duration, ...(probe.streams ?? []).filter((s) => s.codec_type === 'video').map((s) => s.duration)]
    .filter((d): d is string => d !== undefined && d !== null).map(Number).filter((d) => !Number.isNaN(d));
  if (durations.length > 0) meta.duration = pyRound(Math.max(...durations));
  if (vstream.height !== undefined) meta.height = vstream.height;
  if (vstream.width !== undefined) meta.width = vstream.width;
  const fr = vstream.r_frame_rate;
  if (fr) {
    const [n, d = '1'] = fr.split('/');
    const fps = Number(n) / Number(d);
    if (Number.isFinite(fps) && fps > 0) meta.fps = pyRound(fps, 3);
  }
  const title = probe.format?.tags?.['title'];
  if (title) meta.name = title;
  const langs: string[] = [];
  const flang = probe.format?.tags?.['language'];
  if (flang) langs.push(flang);
  for (const s of probe.streams ?? []) {
    const l = s.tags?.['language'];
    if (l !== undefined && l !== null) langs.push(l);
  }
  if (langs.length > 0) meta.language = standardizeLanguageTag(langs[0]!);
  return meta;
}

/** Undo FFMETADATA escaping exactly as iscc-sdk does (so `\\n` written by embed reads as a newline). */
function unescapeFfmeta(v: string): string {
  return v.replaceAll('\\=', '=').replaceAll('\\;', ';').replaceAll('\\#', '#').replaceAll('\\\\n', '\n').replaceAll('\\\\', '\\');
}

/**
 * Parse ffmpeg's FFMETADATA dump into lower-cased key -> value (global section only; a
 * value continued on the next line by a trailing backslash is joined with a newline).
 */
export function parseFfmetadata(text: string): Map<string, string> {
  const meta = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (line.startsWith('[')) break; // [CHAPTER]/[STREAM] sections: not global metadata
    if (line.startsWith(';FFMETA') || line.startsWith(';') || line.startsWith('#') || !line.includes('=')) continue;
    // An unescaped trailing backslash continues the value on the next line.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < lines.length) line = `${line.slice(0, -1)}\n${lines[++i]!}`;
    const eq = line.indexOf('=');
    const key = line.slice(0, eq).toLowerCase();
    const value = line.slice(eq + 1);
    if (value) meta.set(key, unescapeFfmeta(value));
  }
  return meta;
}

/** iscc-sdk `video_meta_extract_ffmpeg`: container metadata mapped with `VIDEO_META_MAP`. */
export async function videoMetaExtractFfmpeg(path: string): Promise<VideoMeta> {
  const r = await runMediaTool('ffmpeg', ['-loglevel', 'error', '-i', mediaInput(path), '-movflags', 'use_metadata_tags', '-f', 'ffmetadata', '-'], path);
  const meta = parseFfmetadata(new TextDecoder('utf-8').decode(r.stdout));
  const mapped: Record<string, string> = {};
  for (const [tag, field] of VIDEO_META_MAP) {
    if (field in mapped) continue;
    const v = meta.get(tag);
    if (v) mapped[field] = v;
  }
  return mapped as VideoMeta;
}

/**
 * iscc-sdk `video_meta_extract`: ffprobe's fields updated by the container metadata.
 * @throws SdkError ISCC_SDK_DECODE for files ffprobe cannot read or without a video stream
 */
export async function videoMetaExtract(path: string): Promise<VideoMeta> {
  await assertReadable(path);
  const a = await videoMetaExtractFfprobe(path);
  const b = await videoMetaExtractFfmpeg(path);
  return { ...a, ...b };
}

/**
 * Keep going when some frames fail to decode (ffmpeg otherwise exits 69 once more than 2/3 of
 * the frames fail, as Debian's Theora decoder does on the Ogg sample): the signature of the
 * frames that did decode is still written; a video of which nothing decodes yields no frames
 * and fails below with ISCC_SDK_DECODE. (iscc-sdk 0.9.5 raises on exit 69 instead.)
 */
const TOLERANT = ['-max_error_rate', '1'];

/** Signature filter for `fps` frames per second writing to `sigPath` (0 = every frame). */
function sigFilter(fps: number, sigPath: string): string {
  const sig = `signature=format=binary:filename=${escapeFilterValue(sigPath)}`;
  return fps > 0 ? `fps=fps=${fps},${sig}` : sig;
}

/**
 * Run a signature extraction; ffmpeg 5.1's `signature` filter dies with SIGFPE when no frame
 * reaches it (a video shorter than one frame at `fps`, or nothing decodable): say so.
 */
async function signing(path: string, fps: number, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof SdkError && /crashed \(SIGFPE\)/.test(e.message)) {
      throw new SdkError(SDK_ERROR_CODES.DECODE,
        `no video frame of ${path} could be signed at ${fps > 0 ? `${fps} fps` : 'full rate'} (video too short or not decodable; ffmpeg's signature filter crashed)`, { cause: e, path });
    }
    throw e;
  }
}

async function readSig(sigPath: string, path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(sigPath));
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `ffmpeg wrote no video signature for ${path} (no decodable video?)`, { cause: e, path });
  }
}

/**
 * iscc-sdk `video_mp7sig_extract`: the raw MPEG-7 signature at `video_fps` frames per second.
 * @throws SdkError ISCC_SDK_DECODE when the video cannot be decoded
 */
export async function videoMp7sigExtract(path: string, options: SdkOptionsInput | SdkOptions = {}): Promise<Uint8Array> {
  const opts = resolveOptions(options as SdkOptionsInput);
  await assertReadable(path);
  return withTempDir(async (dir) => {
    const sigPath = join(dir, 'signature.bin');
    await signing(path, opts.video_fps, () => runMediaTool('ffmpeg', [
      '-loglevel', 'error', ...TOLERANT, '-i', mediaInput(path), '-an', '-sn', '-vf', sigFilter(opts.video_fps, sigPath), '-f', 'null', '-',
    ], path));
    return readSig(sigPath, path);
  });
}

/**
 * The MPEG-7 signature and ffmpeg's per-frame scene scores (`metadata=print` text) from one
 * decode: the raw material of {@link videoMp7sigExtractScenes}.
 */
export async function videoMp7sigAndSceneScores(
  path: string,
  options: SdkOptionsInput | SdkOptions = {},
): Promise<{ sig: Uint8Array; sceneText: string }> {
  const opts = resolveOptions(options as SdkOptionsInput);
  await assertReadable(path);
  return withTempDir(async (dir) => {
    const sigPath = join(dir, 'signature.bin');
    const scenePath = join(dir, 'scenes.txt');
    const sceneCmd = `select='gte(scene,0)',metadata=print:file=${escapeFilterValue(scenePath)}`;
    await signing(path, opts.video_fps, () => runMediaTool('ffmpeg', [
      '-loglevel', 'error', ...TOLERANT, '-i', mediaInput(path), '-an', '-sn',
      '-filter_complex', `split[in1][in2];[in1]${sceneCmd}[out1];[in2]${sigFilter(opts.video_fps, sigPath)}[out2]`,
      '-map', '[out1]', '-f', 'null', '-', '-map', '[out2]', '-f', 'null', '-',
    ], path));
    const sig = await readSig(sigPath, path);
    let sceneText = '';
    try {
      sceneText = await readFile(scenePath, 'utf8');
    } catch {
      // no frame was scored: no scenes
    }
    return { sig, sceneText };
  });
}

/**
 * iscc-sdk `video_mp7sig_extract_scenes`: the signature and the scene cut points in one decode.
 * @param sceneLimit - scene score threshold (default: option `video_scene_limit`; 0 means the default, as in iscc-sdk)
 */
export async function videoMp7sigExtractScenes(
  path: string,
  sceneLimit?: number | null,
  options: SdkOptionsInput | SdkOptions = {},
): Promise<{ sig: Uint8Array; scenes: number[] }> {
  const opts = resolveOptions(options as SdkOptionsInput);
  const { sig, sceneText } = await videoMp7sigAndSceneScores(path, opts);
  return { sig, scenes: videoParseScenes(sceneText, sceneLimit || opts.video_scene_limit) };
}

/** iscc-sdk `video_features_extract`: the 380-value frame signatures of a video. */
export async function videoFeaturesExtract(path: string, options: SdkOptionsInput | SdkOptions = {}): Promise<Uint8Array[]> {
  const opts = resolveOptions(options as SdkOptionsInput);
  const sig = await videoMp7sigExtract(path, opts);
  // iscc-sdk stores it here as `<file>.iscc.mp7sig` (code_video replaces the extension instead).
  if (opts.video_store_mp7sig) await writeFile(`${path}.iscc.mp7sig`, sig);
  return readMp7Signature(sig).map((f) => f.vector);
}

/** iscc-sdk `video_thumbnail`: a representative frame as a thumbnail data URL (undefined on failure). */
export async function videoThumbnail(path: string, options: SdkOptionsInput | SdkOptions = {}): Promise<string | undefined> {
  const opts = resolveOptions(options as SdkOptionsInput);
  try {
    const r = await runMediaTool('ffmpeg', [
      '-loglevel', 'error', '-i', mediaInput(path), '-vf', `thumbnail,scale=${opts.image_thumbnail_size}:-1`,
      '-frames:v', '1', '-c:v', 'png', '-f', 'image2pipe', '-',
    ], path);
    if (r.stdout.length === 0) return undefined;
    // ffmpeg already scaled it to the thumbnail width (a portrait video stays taller, as in
    // iscc-sdk); only sharpen and encode.
    let img = sharp(r.stdout).removeAlpha().sharpen({ sigma: 0.5 });
    const q = opts.image_thumbnail_quality;
    const fmt = opts.image_thumbnail_format;
    img = fmt === 'JPEG' ? img.jpeg({ quality: q }) : fmt === 'AVIF' ? img.avif({ quality: q }) : img.webp({ quality: q });
    return `data:image/${fmt.toLowerCase()};base64,${(await img.toBuffer()).toString('base64')}`;
  } catch (e) {
    if (e instanceof SdkError && e.code === SDK_ERROR_CODES.TOOL_MISSING) throw e;
    return undefined; // no thumbnail is not an error (iscc-sdk logs and goes on)
  }
}

/** Metadata that {@link videoMetaEmbed} writes. */
export interface VideoEmbedMeta {
  name?: string | null; description?: string | null; meta?: unknown; creator?: string | null;
  rights?: string | null; license?: string | null; acquire?: string | null;
}

/** Field -> FFMETADATA key written by embed (iscc-sdk's `write_map`, in its order). */
const WRITE_MAP: ReadonlyArray<readonly [keyof VideoEmbedMeta, string]> = [
  ['name', 'iscc_name'], ['description', 'iscc_description'], ['meta', 'iscc_meta'], ['creator', 'author'],
  ['rights', 'copyright'], ['license', 'license'], ['acquire', 'acquire'],
];

/** iscc-sdk's FFMETADATA escaping (a newline becomes a literal `\\n`, read back by extract). */
function escapeFfmeta(v: string): string {
  return v.replace(/[=;#\\\n]/g, (c) => (c === '\n' ? '\\\\n' : `\\${c}`));
}

/** The FFMETADATA file iscc-sdk writes for `meta` (values trimmed, as IsccMeta stores them). */
export function videoFfmetadata(meta: VideoEmbedMeta): string {
  let out = ';FFMETADATA1\n';
  for (const [field, key] of WRITE_MAP) {
    const raw = meta[field];
    if (raw === undefined || raw === null) continue;
    const v = (typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw)).trim();
    if (v) out += `${key}=${escapeFfmeta(v)}\n`;
  }
  return out;
}

/**
 * iscc-sdk `video_meta_embed`: write metadata into a copy of the video (new temporary
 * directory, same file name); returns the copy's path.
 * @throws SdkError ISCC_SDK_DECODE when ffmpeg cannot remux the file
 */
export async function videoMetaEmbed(path: string, meta: VideoEmbedMeta): Promise<string> {
  await assertReadable(path);
  const dir = await mkdtemp(join(tmpdir(), 'iscc-sdk-'));
  const metaFile = join(dir, 'meta.txt');
  await writeFile(metaFile, videoFfmetadata(meta), 'utf8');
  const out = join(dir, basename(path));
  await runMediaTool('ffmpeg', [
    '-loglevel', 'error', '-i', mediaInput(path), '-f', 'ffmetadata', '-i', mediaInput(metaFile),
    '-movflags', 'use_metadata_tags', '-map_metadata', '1', '-codec', 'copy', mediaInput(out),
  ], path);
  return out;
}

/** Result of {@link codeVideo}. */
export type VideoCodeMeta = VideoMeta & { thumbnail?: string; features?: VideoFeatures[]; iscc: string };

/**
 * iscc-sdk `code_video`: Content-Code Video of a file with metadata, thumbnail and (with
 * `granular`) scene features per options.
 * @throws SdkError ISCC_SDK_DECODE for files without decodable video
 */
export async function codeVideo(path: string, options: SdkOptionsInput | SdkOptions = {}): Promise<VideoCodeMeta> {
  const opts = resolveOptions(options as SdkOptionsInput);
  await assertReadable(path);
  let meta: VideoCodeMeta = { iscc: '' };
  if (opts.extract_meta) meta = { ...(await videoMetaExtract(path)), iscc: '' };
  if (opts.create_thumb) {
    const t = await videoThumbnail(path, opts);
    if (t) meta.thumbnail = t;
  }
  let sig: Uint8Array;
  let scenes: number[] = [];
  if (opts.granular) ({ sig, scenes } = await videoMp7sigExtractScenes(path, null, opts));
  else sig = await videoMp7sigExtract(path, opts);
  if (opts.video_store_mp7sig) {
    // iscc-sdk: Path.with_suffix(".iscc.mp7sig") - the extension is replaced.
    const ext = extname(path);
    await writeFile(`${ext ? path.slice(0, -ext.length) : path}.iscc.mp7sig`, sig);
  }
  const frames: Mp7Frame[] = readMp7Signature(sig);
  if (frames.length === 0) throw new SdkError(SDK_ERROR_CODES.DECODE, `no video frames could be decoded from ${path}`, { path });
  meta.iscc = genVideoCodeV0(frames.map((f) => f.vector), opts.bits).iscc;
  if (opts.granular) meta.features = [videoComputeGranular(frames, scenes)];
  return meta;
}
