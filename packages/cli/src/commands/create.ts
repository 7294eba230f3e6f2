/**
 * `iscc create FILE...`: the ISCC-CODE of each file with its metadata, as iscc-sdk's `create`
 * prints it (pretty JSON of `code_iscc`). One file prints one object, several print an array
 * in argument order; `--short` prints `<ISCC> <file>` lines instead. A file that cannot be
 * coded is reported on stderr and the others are still coded (exit status 2 at the end).
 * Many files on a terminal get a progress line on stderr.
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { toJson } from '../output.ts';
import { describeFailure, loadSdk, progressBar, SDK_FLAGS, sdkOptionsFromArgs } from '../media.ts';

/** Files from which on a progress line is shown. */
const PROGRESS_MIN_FILES = 4;

const spec: CommandSpec = {
  name: 'create',
  summary: 'Create the ISCC-CODE of files, with their metadata (JSON)',
  usage: '[OPTIONS] FILE...',
  description:
    'Detects the media type, extracts metadata and computes the Meta-, Content-, Data- and Instance-Code\n' +
    'of each FILE, combined into an ISCC-CODE. Output is the JSON of iscc-sdk\'s code_iscc (one object,\n' +
    'or an array for several files). Files of unsupported types get an ISCC-SUM (Data + Instance).\n' +
    'Options are also read from ISCC_SDK_* environment variables (e.g. ISCC_SDK_BITS=256).',
  options: [
    { name: 'json', type: 'boolean', description: 'Print JSON (the default; kept for symmetry with other commands)' },
    { name: 'short', short: 's', type: 'boolean', description: 'Print "<ISCC> <file>" lines instead of JSON' },
    { name: 'name', short: 'n', type: 'string', valueName: 'TEXT', description: 'Title for the Meta-Code (instead of the embedded one)' },
    { name: 'description', short: 'd', type: 'string', valueName: 'TEXT', description: 'Description for the Meta-Code' },
    ...SDK_FLAGS,
  ],
  examples: [
    { command: 'iscc create ../shared/samples/image/demo.jpg', explains: 'ISCC-CODE and metadata of an image, as JSON.' },
    {
      command: 'iscc create --bits 256 --units --no-thumbnail ../shared/samples/image/demo.png',
      explains: '256-bit units, listed in the result, without a thumbnail.',
    },
    {
      command: "iscc create --short --name 'Demo image' ../shared/samples/image/demo.jpg ../shared/samples/image/demo.gif",
      explains: 'One "<ISCC> <file>" line per file, with a title of your own.',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'every file was coded' },
    { code: 2, meaning: 'usage error, or a file could not be read or decoded (the others are still printed)' },
  ],
  async run(ctx) {
    const files = ctx.args.positionals;
    if (files.length === 0) throw new UsageError('give at least one FILE');
    const opts = sdkOptionsFromArgs(ctx.args);
    const name = typeof ctx.args.options.name === 'string' ? ctx.args.options.name : null;
    const description = typeof ctx.args.options.description === 'string' ? ctx.args.options.description : null;
    const sdk = await loadSdk();
    const env = ctx.env;
    // Resolve once up front: a bad ISCC_SDK_* variable is a usage error, not a per-file one.
    const resolved = sdk.resolveOptions(opts, env);
    const bar = progressBar(ctx, files.length >= PROGRESS_MIN_FILES);
    const results: Record<string, unknown>[] = [];
    let failed = 0;
    for (let i = 0; i < files.length; i++) {
      const file = files[i]!;
      bar.update(i, files.length, file);
      try {
        const r = await sdk.codeIscc(file, name, description, null, resolved);
        results.push(r);
        if (ctx.args.options.short) {
          bar.clear();
          ctx.stdout.write(`${r.iscc} ${file}\n`);
        }
      } catch (e) {
        failed++;
        const f = describeFailure(e);
        bar.clear();
        ctx.stderr.write(`iscc create: ${file}: ${f.message} [${f.code}]\n`);
      }
    }
    bar.update(files.length, files.length, '');
    bar.clear();
    if (!ctx.args.options.short && (files.length > 1 || results.length === 1)) {
      ctx.stdout.write(toJson(files.length === 1 ? results[0] : results) + '\n');
    }
    return failed > 0 ? 2 : 0;
  },
};
export default spec;
