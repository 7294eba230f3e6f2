/**
 * Test helper: run the CLI in-process with captured output streams.
 */
import { PassThrough, Readable } from 'node:stream';
import { main } from './main.ts';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Split a documented command line (`iscc explain --json X`) into argv, honouring simple quotes. */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  const re = /'([^']*)'|"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out[0] === 'iscc' ? out.slice(1) : out;
}

/** Run `iscc argv...` in this process; stdin is `input` (empty by default). */
export async function runCli(argv: string[], opts: { input?: string | Uint8Array; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const chunks: { out: Buffer[]; err: Buffer[] } = { out: [], err: [] };
  stdout.on('data', (c: Buffer) => chunks.out.push(c));
  stderr.on('data', (c: Buffer) => chunks.err.push(c));
  const stdin = Readable.from(opts.input === undefined ? [] : [Buffer.from(opts.input)]);
  // Only PATH comes from the real environment (programs are looked up on it); nothing else leaks in.
  const code = await main(argv, { stdout, stderr, stdin, env: { PATH: process.env.PATH, ...opts.env } });
  return { code, stdout: Buffer.concat(chunks.out).toString('utf8'), stderr: Buffer.concat(chunks.err).toString('utf8') };
}
