/**
 * The command lines in README.md's "The command line" block run and succeed (exit 0), so the
 * README cannot drift from the CLI. They run in-process through the CLI's `main`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, splitCommandLine } from '../packages/cli/src/test-io.ts';
import { REPO_ROOT, samplesDir } from './conformance-dir.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## The command line'));
const block = section.slice(section.indexOf('```sh') + 5, section.indexOf('```', section.indexOf('```sh') + 5));
const lines = block
  .split('\n')
  .map((l) => l.replace(/\s+#.*$/, '').trim())
  .filter((l) => l.startsWith('node_modules/.bin/iscc '));

describe('README command lines', () => {
  it('has examples to run', () => {
    samplesDir(); // the examples use ../shared/samples: fail loudly when it is missing
    expect(lines.length).toBeGreaterThanOrEqual(5);
  });
  for (const line of lines) {
    it(line, async () => {
      const argv = splitCommandLine(line.replace('node_modules/.bin/iscc', 'iscc'));
      // Relative paths in README are relative to the repository root.
      const cwd = process.cwd();
      process.chdir(REPO_ROOT);
      try {
        const r = await runCli(argv);
        expect(r.stderr, r.stderr).not.toMatch(/error/i);
        expect(r.code).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
      } finally {
        process.chdir(cwd);
      }
    }, 120_000);
  }
});
