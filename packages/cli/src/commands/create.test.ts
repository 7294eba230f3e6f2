/**
 * `iscc create`: documented examples run; output equals the sdk's codeIscc; flags map to sdk
 * options; bad files and bad flags give exit 2 while the other files are still coded.
 */
import { describe, expect, it } from 'vitest';
import { runCli, splitCommandLine } from '../test-io.ts';
import { codeIscc } from '@iscc-ts/sdk';
import { progressBar } from '../media.ts';
import spec from './create.ts';

const JPG = '../shared/samples/image/demo.jpg';
const PNG = '../shared/samples/image/demo.png';

describe('iscc create', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ISCC:K/);
    });
  }
  it('prints the JSON of codeIscc for one file', async () => {
    const r = await runCli(['create', JPG]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(await codeIscc(JPG))));
  });
  it('maps flags to sdk options and --name/--description to the Meta-Code', async () => {
    const r = await runCli(['create', '--json', '-b', '128', '--units', '--no-thumbnail', '--no-meta', PNG]);
    const j = JSON.parse(r.stdout);
    const want = await codeIscc(PNG, null, null, null, { bits: 128, add_units: true, create_thumb: false, create_meta: false });
    expect(j).toEqual(JSON.parse(JSON.stringify(want)));
    expect(j.thumbnail).toBeUndefined();
    expect(j.metahash).toBeUndefined();
    expect(j.units).toHaveLength(3);
    const named = JSON.parse((await runCli(['create', '--name', 'Other', '--description', 'Text', '--no-thumbnail', JPG])).stdout);
    expect(named.name).toBe('Other');
    expect(named.description).toBe('Text');
    expect(named.iscc).toBe((await codeIscc(JPG, 'Other', 'Text', null, { create_thumb: false })).iscc);
  });
  it('reads ISCC_SDK_* from the environment', async () => {
    const r = await runCli(['create', '--short', PNG], { env: { ISCC_SDK_BITS: '256' } });
    expect(r.stdout.split(' ')[0]).toBe((await codeIscc(PNG, null, null, null, { bits: 256 })).iscc);
  });
  it('several files: an array in argument order; a bad file is reported and the rest coded (exit 2)', async () => {
    const r = await runCli(['create', '--no-thumbnail', PNG, '/nonexistent/x.jpg', JPG]);
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.map((x: { filename: string }) => x.filename)).toEqual(['demo.png', 'demo.jpg']);
    expect(r.stderr).toMatch(/^iscc create: \/nonexistent\/x\.jpg: .+\[ISCC_SDK_IO\]\n$/);
    const one = await runCli(['create', '/nonexistent/x.jpg']);
    expect(one).toMatchObject({ code: 2, stdout: '' });
  });
  it('usage errors exit 2', async () => {
    expect((await runCli(['create'])).code).toBe(2);
    const bits = await runCli(['create', '--bits', '100', JPG]);
    expect(bits.code).toBe(2);
    expect(bits.stderr).toContain('--bits: expected a multiple of 32');
    const env = await runCli(['create', JPG], { env: { ISCC_SDK_BITS: 'many' } });
    expect(env.code).toBe(2);
    expect(env.stderr).toContain('ISCC_SDK_INVALID_OPTION');
  });
  it('--help teaches with the examples and exit codes', async () => {
    const r = await runCli(['create', '--help']);
    expect(r.code).toBe(0);
    for (const ex of spec.examples) expect(r.stdout).toContain(ex.command);
    expect(r.stdout).toContain('Exit status:');
  });
});

describe('progress bar', () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
  };
  it('draws on a terminal and erases itself', () => {
    const s = sink(true);
    let t = 0;
    const bar = progressBar({ stderr: s.stream as never, env: {} }, true, () => t);
    bar.update(0, 4, 'a');
    t = 500;
    bar.update(2, 4, 'b');
    bar.clear();
    expect(s.out.join('')).toContain('2/4');
    expect(s.out.at(-1)).toBe('\r\u001b[2K');
  });
  it('prints nothing on a pipe', () => {
    const s = sink(false);
    const bar = progressBar({ stderr: s.stream as never, env: {} }, true);
    bar.update(1, 2, 'x');
    bar.clear();
    expect(s.out).toEqual([]);
  });
});
