// Bundles an entry of the workspace's TypeScript sources into one ESM file with esbuild, for
// tests and benchmarks that need a real child process or worker without a build: workspace
// packages (`@iscc-ts/*`) resolve to their sources through the `development` condition, every
// other package stays external and resolves from the repository's node_modules (so the output
// file must lie inside the repository, e.g. under node_modules/.cache).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Keep npm packages external, bundle the workspace's own. */
const externals = {
  name: 'externals',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@iscc-ts/') ? undefined : { path: a.path, external: true }));
  },
};

const common = { bundle: true, platform: 'node', format: 'esm', conditions: ['development'], logLevel: 'silent', plugins: [externals] };

/**
 * Bundle one source file.
 * @param {string} entry - path of the entry module (e.g. packages/sdk/src/batch-worker.ts)
 * @param {string} outfile - where the bundle goes (inside the repository)
 */
export async function bundleSourceEntry(entry, outfile) {
  await build({ ...common, entryPoints: [entry], outfile });
}

/**
 * Bundle the `iscc` command from its sources: running the output with node is `iscc`.
 * @param {string} outfile - where the bundle goes (inside the repository)
 */
export async function bundleCliFromSources(outfile) {
  const main = join(repo, 'packages/cli/src/main.ts');
  const contents = `import { main } from ${JSON.stringify(main)};\nmain(process.argv.slice(2)).then((c) => { process.exitCode = c; });\n`;
  await build({ ...common, stdin: { contents, resolveDir: repo, loader: 'ts' }, outfile });
}
