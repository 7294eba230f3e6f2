/**
 * `iscc batch DIR...`: code every file below the directories in parallel (@iscc-ts/sdk
 * `codeIsccBatch`, one worker thread per core), in iscc-sdk's bottom-up walk order.
 *
 * Output: one line per file, `<ISCC> <path>` (`cached` after a skipped file whose sidecar is
 * current), failures as `ERROR <code> <path>: <message>` on stderr, a summary line on stderr when it is a terminal;
 * or with `--json` one JSON object `{ total, ok, skipped, errors, seconds, files }` on stdout.
 * `--sidecars` writes `<file>.iscc.json` next to each file (as iscc-sdk's batch) and a re-run
 * skips files whose sidecar is current. Ctrl-C stops cleanly (no half-written sidecars).
 */
import type { BatchRecord } from '@iscc-ts/sdk';
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';
import { countRecords, loadSdk, oneLine, progressBar, SDK_FLAGS, sdkOptionsFromArgs } from '../media.ts';

const spec: CommandSpec = {
  name: 'batch',
  summary: 'Create ISCC-CODEs for all files in directories (parallel, recursive)',
  usage: '[OPTIONS] DIR...',
  description:
    'Walks each DIR bottom-up (subdirectories first, names in code point order, as iscc-sdk batch) and\n' +
    'codes every file with one worker thread per core. Symbolic links, *.iscc.json and *.iscc.mp7sig are\n' +
    'skipped. A file that fails is reported and the batch goes on. With --sidecars the result of each\n' +
    'file is written to FILE.iscc.json; a later run skips files whose sidecar is newer than the file\n' +
    'and was made with the same options. Progress is shown on stderr when it is a terminal.',
  options: [
    { name: 'json', type: 'boolean', description: 'Print one JSON summary with every record' },
    { name: 'workers', short: 'w', type: 'string', valueName: 'N', description: 'Worker threads (0 or 1: code in the main thread)', default: 'all cores' },
    { name: 'sidecars', type: 'boolean', description: 'Write FILE.iscc.json next to each file; skip files whose sidecar is current' },
    { name: 'force', type: 'boolean', description: 'With --sidecars: code every file again' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'No per-file lines (summary and errors only)' },
    ...SDK_FLAGS,
  ],
  examples: [
    { command: 'iscc batch ../shared/samples/image', explains: 'An "<ISCC> <path>" line per image, in walk order.' },
    { command: 'iscc batch --json --workers 2 --no-thumbnail ../shared/samples/image', explains: 'A JSON summary with the full result of every file, on two threads.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'every file was coded (or skipped with a current sidecar)' },
    { code: 2, meaning: 'usage error, a DIR does not exist, or some files failed (the rest are coded)' },
    { code: 130, meaning: 'interrupted (Ctrl-C)' },
  ],
  async run(ctx) {
    const dirs = ctx.args.positionals;
    if (dirs.length === 0) throw new UsageError('give at least one DIR');
    const o = ctx.args.options;
    let workers: number | undefined;
    if (typeof o.workers === 'string') {
      workers = Number(o.workers);
      if (!Number.isInteger(workers) || workers < 0) throw new UsageError(`--workers: expected a whole number >= 0, got '${o.workers}'`);
    }
    const { statSync } = await import('node:fs');
    for (const d of dirs) {
      let isDir = false;
      try {
        isDir = statSync(d).isDirectory();
      } catch {
        // reported below
      }
      if (!isDir) throw new UsageError(`not a directory: ${d}`);
    }
    const sdk = await loadSdk();
    const bar = progressBar(ctx, true);
    const st = styles(useColor(ctx, ctx.stderr));
    const ac = new AbortController();
    const onSigint = () => ac.abort();
    process.once('SIGINT', onSigint);
    const started = performance.now();
    let records: BatchRecord[];
    try {
      records = await sdk.codeIsccBatch(dirs, {
        ...sdkOptionsFromArgs(ctx.args),
        workers,
        sidecars: Boolean(o.sidecars),
        force: Boolean(o.force),
        env: ctx.env,
        signal: ac.signal,
        onProgress: (p) => bar.update(p.done, p.total, p.path),
      });
    } catch (e) {
      bar.clear();
      if (ac.signal.aborted) {
        ctx.stderr.write('iscc batch: interrupted\n');
        return 130;
      }
      throw e;
    } finally {
      process.removeListener('SIGINT', onSigint);
    }
    bar.clear();
    const seconds = (performance.now() - started) / 1000;
    const counts = countRecords(records);
    if (o.json) {
      ctx.stdout.write(toJson({ ...counts, seconds: Math.round(seconds * 1000) / 1000, files: records }) + '\n');
      return counts.errors > 0 ? 2 : 0;
    }
    for (const r of records) {
      if (r.status === 'error') ctx.stderr.write(`${st.red('ERROR')} ${r.error.code} ${r.path}: ${oneLine(r.error.message)}\n`);
      else if (!o.quiet) ctx.stdout.write(`${r.result.iscc} ${r.path}${r.status === 'skipped' ? ' (cached)' : ''}\n`);
    }
    const rate = counts.total / Math.max(seconds, 0.001);
    // The summary is for people; scripts read the lines (or --json) and the exit status.
    if (ctx.stderr.isTTY) ctx.stderr.write(
      `${counts.total} files: ${counts.ok} coded, ${counts.skipped} cached, ${counts.errors} failed in ${seconds.toFixed(2)} s (${rate.toFixed(1)} files/s)\n`,
    );
    return counts.errors > 0 ? 2 : 0;
  },
};
export default spec;
