/**
 * `iscc compare A B`: how similar two files or ISCCs are, unit by unit.
 *
 * Each side is a file (coded first with `codeIscc`, same flags as `iscc create`) or an ISCC in
 * any encoding. Units of the same type are paired (core's `isccNphCompare`: Normalized Prefix
 * Hamming similarity over the common prefix, so 64- and 256-bit units compare); the number of
 * differing bits is derived from it, and when every paired unit has the same length core's
 * `isccCompare` distances are included in `--json` as `compare`.
 *
 * Verdict (exit status 0 = similar, 1 = not similar): the Instance-Codes match, or else the
 * Content-Codes (or the Data-Codes when there is no common Content-Code) have a similarity of
 * at least `--threshold` (default 0.8: at most 12 of 64 bits differ). Meta-Codes are shown but
 * never decide: equal titles do not make equal content. ISCC-IDs are compared for equality.
 */
import { statSync } from 'node:fs';
import type { CommandContext, CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';
import { loadSdk, SDK_FLAGS, sdkOptionsFromArgs } from '../media.ts';

/** Default similarity threshold of the verdict. */
export const DEFAULT_THRESHOLD = 0.8;

interface Side {
  input: string;
  iscc: string;
  file: boolean;
}

interface UnitComparison {
  similarity: number;
  common_prefix_bits: number;
  /** Differing bits over the common prefix (Instance: 0 or the unit's length). */
  distance_bits: number;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

async function resolveSide(ctx: CommandContext, input: string): Promise<Side> {
  const core = await import('@iscc-ts/core');
  if (isFile(input)) {
    const sdk = await loadSdk();
    const r = await sdk.codeIscc(input, null, null, null, sdk.resolveOptions(sdkOptionsFromArgs(ctx.args), ctx.env));
    return { input, iscc: r.iscc, file: true };
  }
  try {
    return { input, iscc: core.isccNormalize(input.trim()), file: false };
  } catch (e) {
    throw new UsageError(`'${input}' is neither a file nor a valid ISCC (${(e as Error).message})`);
  }
}

/** Per-unit comparison and verdict of two normalized ISCCs. */
export async function compareCodes(a: string, b: string, threshold: number) {
  const core = await import('@iscc-ts/core');
  const isId = (c: string) => core.isccDecompose(c).some((u) => core.isccTypeId(u).startsWith('ID-'));
  if (isId(a) || isId(b)) {
    const equal = a === b;
    return { units: {} as Record<string, UnitComparison>, similar: equal, reason: equal ? 'identical ISCC-IDs' : 'ISCC-IDs differ' };
  }
  const units: Record<string, UnitComparison> = {};
  for (const [key, v] of Object.entries(core.isccNphCompare(a, b))) {
    units[key] = { ...v, distance_bits: Math.round((1 - v.similarity) * v.common_prefix_bits) };
  }
  let compare: Record<string, number | boolean> | undefined;
  try {
    compare = core.isccCompare(a, b);
  } catch {
    // Units of unequal lengths: the NPH figures above cover them.
  }
  const keys = Object.keys(units);
  const instance = keys.find((k) => k.startsWith('INSTANCE_'));
  const content = keys.filter((k) => k.startsWith('CONTENT_'));
  const data = keys.find((k) => k.startsWith('DATA_'));
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  let similar = false;
  let reason = 'no units of the same type to compare';
  if (instance && units[instance]!.similarity === 1) {
    similar = true;
    reason = 'identical data (Instance-Codes match)';
  } else if (content.length > 0) {
    const worst = Math.min(...content.map((k) => units[k]!.similarity));
    similar = worst >= threshold;
    reason = `content ${pct(worst)} ${similar ? '>=' : '<'} ${pct(threshold)}`;
  } else if (data) {
    const s = units[data]!.similarity;
    similar = s >= threshold;
    reason = `data ${pct(s)} ${similar ? '>=' : '<'} ${pct(threshold)} (no common Content-Code)`;
  }
  return { units, ...(compare ? { compare } : {}), similar, reason };
}

const spec: CommandSpec = {
  name: 'compare',
  summary: 'Compare two files or ISCCs unit by unit (similarity per unit)',
  usage: '[OPTIONS] A B',
  description:
    'A and B are files (coded first, as iscc create does) or ISCCs (codes or units, any encoding).\n' +
    'Units of the same type are compared by Normalized Prefix Hamming similarity. The verdict: similar\n' +
    'when the Instance-Codes match, or the Content-Codes (else the Data-Codes) reach the threshold.',
  options: [
    { name: 'json', type: 'boolean', description: 'Print JSON: both ISCCs, per-unit similarity, verdict' },
    { name: 'threshold', type: 'string', valueName: 'X', description: 'Similarity (0..1) from which the verdict is "similar"', default: String(DEFAULT_THRESHOLD) },
    ...SDK_FLAGS,
  ],
  examples: [
    { command: 'iscc compare ../shared/samples/image/demo.jpg ../shared/samples/image/demo.png', explains: 'The same picture as JPEG and PNG: similar content, different data.' },
    {
      command: 'iscc compare --json ISCC:KECWRY3VY6R5SNV4YNBTBHR4T2HGP3HKVFO7TYUP2BKVFG724W63HVI ISCC:KECSR5352MR7TNV4YNBTBHR4T2HGO6RDNMJX4P6UMT7LQXYXBH2R5PY',
      explains: 'The ISCCs of those two files, compared as codes, in JSON.',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'similar' },
    { code: 1, meaning: 'not similar' },
    { code: 2, meaning: 'usage error, an unreadable file, or an invalid code' },
  ],
  async run(ctx) {
    const args = ctx.args.positionals;
    if (args.length !== 2) throw new UsageError('give two files or ISCCs to compare');
    let threshold = DEFAULT_THRESHOLD;
    if (typeof ctx.args.options.threshold === 'string') {
      threshold = Number(ctx.args.options.threshold);
      if (!(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold: expected a number from 0 to 1, got '${ctx.args.options.threshold}'`);
    }
    const a = await resolveSide(ctx, args[0]!);
    const b = await resolveSide(ctx, args[1]!);
    const result = await compareCodes(a.iscc, b.iscc, threshold);
    if (ctx.args.options.json) {
      ctx.stdout.write(toJson({ a, b, threshold, ...result }) + '\n');
      return result.similar ? 0 : 1;
    }
    const st = styles(useColor(ctx, ctx.stdout));
    const label = (s: Side) => (s.file ? `  ${st.dim(s.input)}` : '');
    ctx.stdout.write(`A  ${a.iscc}${label(a)}\nB  ${b.iscc}${label(b)}\n`);
    const width = Math.max(0, ...Object.keys(result.units).map((k) => k.length));
    for (const [k, u] of Object.entries(result.units)) {
      const bar = '#'.repeat(Math.round(u.similarity * 20)).padEnd(20, '.');
      const detail = k.startsWith('INSTANCE_')
        ? u.similarity === 1 ? 'identical' : 'different'
        : `${u.distance_bits} of ${u.common_prefix_bits} bits differ`;
      ctx.stdout.write(`  ${k.padEnd(width)}  ${(u.similarity * 100).toFixed(1).padStart(5)}%  ${bar}  ${detail}\n`);
    }
    const verdict = result.similar ? st.green('similar') : st.yellow('not similar');
    ctx.stdout.write(`${verdict}: ${result.reason}\n`);
    return result.similar ? 0 : 1;
  },
};
export default spec;
