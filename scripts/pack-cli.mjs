#!/usr/bin/env node
// Packs the `iscc` command into one self-contained npm tarball (dist-pack/*.tgz).
//
// The CLI's own package.json depends on the workspace packages @iscc-ts/core, sdk, index, hub
// and server, which are not on the npm registry, so `npm pack -w @iscc-ts/cli` would give a
// tarball that cannot install anywhere else. This script instead:
//   1. bundles the CLI with esbuild from the TypeScript sources (the `development` export
//      condition: no prior tsc build is needed), inlining every @iscc-ts/* module. Every other
//      bare import (sharp, lmdb, pg, hono, @hono/node-server, file-type, pdf-lib, @noble/hashes,
//      @scure/base, ...) stays external and becomes a dependency of the packed package, at the
//      exact version the workspace package that imports it declares (a used package that no
//      workspace declares is an error, as is one declared at two different versions);
//   2. bundles the worker-thread scripts as extra entry points beside the main bundle, under
//      the names the code spawns with `new URL('./<name>.js', import.meta.url)`: worker.js
//      (cli sum pool), batch-worker.js (sdk batch), stream-worker.js (sdk streamed Text-Code).
//      Code splitting keeps the commands lazily loaded (`iscc --version` loads main.js alone)
//      and shares chunks between the main thread and the workers; all files sit in one flat
//      folder so that every `new URL('./x.js', import.meta.url)` finds its script;
//   3. copies the web page (packages/web/dist, built first if absent; a warning when sources are
//      newer than it) to web/dist of the package. The server finds it at
//      `new URL('../../web/dist', import.meta.url)`, so the bundle lives two folders deep
//      (dist/cli/) and that same relative path lands on web/dist; the script checks this by
//      resolving the path from the output folder;
//   4. writes the staging package (name `iscc-ts`, version and optional dependencies of
//      packages/cli/package.json, bin `iscc`, engines of the root package.json), a README and
//      the notices of the bundled conformance vectors, and runs `npm pack` there into
//      dist-pack/ (gitignored).
// WASM needs no copying: core inlines its kernels as bytes (src/_wasm-*.ts) and the conformance
// vectors as text (src/_conformance-data.ts); the web page's decoder .wasm files come with
// web/dist. `@napi-rs/blake-hash` is loaded with createRequire (not a static import, so esbuild
// does not see it) and stays an optional dependency as in packages/cli/package.json.
//
// Usage: node scripts/pack-cli.mjs [--name NAME] [--out DIR]   (npm run pack:cli)
// Prints the path of the tarball as the last line of stdout.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const argValue = (flag, fallback) => {
  const i = args.indexOf(flag);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const pkgName = argValue('--name', 'iscc-ts');
const outDir = resolve(root, argValue('--out', 'dist-pack'));
const stage = join(outDir, 'stage');
const bundleDir = join(stage, 'dist', 'cli');

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));
const rootPkg = readJson(join(root, 'package.json'));
const cliPkg = readJson(join(root, 'packages', 'cli', 'package.json'));

// Versions every workspace package declares for its npm dependencies.
const declared = new Map(); // name -> Map(version -> [declaring packages])
for (const dir of readdirSync(join(root, 'packages'))) {
  const file = join(root, 'packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = readJson(file);
  for (const [name, version] of Object.entries({ ...pkg.dependencies, ...pkg.optionalDependencies })) {
    if (name.startsWith('@iscc-ts/')) continue;
    const byVersion = declared.get(name) ?? new Map();
    byVersion.set(version, [...(byVersion.get(version) ?? []), pkg.name]);
    declared.set(name, byVersion);
  }
}

/** `@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`. */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

const builtins = new Set(builtinModules);
const usedExternals = new Set();
/** esbuild plugin: every bare import outside @iscc-ts/* is external, and recorded. */
const externalizeNpm = {
  name: 'externalize-npm',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => {
      if (a.path.startsWith('node:') || builtins.has(a.path)) return { path: a.path, external: true };
      if (a.path.startsWith('@iscc-ts/')) return undefined; // bundled from source
      usedExternals.add(packageOf(a.path));
      return { path: a.path, external: true };
    });
  },
};

const src = (p) => join(root, 'packages', p);
const entryPoints = {
  main: src('cli/src/main.ts'),
  worker: src('cli/src/sum/worker.ts'),
  'batch-worker': src('sdk/src/batch-worker.ts'),
  'stream-worker': src('sdk/src/text/stream-worker.ts'),
};
// The code that spawns each worker names it relative to its own module: check those names
// still match the entry points above, so a renamed worker fails here instead of at run time.
const spawners = [
  ['cli/src/sum/pool.ts', './worker.js'],
  ['sdk/src/batch.ts', './batch-worker.js'],
  ['sdk/src/text/stream.ts', './stream-worker.js'],
];
for (const [file, script] of spawners) {
  const text = readFileSync(src(file), 'utf8');
  if (!text.includes(`new URL('${script}', import.meta.url)`)) {
    throw new Error(`pack-cli: ${file} no longer spawns new URL('${script}', import.meta.url); update entryPoints`);
  }
}
for (const [name, file] of Object.entries(entryPoints)) {
  if (!existsSync(file)) throw new Error(`pack-cli: entry point ${name} missing: ${file}`);
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(bundleDir, { recursive: true });

const result = await build({
  entryPoints,
  outdir: bundleDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  conditions: ['development'],
  chunkNames: 'chunk-[hash]',
  legalComments: 'inline',
  metafile: true,
  logLevel: 'warning',
  plugins: [externalizeNpm],
});

// Dependencies of the packed package: every external npm package the bundle imports.
const dependencies = {};
for (const name of [...usedExternals].sort()) {
  const byVersion = declared.get(name);
  if (!byVersion) throw new Error(`pack-cli: the bundle imports ${name}, which no workspace package.json declares`);
  if (byVersion.size > 1) {
    const list = [...byVersion].map(([v, pkgs]) => `${v} (${pkgs.join(', ')})`).join(', ');
    throw new Error(`pack-cli: ${name} is declared at different versions: ${list}`);
  }
  dependencies[name] = [...byVersion.keys()][0];
}
const optionalDependencies = { ...cliPkg.optionalDependencies };
for (const name of Object.keys(optionalDependencies)) delete dependencies[name];

// The web page, where the server looks for it relative to the bundle.
const webSrc = join(root, 'packages', 'web', 'dist');
if (!existsSync(join(webSrc, 'index.html'))) {
  console.log('pack-cli: packages/web/dist is not built; building it');
  execFileSync(process.execPath, [join(root, 'packages', 'web', 'build.mjs')], { stdio: 'inherit' });
} else {
  // Not rebuilt here: the build empties packages/web/dist first, which would disturb a server or
  // an e2e test using it at the same moment. Say so when sources are newer than the build.
  const built = statSync(join(webSrc, 'index.html')).mtimeMs;
  const newer = ['web', 'core'].flatMap((p) =>
    readdirSync(join(root, 'packages', p, 'src'), { recursive: true })
      .map((f) => join(root, 'packages', p, 'src', String(f)))
      .filter((f) => !f.endsWith('.test.ts') && statSync(f).isFile() && statSync(f).mtimeMs > built),
  );
  if (newer.length) {
    console.warn(`pack-cli: warning: packages/web/dist is older than ${newer.length} source file(s) (e.g. ${relative(root, newer[0])}); run npm run build -w @iscc-ts/web first for a current page`);
  }
}
const webDest = fileURLToPath(new URL('../../web/dist', pathToFileURL(join(bundleDir, 'main.js'))));
if (relative(stage, webDest) !== join('web', 'dist')) throw new Error(`pack-cli: web dir resolves to ${webDest}, outside the package`);
cpSync(webSrc, webDest, { recursive: true, filter: (p) => !p.endsWith('.map') });

// bin/iscc.js: the CLI's own launcher, pointed at the bundle.
const binText = readFileSync(join(root, 'packages', 'cli', 'bin', 'iscc.js'), 'utf8');
const launcherImport = "import('../dist/main.js')";
if (!binText.includes(launcherImport)) throw new Error(`pack-cli: packages/cli/bin/iscc.js no longer imports ${launcherImport}`);
mkdirSync(join(stage, 'bin'), { recursive: true });
writeFileSync(join(stage, 'bin', 'iscc.js'), binText.replace(launcherImport, "import('../dist/cli/main.js')"), { mode: 0o755 });

mkdirSync(join(stage, 'notices'), { recursive: true });
copyFileSync(join(root, 'packages', 'core', 'data', 'NOTICE.md'), join(stage, 'notices', 'CONFORMANCE-VECTORS.md'));
if (existsSync(join(webSrc, 'app.js.LEGAL.txt'))) copyFileSync(join(webSrc, 'app.js.LEGAL.txt'), join(stage, 'notices', 'WEB-PAGE-LEGAL.txt'));
for (const f of ['LICENSE', 'CHANGELOG.md']) if (existsSync(join(root, f))) copyFileSync(join(root, f), join(stage, f));

writeFileSync(
  join(stage, 'README.md'),
  `# ${pkgName}

The \`iscc\` command of iscc-ts: ISCC codes (ISO 24138, bit-exact with iscc-core 1.3.0) for files,
\`explain\`, \`compare\`, \`decompose\`, \`validate\`, \`sum\`, \`index\`, \`hub\`, \`selftest\` and \`serve\`
(the REST service and the web page).

    npm install -g ${pkgName}
    iscc selftest
    iscc --help

This package bundles @iscc-ts/core, sdk, index, hub and server (built from the iscc-ts monorepo).
Audio, video and some text formats need external tools (ffmpeg, pdftoppm, ...): \`iscc selftest\`
lists them with install hints.
`,
);

const pkg = {
  name: pkgName,
  version: cliPkg.version,
  description: cliPkg.description,
  license: cliPkg.license ?? rootPkg.license,
  type: 'module',
  bin: { iscc: './bin/iscc.js' },
  files: ['bin', 'dist', 'web', 'notices', 'README.md', 'CHANGELOG.md', 'LICENSE'],
  engines: rootPkg.engines,
  dependencies,
  ...(Object.keys(optionalDependencies).length ? { optionalDependencies } : {}),
};
writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');

const jsBytes = Object.entries(result.metafile.outputs)
  .filter(([f]) => f.endsWith('.js'))
  .reduce((a, [, o]) => a + o.bytes, 0);
console.log(`pack-cli: bundled ${(jsBytes / 1024).toFixed(0)} KiB of JavaScript into ${relative(root, bundleDir)}`);
console.log(`pack-cli: dependencies ${Object.entries(dependencies).map(([n, v]) => `${n}@${v}`).join(', ')}`);

const packed = execFileSync('npm', ['pack', '--json', '--pack-destination', outDir], { cwd: stage, encoding: 'utf8' });
const [info] = JSON.parse(packed);
const tarball = join(outDir, info.filename);
console.log(`pack-cli: ${info.entryCount} files, ${(info.size / 1024).toFixed(0)} KiB packed`);
console.log(tarball);
