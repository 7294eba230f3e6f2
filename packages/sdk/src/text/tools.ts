/**
 * The external programs text mode may call (pdftotext, pdfinfo, pdftoppm, catdoc, xls2csv), found and version-checked the same way as the sdk's other tools (`../tools.ts`):
 * `ISCC_SDK_<NAME>_PATH`, else the first executable on `PATH`; the version is read once per
 * process; a missing program gives ISCC_SDK_TOOL_MISSING naming the Debian package.
 *
 * They live here rather than in `TOOLS` of `../tools.ts` only because that table belongs to
 * another module; the lookup rules are identical and `run`/`compareVersions` are reused.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { compareVersions, run } from '../tools.ts';

interface TextToolSpec {
  versionArgs: string[];
  versionRe: RegExp;
  minVersion: string;
  debian: string;
}

/** The programs of text mode and where they come from. */
export const TEXT_TOOLS = {
  pdftotext: { versionArgs: ['-v'], versionRe: /pdftotext version ([0-9.]+)/, minVersion: '0.86', debian: 'poppler-utils' },
  pdfinfo: { versionArgs: ['-v'], versionRe: /pdfinfo version ([0-9.]+)/, minVersion: '0.86', debian: 'poppler-utils' },
  pdftoppm: { versionArgs: ['-v'], versionRe: /pdftoppm version ([0-9.]+)/, minVersion: '0.86', debian: 'poppler-utils' },
  catdoc: { versionArgs: ['-V'], versionRe: /Version ([0-9.]+)/i, minVersion: '0.94', debian: 'catdoc' },
  xls2csv: { versionArgs: ['-V'], versionRe: /Version ([0-9.]+)/i, minVersion: '0.94', debian: 'catdoc' },
} as const satisfies Record<string, TextToolSpec>;

/** Name of a text-mode program. */
export type TextToolName = keyof typeof TEXT_TOOLS;

/** A located, version-checked program. */
export interface TextTool { name: TextToolName; path: string; version: string }

const found = new Map<TextToolName, Promise<TextTool>>();

function which(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      if (statSync(p).isFile()) {
        accessSync(p, constants.X_OK);
        return p;
      }
    } catch {
      // not in this directory
    }
  }
  return null;
}

async function locate(name: TextToolName): Promise<TextTool> {
  const spec: TextToolSpec = TEXT_TOOLS[name];
  const envName = `ISCC_SDK_${name.toUpperCase()}_PATH`;
  const path = process.env[envName] || which(name);
  if (!path) {
    throw new SdkError(SDK_ERROR_CODES.TOOL_MISSING,
      `${name} is not installed (not on PATH; set ${envName} to use another). Install it with: apt-get install ${spec.debian}`);
  }
  const r = await run(path, spec.versionArgs, { allowFail: true, timeoutMs: 20_000 });
  const out = `${r.stdout.toString('utf8')}\n${r.stderr.toString('utf8')}`;
  const m = spec.versionRe.exec(out);
  if (!m) throw new SdkError(SDK_ERROR_CODES.TOOL_VERSION, `${name} at ${path}: cannot read a version from its output`);
  const version = m[1]!.replace(/\.$/, '');
  if (compareVersions(version, spec.minVersion) < 0) {
    throw new SdkError(SDK_ERROR_CODES.TOOL_VERSION, `${name} ${version} at ${path} is too old (need >= ${spec.minVersion}); install a newer ${spec.debian}`);
  }
  return { name, path, version };
}

/**
 * The program `name`, located and version-checked once per process (failures are not cached).
 * @throws SdkError ISCC_SDK_TOOL_MISSING / ISCC_SDK_TOOL_VERSION
 */
export function findTextTool(name: TextToolName): Promise<TextTool> {
  let p = found.get(name);
  if (!p) {
    p = locate(name);
    p.catch(() => found.delete(name));
    found.set(name, p);
  }
  return p;
}
