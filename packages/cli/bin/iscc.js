#!/usr/bin/env node
// The `iscc` command. Kept as a tiny committed file so that npm links it at install time,
// before the TypeScript build has produced dist/.
// `iscc sum` runs from its single-file bundle (dist/sum/bundle.js, scripts/bundle-sum.mjs) when
// the build made one after the last TypeScript build: its start-up is most of the time of
// `iscc sum` on small files.
import { statSync } from 'node:fs';

const argv = process.argv.slice(2);

// A reader that goes away early (`iscc sum DIR | head -1`) closes the pipe. Stop quietly with
// the status a shell reports for a process ended by SIGPIPE (128 + 13), as coreutils do,
// instead of an unhandled EPIPE error and its stack trace.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(141);
  throw err;
});

/** Whether dist/sum/bundle.js exists and is newer than the tsc builds it was made from. */
function sumBundleFresh() {
  try {
    const at = (p) => statSync(new URL(p, import.meta.url)).mtimeMs;
    const bundle = at('../dist/sum/bundle.js');
    return ['../tsconfig.tsbuildinfo', '../../core/tsconfig.tsbuildinfo', '../../sdk/tsconfig.tsbuildinfo'].every((p) => {
      try {
        return at(p) <= bundle;
      } catch {
        return true; // an installed package has no build info
      }
    });
  } catch {
    return false;
  }
}

// The rest of the CLI (dist/main.js and its command table) is only loaded when it is needed:
// `iscc sum` from its bundle does not pay for it.
const run =
  argv[0] === 'sum' && sumBundleFresh()
    ? (await import('../dist/sum/bundle.js')).sumMain(argv.slice(1))
    : (await import('../dist/main.js')).main(argv);

run.then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`iscc: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
