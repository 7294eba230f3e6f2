/**
 * `iscc validate CODE...`: whether each string is a strictly well-formed ISCC (core
 * `isccValidate`: canonical `ISCC:` + base32, valid header combination, canonical form), or,
 * with `--any-encoding`, a well-formed ISCC in any multiformat encoding (`isccValidateMf`).
 * A code given without the `ISCC:` prefix is checked with it added. Exit status 1 when any
 * code is invalid, so scripts can use `iscc validate "$code" && ...`.
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';

interface Verdict {
  input: string;
  valid: boolean;
  type_id?: string;
  error?: string;
}

const spec: CommandSpec = {
  name: 'validate',
  summary: 'Check that strings are well-formed ISCCs (exit 1 if not)',
  usage: '[OPTIONS] CODE...',
  description:
    'Strict by default, as iscc-core\'s iscc_validate: base32 upper case without padding, a valid header,\n' +
    'and the canonical form. With --any-encoding, multiformat encodings (base16, base32hex, base58btc,\n' +
    'base64url) are accepted too.',
  options: [
    { name: 'json', type: 'boolean', description: 'Print JSON: {input, valid, type_id | error} per code' },
    { name: 'any-encoding', short: 'm', type: 'boolean', description: 'Accept multiformat encodings' },
    { name: 'quiet', short: 'q', type: 'boolean', description: 'Print nothing; only the exit status tells' },
  ],
  examples: [
    { command: 'iscc validate ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY', explains: 'A valid ISCC-CODE: exit status 0.' },
    { command: 'iscc validate --json ISCC:AAAZXZ6OU74YAZIM ISCC:GAAW2PRCRS5LNVZV', explains: 'Several codes, as JSON.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'every code is valid' },
    { code: 1, meaning: 'at least one code is invalid' },
    { code: 2, meaning: 'usage error' },
  ],
  async run(ctx) {
    const codes = ctx.args.positionals;
    if (codes.length === 0) throw new UsageError('give at least one ISCC to validate');
    const core = await import('@iscc-ts/core');
    const mf = Boolean(ctx.args.options['any-encoding']);
    const verdicts: Verdict[] = codes.map((input) => {
      const s = input.trim();
      const code = mf || s.startsWith('ISCC:') ? s : `ISCC:${s}`;
      try {
        const ok = mf ? core.isccValidateMf(s, true) : core.isccValidate(code, true);
        if (!ok) return { input, valid: false, error: 'not a well-formed ISCC' };
        return { input, valid: true, type_id: core.isccTypeId(mf ? core.isccNormalize(s) : code) };
      } catch (e) {
        return { input, valid: false, error: (e as Error).message };
      }
    });
    const allValid = verdicts.every((v) => v.valid);
    if (ctx.args.options.quiet) return allValid ? 0 : 1;
    if (ctx.args.options.json) {
      ctx.stdout.write(toJson(verdicts.length === 1 ? verdicts[0] : verdicts) + '\n');
      return allValid ? 0 : 1;
    }
    const st = styles(useColor(ctx, ctx.stdout));
    for (const v of verdicts) {
      if (v.valid) ctx.stdout.write(`${st.green('valid')}    ${v.input}  ${st.dim(v.type_id!)}\n`);
      else ctx.stdout.write(`${st.red('invalid')}  ${v.input}  ${v.error}\n`);
    }
    return allValid ? 0 : 1;
  },
};
export default spec;
