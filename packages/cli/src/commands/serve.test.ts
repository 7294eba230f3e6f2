/**
 * `iscc serve`: the documented examples run. Examples that start a server would listen until
 * stopped, so each of them is run with `--check` appended: the same arguments are parsed and
 * resolved, and the settings printed, without listening (the server's lifecycle test starts
 * `iscc serve` for real, as a child process, and stops it with SIGTERM). Flags override the
 * environment; bad values exit 2.
 */
import { describe, expect, it } from 'vitest';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './serve.ts';

describe('iscc serve examples', () => {
  for (const ex of spec.examples) {
    const argv = splitCommandLine(ex.command);
    const listens = !argv.includes('--check');
    it(`${ex.command}${listens ? '  (run with --check: it would listen until stopped)' : ''}`, async () => {
      const r = await runCli(listens ? [...argv, '--check'] : argv);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    });
  }
  it('--help teaches with the examples, the environment and exit codes', async () => {
    const r = await runCli(['serve', '--help']);
    expect(r.code).toBe(0);
    for (const ex of spec.examples) expect(r.stdout).toContain(ex.command);
    expect(r.stdout).toContain('ISCC_API_KEYS');
    expect(r.stdout).toContain('Exit status');
  });
});

describe('iscc serve settings', () => {
  it('flags override the environment, which overrides the defaults', async () => {
    const def = JSON.parse((await runCli(['serve', '--check', '--json'])).stdout);
    expect(def).toMatchObject({ host: '127.0.0.1', port: 8000, data_dir: './iscc-data', index: 'embedded', api_keys: 0, rate_limit_per_s: 50 });
    const env = { ISCC_HOST: '0.0.0.0', ISCC_PORT: '9001', ISCC_DATA_DIR: '/tmp/x', ISCC_API_KEYS: 'a,b', ISCC_INDEX_URL: 'postgres://u@h/db', ISCC_CORS_ORIGINS: 'https://a.example' };
    const fromEnv = JSON.parse((await runCli(['serve', '--check', '--json'], { env })).stdout);
    expect(fromEnv).toMatchObject({ host: '0.0.0.0', port: 9001, data_dir: '/tmp/x', index: 'postgres', api_keys: 2, cors_origins: ['https://a.example'] });
    const flags = JSON.parse((await runCli(['serve', '--check', '--json', '--port', '7000', '--cors', 'https://b.example', '--cors', 'https://c.example', '--rate-limit', '0'], { env })).stdout);
    expect(flags).toMatchObject({ port: 7000, cors_origins: ['https://b.example', 'https://c.example'], rate_limit_per_s: 0 });
  });
  it('refuses bad values with exit 2', async () => {
    for (const argv of [['serve', '--port', '70000'], ['serve', '--port', 'x'], ['serve', 'extra'], ['serve', '--rate-limit', '-1']]) {
      const r = await runCli([...argv, '--check']);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain('iscc serve');
    }
    const r = await runCli(['serve', '--check'], { env: { ISCC_PORT: 'nope' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ISCC_PORT');
  });
});
