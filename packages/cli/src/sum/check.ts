/**
 * `iscc sum -c`: verify checksum files as iscc-sum does.
 *
 * Steps:
 * 1. Read each checksum file as UTF-8, split into lines (`\n`, `\r\n` or `\r`, as Python's
 *    universal newlines), drop a BOM on the first line and skip empty lines.
 * 2. Parse each line as BSD (`ISCC-SUM (name) = ISCC:...`) or GNU (`ISCC:... *name`); a name
 *    ending in `/` is a tree checksum of that directory. Other lines are "improperly formatted".
 * 3. The width (narrow SUM or wide) follows the expected code: shorter than 35 characters is narrow.
 * 4. Recompute and print `name: OK` / `name: FAILED` on stdout; a missing file or an unreadable
 *    one is printed on stdout too (`iscc-sum: name: ...`) and counts as failed.
 * 5. Summary on stderr: `iscc-sum: WARNING: N line(s) improperly formatted` and
 *    `iscc-sum: WARNING: N computed checksum(s) did NOT match`.
 * Exit status: 1 when any checksum failed; 2 with `--strict` and a malformed line, or when a
 * checksum file cannot be read; else 0. Unlike iscc-sum, which stops at the first malformed
 * line under `--strict`, the remaining lines are still verified (the exit status is the same).
 */
import { readFileSync, statSync } from 'node:fs';
import { IsccSumHasher } from '@iscc-ts/core';
import { describeError, feedFile, pyOsError, ReadError, sumFile } from './hash.ts';
import type { Sink } from './sink.ts';
import { treewalkIscc } from './treewalk.ts';
import { PROG } from './messages.ts';

/** A parsed checksum line. */
export interface ChecksumLine {
  iscc: string;
  name: string;
  /** The name ends with `/`: a `--tree` checksum of a directory. */
  tree: boolean;
}

// Python's `.` is any character except `\n`; lines never contain `\n` here.
const BSD_LINE = /^ISCC-SUM \(([^\n]+)\) = (ISCC:[A-Z0-9]+)$/u;
const GNU_LINE = /^(ISCC:[A-Z0-9]+) \*([^\n]+)$/u;

/** Parse one checksum line (BSD tried first); null when it is not one. */
export function parseChecksumLine(line: string): ChecksumLine | null {
  let m = BSD_LINE.exec(line);
  if (m) return { iscc: m[2]!, name: m[1]!, tree: m[1]!.endsWith('/') };
  m = GNU_LINE.exec(line);
  if (m) return { iscc: m[1]!, name: m[2]!, tree: m[2]!.endsWith('/') };
  return null;
}

/** Shorter expected codes are narrow (SUM, `ISCC:` + 29 characters); wide ones have 55. */
const NARROW_MAX_LEN = 35;

/** Options of the check mode. */
export interface CheckOptions {
  quiet: boolean;
  status: boolean;
  warn: boolean;
  strict: boolean;
}

/** Where check output goes. */
export interface CheckIo {
  out: Sink;
  /** Write a line to stderr (the caller flushes `out` first). */
  err(line: string): Promise<void>;
  /** Read a checksum file named `-` from stdin. */
  readStdin(): Promise<Uint8Array>;
}

/** Python `str.rstrip(chars)`. */
function rstripChars(s: string, chars: string): string {
  let end = s.length;
  while (end > 0 && chars.includes(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/** Whether `p` exists (Python `os.path.exists`: follows symlinks). */
function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Verify the given checksum files.
 * @returns the exit status (0 all OK, 1 a checksum did not match, 2 trouble)
 */
export async function verifyChecksumFiles(files: readonly string[], opts: CheckOptions, io: CheckIo): Promise<number> {
  if (files.length === 0) {
    await io.err(`${PROG}: no checksum file specified`);
    return 2;
  }
  let failed = 0;
  let formatErrors = 0;
  const say = (s: string) => {
    if (!opts.status) io.out.write(s + '\n');
  };
  for (const file of files) {
    let text: string;
    try {
      const bytes = file === '-' ? await io.readStdin() : readFileSync(file);
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (e) {
      const msg = e instanceof TypeError ? `'utf-8' codec can't decode ${file}: invalid UTF-8` : `${file}: ${pyOsError(e, file)}`;
      await io.err(`${PROG}: ${msg}`);
      await io.out.flush();
      return 2;
    }
    const lines = text.split(/\r\n|\r|\n/);
    // A final terminator does not start another line.
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length; i++) {
      let line = rstripChars(lines[i]!, '\n\r');
      if (i === 0 && line.startsWith('\ufeff')) line = line.slice(1);
      if (line === '') continue;
      const parsed = parseChecksumLine(line);
      if (parsed === null) {
        formatErrors++;
        if (opts.warn) await io.err(`${PROG}: ${file}: ${i + 1}: improperly formatted ISCC checksum line`);
        continue;
      }
      const { iscc: expected, name, tree } = parsed;
      const wide = expected.length >= NARROW_MAX_LEN;
      const target = tree ? rstripChars(name, '/') : name;
      if (!exists(target)) {
        failed++;
        say(`${PROG}: ${target}: No such file or directory`);
        continue;
      }
      const h = new IsccSumHasher();
      let actual: string | undefined;
      if (tree) {
        if (!isDir(target)) {
          failed++;
          say(`${PROG}: ${target}: Not a directory`);
          continue;
        }
        try {
          for (const { path } of treewalkIscc(target)) {
            try {
              feedFile(h, path);
            } catch (e) {
              // Unreadable files are skipped, as when the tree checksum was made.
              if (!(e instanceof ReadError)) throw e;
            }
          }
        } catch (e) {
          failed++;
          say(`${PROG}: ${target}: ${describeError(e)}`);
          continue;
        }
      } else {
        try {
          actual = sumFile(target, wide, false).iscc;
        } catch (e) {
          if (!(e instanceof ReadError)) throw e;
          failed++;
          say(`${PROG}: ${target}: ${e.message}`);
          continue;
        }
      }
      actual ??= h.result(wide, false).iscc;
      if (actual === expected) {
        if (!opts.quiet) say(`${name}: OK`);
      } else {
        failed++;
        say(`${name}: FAILED`);
      }
    }
  }
  await io.out.flush();
  if (!opts.status && (failed > 0 || formatErrors > 0)) {
    if (formatErrors > 0) await io.err(`${PROG}: WARNING: ${formatErrors} line(s) improperly formatted`);
    if (failed > 0) await io.err(`${PROG}: WARNING: ${failed} computed checksum(s) did NOT match`);
  }
  if (opts.strict && formatErrors > 0) return 2;
  return failed > 0 ? 1 : 0;
}
