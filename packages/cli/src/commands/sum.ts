/**
 * `iscc sum`: ISCC checksums of files, a drop-in for bio-codes/iscc-sum (same flags, defaults,
 * output bytes and exit status; see docs/iscc-sum-compat.md for the few deliberate differences).
 *
 * Modes (checked for conflicts in iscc-sum's order, each conflict exits 2):
 * - default: one line per file, `<ISCC> *<file>` or with `--tag` `ISCC-SUM (<file>) = <ISCC>`;
 *   directories are expanded with TREEWALK-ISCC; no file (or `-`) reads stdin.
 * - `-c`: verify checksum files (sum/check.ts).
 * - `--similar`: group files by Data-Code Hamming distance (sum/similar.ts).
 * - `--tree DIR`: one checksum over all files of DIR in TREEWALK order (`DIR/`).
 * - `--walk DIR`: list the files in that order.
 * The ISCC-SUM is wide (2 x 128-bit, `K4...`) unless `--narrow` (ISO 24138 SUM, 2 x 64-bit).
 * Only core, node:* modules and the sdk's tiny `native-blake3` module (not the sdk's index) are
 * loaded, to keep start-up short for scripts.
 * Unlike iscc-sum, which stops at the first unreadable file, every file is tried; the exit
 * status is 2 when any could not be read.
 */
import { statSync, type Stats } from 'node:fs';
import { IsccSumHasher } from '@iscc-ts/core';
import type { CommandContext, CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { verifyChecksumFiles } from '../sum/check.ts';
import type { FileSum } from '../sum/compose.ts';
import {
  BATCH_MIN_FILES,
  closeSumHashing,
  describeError,
  feedFile,
  FileSums,
  prestartForSize,
  prestartHelper,
  ReadError,
  setupBlake3,
  sumStream,
} from '../sum/hash.ts';
import { PROG } from '../sum/messages.ts';
import { createProgress, NO_PROGRESS, type Progress } from '../sum/progress.ts';
import { groupSimilar, renderSimilar, type SimilarItem } from '../sum/similar.ts';
import { fileSink, streamSink, type Sink } from '../sum/sink.ts';
import { treewalkIscc, treewalkIsccDirs } from '../sum/treewalk.ts';
import { createSumPool, POOL_MIN_FILES, type SumPool } from '../sum/pool.ts';

/** iscc-sum's default `--threshold` (bits of Data-Code Hamming distance). */
export const DEFAULT_THRESHOLD = 12;

/** Displayed path: backslashes become slashes (iscc-sum `_normalize_path_display`); `-` stays. */
export function displayPath(p: string): string {
  return p === '-' ? p : p.replaceAll('\\', '/');
}

/** One line of checksum output (without terminator). */
export function formatLine(iscc: string, name: string, tag: boolean): string {
  return tag ? `ISCC-SUM (${name}) = ${iscc}` : `${iscc} *${name}`;
}

/** A unit of work of the default mode, in argument order. */
type Job = { kind: 'stdin' } | { kind: 'file'; path: string } | { kind: 'error'; message: string };

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

/**
 * Expand the arguments into jobs as iscc-sum's `_expand_paths`: files as given, directories
 * as `dir/<relative path>` in TREEWALK-ISCC order. Problems become error jobs at their place
 * (after the files a directory yielded before its error).
 * @param stats - the arguments' `stat`s when the caller has them already (null: none)
 */
export function expandPaths(args: readonly string[], allowStdin: boolean, stats?: readonly (Stats | null)[]): Job[] {
  const jobs: Job[] = [];
  for (const [i, arg] of args.entries()) {
    if (arg === '-' && allowStdin) {
      jobs.push({ kind: 'stdin' });
      continue;
    }
    const st = stats ? stats[i]! : statOrNull(arg);
    if (st === null) {
      jobs.push({ kind: 'error', message: `${PROG}: No such file or directory: '${arg}'` });
    } else if (st.isFile()) {
      jobs.push({ kind: 'file', path: arg });
    } else if (st.isDirectory()) {
      const prefix = arg + '/';
      try {
        for (const files of treewalkIsccDirs(arg)) for (const e of files) jobs.push({ kind: 'file', path: prefix + e.rel });
      } catch (e) {
        jobs.push({ kind: 'error', message: `${PROG}: ${describeError(e)}` });
      }
    } else {
      jobs.push({ kind: 'error', message: `${PROG}: Not a regular file or directory: '${arg}'` });
    }
  }
  return jobs;
}

/** Parse `--threshold` as click's `IntRange(min=0)`. */
function parseThreshold(v: unknown): number {
  if (v === undefined) return DEFAULT_THRESHOLD;
  const s = String(v).trim();
  if (!/^[+-]?\d+$/.test(s)) throw new UsageError(`Invalid value for '--threshold': '${String(v)}' is not a valid integer range.`);
  const n = Number(s);
  if (n < 0) throw new UsageError(`Invalid value for '--threshold': ${n} is not in the range x>=0.`);
  return n;
}

interface Out {
  sink: Sink;
  /** Output goes to a terminal (stdout without -o). */
  tty: boolean;
  err(line: string): Promise<void>;
  progress: Progress;
}

const spec: CommandSpec = {
  name: 'sum',
  summary: 'ISCC checksums of files (a drop-in for iscc-sum): create, verify, find similar',
  usage: '[OPTIONS] [FILE|DIR]...',
  description:
    'Each checksum is an ISCC-CODE of a Data-Code (similarity of the bytes) and an Instance-Code\n' +
    '(BLAKE3): 2 x 128 bits by default, 2 x 64 bits (ISO 24138 ISCC-SUM) with --narrow. Output is\n' +
    'byte-identical to iscc-sum: "<ISCC> *<file>" lines, or "ISCC-SUM (<file>) = <ISCC>" with --tag.\n' +
    'Directories are expanded in TREEWALK order (sorted by NFC UTF-8 bytes, .isccignore respected,\n' +
    '*.iscc.json skipped). With no FILE, or FILE "-", standard input is read.\n' +
    'Verify with "iscc sum -c SUMS.txt" (lines of either style; narrow or wide is recognised).\n\n' +
    'Environment (speed only; the checksums never change): ISCC_SUM_THREADS=N sets the number of\n' +
    'worker threads for many files (1: everything in one thread; default: sized by the work),\n' +
    'ISCC_SUM_SPLIT=0 keeps the Data-Code of a file of 256 MiB or more on one thread (then every\n' +
    'byte is read once; split, the BLAKE3 thread reads the file a second time, mostly from the page\n' +
    "cache), ISCC_NATIVE_BLAKE3=0 uses core's WebAssembly BLAKE3 instead of the native addon.",
  options: [
    { name: 'check', short: 'c', type: 'boolean', description: 'Read checksums from FILEs and verify them' },
    { name: 'tag', type: 'boolean', description: 'Create a BSD-style checksum output' },
    { name: 'output', short: 'o', type: 'string', valueName: 'FILE', description: 'Write checksums to FILE (UTF-8, LF)' },
    { name: 'zero', short: 'z', type: 'boolean', description: 'End each output line with NUL, not newline' },
    { name: 'quiet', short: 'q', type: 'boolean', description: "Don't print OK for successfully verified files" },
    { name: 'status', type: 'boolean', description: "Don't output anything, status code shows success" },
    { name: 'warn', short: 'w', type: 'boolean', description: 'Warn about improperly formatted checksum lines' },
    { name: 'strict', type: 'boolean', description: 'Exit non-zero for improperly formatted checksum lines' },
    { name: 'narrow', type: 'boolean', description: 'Narrow 2x64-bit ISO 24138 ISCC-SUM (default: 2x128-bit)' },
    { name: 'units', type: 'boolean', description: 'Also print the Data-Code and Instance-Code units' },
    { name: 'similar', type: 'boolean', description: 'Group files by Data-Code Hamming distance' },
    {
      name: 'threshold',
      type: 'string',
      valueName: 'N',
      description: 'Maximum Hamming distance for --similar',
      default: String(DEFAULT_THRESHOLD),
    },
    { name: 'tree', short: 't', type: 'boolean', description: 'One combined checksum for a directory' },
    { name: 'walk', type: 'boolean', description: 'List the files of a directory in processing order' },
  ],
  examples: [
    { command: 'iscc sum package.json', explains: 'The wide ISCC-SUM of one file.' },
    { command: 'iscc sum --narrow --tag package.json', explains: 'The ISO 24138 ISCC-SUM, as a BSD-style line.' },
    { command: 'iscc sum --walk packages/cli/src', explains: 'The files of a directory in TREEWALK order.' },
    { command: 'iscc sum --tree packages/cli/src', explains: 'One checksum for the whole directory.' },
    {
      command: 'iscc sum --similar --threshold 16 package.json package-lock.json',
      explains: 'Group similar files (Data-Codes within 16 bits).',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'OK' },
    { code: 1, meaning: 'a checksum did not match (-c)' },
    { code: 2, meaning: 'trouble: a file could not be read, bad usage, a malformed line with --strict' },
  ],
  run: runSum,
};
export default spec;

/** The command body (exported for tests that pass their own context). */
export async function runSum(ctx: CommandContext): Promise<number> {
  const o = ctx.args.options;
  const files = ctx.args.positionals;
  const flag = (k: string) => o[k] === true;
  const [check, similar, tree, walk] = [flag('check'), flag('similar'), flag('tree'), flag('walk')];
  const output = typeof o.output === 'string' ? o.output : undefined;
  const threshold = parseThreshold(o.threshold);
  const fail = (msg: string) => {
    ctx.stderr.write(`${PROG}: ${msg}\n`);
    return 2;
  };
  // Conflicts, in iscc-sum's order.
  if (output !== undefined && check) return fail('-o/--output cannot be used with -c/--check');
  if (similar && check) return fail('--similar cannot be used with -c/--check');
  if (tree && check) return fail('--tree cannot be used with -c/--check');
  if (tree && similar) return fail('--tree cannot be used with --similar');
  if (walk && check) return fail('--walk cannot be used with -c/--check');
  if (walk && similar) return fail('--walk cannot be used with --similar');
  if (walk && tree) return fail('--walk cannot be used with --tree');
  if (similar && files.length < 2) return fail('--similar requires at least 2 files to compare');
  if (tree && files.length !== 1) return fail('--tree requires exactly one directory argument');
  if (walk && files.length !== 1) return fail('--walk requires exactly one directory argument');
  if ((tree || walk) && !statOrNull(files[0]!)?.isDirectory()) {
    return fail(`${tree ? '--tree' : '--walk'} requires a directory, not a file: '${files[0]}'`);
  }

  setupBlake3(ctx.env, true);
  const stdoutSink = streamSink(ctx.stdout);
  const progress = createProgress(ctx.stderr, 0, !flag('status'));
  const makeErr = (sink: Sink) => async (line: string) => {
    await sink.flush();
    progress.clear();
    ctx.stderr.write(line + '\n');
  };

  if (check) {
    const opts = { quiet: flag('quiet'), status: flag('status'), warn: flag('warn'), strict: flag('strict') };
    const readStdin = async () => {
      const parts: Uint8Array[] = [];
      for await (const c of ctx.stdin) parts.push(typeof c === 'string' ? new TextEncoder().encode(c) : c);
      return Buffer.concat(parts);
    };
    try {
      return await verifyChecksumFiles(files, opts, { out: stdoutSink, err: makeErr(stdoutSink), readStdin });
    } finally {
      await stdoutSink.close();
      await closeSumHashing();
    }
  }

  let sink: Sink = stdoutSink;
  if (output !== undefined) {
    try {
      sink = fileSink(output);
    } catch (e) {
      return fail(`${output}: ${describeError(e)}`);
    }
  }
  const out: Out = { sink, tty: output === undefined && Boolean(ctx.stdout.isTTY), err: makeErr(sink), progress };
  const narrow = flag('narrow');
  const fmt = { tag: flag('tag'), zero: flag('zero'), units: flag('units') };
  try {
    if (similar) return await runSimilar(ctx, out, files, threshold, narrow, fmt);
    if (tree || walk) return await runTree(out, files[0]!, narrow, fmt, walk);
    return await runDefault(ctx, out, files, narrow, fmt);
  } finally {
    progress.done();
    await sink.close();
    await closeSumHashing();
  }
}


type Fmt = { tag: boolean; zero: boolean; units: boolean };

function emit(out: Out, r: FileSum, name: string, fmt: Fmt): void {
  const end = fmt.zero ? '\0' : '\n';
  let s = formatLine(r.iscc, displayPath(name), fmt.tag) + end;
  if (fmt.units && r.units) for (const u of r.units) s += `  ${u}${end}`;
  // On a terminal, the progress line shares the screen: erase it and show the line at once.
  if (out.tty) out.progress.clear();
  out.sink.write(s);
  if (out.tty) void out.sink.flush();
}

/**
 * Hash the jobs in order, through the worker pool when there are many files, and hand each
 * result (or error) to `onResult` in job order.
 */
async function hashJobs(
  ctx: CommandContext,
  out: Out,
  jobs: Job[],
  narrow: boolean,
  units: boolean,
  onResult: (job: Job, r: FileSum | null, error: string | null) => Promise<void> | void,
): Promise<void> {
  const fileJobs = jobs.filter((j) => j.kind === 'file').length;
  out.progress.setTotal(fileJobs);
  let pool: SumPool | null = null;
  const paths = jobs.map((j) => (j.kind === 'file' ? j.path : null));
  if (fileJobs >= POOL_MIN_FILES && ctx.env.ISCC_SUM_THREADS !== '1') pool = createSumPool(ctx.env, paths);
  try {
    if (pool) {
      const results = pool.run(paths, !narrow, units, (n) => out.progress.bytes(n));
      for (let i = 0; i < jobs.length; i++) {
        const job = jobs[i]!;
        if (job.kind === 'file') {
          const r = await results.get(i);
          out.progress.file();
          await onResult(job, r.result ?? null, r.error ?? null);
        } else await onResult(job, null, null);
      }
      return;
    }
    // Synchronous unless a handler needs to wait: no promise per small file.
    const onBytes = out.progress === NO_PROGRESS ? undefined : (n: number) => out.progress.bytes(n);
    const sums = new FileSums(
      paths.filter((p) => p !== null),
      !narrow,
      units,
      onBytes,
    );
    try {
      for (const job of jobs) {
        if (job.kind !== 'file') {
          await onResult(job, null, null);
          continue;
        }
        let r: FileSum | null = null;
        let error: string | null = null;
        try {
          r = sums.next();
        } catch (e) {
          if (!(e instanceof ReadError)) throw e;
          error = e.message;
        }
        out.progress.file();
        const wait = onResult(job, r, error);
        if (wait !== undefined) await wait;
      }
    } finally {
      sums.close();
    }
  } finally {
    await pool?.close();
  }
}

/**
 * A directory argument larger than this (more than one 4 KiB block, i.e. more than ~100 to
 * 200 entries on ext4) makes the helper thread start before the walk.
 */
const PRESTART_DIR_BYTES = 4096;

/**
 * Spawn the helper thread of small files (sum/hash.ts FileSums) before the walk when the run
 * likely has enough files for it (many arguments, or a big directory), so that its start
 * overlaps the walk instead of following it; otherwise FileSums starts it after the walk if
 * there are enough files (a small directory does not pay for a thread it does not use).
 * A big file argument spawns the threads its hashing uses (helper, data thread) at once too.
 */
function startHelperEarly(ctx: CommandContext, args: readonly string[], stats: readonly (Stats | null)[]): void {
  if (ctx.env.ISCC_SUM_THREADS === '1') return;
  let bigDir = false;
  for (const st of stats) {
    if (st?.isDirectory()) bigDir ||= st.size > PRESTART_DIR_BYTES;
    else if (st?.isFile()) prestartForSize(st.size);
  }
  if (args.length >= BATCH_MIN_FILES || bigDir) prestartHelper();
}

async function runDefault(ctx: CommandContext, out: Out, files: string[], narrow: boolean, fmt: Fmt): Promise<number> {
  const args = files.length === 0 ? ['-'] : files;
  let status = 0;
  // One stat per argument, for the early thread start and the expansion alike.
  const stats = args.map((a) => (a === '-' ? null : statOrNull(a)));
  startHelperEarly(ctx, args, stats);
  const jobs = expandPaths(args, true, stats);
  let sinceFlush = 0;
  await hashJobs(ctx, out, jobs, narrow, fmt.units, (job, r, error) => {
    if (job.kind === 'error') {
      status = 2;
      return out.err(job.message);
    } else if (job.kind === 'stdin') {
      return sumStream(ctx.stdin as AsyncIterable<Uint8Array>, !narrow, fmt.units).then((sum) => emit(out, sum, '-', fmt));
    } else if (error !== null) {
      status = 2;
      return out.err(`${PROG}: ${job.path}: ${error}`);
    }
    emit(out, r!, job.path, fmt);
    // Respect back-pressure now and then without paying for it on every file.
    if (++sinceFlush >= 256) {
      sinceFlush = 0;
      return out.sink.flush();
    }
    return undefined;
  });
  return status;
}

async function runSimilar(
  ctx: CommandContext,
  out: Out,
  files: string[],
  threshold: number,
  narrow: boolean,
  fmt: Fmt,
): Promise<number> {
  let status = 0;
  const items: SimilarItem[] = [];
  const jobs = expandPaths(files, false);
  await hashJobs(ctx, out, jobs, narrow, false, async (job, r, error) => {
    if (job.kind === 'error') {
      status = 2;
      await out.err(job.message);
    } else if (job.kind === 'file') {
      if (error !== null) {
        status = 2;
        await out.err(`${PROG}: ${job.path}: ${error}`);
      } else items.push({ path: job.path, iscc: r!.iscc });
    }
  });
  out.sink.write(renderSimilar(groupSimilar(items, threshold, narrow), fmt, displayPath));
  return status;
}

async function runTree(out: Out, dir: string, narrow: boolean, fmt: Fmt, listOnly: boolean): Promise<number> {
  const end = fmt.zero ? '\0' : '\n';
  const h = new IsccSumHasher();
  let count = 0;
  let status = 0;
  try {
    for (const e of treewalkIscc(dir)) {
      count++;
      if (listOnly) {
        out.sink.write(displayPath(e.rel) + end);
        continue;
      }
      try {
        feedFile(h, e.path, (n) => out.progress.bytes(n));
      } catch (err) {
        if (!(err instanceof ReadError)) throw err;
        // iscc-sum skips the file and still exits 0; we say so in the exit status.
        status = 2;
        await out.err(`${PROG}: ${e.path}: ${err.message}`);
      }
      out.progress.file();
    }
  } catch (err) {
    await out.err(`${PROG}: ${dir}: unexpected error: ${describeError(err)}`);
    return 2;
  }
  if (count === 0) {
    await out.err(`${PROG}: ${dir}: no files found`);
    return 2;
  }
  if (!listOnly) {
    const r = h.result(!narrow, fmt.units);
    emit(out, r, dir.replace(/\/+$/, '') + '/', fmt);
  }
  return status;
}
