/**
 * The `iscc` executable itself (bin/iscc.js, over the build in dist/): a reader that closes the
 * pipe early (`iscc sum DIR | head -1`) must end the process quietly with 141, the status a
 * shell reports for SIGPIPE (as coreutils' sha256sum does), not with an EPIPE stack trace.
 * Needs the build (`npm test` builds first); skipped with a reason when dist/ is missing.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const CLI = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(CLI, 'bin/iscc.js');
const built = existsSync(join(CLI, 'dist/main.js'));
const dir = mkdtempSync(join(tmpdir(), 'iscc-bin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run `iscc ARGS`, read stdout until the first newline, close the pipe, await the exit. */
function firstLineThenClose(args: string[]): Promise<{ line: string; code: number | null; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let stderr = '';
    let line: string | null = null;
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (line === null && nl >= 0) {
        line = out.slice(0, nl);
        child.stdout.destroy(); // the reader goes away, as `head -1` does
      }
    });
    child.on('error', fail);
    child.on('close', (code) => done({ line: line ?? out, code, stderr }));
  });
}

describe.skipIf(!built)('bin/iscc.js (needs `npm run build`)', () => {
  it('ends quietly with 141 when the reader closes the pipe early', async () => {
    const files = join(dir, 'many');
    mkdirSync(files);
    // Far more output than a pipe buffer holds, so that writing after the close must fail.
    for (let i = 0; i < 3000; i++) writeFileSync(join(files, `f${String(i).padStart(4, '0')}.txt`), `${i}\n`);
    const r = await firstLineThenClose(['sum', files]);
    expect(r.line).toMatch(/^ISCC:K4A[A-Z2-7]+ \*.*f0000\.txt$/);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(141);
  });
});
