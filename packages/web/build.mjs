#!/usr/bin/env node
// Builds the web page into dist/: esbuild bundles src/main.ts (with @iscc-ts/core from its
// TypeScript sources and the @jsquash WASM decoders) into one ES module, copies the two
// decoder .wasm files beside it (loaded at run time from the page's own origin, never a CDN),
// and writes index.html with the stylesheet inlined. `node build.mjs --watch` rebuilds on change.
import { build, context } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const require = createRequire(import.meta.url);
const jpegDir = dirname(require.resolve('@jsquash/jpeg/package.json'));
const pngDir = dirname(require.resolve('@jsquash/png/package.json'));

const options = {
  entryPoints: [join(here, 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: join(dist, 'app.js'),
  // Workspace packages resolve to their TypeScript sources: the page needs no prior tsc build.
  conditions: ['development'],
  minify: true,
  sourcemap: true,
  legalComments: 'linked',
  // The emscripten glue mentions Node modules on a branch the browser never takes.
  external: ['module', 'fs', 'path', 'url', 'worker_threads'],
  logLevel: 'warning',
};

function writeStatic() {
  mkdirSync(dist, { recursive: true });
  copyFileSync(join(jpegDir, 'codec', 'dec', 'mozjpeg_dec.wasm'), join(dist, 'mozjpeg_dec.wasm'));
  copyFileSync(join(pngDir, 'codec', 'pkg', 'squoosh_png_bg.wasm'), join(dist, 'squoosh_png_bg.wasm'));
  const css = readFileSync(join(here, 'src', 'style.css'), 'utf8');
  const html = readFileSync(join(here, 'src', 'index.html'), 'utf8').replace('/*STYLE*/', () => css);
  writeFileSync(join(dist, 'index.html'), html);
}

rmSync(dist, { recursive: true, force: true });
writeStatic();
if (process.argv.includes('--watch')) {
  const ctx = await context(options);
  await ctx.watch();
  console.log('web: watching src/ (static files are copied at start only)');
} else {
  const result = await build({ ...options, metafile: true });
  const js = Object.entries(result.metafile.outputs).filter(([f]) => f.endsWith('.js')).reduce((a, [, o]) => a + o.bytes, 0);
  console.log(`web: dist/ built (${(js / 1024).toFixed(0)} KiB of JavaScript, plus the two decoders' WASM)`);
}
