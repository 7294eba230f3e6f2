/**
 * The single-file bundle of `iscc sum` (sum/entry.ts, scripts/bundle-sum.mjs): when the build
 * made it, bin/iscc.js runs it for `iscc sum`, and its output bytes and exit status must be
 * those of `main(['sum', ...])`. Skipped when there is no fresh bundle (a tsc-only build).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../test-io.ts';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUNDLE = join(CLI, 'dist/sum/bundle.js');
const fresh =
  existsSync(BUNDLE) &&
  ['tsconfig.tsbuildinfo', '../core/tsconfig.tsbuildinfo', '../sdk/tsconfig.tsbuildinfo'].every(
    (p) => !existsSync(join(CLI, p)) || statSync(join(CLI, p)).mtimeMs <= statSync(BUNDLE).mtimeMs,
  );

const dir = mkdtempSync(join(tmpdir(), 'sum-entry-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('iscc sum bundle', () => {
  it.skipIf(!fresh)('prints what main prints, with the same exit status', async () => {
    writeFileSync(join(dir, 'a.txt'), 'hello\n'.repeat(3000));
    writeFileSync(join(dir, 'b.bin'), new Uint8Array(70_000).map((_, i) => (i * 7919) & 0xff));
    const cases = [
      ['--tag', '--units', join(dir, 'a.txt'), join(dir, 'b.bin')],
      ['--narrow', '-z', dir],
      [join(dir, 'missing'), join(dir, 'a.txt')],
      ['--bogus'],
    ];
    for (const args of cases) {
      const r = spawnSync(process.execPath, [join(CLI, 'bin/iscc.js'), 'sum', ...args], { encoding: 'utf8' });
      const want = await runCli(['sum', ...args]);
      expect(r.stdout, args.join(' ')).toBe(want.stdout);
      expect(r.stderr, args.join(' ')).toBe(want.stderr);
      expect(r.status, args.join(' ')).toBe(want.code);
    }
  });
});
