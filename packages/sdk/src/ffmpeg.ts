/**
 * Shared plumbing for the audio and video modes: running ffmpeg/ffprobe on one media file.
 *
 * - Input paths are passed as `file:<absolute path>`, so a name that starts with `-` or
 *   contains `:` is never read as an option or a protocol.
 * - A failing run on a user's file is reported as ISCC_SDK_DECODE naming the file (the file
 *   is corrupt, truncated or not media), with ffmpeg's last lines of stderr.
 * - Paths inside filter graphs are escaped for both levels of ffmpeg's filter syntax.
 * - Temporary files live in a private directory that is always removed.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { findTool, run, type RunResult } from './tools.ts';

/** Longest one ffmpeg/ffprobe/fpcalc run on one file may take (ms): a feature film decodes in minutes. */
export const MEDIA_TOOL_TIMEOUT_MS = 2 * 60 * 60 * 1000;

/** How ffmpeg and ffprobe should name a local file. */
export function mediaInput(path: string): string {
  return `file:${resolve(path)}`;
}

/** Fail early with ISCC_SDK_IO when the file cannot be read (clearer than ffmpeg's message). */
export async function assertReadable(path: string): Promise<void> {
  let st;
  try {
    st = await stat(path);
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  if (!st.isFile()) throw new SdkError(SDK_ERROR_CODES.IO, `${path} is not a regular file`, { path });
  if (st.size === 0) throw new SdkError(SDK_ERROR_CODES.DECODE, `${path} is empty`, { path });
}

function tail(buf: Buffer): string {
  return buf.toString('utf8').trim().split('\n').slice(-3).join(' | ');
}

/**
 * Run ffmpeg or ffprobe with `args` for the media file `path`.
 * @param allowCodes - exit codes that count as success (besides 0)
 * @throws SdkError ISCC_SDK_TOOL_MISSING, or ISCC_SDK_DECODE when the program fails on the file
 */
export async function runMediaTool(
  name: 'ffmpeg' | 'ffprobe' | 'fpcalc',
  args: string[],
  path: string,
  allowCodes: readonly number[] = [],
): Promise<RunResult> {
  const tool = await findTool(name);
  const pre = name === 'ffmpeg' ? ['-hide_banner', '-nostdin', '-y'] : [];
  let r: RunResult;
  try {
    r = await run(tool.path, [...pre, ...args], { allowFail: true, timeoutMs: MEDIA_TOOL_TIMEOUT_MS });
  } catch (e) {
    const cause = (e as { cause?: { signal?: string | null; killed?: boolean } }).cause;
    if (cause?.signal) {
      const why = cause.killed ? `was stopped (${cause.signal}; time limit ${MEDIA_TOOL_TIMEOUT_MS / 1000} s?)` : `crashed (${cause.signal})`;
      throw new SdkError(SDK_ERROR_CODES.DECODE, `${name} ${why} while processing ${path}`, { cause: e, path });
    }
    throw new SdkError(SDK_ERROR_CODES.DECODE, `${name} could not process ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  if (r.code !== 0 && !allowCodes.includes(r.code)) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `${name} could not process ${path} (exit ${r.code}): ${tail(r.stderr) || 'no message'}`, { path });
  }
  return r;
}

/** Escape a value (e.g. a file name) for use inside an ffmpeg filter graph option. */
export function escapeFilterValue(v: string): string {
  // Level 1: the option value inside the filter's arguments.
  const l1 = v.replace(/[\\':]/g, (c) => `\\${c}`);
  // Level 2: the filter graph description.
  return l1.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Run `fn` with a fresh private temporary directory, removed afterwards. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'iscc-sdk-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** ffprobe's JSON description of a media file (format, streams). */
export interface ProbeResult {
  format?: { duration?: string; format_name?: string; tags?: Record<string, string> };
  streams?: Array<{
    codec_type?: string; codec_name?: string; duration?: string; width?: number; height?: number;
    r_frame_rate?: string; tags?: Record<string, string>; disposition?: Record<string, number>;
  }>;
}

/**
 * ffprobe's description of `path` (iscc-sdk's arguments for `video_meta_extract_ffprobe`).
 * @throws SdkError ISCC_SDK_DECODE when ffprobe cannot read the file
 */
export async function ffprobe(path: string): Promise<ProbeResult> {
  await assertReadable(path);
  const r = await runMediaTool('ffprobe', [
    '-hide_banner', '-loglevel', 'fatal', '-find_stream_info', '-show_error', '-show_format',
    '-show_streams', '-show_programs', '-show_chapters', '-show_private_data', '-print_format', 'json',
    '-i', mediaInput(path),
  ], path, [1]);
  let j: ProbeResult & { error?: { string?: string } };
  try {
    j = JSON.parse(r.stdout.toString('utf8')) as ProbeResult & { error?: { string?: string } };
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `ffprobe could not read ${path} (exit ${r.code}): no valid JSON`, { cause: e, path });
  }
  if (r.code !== 0 || j.error) {
    throw new SdkError(SDK_ERROR_CODES.DECODE,
      `ffprobe could not read ${path} as media (exit ${r.code}): ${j.error?.string ?? 'unknown error'} - corrupt, truncated or not a media file?`, { path });
  }
  return j;
}
