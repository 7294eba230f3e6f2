/**
 * External programs (exiv2, ffmpeg, ffprobe, fpcalc, exiftool, and text mode's poppler and
 * catdoc tools): found once, version-checked,
 * always called with argument arrays (never through a shell).
 *
 * Lookup: the environment variable `ISCC_SDK_<NAME>_PATH` (e.g. `ISCC_SDK_EXIV2_PATH`), else
 * the first executable `<name>` on `PATH`. The version is read once by running the program's
 * version command and parsed with a pattern; a missing program gives
 * `ISCC_SDK_TOOL_MISSING` naming the Debian package to install.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';

/** How to find, version-check and install one external program. */
interface ToolSpec {
  /** Arguments that make it print its version. */
  versionArgs: string[];
  /** Pattern with one group: the dotted version. */
  versionRe: RegExp;
  /** Oldest version we accept. */
  minVersion: string;
  /** Debian package that provides it. */
  debian: string;
}

/** The programs the sdk may call. */
export const TOOLS = {
  exiv2: { versionArgs: ['--version'], versionRe: /exiv2\s+([0-9.]+)/i, minVersion: '0.27', debian: 'exiv2' },
  exiftool: { versionArgs: ['-ver'], versionRe: /^([0-9.]+)/, minVersion: '12.0', debian: 'libimage-exiftool-perl' },
  ffmpeg: { versionArgs: ['-version'], versionRe: /ffmpeg version n?([0-9.]+)/, minVersion: '4.4', debian: 'ffmpeg' },
  ffprobe: { versionArgs: ['-version'], versionRe: /ffprobe version n?([0-9.]+)/, minVersion: '4.4', debian: 'ffmpeg' },
  fpcalc: { versionArgs: ['-version'], versionRe: /fpcalc version ([0-9.]+)/, minVersion: '1.5', debian: 'libchromaprint-tools' },
  // Text mode (packages/sdk/src/text): PDF text and metadata, legacy Office formats.
  pdftotext: { versionArgs: ['-v'], versionRe: /pdftotext version ([0-9.]+)/, minVersion: '0.86', debian: 'poppler-utils' },
  pdfinfo: { versionArgs: ['-v'], versionRe: /pdfinfo version ([0-9.]+)/, minVersion: '0.86', debian: 'poppler-utils' },
  pdftoppm: { versionArgs: ['-v'], versionRe: /pdftoppm version ([0-9.]+)/, minVersion: '0.86', debian: 'poppler-utils' },
  catdoc: { versionArgs: ['-V'], versionRe: /Version ([0-9.]+)/i, minVersion: '0.94', debian: 'catdoc' },
  xls2csv: { versionArgs: ['-V'], versionRe: /Version ([0-9.]+)/i, minVersion: '0.94', debian: 'catdoc' },
} as const satisfies Record<string, ToolSpec>;

/** Name of a known external program. */
export type ToolName = keyof typeof TOOLS;

/** A located, version-checked program. */
export interface Tool {
  name: ToolName;
  /** Absolute path of the executable. */
  path: string;
  /** Its version, e.g. "0.27.6". */
  version: string;
}

/** Limit on captured output of one run (bytes); metadata dumps and signatures stay far below. */
export const TOOL_MAX_OUTPUT = 256 * 1024 * 1024;

const found = new Map<ToolName, Promise<Tool>>();

function whichSync(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) {
        accessSync(p, constants.X_OK);
        return p;
      }
    } catch {
      // not here
    }
  }
  return null;
}

/** Compare dotted versions numerically: negative when a < b. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

async function locate(name: ToolName): Promise<Tool> {
  const spec: ToolSpec = TOOLS[name];
  const envPath = process.env[`ISCC_SDK_${name.toUpperCase()}_PATH`];
  const path = envPath || whichSync(name);
  if (!path) {
    throw new SdkError(SDK_ERROR_CODES.TOOL_MISSING,
      `${name} is not installed (not on PATH; set ISCC_SDK_${name.toUpperCase()}_PATH to use another). Install it with: apt-get install ${spec.debian}`);
  }
  let out: string;
  try {
    const r = await run(path, spec.versionArgs, { allowFail: true, timeoutMs: 20_000 });
    out = `${r.stdout.toString('utf8')}\n${r.stderr.toString('utf8')}`;
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.TOOL_VERSION, `${name} at ${path} could not report its version: ${(e as Error).message}`, { cause: e });
  }
  const m = spec.versionRe.exec(out.trim());
  if (!m) throw new SdkError(SDK_ERROR_CODES.TOOL_VERSION, `${name} at ${path}: cannot read a version from its output`);
  const version = m[1]!.replace(/\.$/, '');
  if (compareVersions(version, spec.minVersion) < 0) {
    throw new SdkError(SDK_ERROR_CODES.TOOL_VERSION, `${name} ${version} at ${path} is too old (need >= ${spec.minVersion}); install a newer ${spec.debian}`);
  }
  return { name, path, version };
}

/**
 * The program `name`, located and version-checked once per process.
 * @throws SdkError ISCC_SDK_TOOL_MISSING / ISCC_SDK_TOOL_VERSION
 */
export function findTool(name: ToolName): Promise<Tool> {
  let p = found.get(name);
  if (!p) {
    p = locate(name);
    // Do not cache failures: the user may install the program and retry in the same process.
    p.catch(() => found.delete(name));
    found.set(name, p);
  }
  return p;
}

/** Result of {@link run}. */
export interface RunResult { code: number; stdout: Buffer; stderr: Buffer }

/**
 * Run `file` with `args` (no shell). Rejects with ISCC_SDK_TOOL_FAILED on a non-zero exit
 * unless `allowFail`.
 */
export function run(
  file: string,
  args: readonly string[],
  opts: { allowFail?: boolean; timeoutMs?: number; input?: Uint8Array } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args as string[],
      { encoding: 'buffer', maxBuffer: TOOL_MAX_OUTPUT, timeout: opts.timeoutMs ?? 600_000, windowsHide: true },
      (err, stdout, stderr) => {
        const code = err ? (typeof (err as NodeJS.ErrnoException).code === 'number' ? Number((err as NodeJS.ErrnoException).code) : -1) : 0;
        if (err && (!opts.allowFail || code === -1)) {
          const msg = Buffer.from(stderr).toString('utf8').trim().split('\n').slice(-3).join(' | ');
          reject(new SdkError(SDK_ERROR_CODES.TOOL_FAILED, `${file} ${args.join(' ')} failed: ${msg || err.message}`, { cause: err }));
          return;
        }
        resolve({ code, stdout: Buffer.from(stdout), stderr: Buffer.from(stderr) });
      },
    );
    if (opts.input) child.stdin?.end(opts.input);
  });
}
