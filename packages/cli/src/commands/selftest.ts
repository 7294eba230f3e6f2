/**
 * `iscc selftest`: run the public conformance vectors (bundled with @iscc-ts/core, or the
 * files in $ISCC_CONFORMANCE_DIR) and print a table per function. Exit 1 on any failure.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandSpec } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';

const spec: CommandSpec = {
  name: 'selftest',
  summary: 'Check this installation against the ISCC conformance vectors',
  usage: '[--json] [--verbose]',
  description:
    'Runs every vector of iscc-core 1.3.0 data.json and of iscc-sum test_vectors.json through this\n' +
    'implementation and prints how many passed per function. The vectors ship with @iscc-ts/core;\n' +
    'set ISCC_CONFORMANCE_DIR to a folder with data.json (and iscc-sum/test_vectors.json) to use others.',
  options: [
    { name: 'json', type: 'boolean', description: 'Print the results as JSON' },
    { name: 'verbose', short: 'v', type: 'boolean', description: 'List every vector, not only failures' },
  ],
  examples: [
    { command: 'iscc selftest', explains: 'Run the bundled vectors and print a summary table.' },
    { command: 'iscc selftest --json', explains: 'Machine-readable results, one entry per vector.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'every vector passed' },
    { code: 1, meaning: 'at least one vector failed' },
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
    if (ctx.args.options.json) {
      ctx.stdout.write(
        toJson({
          source,
          passed: results.length - failed.length,
          failed: failed.length,
          results: results.map((r) => ({ suite: r.suite, func: r.func, name: r.name, passed: r.passed, ...(r.passed ? {} : { expected: r.outputs, got: r.got, error: r.error }) })),
        }) + '\n',
      );
      return failed.length ? 1 : 0;
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
    ctx.stdout.write(`\n${results.length - failed.length} passed, ${failed.length} failed\n`);
    return failed.length ? 1 : 0;
  },
};
export default spec;
