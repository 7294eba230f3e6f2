#!/usr/bin/env node
// The `iscc` command. Kept as a tiny committed file so that npm links it at install time,
// before the TypeScript build has produced dist/.
import { main } from '../dist/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`iscc: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
