/**
 * `iscc explain CODE...`: print the units of ISCCs in words (and `--json`). Works for every
 * kind: ISCC-CODEs (decomposed into their units), single units, ISCC-IDs v0/v1, Flake-Codes,
 * and multiformat encodings (normalised first).
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';

/** What each MainType means, for people. */
const MAINTYPE_WORDS: Record<string, string> = {
  META: 'Meta-Code: similarity of the metadata (title, description, meta)',
  SEMANTIC: 'Semantic-Code: similarity of meaning (experimental)',
  CONTENT: 'Content-Code: perceptual similarity of the content',
  DATA: 'Data-Code: similarity of the raw bytes',
  INSTANCE: 'Instance-Code: exact checksum (BLAKE3) of the bytes',
  ISCC: 'ISCC-CODE: composite of the units below',
  ID: 'ISCC-ID: a registered identifier',
  FLAKE: 'Flake-Code: a unique, time-sortable identifier',
};

interface UnitInfo {
  iscc: string;
  type_id: string;
  explain: string;
  maintype: string;
  subtype: string;
  version: string;
  bits: number | null;
  hash_hex: string;
  meaning: string;
  timestamp?: string;
  hub_id?: number;
  realm?: number;
}

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

async function describeUnit(code: string): Promise<UnitInfo> {
  const core = await import('@iscc-ts/core');
  const typeId = core.isccTypeId(code);
  const [maintype = '', subtype = '', version = '', len = ''] = typeId.split('-');
  const fields = core.isccDecode(code) as unknown as [number, number, number, number, Uint8Array];
  const body = fields[4];
  const info: UnitInfo = {
    iscc: code.startsWith('ISCC:') ? code : `ISCC:${code}`,
    type_id: typeId,
    explain: core.isccExplain(code),
    maintype,
    subtype,
    version,
    bits: /^\d+$/.test(len) ? Number(len) : body.length * 8,
    hash_hex: hex(body),
    meaning: MAINTYPE_WORDS[maintype] ?? maintype,
  };
  if (maintype === 'ID' && version === 'V1' && body.length >= 8) {
    let v = 0n;
    for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(body[i]!);
    const micros = v >> 12n;
    info.hub_id = Number(v & 0xfffn);
    info.realm = fields[1];
    info.timestamp = new Date(Number(micros / 1000n)).toISOString().replace('Z', '') + String(micros % 1000n).padStart(3, '0') + 'Z';
  }
  return info;
}

const spec: CommandSpec = {
  name: 'explain',
  summary: 'Explain ISCCs: their units, types, lengths and hashes in words',
  usage: '[--json] CODE...',
  description:
    'Accepts ISCC-CODEs, ISCC-UNITs, ISCC-IDs and Flake-Codes, with or without the "ISCC:" prefix, and\n' +
    'multiformat encodings of them. An ISCC-CODE is decomposed into its units.',
  options: [{ name: 'json', type: 'boolean', description: 'Print JSON: one object per code, with its units' }],
  examples: [
    { command: 'iscc explain ISCC:AAAZXZ6OU74YAZIM', explains: 'A 64-bit Meta-Code.' },
    {
      command: 'iscc explain --json ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY',
      explains: 'An ISCC-SUM (Data + Instance) as JSON.',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'every code was valid' },
    { code: 2, meaning: 'a code was invalid (the message says why)' },
  ],
  async run(ctx) {
    const codes = ctx.args.positionals;
    if (codes.length === 0) throw new UsageError('give at least one ISCC to explain');
    const core = await import('@iscc-ts/core');
    const out: { iscc: string; type_id: string; explain: string; units: UnitInfo[] }[] = [];
    for (const raw of codes) {
      const iscc = core.isccNormalize(raw.trim());
      const units = await Promise.all(core.isccDecompose(iscc).map((u: string) => describeUnit(u)));
      out.push({ iscc, type_id: core.isccTypeId(iscc), explain: core.isccExplain(iscc), units });
    }
    if (ctx.args.options.json) {
      ctx.stdout.write(toJson(out.length === 1 ? out[0] : out) + '\n');
      return 0;
    }
    const st = styles(useColor(ctx, ctx.stdout));
    for (const o of out) {
      ctx.stdout.write(`${st.bold(o.iscc)}\n  ${o.type_id}  ${st.dim(o.explain)}\n`);
      const isComposite = o.units.length > 1 || o.units[0]?.iscc !== o.iscc;
      if (isComposite) ctx.stdout.write(`  ${MAINTYPE_WORDS.ISCC}\n`);
      for (const u of o.units) {
        ctx.stdout.write(`  ${isComposite ? '- ' : ''}${st.cyan(u.type_id.padEnd(24))} ${u.meaning}\n`);
        const pad = isComposite ? '      ' : '    ';
        ctx.stdout.write(`${pad}${u.iscc}  ${u.bits} bits  hash ${u.hash_hex}\n`);
        if (u.timestamp) ctx.stdout.write(`${pad}minted ${u.timestamp} by hub ${u.hub_id} in realm ${u.realm}\n`);
      }
    }
    return 0;
  },
};
export default spec;
