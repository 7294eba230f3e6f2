import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli, splitCommandLine } from './test-io.ts';
import { VERSION } from './version.ts';
import explain from './commands/explain.ts';
import selftest from './commands/selftest.ts';

describe('iscc', () => {
  it('prints its version, in step with package.json', async () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(VERSION).toBe(pkg.version);
    const r = await runCli(['--version']);
    expect(r).toMatchObject({ code: 0, stdout: `iscc ${VERSION}\n` });
  });
  it('lists its commands in --help and exits 2 without a command', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('explain');
    expect(help.stdout).toContain('selftest');
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: iscc <command>');
  });
  it('rejects unknown commands and options with exit 2 and a hint', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
    const o = await runCli(['explain', '--nope', 'X']);
    expect(o.code).toBe(2);
    expect(o.stderr).toContain('unknown option --nope');
  });
});

describe('documented examples run', () => {
  for (const spec of [explain, selftest]) {
    for (const ex of spec.examples) {
      it(ex.command, async () => {
        const r = await runCli(splitCommandLine(ex.command));
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
      });
    }
  }
});

describe('iscc explain', () => {
  it('decomposes an ISCC-CODE into its units', async () => {
    const r = await runCli(['explain', '--json', 'ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.type_id).toBe('ISCC-TEXT-V0-MCDI');
    expect(j.units.map((u: { type_id: string }) => u.type_id)).toEqual([
      'META-NONE-V0-64',
      'CONTENT-TEXT-V0-64',
      'DATA-NONE-V0-64',
      'INSTANCE-NONE-V0-64',
    ]);
    expect(j.units[0].iscc).toBe('ISCC:AAAYPXW445FTYNJ3');
    expect(j.units[0].hash_hex).toBe('87dedce74b3c353b');
  });
  it('tells the time and hub of an ISCC-ID v1', async () => {
    const r = await runCli(['explain', '--json', 'ISCC:MAIGIIFJRDGEQQAA']);
    const u = JSON.parse(r.stdout).units[0];
    expect(u.timestamp).toBe('2025-10-26T07:18:56.732292Z');
    expect(u.hub_id).toBe(0);
  });
  it('says what is wrong with an invalid code and exits 2', async () => {
    const r = await runCli(['explain', 'ISCC:NOTACODE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^iscc explain: .+\[ISCC_[A-Z_]+\]\n$/);
  });
  it('needs a code', async () => {
    const r = await runCli(['explain']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('give at least one ISCC');
  });
});

describe('iscc selftest', () => {
  it('passes on the bundled vectors and prints a table', async () => {
    const r = await runCli(['selftest']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('gen_meta_code_v0');
    expect(r.stdout).toMatch(/vectors: 69 passed, 0 failed; programs: 8 found, 0 missing/);
  });
  it('fails with exit 1 when a vector does not hold', async () => {
    const { mkdtempSync, writeFileSync, mkdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'iscc-vec-'));
    mkdirSync(join(dir, 'iscc-sum'));
    writeFileSync(
      join(dir, 'data.json'),
      JSON.stringify({ gen_text_code_v0: { t1: { inputs: ['Hello', 64], outputs: { iscc: 'ISCC:EAAWRONG', characters: 5 } } } }),
    );
    const r = await runCli(['selftest'], { env: { ISCC_CONFORMANCE_DIR: dir } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('FAILED iscc-core gen_text_code_v0.t1');
  });
  it('exits 2 when ISCC_CONFORMANCE_DIR has no vectors', async () => {
    const r = await runCli(['selftest'], { env: { ISCC_CONFORMANCE_DIR: '/nonexistent/dir' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/nonexistent/dir/data.json not found');
  });
});
