/**
 * `iscc decompose CODE...`: the ISCC-UNITs an ISCC-CODE is made of (core `isccDecompose`),
 * one `ISCC:<unit>` per line, or `--json` with each unit's type. A single unit decomposes into
 * itself. Multiformat encodings are accepted.
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { toJson } from '../output.ts';

const spec: CommandSpec = {
  name: 'decompose',
  summary: 'Split ISCC-CODEs into their ISCC-UNITs',
  usage: '[--json] CODE...',
  description: 'Prints the units of each CODE, one per line (with the "ISCC:" prefix), in the order of the code.',
  options: [{ name: 'json', type: 'boolean', description: 'Print JSON: {iscc, units: [{iscc, type_id}]} per code' }],
  examples: [
    { command: 'iscc decompose ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY', explains: 'The four 64-bit units of an ISCC-CODE.' },
    { command: 'iscc decompose --json ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY', explains: 'The Data- and Instance-Code of an ISCC-SUM, as JSON.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'every code was decomposed' },
    { code: 2, meaning: 'usage error or an invalid code (the message says why)' },
  ],
  async run(ctx) {
    const codes = ctx.args.positionals;
    if (codes.length === 0) throw new UsageError('give at least one ISCC to decompose');
    const core = await import('@iscc-ts/core');
    const out = codes.map((raw) => {
      const iscc = core.isccNormalize(raw.trim());
      const units = core.isccDecompose(iscc).map((u) => ({ iscc: `ISCC:${u}`, type_id: core.isccTypeId(u) }));
      return { iscc, units };
    });
    if (ctx.args.options.json) ctx.stdout.write(toJson(out.length === 1 ? out[0] : out) + '\n');
    else for (const o of out) for (const u of o.units) ctx.stdout.write(`${u.iscc}\n`);
    return 0;
  },
};
export default spec;
