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
    // The built-in sort without a comparator (UTF-16 order, names are unique): several times
    // faster than a comparator called from JavaScript on big directories.
    const byName = new Map(entries.map((e) => [e.name, e]));
    return [...byName.keys()].sort().map((n) => byName.get(n)!);
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
  for (const files of treewalkIgnoreDirs(dir, ignoreName)) yield* files;
}

/**
 * {@link treewalkIgnore} a directory at a time: the files of each directory, in order, before
 * its subdirectories are read (so errors come at the same point of the order). Handing out an
 * array per directory instead of a file at a time through nested generators saves most of
 * the walk's cost for big directories (many small files: the walk is part of the per-file cost).
 */
export function* treewalkIgnoreDirs(dir: string, ignoreName: string): Generator<WalkEntry[]> {
  const root = realpathSync(dir);
  yield* walk(root, '', ignoreName, null);
}

function* walk(abs: string, rel: string, ignoreName: string, inherited: IgnoreSpec | null): Generator<WalkEntry[]> {
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
  const prefix = rel === '' ? '' : rel + '/';
  // `abs` is a realpath (no trailing slash but for `/`), so plain concatenation is a join.
  const base = abs.endsWith('/') ? abs : abs + '/';
  const ignored = (r: string) => spec !== null && spec.matches(r);
  const out: WalkEntry[] = [];
  const rest: WalkEntry[] = [];
  const dirs: string[] = [];
  for (const e of entries) {
    const name = e.name;
    if (e.isFile()) {
      const r = prefix + name;
      if (!ignored(r)) (isIgnoreFile(name) ? out : rest).push({ path: base + name, rel: r });
    } else if (e.isDirectory()) dirs.push(name);
  }
  // Ignore files first, then the other files, each group in TREEWALK order.
  for (const f of rest) out.push(f);
  yield out;
  for (const d of dirs) {
    const r = prefix + d;
    if (spec !== null && spec.matches(r + '/') && spec.matches(r)) continue;
    yield* walk(base + d, r, ignoreName, spec);
  }
}

/**
 * TREEWALK-ISCC: {@link treewalkIgnore} with `.isccignore`, without `*.iscc.json` sidecars.
 * @param dir - directory to walk
 * @returns the files in processing order
 */
export function* treewalkIscc(dir: string): Generator<WalkEntry> {
  for (const files of treewalkIsccDirs(dir)) yield* files;
}

/** {@link treewalkIscc} a directory at a time (see {@link treewalkIgnoreDirs}). */
export function* treewalkIsccDirs(dir: string): Generator<WalkEntry[]> {
  for (const files of treewalkIgnoreDirs(dir, ISCC_IGNORE_FILE)) {
    yield files.some((e) => e.rel.endsWith(ISCC_SIDECAR_SUFFIX)) ? files.filter((e) => !e.rel.endsWith(ISCC_SIDECAR_SUFFIX)) : files;
  }
}
