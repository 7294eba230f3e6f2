#!/usr/bin/env node
// Bundles `iscc sum` into one file, packages/cli/dist/sum/bundle.js, from the tsc build
// (packages/cli/dist/sum/entry.js and the dist/ of core and the sdk), so that `iscc sum` loads
// one module instead of ~60: start-up is most of its time on small files, and scripts call it
// once per file. bin/iscc.js runs the bundle for `iscc sum` when it is newer than the last
// TypeScript build of core, sdk and cli (else dist/main.js, so a stale bundle is never used).
// The bundle sits beside dist/sum/worker.js, which the pool spawns with
// `new URL('./worker.js', import.meta.url)`. Everything it imports is inlined (the workspace
// packages and their npm dependencies) but node:* and `@napi-rs/blake-hash`, which the sdk
// loads with createRequire at run time (esbuild does not see it).
// Usage: node scripts/bundle-sum.mjs   (part of `npm run build`, after tsc)
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'cli');
await build({
  entryPoints: [join(cli, 'dist', 'sum', 'entry.js')],
  outfile: join(cli, 'dist', 'sum', 'bundle.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
