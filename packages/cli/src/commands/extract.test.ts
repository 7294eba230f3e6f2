/**
 * `iscc extract`: documented examples run; metadata as lines and JSON equal to the sdk's
 * extractMetadata; --text when the sdk has text extraction; unreadable files exit 2.
 */
import { describe, expect, it } from 'vitest';
import * as sdk from '@iscc-ts/sdk';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './extract.ts';

const JPG = '../shared/samples/image/demo.jpg';

describe('iscc extract', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(ex.command.includes('--text') ? 'Lorem ipsum' : 'Concentrated Cat');
    });
  }
  it('JSON equals extractMetadata; lines are "key: value"', async () => {
    const want = await sdk.extractMetadata(JPG);
    expect(JSON.parse((await runCli(['extract', '--json', JPG])).stdout)).toEqual(want);
    const lines = (await runCli(['extract', JPG])).stdout;
    expect(lines).toContain(`name: ${want['name']}\n`);
    expect(lines).not.toContain('\u001b[');
  });
  it('several files: an array with filename; a missing one exits 2', async () => {
    const r = await runCli(['extract', '--json', JPG, '/nonexistent.png']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(r.stderr).toContain('/nonexistent.png');
  });
  it('--text prints the cleaned text of a document', async () => {
    const r = await runCli(['extract', '--text', '../shared/samples/text/demo.txt']);
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBeGreaterThan(100);
  });
});
