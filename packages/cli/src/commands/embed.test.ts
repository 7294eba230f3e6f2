/**
 * `iscc embed`: documented examples run; the copy carries the fields (extract and create read
 * them back); the original is unchanged; usage errors exit 2.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './embed.ts';

const JPG = '../shared/samples/image/demo.jpg';
const tmp = mkdtempSync(join(tmpdir(), 'iscc-cli-embed-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('iscc embed', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('/tmp/iscc-embed-demo');
    });
  }
  it('round-trips through extract and create; the original is unchanged', async () => {
    const before = readFileSync(JPG);
    const out = join(tmp, 'copy.jpg');
    const r = await runCli(['embed', '-n', 'Round Trip', '-d', 'About it', '--rights', '(c) me', '-o', out, JPG]);
    expect(r).toMatchObject({ code: 0, stdout: `${out}\n` });
    const meta = JSON.parse((await runCli(['extract', '--json', out])).stdout);
    expect(meta).toMatchObject({ name: 'Round Trip', description: 'About it', rights: '(c) me' });
    const created = JSON.parse((await runCli(['create', '--no-thumbnail', out])).stdout);
    expect(created.name).toBe('Round Trip');
    expect(readFileSync(JPG).equals(before)).toBe(true);
  });
  it('usage errors exit 2', async () => {
    expect((await runCli(['embed', JPG])).stderr).toContain('give at least one field');
    expect((await runCli(['embed', '--name', 'x'])).code).toBe(2);
    expect((await runCli(['embed', '--name', 'x', JPG, JPG])).code).toBe(2);
    expect((await runCli(['embed', '--name', 'x', '/nonexistent.jpg'])).code).toBe(2);
  });
});
