/**
 * TREEWALK: deterministic directory traversal as iscc-sum's `treewalk.py` (TREEWALK-ISCC layer),
 * so that `iscc sum --tree` hashes the files of a directory in the same order on every host.
 *
 * Steps for one directory:
 * 1. List its entries, leaving out symbolic links; sort by the UTF-8 bytes of the NFC form of
 *    the name, ties broken by the UTF-8 bytes of the name itself (core's pinned `nfc`, so the
 *    order does not depend on the host's Unicode tables).
 * 2. If it holds an `.isccignore`, its patterns are appended to the inherited ones; all patterns
 *    are matched against paths relative to the ROOT of the walk (as iscc-sum does).
 * 3. Yield the ignore files (`.*ignore`) first, then the other regular files, each unless ignored.
 * 4. Recurse into the subdirectories that are not ignored (a directory is ignored only when both
 *    `rel/` and `rel` match, so `!dir/` can rescue a directory from `*`).
 * TREEWALK-ISCC finally drops files whose name ends with `.iscc.json` (ISCC metadata sidecars).
 * Paths are yielded absolute (the root resolved with realpath), like iscc-sum's.
 */
import { readdirSync, readFileSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { nfc } from '@iscc-ts/core';
import { IgnoreSpec } from './ignore.ts';

/** Name of the cascading ignore file of TREEWALK-ISCC. */
export const ISCC_IGNORE_FILE = '.isccignore';
/** Suffix of ISCC metadata sidecar files that TREEWALK-ISCC never yields. */
export const ISCC_SIDECAR_SUFFIX = '.iscc.json';

const utf8 = new TextEncoder();
const ASCII = /^[\x00-\x7f]*$/;

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Compare two names in TREEWALK order: NFC UTF-8 bytes, then the raw UTF-8 bytes. */
export function compareNames(a: string, b: string): number {
  return compareBytes(utf8.encode(nfc(a)), utf8.encode(nfc(b))) || compareBytes(utf8.encode(a), utf8.encode(b));
}

/** Entries of `dir` without symbolic links, in TREEWALK order. */
export function listdir(dir: string): Dirent[] {
  const entries = readdirSync(dir, { withFileTypes: true }).filter((e) => !e.isSymbolicLink());
  // All-ASCII names (the common case) are their own NFC, and their UTF-16 order is their UTF-8
  // byte order: a plain string sort gives the same order without encoding every name.
  if (entries.every((e) => ASCII.test(e.name))) {
    return entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  }
  const keyed = entries.map((e) => ({ e, k1: utf8.encode(nfc(e.name)), k2: utf8.encode(e.name) }));
  keyed.sort((x, y) => compareBytes(x.k1, y.k1) || compareBytes(x.k2, y.k2));
  return keyed.map((x) => x.e);
}

const isIgnoreFile = (name: string) => name.startsWith('.') && name.endsWith('ignore');

/** A file found by the walk. */
export interface WalkEntry {
  /** Absolute path (under the realpath of the root). */
  path: string;
  /** Path relative to the root, `/`-separated. */
  rel: string;
}

/**
 * Walk `dir` with cascading gitignore-style files named `ignoreName` (TREEWALK-IGNORE).
 * @param dir - directory to walk
 * @param ignoreName - name of the ignore file, e.g. `.isccignore`
 * @returns the files that are not ignored, in TREEWALK order
 * @throws the file-system error of an unreadable directory, IgnorePatternError for a bad pattern
 */
export function* treewalkIgnore(dir: string, ignoreName: string): Generator<WalkEntry> {
  const root = realpathSync(dir);
  yield* walk(root, '', ignoreName, null);
}

function* walk(abs: string, rel: string, ignoreName: string, inherited: IgnoreSpec | null): Generator<WalkEntry> {
  let spec = inherited;
  const local = join(abs, ignoreName);
  // Python's Path.exists(): follows symlinks; a broken one does not count.
  let hasLocal = false;
  try {
    statSync(local);
    hasLocal = true;
  } catch {
    hasLocal = false;
  }
  if (hasLocal) {
    const own = IgnoreSpec.fromText(readFileSync(local, 'utf8'));
    spec = spec === null ? own : spec.concat(own);
  }
  const entries = listdir(abs);
  const files = entries.filter((e) => e.isFile());
  const dirs = entries.filter((e) => e.isDirectory());
  const relOf = (name: string) => (rel === '' ? name : rel + '/' + name);
  const ignored = (name: string) => spec !== null && spec.matches(relOf(name));
  // `abs` is a realpath (no trailing slash but for `/`), so plain concatenation is a join.
  const base = abs.endsWith('/') ? abs : abs + '/';
  const entry = (name: string): WalkEntry => ({ path: base + name, rel: relOf(name) });
  for (const f of files) if (isIgnoreFile(f.name) && !ignored(f.name)) yield entry(f.name);
  for (const f of files) if (!isIgnoreFile(f.name) && !ignored(f.name)) yield entry(f.name);
  for (const d of dirs) {
    const r = relOf(d.name);
    if (spec !== null && spec.matches(r + '/') && spec.matches(r)) continue;
    yield* walk(base + d.name, r, ignoreName, spec);
  }
}

/**
 * TREEWALK-ISCC: {@link treewalkIgnore} with `.isccignore`, without `*.iscc.json` sidecars.
 * @param dir - directory to walk
 * @returns the files in processing order
 */
export function* treewalkIscc(dir: string): Generator<WalkEntry> {
  for (const e of treewalkIgnore(dir, ISCC_IGNORE_FILE)) {
    if (!e.rel.endsWith(ISCC_SIDECAR_SUFFIX)) yield e;
  }
}
