/**
 * `iscc batch`: documented examples run; walk order and lines; a corrupt file is reported
 * (exit 2) while the rest is coded; --sidecars and the cached re-run; --json summary.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeIscc } from '@iscc-ts/sdk';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './batch.ts';

const SAMPLES = '../shared/samples/image';
const tmp = mkdtempSync(join(tmpdir(), 'iscc-cli-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tree(name: string): string {
  const root = join(tmp, name);
  mkdirSync(join(root, 'sub'), { recursive: true });
  copyFileSync(join(SAMPLES, 'demo.png'), join(root, 'sub', 'demo.png'));
  copyFileSync(join(SAMPLES, 'demo.jpg'), join(root, 'demo.jpg'));
  writeFileSync(join(root, 'broken.jpg'), readFileSync(join(SAMPLES, 'demo.jpg')).subarray(0, 9000));
  return root;
}

describe('iscc batch', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ISCC:K/);
    });
  }
  it('prints "<ISCC> <path>" in walk order; a corrupt file goes to stderr with exit 2', async () => {
    const root = tree('lines');
    const r = await runCli(['batch', '--workers', '1', '--no-thumbnail', root]);
    expect(r.code).toBe(2);
    const jpg = (await codeIscc(join(root, 'demo.jpg'), null, null, null, { create_thumb: false })).iscc;
    const png = (await codeIscc(join(root, 'sub', 'demo.png'), null, null, null, { create_thumb: false })).iscc;
    expect(r.stdout).toBe(`${png} ${join(root, 'sub', 'demo.png')}\n${jpg} ${join(root, 'demo.jpg')}\n`);
    expect(r.stderr).toMatch(/^ERROR ISCC_SDK_DECODE .+broken\.jpg: [^\n]+\n$/);
    expect(r.stderr.startsWith(`ERROR ISCC_SDK_DECODE ${join(root, 'broken.jpg')}: `)).toBe(true);
  });
  it('--sidecars writes FILE.iscc.json; a re-run reports them as cached', async () => {
    const root = tree('sidecars');
    const first = await runCli(['batch', '--sidecars', '--no-thumbnail', root]);
    expect(first.code).toBe(2);
    expect(existsSync(join(root, 'demo.jpg.iscc.json'))).toBe(true);
    expect(existsSync(join(root, 'broken.jpg.iscc.json'))).toBe(false);
    const again = await runCli(['batch', '--sidecars', '--no-thumbnail', '--json', root]);
    const j = JSON.parse(again.stdout);
    expect(j).toMatchObject({ total: 3, ok: 0, skipped: 2, errors: 1 });
    expect(j.files.map((f: { status: string }) => f.status)).toEqual(['skipped', 'error', 'skipped']);
    const lines = await runCli(['batch', '--sidecars', '--no-thumbnail', root]);
    expect(lines.stdout).toContain(' (cached)\n');
    const forced = JSON.parse((await runCli(['batch', '--sidecars', '--force', '--no-thumbnail', '--json', root])).stdout);
    expect(forced).toMatchObject({ ok: 2, skipped: 0 });
  });
  it('--quiet prints only failures', async () => {
    const root = tree('quiet');
    const r = await runCli(['batch', '-q', '--no-thumbnail', root]);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('broken.jpg');
  });
  it('usage errors exit 2', async () => {
    expect((await runCli(['batch'])).code).toBe(2);
    const nodir = await runCli(['batch', '/nonexistent/dir']);
    expect(nodir.code).toBe(2);
    expect(nodir.stderr).toContain('not a directory: /nonexistent/dir');
    expect((await runCli(['batch', '--workers', 'x', SAMPLES])).code).toBe(2);
  });
});
