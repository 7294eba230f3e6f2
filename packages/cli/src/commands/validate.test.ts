/**
 * `iscc validate`: documented examples run; valid/invalid verdicts with exit 0/1; strict
 * canonical form vs --any-encoding; --quiet; NO_COLOR and pipes get no colour.
 */
import { describe, expect, it } from 'vitest';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './validate.ts';

const CODE = 'ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY';

describe('iscc validate', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('valid');
    });
  }
  it('exit 1 when any code is invalid, with the reason', async () => {
    const r = await runCli(['validate', CODE, 'ISCC:KACYPXW445FTYNJ3']);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(/^valid {4}ISCC:KACY.+ISCC-TEXT-V0-MCDI$/);
    expect(r.stdout.split('\n')[1]).toMatch(/^invalid {2}ISCC:KACYPXW445FTYNJ3 {2}\S/);
    const j = JSON.parse((await runCli(['validate', '--json', 'ISCC:kacypxw445ftynj3'])).stdout);
    expect(j).toMatchObject({ valid: false });
    expect(j.error.length).toBeGreaterThan(0);
  });
  it('adds a missing ISCC: prefix; --any-encoding accepts multiformats', async () => {
    expect((await runCli(['validate', CODE.slice(5)])).code).toBe(0);
    const { encodeBase32hex, decodeBase32 } = await import('@iscc-ts/core');
    // base32hex multiformat: 'v' + base32hex of (0xcc01 multicodec prefix + body)
    const body = decodeBase32(CODE.slice(5));
    const mf = 'v' + encodeBase32hex(Uint8Array.from([0xcc, 0x01, ...body])).toLowerCase();
    expect((await runCli(['validate', mf])).code).toBe(1);
    expect((await runCli(['validate', '-m', mf])).code).toBe(0);
  });
  it('--quiet prints nothing', async () => {
    expect(await runCli(['validate', '-q', 'nope'])).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect((await runCli(['validate'])).code).toBe(2);
  });
  it('no colour on a pipe (and never with NO_COLOR)', async () => {
    const r = await runCli(['validate', CODE], { env: { NO_COLOR: '1' } });
    expect(r.stdout).not.toContain('\u001b[');
  });
});
