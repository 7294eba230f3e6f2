/**
 * `iscc selftest`: run the public conformance vectors (bundled with @iscc-ts/core, or the
 * files in $ISCC_CONFORMANCE_DIR) and print a table per function, then check the external
 * programs the sdk calls (with the Debian package to install for each missing one).
 * Exit 1 on any failure.
 */
import { accessSync, constants, readFileSync, existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { CommandSpec } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';

const spec: CommandSpec = {
  name: 'selftest',
  summary: 'Check this installation against the ISCC conformance vectors',
  usage: '[--json] [--verbose] [--no-tools]',
  description:
    'Runs every vector of iscc-core 1.3.0 data.json and of iscc-sum test_vectors.json through this\n' +
    'implementation and prints how many passed per function. The vectors ship with @iscc-ts/core;\n' +
    'set ISCC_CONFORMANCE_DIR to a folder with data.json (and iscc-sum/test_vectors.json) to use others.\n' +
    'Then it checks the external programs that coding media and documents needs (ffmpeg, fpcalc,\n' +
    'exiv2, pdftotext, ...) and names the Debian package to install for each missing one.',
  options: [
    { name: 'json', type: 'boolean', description: 'Print the results as JSON' },
    { name: 'verbose', short: 'v', type: 'boolean', description: 'List every vector, not only failures' },
    { name: 'no-tools', type: 'boolean', description: 'Skip the check of external programs (core-only use)' },
  ],
  examples: [
    { command: 'iscc selftest', explains: 'Run the bundled vectors and print a summary table.' },
    { command: 'iscc selftest --json', explains: 'Machine-readable results, one entry per vector.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'every vector passed' },
    { code: 1, meaning: 'at least one vector failed, or an external program is missing' },
    { code: 2, meaning: 'the vectors could not be read' },
  ],
  async run(ctx) {
    const core = await import('@iscc-ts/core');
    let files = core.bundledConformanceData();
    let source = 'bundled with @iscc-ts/core';
    const dirEnv = ctx.env.ISCC_CONFORMANCE_DIR;
    if (dirEnv) {
      const dir = resolve(dirEnv);
      const main = join(dir, 'data.json');
      if (!existsSync(main)) {
        ctx.stderr.write(`iscc selftest: ${main} not found (ISCC_CONFORMANCE_DIR=${dirEnv})\n`);
        return 2;
      }
      files = [{ suite: 'iscc-core', data: JSON.parse(readFileSync(main, 'utf8')) }];
      const sum = join(dir, 'iscc-sum', 'test_vectors.json');
      if (existsSync(sum)) files.push({ suite: 'iscc-sum', data: JSON.parse(readFileSync(sum, 'utf8')) });
      source = dir;
    }
    const results = core.conformanceRun(files);
    const failed = results.filter((r) => !r.passed);
    const tools = ctx.args.options['no-tools'] ? [] : await checkTools(ctx.env);
    const missing = tools.filter((t) => !t.ok);
    const exit = failed.length || missing.length ? 1 : 0;
    if (ctx.args.options.json) {
      ctx.stdout.write(
        toJson({
          source,
          tools,
          passed: results.length - failed.length,
          failed: failed.length,
          results: results.map((r) => ({ suite: r.suite, func: r.func, name: r.name, passed: r.passed, ...(r.passed ? {} : { expected: r.outputs, got: r.got, error: r.error }) })),
        }) + '\n',
      );
      return exit;
    }
    const st = styles(useColor(ctx, ctx.stdout));
    const groups = new Map<string, { suite: string; func: string; pass: number; total: number }>();
    for (const r of results) {
      const k = `${r.suite}\u0000${r.func}`;
      const g = groups.get(k) ?? { suite: r.suite, func: r.func, pass: 0, total: 0 };
      g.total++;
      if (r.passed) g.pass++;
      groups.set(k, g);
    }
    ctx.stdout.write(`Conformance vectors: ${source}\n\n`);
    ctx.stdout.write(`${'suite'.padEnd(10)} ${'function'.padEnd(22)} ${'passed'.padStart(8)}\n`);
    for (const g of groups.values()) {
      const ok = g.pass === g.total;
      const mark = ok ? st.green('ok') : st.red('FAIL');
      ctx.stdout.write(`${g.suite.padEnd(10)} ${g.func.padEnd(22)} ${`${g.pass}/${g.total}`.padStart(8)}  ${mark}\n`);
    }
    for (const r of ctx.args.options.verbose ? results : failed) {
      const status = r.passed ? st.green('PASSED') : st.red('FAILED');
      ctx.stdout.write(`${status} ${r.suite} ${r.func}.${r.name}`);
      if (!r.passed) ctx.stdout.write(r.error ? `: ${r.error}` : `: expected ${toJson(r.outputs, 0)}, got ${toJson(r.got, 0)}`);
      ctx.stdout.write('\n');
    }
    if (tools.length) {
      ctx.stdout.write(`\n${'program'.padEnd(10)} ${'needed for'.padEnd(34)} status\n`);
      for (const t of tools) {
        const status = t.ok ? st.green(`ok ${t.version ?? ''}`.trim()) : st.red(`MISSING: apt-get install ${t.debian}`);
        ctx.stdout.write(`${t.name.padEnd(10)} ${t.purpose.padEnd(34)} ${status}\n`);
      }
    }
    ctx.stdout.write(`\nvectors: ${results.length - failed.length} passed, ${failed.length} failed`);
    if (tools.length) ctx.stdout.write(`; programs: ${tools.length - missing.length} found, ${missing.length} missing`);
    ctx.stdout.write('\n');
    return exit;
  },
};

/** External programs the sdk calls, what for, and the Debian package that provides each. */
const PROGRAMS: { name: string; purpose: string; debian: string; sdkTool?: boolean }[] = [
  { name: 'ffmpeg', purpose: 'video signatures, audio decoding', debian: 'ffmpeg', sdkTool: true },
  { name: 'ffprobe', purpose: 'audio/video metadata', debian: 'ffmpeg', sdkTool: true },
  { name: 'fpcalc', purpose: 'audio fingerprints (Chromaprint)', debian: 'libchromaprint-tools', sdkTool: true },
  { name: 'exiv2', purpose: 'image metadata (XMP/EXIF/IPTC)', debian: 'exiv2', sdkTool: true },
  { name: 'pdftotext', purpose: 'PDF text', debian: 'poppler-utils', sdkTool: true },
  { name: 'pdfinfo', purpose: 'PDF metadata', debian: 'poppler-utils', sdkTool: true },
  { name: 'catdoc', purpose: 'legacy .doc text', debian: 'catdoc', sdkTool: true },
  { name: 'xls2csv', purpose: 'legacy .xls text', debian: 'catdoc', sdkTool: true },
];

interface ToolStatus {
  name: string;
  purpose: string;
  debian: string;
  ok: boolean;
  version?: string;
  path?: string;
  error?: string;
}

function onPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

async function checkTools(env: NodeJS.ProcessEnv): Promise<ToolStatus[]> {
  const sdk = await import('@iscc-ts/sdk');
  const out: ToolStatus[] = [];
  for (const p of PROGRAMS) {
    const base = { name: p.name, purpose: p.purpose, debian: p.debian };
    if (p.sdkTool) {
      try {
        const t = await sdk.findTool(p.name as Parameters<typeof sdk.findTool>[0]);
        out.push({ ...base, ok: true, version: t.version, path: t.path });
      } catch (e) {
        out.push({ ...base, ok: false, error: (e as Error).message });
      }
    } else {
      const path = onPath(p.name, env);
      out.push(path ? { ...base, ok: true, path } : { ...base, ok: false, error: `${p.name} not found on PATH` });
    }
  }
  return out;
}
export default spec;
