/**
 * Entry of `iscc sum` alone, for the single-file bundle that `bin/iscc.js` runs for `iscc sum`
 * when the build made one (scripts/bundle-sum.mjs writes dist/sum/bundle.js from this module's
 * build): one file to load instead of ~60 modules, which is most of `iscc sum`'s start-up
 * (scripts call it once per file). Behaves exactly as `main(['sum', ...argv])`.
 */
import { runSpec } from '../command.ts';
import spec from '../commands/sum.ts';

/**
 * Run `iscc sum` with `argv` (the arguments after `sum`) on the process's streams.
 * @returns the exit code
 */
export function sumMain(argv: readonly string[]): Promise<number> {
  return runSpec(spec, argv, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
}
