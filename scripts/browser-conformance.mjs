#!/usr/bin/env node
// Runs the conformance vectors on a browser bundle of @iscc-ts/core in headless Chromium
// (Debian's chromium driven by playwright-core) and in Node, and requires identical results.
// The bundle is built for platform "browser": any node:* import in core fails the build.
// Vectors come from $ISCC_CONFORMANCE_DIR (default ../shared/conformance), the copies bundled
// into core, core's iscc-core 1.3.0 golden vectors (__vectors__/*.json) and the ISCC-SIG
// fixtures in $ISCC_CONFORMANCE_DIR/crypto (tests/crypto-checks.ts). Prints "N passed, N failed" and exits 1 on any difference.
import { build } from 'esbuild';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dir = resolve(process.env.ISCC_CONFORMANCE_DIR ?? join(root, '..', 'shared', 'conformance'));
if (!existsSync(join(dir, 'data.json'))) {
  console.error(`browser-conformance: vectors not found at ${join(dir, 'data.json')} (set ISCC_CONFORMANCE_DIR)`);
  process.exit(2);
}
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  console.error(`browser-conformance: ${CHROMIUM} not found; install Debian's chromium (npm run setup does)`);
  process.exit(2);
}
const files = [
  { suite: 'iscc-core', data: JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8')) },
  { suite: 'iscc-sum', data: JSON.parse(readFileSync(join(dir, 'iscc-sum', 'test_vectors.json'), 'utf8')) },
];
// iscc-core 1.3.0 golden vectors over every public function (see packages/core/src/__vectors__/SOURCE.md).
const vectorDir = join(root, 'packages', 'core', 'src', '__vectors__');
const referenceFiles = ['reference-1.3.0.json', 'hostile.json'];

const crypto = {
  example: JSON.parse(readFileSync(join(dir, 'crypto', 'iscc-crypto_docs_iscc-sig-spec_example.json'), 'utf8')),
  aliceDid: JSON.parse(readFileSync(join(dir, 'crypto', 'iscc-crypto_docs_alice_did.json'), 'utf8')),
  hub: JSON.parse(readFileSync(join(dir, 'crypto', 'iscc-hub_fixtures_test_data.json'), 'utf8')),
};
const asResults = (rs) => rs.map((r) => ({ suite: 'crypto', func: 'iscc-sig', name: r.name, passed: r.passed, got: null, error: r.error }));

const tmp = mkdtempSync(join(tmpdir(), 'iscc-browser-'));
const out = join(tmp, 'core.bundle.js');
await build({
  entryPoints: [join(root, 'scripts', 'browser', 'entry.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  outfile: out,
  conditions: ['development'],
  logLevel: 'error',
});
const bundle = readFileSync(out);
const html = '<!doctype html><meta charset="utf-8"><title>iscc-ts conformance</title><script type="module">import * as m from "./core.bundle.js"; window.iscc = m; window.ready = true;</script>';
const server = createServer((req, res) => {
  const vec = /^\/vectors\/([a-z0-9.-]+\.json)$/.exec(req.url ?? '');
  if (vec && referenceFiles.includes(vec[1])) res.writeHead(200, { 'content-type': 'application/json' }).end(readFileSync(join(vectorDir, vec[1])));
  else if (req.url === '/core.bundle.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
  else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(html);
  else res.writeHead(404).end();
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${server.address().port}/`;

let browser;
let code = 0;
try {
  const nodeMod = await import(pathToFileURL(out).href);
  let nodeResults = nodeMod.run(files).concat(nodeMod.run());
  for (const f of referenceFiles) {
    nodeResults = nodeResults.concat(await nodeMod.runReference(f, JSON.parse(readFileSync(join(vectorDir, f), 'utf8'))));
  }
  nodeResults = nodeResults.concat(asResults(await nodeMod.runCryptoChecks(crypto)));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.ready === true);
  const browserResults = (
    await page.evaluate(
      async ([f, refs, c]) => {
        let out = window.iscc.run(f).concat(window.iscc.run());
        for (const name of refs) {
          const file = await (await fetch(`/vectors/${name}`)).json();
          out = out.concat(await window.iscc.runReference(name, file));
        }
        return { out, crypto: await window.iscc.runCryptoChecks(c) };
      },
      [files, referenceFiles, crypto],
    )
  );
  const browserAll = browserResults.out.concat(asResults(browserResults.crypto));
  const ua = await page.evaluate(() => navigator.userAgent);
  let passed = 0;
  let failed = 0;
  for (let i = 0; i < Math.max(nodeResults.length, browserAll.length); i++) {
    const n = nodeResults[i];
    const b = browserAll[i];
    const same = JSON.stringify(n) === JSON.stringify(b);
    if (same && b.passed) passed++;
    else {
      failed++;
      console.error(`FAILED ${b?.suite} ${b?.func}.${b?.name}: ${!same ? 'browser differs from Node' : b.error ?? 'wrong result'}`);
      if (!same) console.error(`  node:    ${JSON.stringify(n)}\n  browser: ${JSON.stringify(b)}`);
    }
  }
  console.log(`browser conformance in ${ua.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? ua}: ${browserAll.length} vectors and checks`);
  console.log(`${passed} passed, ${failed} failed`);
  code = failed ? 1 : 0;
} catch (e) {
  console.error(`browser-conformance: ${e && e.stack ? e.stack : e}`);
  code = 2;
} finally {
  if (browser) await browser.close();
  server.close();
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
