#!/usr/bin/env node
// Runs every bench/*.bench.mjs (or those named on the command line) in order, each in its own
// process so that one benchmark's JIT and memory state never colours another's. Each prints its
// own table with ratios against reference tools measured in the same run. Requires a build
// (`npm run build`); `npm run bench` is the one command.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  .sort();
const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`# iscc-ts benchmarks\n\nmachine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}\n`);
let failed = 0;
for (const f of files) {
  console.log(`## ${f.replace('.bench.mjs', '')}\n`);
  const r = spawnSync(process.execPath, ['--expose-gc', join(here, f)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
  console.log('');
}
process.exit(failed ? 1 : 0);
