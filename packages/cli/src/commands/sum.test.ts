/**
 * End-to-end tests of `iscc sum` through the real CLI entry (`main`) on temporary files:
 * every iscc-sum conformance vector, check mode on its own output and on damaged files, tree and
 * walk order, .isccignore, -z, --tag, -o, --similar and stdin. One test runs the built binary
 * (when dist/ exists) to cover the process entry and the worker pool.
 */
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import sumSpec from './sum.ts';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const CONFORMANCE = process.env.ISCC_CONFORMANCE_DIR ?? resolve(REPO, '../shared/conformance');
const VECTORS = join(CONFORMANCE, 'iscc-sum', 'test_vectors.json');

interface Vector {
  inputs: [string, boolean, boolean];
  outputs: { iscc: string; datahash: string; filesize: number; units?: [string, string] };
}

function loadVectors(): [string, Vector][] {
  if (!existsSync(VECTORS)) throw new Error(`iscc-sum conformance vectors not found at ${VECTORS} (set ISCC_CONFORMANCE_DIR)`);
  const all = JSON.parse(readFileSync(VECTORS, 'utf8')) as { code_iscc_sum: Record<string, Vector> };
  return Object.entries(all.code_iscc_sum);
}

/** Run `iscc <argv>` in-process with captured streams. */
async function iscc(argv: string[], stdin: string | Uint8Array = '') {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => out.push(c));
  stderr.on('data', (c: Buffer) => err.push(c));
  const code = await main(argv, {
    stdout,
    stderr,
    stdin: Readable.from([Buffer.from(stdin)]),
    env: { ISCC_SUM_THREADS: '1' },
  });
  await new Promise((r) => setImmediate(r));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

let dir: string;
const p = (...parts: string[]) => join(dir, ...parts);
function put(rel: string, data: string | Uint8Array) {
  mkdirSync(dirname(p(rel)), { recursive: true });
  writeFileSync(p(rel), data);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-sum-e2e-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('iscc sum: conformance vectors through the CLI', () => {
  const vectors = loadVectors();
  it('has all 12 code_iscc_sum cases', () => {
    expect(vectors).toHaveLength(12);
  });
  it.each(vectors)('%s', async (name, v) => {
    const [stream, wide, units] = v.inputs;
    const file = p('vectors', name);
    put(join('vectors', name), Buffer.from(stream.replace(/^stream:/, ''), 'hex'));
    const argv = ['sum', ...(wide ? [] : ['--narrow']), ...(units ? ['--units'] : []), file];
    const r = await iscc(argv);
    let expected = `${v.outputs.iscc} *${file}\n`;
    if (units) expected += `  ${v.outputs.units![0]}\n  ${v.outputs.units![1]}\n`;
    expect(r).toEqual({ code: 0, stdout: expected, stderr: '' });
  });
});

describe('iscc sum: output formats', () => {
  const HELLO_WIDE = 'ISCC:K4AJT3PT7PO3RSCYIBY4RQPWPKK32V2TCOJAIBMERREXN6K6QME5XRI';
  const HELLO_NARROW = 'ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY';
  const EMPTY_WIDE = 'ISCC:K4ACL4F2WZY7KBXBYUZPREWZ26IXVLYTJG47L6NBU2QEATPKG3OMSSI';

  it('--tag gives BSD lines, -z NUL terminators', async () => {
    put('fmt/hello.txt', 'Hello, ISCC!');
    put('fmt/empty', '');
    const h = p('fmt/hello.txt');
    const e = p('fmt/empty');
    expect((await iscc(['sum', '--tag', h])).stdout).toBe(`ISCC-SUM (${h}) = ${HELLO_WIDE}\n`);
    expect((await iscc(['sum', '-z', h, e])).stdout).toBe(`${HELLO_WIDE} *${h}\0${EMPTY_WIDE} *${e}\0`);
    expect((await iscc(['sum', '--narrow', '--tag', '-z', h])).stdout).toBe(`ISCC-SUM (${h}) = ${HELLO_NARROW}\0`);
  });

  it('reads stdin when no file is given, and for -', async () => {
    expect(await iscc(['sum'], 'Hello, ISCC!')).toEqual({ code: 0, stdout: `${HELLO_WIDE} *-\n`, stderr: '' });
    expect((await iscc(['sum', '--narrow', '-'], 'Hello, ISCC!')).stdout).toBe(`${HELLO_NARROW} *-\n`);
  });

  it('-o writes the file (UTF-8, LF) and nothing to stdout', async () => {
    put('o/ü.txt', 'Hello, ISCC!');
    const target = p('o/sums.txt');
    const r = await iscc(['sum', '-o', target, p('o/ü.txt')]);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(target, 'utf8')).toBe(`${HELLO_WIDE} *${p('o/ü.txt')}\n`);
    expect((await iscc(['sum', '-o', p('o/no/such/dir/x'), p('o/ü.txt')])).code).toBe(2);
  });

  it('reports a missing file and a broken symlink, goes on, and exits 2', async () => {
    put('err/hello.txt', 'Hello, ISCC!');
    symlinkSync(p('err/nowhere'), p('err/broken'));
    const r = await iscc(['sum', p('err/missing'), p('err/broken'), p('err/hello.txt')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe(`${HELLO_WIDE} *${p('err/hello.txt')}\n`);
    expect(r.stderr).toBe(
      `iscc-sum: No such file or directory: '${p('err/missing')}'\niscc-sum: No such file or directory: '${p('err/broken')}'\n`,
    );
  });

  it('rejects conflicting options as iscc-sum does', async () => {
    expect(await iscc(['sum', '-c', '--tree', 'x'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'iscc-sum: --tree cannot be used with -c/--check\n',
    });
    expect((await iscc(['sum', '--similar', 'a'])).stderr).toBe('iscc-sum: --similar requires at least 2 files to compare\n');
    expect((await iscc(['sum', '--threshold', '-1', '--similar', 'a', 'b'])).code).toBe(2);
  });
});

describe('iscc sum: tree, walk and .isccignore', () => {
  beforeAll(() => {
    put('t/.isccignore', '*.log\n!keep.log\nbuild/\n');
    put('t/b.txt', 'b');
    put('t/a.txt', 'a');
    put('t/B.txt', 'B');
    put('t/\u00e9.txt', 'nfc'); // é precomposed sorts like its NFD twin's NFC form
    put('t/f.txt', 'f');
    put('t/x.log', 'ignored');
    put('t/keep.log', 'kept');
    put('t/meta.iscc.json', '{}');
    put('t/build/out.o', 'ignored dir');
    put('t/sub/.isccignore', 'z\n');
    put('t/sub/z', 'ignored by the child file');
    put('t/sub/y', 'y');
    put('t/sub/.gitignore', 'g');
    symlinkSync(p('t/a.txt'), p('t/link.txt'));
  });

  const ORDER = ['.isccignore', 'B.txt', 'a.txt', 'b.txt', 'f.txt', 'keep.log', '\u00e9.txt', 'sub/.gitignore', 'sub/.isccignore', 'sub/y'];

  it('--walk lists files in TREEWALK-ISCC order', async () => {
    const r = await iscc(['sum', '--walk', p('t')]);
    expect(r).toEqual({ code: 0, stdout: ORDER.map((f) => f + '\n').join(''), stderr: '' });
    expect((await iscc(['sum', '--walk', '-z', p('t')])).stdout).toBe(ORDER.map((f) => f + '\0').join(''));
  });

  it('expands a directory argument in the same order', async () => {
    const r = await iscc(['sum', '--narrow', p('t')]);
    expect(r.stdout.split('\n').filter(Boolean).map((l) => l.split(' *')[1])).toEqual(ORDER.map((f) => `${p('t')}/${f}`));
  });

  it('--tree hashes the concatenation of the files in that order', async () => {
    const concat = Buffer.concat(ORDER.map((f) => readFileSync(p('t', f))));
    put('concat.bin', concat);
    const one = (await iscc(['sum', '--units', p('concat.bin')])).stdout.replace(` *${p('concat.bin')}`, ` *${p('t')}/`);
    const tree = await iscc(['sum', '--tree', '--units', p('t') + '/']);
    expect(tree).toEqual({ code: 0, stdout: one, stderr: '' });
    const tag = await iscc(['sum', '--tree', '--tag', p('t')]);
    expect(tag.stdout).toBe(`ISCC-SUM (${p('t')}/) = ${one.split(' ')[0]}\n`);
  });

  it('--tree on an empty directory is an error', async () => {
    mkdirSync(p('emptydir'));
    expect(await iscc(['sum', '--tree', p('emptydir')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `iscc-sum: ${p('emptydir')}: no files found\n`,
    });
    expect((await iscc(['sum', '--tree', p('concat.bin')])).stderr).toBe(
      `iscc-sum: --tree requires a directory, not a file: '${p('concat.bin')}'\n`,
    );
  });
});

describe('iscc sum -c', () => {
  let sums: string;
  beforeAll(async () => {
    put('c/one.bin', Buffer.alloc(5000, 7));
    put('c/two.bin', Buffer.from(Array.from({ length: 70000 }, (_, i) => (i * 31) & 255)));
    put('c/three.txt', 'three');
    put('c/d/x', 'x');
    const files = ['c/one.bin', 'c/two.bin', 'c/three.txt'].map((f) => p(f));
    const narrow = (await iscc(['sum', '--narrow', ...files])).stdout;
    const wide = (await iscc(['sum', '--tag', ...files])).stdout;
    const tree = (await iscc(['sum', '--tree', p('c/d')])).stdout;
    sums = p('c/sums.txt');
    writeFileSync(sums, narrow + wide + tree);
  });

  it('passes on its own output (narrow, wide, BSD and tree lines)', async () => {
    const r = await iscc(['sum', '-c', sums]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean)).toEqual([
      ...['one.bin', 'two.bin', 'three.txt', 'one.bin', 'two.bin', 'three.txt'].map((f) => `${p('c', f)}: OK`),
      `${p('c/d')}/: OK`,
    ]);
    expect(await iscc(['sum', '-c', '--quiet', sums])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('reports a flipped byte, a truncated file and a missing one', async () => {
    const damaged = p('c2');
    mkdirSync(damaged);
    for (const f of ['one.bin', 'two.bin', 'three.txt']) writeFileSync(join(damaged, f), readFileSync(p('c', f)));
    const list = readFileSync(sums, 'utf8').split(p('c') + '/').join(damaged + '/');
    const listFile = join(damaged, 'sums.txt');
    writeFileSync(listFile, list.split('\n').slice(0, 6).join('\n') + '\n');
    const one = readFileSync(join(damaged, 'one.bin'));
    one[100] ^= 1;
    writeFileSync(join(damaged, 'one.bin'), one);
    writeFileSync(join(damaged, 'two.bin'), readFileSync(join(damaged, 'two.bin')).subarray(0, 65000));
    rmSync(join(damaged, 'three.txt'));
    const r = await iscc(['sum', '-c', listFile]);
    expect(r.code).toBe(1);
    const failed = (f: string) => `${join(damaged, f)}: FAILED`;
    const missing = `iscc-sum: ${join(damaged, 'three.txt')}: No such file or directory`;
    expect(r.stdout).toBe([failed('one.bin'), failed('two.bin'), missing, failed('one.bin'), failed('two.bin'), missing, ''].join('\n'));
    expect(r.stderr).toBe('iscc-sum: WARNING: 6 computed checksum(s) did NOT match\n');
    expect(await iscc(['sum', '-c', '--status', listFile])).toEqual({ code: 1, stdout: '', stderr: '' });
  });

  it('counts malformed lines, warns with -w, fails with --strict; BOM and CRLF are fine', async () => {
    const good = readFileSync(sums, 'utf8').split('\n')[0]!;
    const f = p('c/mixed.txt');
    writeFileSync(f, `\ufeff${good}\r\nnot a checksum line\n\n${good}\n`);
    const plain = await iscc(['sum', '-c', f]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toBe(`${p('c/one.bin')}: OK\n${p('c/one.bin')}: OK\n`);
    expect(plain.stderr).toBe('iscc-sum: WARNING: 1 line(s) improperly formatted\n');
    const warn = await iscc(['sum', '-c', '-w', f]);
    expect(warn.stderr).toBe(`iscc-sum: ${f}: 2: improperly formatted ISCC checksum line\niscc-sum: WARNING: 1 line(s) improperly formatted\n`);
    expect((await iscc(['sum', '-c', '--strict', f])).code).toBe(2);
  });

  it('reports a directory on a file line, and a missing checksum file', async () => {
    const f = p('c/dirline.txt');
    writeFileSync(f, `ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY *${p('c/d')}\n`);
    const r = await iscc(['sum', '-c', f]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(`iscc-sum: ${p('c/d')}: [Errno 21] Is a directory: '${p('c/d')}'\n`);
    const none = await iscc(['sum', '-c', p('c/none.txt')]);
    expect(none).toEqual({
      code: 2,
      stdout: '',
      stderr: `iscc-sum: ${p('c/none.txt')}: [Errno 2] No such file or directory: '${p('c/none.txt')}'\n`,
    });
  });
});

describe('iscc sum --similar', () => {
  it('groups near-duplicates and prints distances', async () => {
    const base = Buffer.from(Array.from({ length: 200000 }, (_, i) => (i * 7919 + (i >> 8)) & 255));
    const near = Buffer.from(base);
    near.fill(120, 150000, 151000);
    put('s/a.bin', base);
    put('s/b.txt', 'something else entirely, short');
    put('s/c.bin', near);
    const r = await iscc(['sum', '--similar', '--narrow', p('s/a.bin'), p('s/b.txt'), p('s/c.bin')]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^ISCC:KU[A-Z0-9]+ \\*${p('s/a.bin')}$`));
    expect(lines[1]).toMatch(new RegExp(`^  ~\\d\\d ISCC:KU[A-Z0-9]+ \\*${p('s/c.bin')}$`));
    expect(lines[2]).toBe('');
    expect(lines[3]).toMatch(new RegExp(`^ISCC:KU[A-Z0-9]+ \\*${p('s/b.txt')}$`));
    expect(lines).toHaveLength(5);
  });
});

describe('iscc sum: documented examples run (from the repository root)', () => {
  for (const ex of sumSpec.examples) {
    it(ex.command, async () => {
      const cwd = process.cwd();
      process.chdir(REPO);
      try {
        const r = await iscc(ex.command.split(' ').slice(1));
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
      } finally {
        process.chdir(cwd);
      }
    });
  }
});

describe('iscc sum: the built binary', () => {
  const bin = join(REPO, 'packages/cli/bin/iscc.js');
  const built = existsSync(join(REPO, 'packages/cli/dist/commands/sum.js'));
  it.skipIf(!built)('gives the same lines with the worker pool as in-process, in argument order', () => {
    const many = p('many');
    mkdirSync(many);
    for (let i = 0; i < 150; i++) writeFileSync(join(many, `f${String(i).padStart(3, '0')}`), `file ${i}\n`.repeat(i));
    const run = (threads: string) => spawnSync(process.execPath, [bin, 'sum', many], { env: { ...process.env, ISCC_SUM_THREADS: threads } });
    const pooled = run('2');
    const single = run('1');
    expect(pooled.status).toBe(0);
    expect(pooled.stdout.toString()).toBe(single.stdout.toString());
    expect(pooled.stdout.toString().split('\n')).toHaveLength(151);
  });
});

describe('iscc sum: constant memory (test:slow)', () => {
  const built = existsSync(join(REPO, 'packages/cli/dist/main.js'));
  const gib = Number(process.env.ISCC_SUM_SPARSE_GIB ?? 20);
  // About 20 MiB/s with core's pure-JS BLAKE3, GiB/s with the native addon: allow for the slow case.
  it.skipIf(!process.env.ISCC_SLOW || !built)(
    `hashes a ${gib} GiB sparse file with RSS < 200 MB`,
    () => {
      const sparse = p('sparse.bin');
      const fd = openSync(sparse, 'w');
      ftruncateSync(fd, gib * 2 ** 30);
      closeSync(fd);
      const script =
        `const { main } = await import(${JSON.stringify(join(REPO, 'packages/cli/dist/main.js'))});` +
        `const code = await main(['sum', ${JSON.stringify(sparse)}]);` +
        `process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'); process.exitCode = code;`;
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
      rmSync(sparse);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^ISCC:K4[A-Z0-9]+ \*/);
      const kb = Number(/maxrss (\d+)/.exec(r.stderr)?.[1]);
      expect(kb).toBeGreaterThan(0);
      expect(kb * 1024).toBeLessThan(200e6);
    },
    (60 + gib * 70) * 1000,
  );
});

