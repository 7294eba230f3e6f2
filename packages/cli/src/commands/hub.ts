/**
 * `iscc hub keygen|sign|verify|declare|resolve|search`: keys, ISCC-SIG signatures and an
 * ISCC-HUB's declarations from the command line.
 *
 * - keygen: a new Ed25519 key pair, written to `--out FILE` (mode 0600) or printed as JSON.
 * - sign FILE|-: add an ISCC-SIG v1.0 signature to a JSON object (`--type`).
 * - verify FILE|-: check the ISCC-SIG signature of any signed JSON (exit 0 valid, 1 invalid,
 *   2 trouble); `--note` also applies an ISCC-HUB's IsccNote rules (members, limits, nonce
 *   hub id with `--hub-id`, timestamp within +-10 minutes of `--now` or the clock).
 * - declare FILE: code the file with the sdk (or take `--iscc-code` and `--datahash`), build
 *   and sign an IsccNote addressed to the hub, POST it and print the ISCC-ID / receipt.
 * - resolve ISCC-ID, search --datahash|--iscc-code: read a hub.
 * Exit status: 0 ok, 1 a check failed or the hub refused/found nothing, 2 usage or trouble
 * (unreadable input, unreachable hub).
 */
import type { CommandContext, CommandSpec } from '../command.ts';
import { subcommand, UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';
import { HubClient, HubRefusal, hubBaseUrl } from '../hub/client.ts';
import { InputError, parseJsonObject, readText } from '../hub/io.ts';
import { keyFileJson, loadKeyPair, writeKeyFile } from '../hub/keys.ts';

/** The README/spec key of iscc-crypto (published, for examples and tests only). */
const EXAMPLE_SECKEY = 'z3u2So9EAtuYVuxGog4F2ksFGws8YT7pBPs4xyRbv3NJgrNA';
const SIG_EXAMPLE = '../shared/conformance/crypto/iscc-crypto_docs_iscc-sig-spec_example.json';

const SUBCOMMANDS = ['keygen', 'sign', 'verify', 'declare', 'resolve', 'search'] as const;
type Sub = (typeof SUBCOMMANDS)[number];

/** `--type` values and the SigType they mean. */
const SIG_TYPES: Record<string, string> = {
  AUTO: 'auto',
  PROOF_ONLY: 'proof_only',
  SELF_VERIFYING: 'self_verifying',
  IDENTITY_BOUND: 'identity_bound',
};

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === 'string' ? v : undefined;
}

function sigType(ctx: CommandContext, fallback: string): string {
  const raw = str(ctx, 'type');
  if (raw === undefined) return fallback;
  const t = SIG_TYPES[raw.toUpperCase().replace(/-/g, '_')];
  if (!t) throw new UsageError(`--type must be one of ${Object.keys(SIG_TYPES).join(', ')}, got ${raw}`);
  return t;
}

function hubIdOption(ctx: CommandContext): number | undefined {
  const raw = str(ctx, 'hub-id');
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > 4095) throw new UsageError(`--hub-id must be an integer 0..4095, got ${raw}`);
  return Number(raw);
}

function nowOption(ctx: CommandContext): number | undefined {
  const raw = str(ctx, 'now');
  if (raw === undefined) return undefined;
  const ms = Date.parse(raw);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(raw) || Number.isNaN(ms)) throw new UsageError(`--now must be an ISO 8601 time (2025-08-19T09:21:53.432Z), got ${raw}`);
  return ms;
}

function one(ctx: CommandContext, what: string): string {
  const [, ...rest] = ctx.args.positionals;
  if (rest.length !== 1) throw new UsageError(`give exactly one ${what}`);
  return rest[0]!;
}

function client(ctx: CommandContext): HubClient {
  const base = hubBaseUrl(ctx.args.options.hub, ctx.env);
  if (!base) throw new UsageError('no hub: give --hub URL (e.g. https://hub.example.com/hub) or set ISCC_HUB_ENDPOINT');
  return new HubClient(base);
}

async function writeOut(ctx: CommandContext, text: string): Promise<void> {
  const out = str(ctx, 'out');
  if (out === undefined || out === '-') {
    ctx.stdout.write(text);
    return;
  }
  const { writeFile } = await import('node:fs/promises');
  try {
    await writeFile(out, text, { flag: ctx.args.options.force ? 'w' : 'wx' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new InputError('ISCC_CLI_OUTPUT', err.code === 'EEXIST' ? `${out} exists (use --force to replace it)` : `cannot write ${out}: ${err.message}`);
  }
}

// ---------------------------------------------------------------------------------------------

async function keygen(ctx: CommandContext): Promise<number> {
  if (ctx.args.positionals.length > 1) throw new UsageError('keygen takes no arguments');
  const core = await import('@iscc-ts/core');
  const kp = await core.keyGenerate(str(ctx, 'controller') ?? null, str(ctx, 'keyid') ?? null);
  const out = str(ctx, 'out');
  if (out !== undefined && out !== '-') {
    await writeKeyFile(out, kp, Boolean(ctx.args.options.force));
    ctx.stdout.write(ctx.args.options.json ? toJson({ path: out, public_key: kp.public_key, controller: kp.controller, key_id: kp.key_id }) + '\n' : `${kp.public_key}\n`);
    ctx.stderr.write(`iscc hub keygen: wrote ${out} (mode 0600); keep it secret\n`);
    return 0;
  }
  ctx.stdout.write(toJson(keyFileJson(kp)) + '\n');
  return 0;
}

async function sign(ctx: CommandContext): Promise<number> {
  const file = one(ctx, 'JSON FILE (or - for stdin) to sign');
  const kp = (await loadKeyPair(ctx))!;
  const doc = parseJsonObject(await readText(ctx, file), file);
  const core = await import('@iscc-ts/core');
  if (Object.hasOwn(doc, 'signature')) throw new InputError('ISCC_CLI_SIGNED', `${file} already has a "signature" member; ISCC-SIG signs a document once`);
  const signed = await core.signJson(doc, kp, sigType(ctx, 'auto') as never);
  await writeOut(ctx, JSON.stringify(signed, null, ctx.args.options.compact ? undefined : 2) + '\n');
  return 0;
}

interface VerifyReport {
  valid: boolean;
  signature_valid: boolean;
  identity_verified: boolean | null;
  message: string | null;
  pubkey: string | null;
  controller: string | null;
  note?: { valid: boolean; code: string | null; hub_code: string | null; field: string | null; message: string | null };
}

async function verify(ctx: CommandContext): Promise<number> {
  const file = one(ctx, 'signed JSON FILE (or - for stdin)');
  const doc = parseJsonObject(await readText(ctx, file), file);
  const didFile = str(ctx, 'did-doc');
  const identity = didFile ? parseJsonObject(await readText(ctx, didFile), didFile) : null;
  const pubkey = str(ctx, 'pubkey') ?? null;
  const core = await import('@iscc-ts/core');
  const sig = (typeof doc.signature === 'object' && doc.signature !== null ? doc.signature : {}) as Record<string, unknown>;
  const r = await core.verifyJson(doc, identity, pubkey, false);
  const report: VerifyReport = {
    valid: r.is_valid,
    signature_valid: r.signature_valid,
    identity_verified: r.identity_verified,
    message: r.message,
    pubkey: typeof sig.pubkey === 'string' ? sig.pubkey : pubkey,
    controller: typeof sig.controller === 'string' ? sig.controller : null,
  };
  if (ctx.args.options.note) {
    const opts = { hubId: hubIdOption(ctx) ?? null, now: nowOption(ctx), verifySignature: true };
    try {
      await core.validateIsccNote(doc, opts);
      report.note = { valid: true, code: null, hub_code: null, field: null, message: null };
    } catch (e) {
      if (!(e instanceof core.IsccError)) throw e;
      const ne = e as InstanceType<typeof core.IsccNoteError>;
      report.note = { valid: false, code: e.code, hub_code: ne.hubCode ?? null, field: ne.field ?? null, message: e.message };
      report.valid = false;
    }
  } else if (str(ctx, 'hub-id') !== undefined || str(ctx, 'now') !== undefined) {
    throw new UsageError('--hub-id and --now apply to --note');
  }
  if (ctx.args.options.json) ctx.stdout.write(toJson(report) + '\n');
  else {
    const st = styles(useColor(ctx, ctx.stdout));
    const who = [report.pubkey && `pubkey ${report.pubkey}`, report.controller && `controller ${report.controller}`].filter(Boolean).join(', ');
    if (report.valid) {
      const extra = [r.identity_verified ? 'identity verified' : null, report.note ? 'IsccNote rules ok' : null].filter(Boolean).join(', ');
      ctx.stdout.write(`${st.green('valid')}  ${file}: ISCC-SIG signature ok${who ? ` (${who})` : ''}${extra ? `; ${extra}` : ''}\n`);
    } else {
      const why = !r.is_valid ? (r.message ?? 'signature does not verify') : `${report.note!.message} [${report.note!.code}${report.note!.hub_code ? `/${report.note!.hub_code}` : ''}]`;
      ctx.stdout.write(`${st.red('invalid')}  ${file}: ${why}\n`);
    }
  }
  return report.valid ? 0 : 1;
}

async function declare(ctx: CommandContext): Promise<number> {
  const [, ...files] = ctx.args.positionals;
  const givenCode = str(ctx, 'iscc-code');
  const givenHash = str(ctx, 'datahash');
  if (files.length > 1) throw new UsageError('declare takes one FILE');
  if (files.length === 1 && (givenCode || givenHash)) throw new UsageError('give a FILE or --iscc-code with --datahash, not both');
  if (files.length === 0 && !(givenCode && givenHash)) throw new UsageError('give a FILE to code, or both --iscc-code and --datahash');
  const dryRun = Boolean(ctx.args.options['dry-run']);
  const kp = (await loadKeyPair(ctx))!;
  const hub = dryRun && !hubBaseUrl(ctx.args.options.hub, ctx.env) ? null : client(ctx);
  let hubId = hubIdOption(ctx);
  if (hubId === undefined) {
    if (!hub) throw new UsageError('--dry-run without a hub needs --hub-id');
    hubId = await hub.hubId();
  }
  const input: { iscc_code: string; datahash: string; units?: string[]; metahash?: string; gateway?: string } = { iscc_code: givenCode ?? '', datahash: givenHash ?? '' };
  const core = await import('@iscc-ts/core');
  if (files.length === 1) {
    const sdk = await import('@iscc-ts/sdk');
    const r = await sdk.codeIscc(files[0]!, null, null, null, { create_thumb: false, add_units: Boolean(ctx.args.options.units) });
    input.iscc_code = r.iscc;
    input.datahash = r.datahash;
    if (typeof r.metahash === 'string') input.metahash = r.metahash;
    if (ctx.args.options.units && Array.isArray(r.units)) {
      input.units = (r.units as string[]).filter((u) => core.isccDecode(u)[0] !== core.MT.INSTANCE);
    }
  } else {
    input.iscc_code = core.isccNormalize(input.iscc_code.trim());
  }
  const gateway = str(ctx, 'gateway');
  if (gateway) input.gateway = gateway;
  let note;
  try {
    note = await core.buildIsccNote(input, kp, { hubId, sigtype: sigType(ctx, 'auto') as never });
  } catch (e) {
    if (e instanceof core.IsccNoteError) {
      ctx.stderr.write(`iscc hub declare: the note would be refused: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
  if (dryRun) {
    ctx.stdout.write(toJson(note) + '\n');
    return 0;
  }
  const receipt = await hub!.declare(note, Boolean(ctx.args.options.force));
  if (ctx.args.options.json) {
    ctx.stdout.write(toJson(receipt) + '\n');
    return 0;
  }
  const decl = ((receipt.credentialSubject as Record<string, unknown> | undefined)?.declaration ?? {}) as Record<string, unknown>;
  ctx.stdout.write(`${String(decl.iscc_id)}\n`);
  ctx.stderr.write(`declared ${note.iscc_code} (datahash ${note.datahash}) at ${hub!.base}, log index ${String(decl.seq)}\n`);
  return 0;
}

async function resolve(ctx: CommandContext): Promise<number> {
  const id = one(ctx, 'ISCC-ID to resolve');
  const core = await import('@iscc-ts/core');
  let isccId: string;
  try {
    isccId = core.isccNormalize(id.trim());
  } catch (e) {
    throw new UsageError(`not an ISCC-ID: ${id} (${(e as Error).message})`);
  }
  const d = await client(ctx).resolve(isccId);
  if (ctx.args.options.json) ctx.stdout.write(toJson(d) + '\n');
  else {
    const rows: [string, unknown][] = [
      ['iscc_id', d.iscc_id],
      ['iscc_code', d.iscc_code],
      ['datahash', d.datahash],
      ['timestamp', d.timestamp],
      ['pubkey', d.pubkey],
      ['controller', d.controller],
      ['gateway', d.gateway_url ?? d.gateway],
    ];
    for (const [k, v] of rows) if (v !== undefined && v !== null) ctx.stdout.write(`${k.padEnd(10)} ${String(v)}\n`);
  }
  return 0;
}

async function search(ctx: CommandContext): Promise<number> {
  if (ctx.args.positionals.length > 1) throw new UsageError('search takes --datahash or --iscc-code, no arguments');
  const datahash = str(ctx, 'datahash');
  const isccCode = str(ctx, 'iscc-code');
  if (Boolean(datahash) === Boolean(isccCode)) throw new UsageError('give one of --datahash or --iscc-code');
  const countRaw = str(ctx, 'count');
  if (countRaw !== undefined && !/^[1-9]\d*$/.test(countRaw)) throw new UsageError(`--count must be a positive integer, got ${countRaw}`);
  const core = await import('@iscc-ts/core');
  const query = datahash ? { datahash } : { iscc_code: core.isccNormalize(isccCode!.trim()), count: countRaw ? Number(countRaw) : undefined };
  const r = await client(ctx).search(query);
  const results = Array.isArray(r.results) ? r.results : [];
  if (ctx.args.options.json) ctx.stdout.write(toJson(r) + '\n');
  else for (const hit of results) ctx.stdout.write(`${String(hit.iscc_id)}  ${Number(hit.distance ?? 0).toFixed(4)}  ${String(hit.iscc_code)}\n`);
  return results.length ? 0 : 1;
}

const RUN: Record<Sub, (ctx: CommandContext) => Promise<number>> = { keygen, sign, verify, declare, resolve, search };

const spec: CommandSpec = {
  name: 'hub',
  summary: 'ISCC-HUB: keys, ISCC-SIG sign/verify, declare, resolve and search',
  usage: 'keygen|sign|verify|declare|resolve|search [OPTIONS] [ARGS]',
  description: [
    'Subcommands:',
    '  keygen              New Ed25519 key pair: --out FILE (mode 0600) or JSON on stdout.',
    '  sign FILE|-         Add an ISCC-SIG v1.0 signature to a JSON object (--type, -o FILE).',
    '  verify FILE|-       Check the ISCC-SIG signature of a signed JSON document (--pubkey for',
    '                      PROOF_ONLY, --did-doc FILE for the controller). --note also applies',
    "                      an ISCC-HUB's IsccNote rules: members, limits, --hub-id, timestamp",
    '                      within +-10 minutes of --now (default: the clock).',
    '  declare FILE        Code FILE (or take --iscc-code and --datahash), sign an IsccNote for',
    '                      the hub and POST it; prints the ISCC-ID (--json: the receipt).',
    '  resolve ISCC-ID     The declaration of an ISCC-ID.',
    '  search              Declarations by --datahash, or similar ones by --iscc-code.',
    '',
    'Keys: --key FILE, or --seckey z3u2..., or $ISCC_KEY_FILE / $ISCC_SECKEY. The hub: --hub URL',
    '(its base, e.g. https://hub.example.com/hub) or $ISCC_HUB_ENDPOINT. The examples use the',
    "published test key of iscc-crypto's README; never use it for real declarations.",
  ].join('\n'),
  options: [
    { name: 'json', type: 'boolean', description: 'Print JSON' },
    { name: 'key', short: 'k', type: 'string', valueName: 'FILE', description: 'Key file (from keygen)' },
    { name: 'seckey', type: 'string', valueName: 'z3u2...', description: 'Secret key (visible to other users of this machine; prefer --key)' },
    { name: 'controller', type: 'string', valueName: 'DID', description: 'Controller of the key (keygen, sign), e.g. did:web:example.com' },
    { name: 'keyid', type: 'string', valueName: 'ID', description: 'Key id within the controller document' },
    { name: 'out', short: 'o', type: 'string', valueName: 'FILE', description: 'Write the key (keygen) or signed JSON (sign) to FILE' },
    { name: 'force', short: 'f', type: 'boolean', description: 'Replace --out FILE; declare: declare a datahash declared before' },
    { name: 'compact', type: 'boolean', description: 'sign: print compact JSON' },
    { name: 'type', short: 't', type: 'string', valueName: 'TYPE', description: 'Signature type: AUTO, PROOF_ONLY, SELF_VERIFYING, IDENTITY_BOUND', default: 'AUTO' },
    { name: 'pubkey', type: 'string', valueName: 'z6Mk...', description: 'verify: public key for PROOF_ONLY signatures (or to pin the key)' },
    { name: 'did-doc', type: 'string', valueName: 'FILE', description: "verify: the controller's DID document, to check the key is authorised" },
    { name: 'note', type: 'boolean', description: 'verify: also apply the IsccNote rules of an ISCC-HUB' },
    { name: 'hub-id', type: 'string', valueName: 'N', description: 'Hub id 0..4095 the nonce must name (verify --note, declare)' },
    { name: 'now', type: 'string', valueName: 'TIME', description: 'verify --note: the clock for the timestamp window (ISO 8601)' },
    { name: 'hub', type: 'string', valueName: 'URL', description: 'Base URL of the hub (default $ISCC_HUB_ENDPOINT)' },
    { name: 'iscc-code', type: 'string', valueName: 'ISCC', description: 'declare/search: the ISCC-CODE' },
    { name: 'datahash', type: 'string', valueName: '1e20...', description: 'declare/search: the datahash (BLAKE3 multihash)' },
    { name: 'units', type: 'boolean', description: 'declare FILE: list the ISCC-UNITs in the note' },
    { name: 'gateway', type: 'string', valueName: 'URL', description: 'declare: gateway URL or template ({iscc_id}, ...)' },
    { name: 'dry-run', short: 'n', type: 'boolean', description: 'declare: print the signed note, send nothing' },
    { name: 'count', type: 'string', valueName: 'N', description: 'search --iscc-code: most results', default: '10' },
  ],
  examples: [
    { command: 'iscc hub keygen --controller did:web:example.com', explains: 'A new key pair as JSON (use --out FILE to write a key file).' },
    { command: `iscc hub verify ${SIG_EXAMPLE}`, explains: 'Check the signature of the ISCC-SIG specification example (exit 0).' },
    {
      command: `iscc hub verify --json --did-doc ../shared/conformance/crypto/iscc-crypto_docs_alice_did.json ${SIG_EXAMPLE}`,
      explains: 'Also check that its controller document authorises the key.',
    },
    { command: `iscc hub sign --seckey ${EXAMPLE_SECKEY} --type SELF_VERIFYING packages/cli/package.json`, explains: 'Sign a JSON file (printed to stdout).' },
    {
      command: `iscc hub declare --dry-run --hub-id 7 --seckey ${EXAMPLE_SECKEY} --units ../shared/samples/image/demo.png`,
      explains: 'Code a file and print the signed IsccNote for hub 7, without sending it.',
    },
    { command: `iscc hub declare --seckey ${EXAMPLE_SECKEY} --hub http://127.0.0.1:8000/hub ../shared/samples/image/demo.jpg`, explains: 'Declare a file at a hub; prints its ISCC-ID.' },
    { command: 'iscc hub resolve --hub http://127.0.0.1:8000/hub ISCC:MAIGG6O2AW3AAAAH', explains: 'The declaration of an ISCC-ID.' },
    {
      command: 'iscc hub search --hub http://127.0.0.1:8000/hub --iscc-code ISCC:KACWN77F73NA44D6EUG3S3QNJIL2BPPQFMW6ZX6CZNOKPAK23S2IJ2I',
      explains: 'Declarations with similar ISCC-CODEs, best first.',
    },
  ],
  exitCodes: [
    { code: 0, meaning: 'ok (verify: the signature, and with --note the note, is valid)' },
    { code: 1, meaning: 'verify: invalid; declare: refused by the hub; resolve/search: not found' },
    { code: 2, meaning: 'usage error, unreadable input, or the hub could not be reached' },
  ],
  async run(ctx) {
    const sub = subcommand(ctx.args.positionals, SUBCOMMANDS);
    try {
      return await RUN[sub](ctx);
    } catch (e) {
      if (e instanceof HubRefusal) {
        ctx.stderr.write(`iscc hub ${sub}: the hub refused (HTTP ${e.status}): ${e.message} [${e.code}]\n`);
        return 1;
      }
      if (e instanceof InputError) {
        ctx.stderr.write(`iscc hub ${sub}: ${e.message} [${e.code}]\n`);
        return 2;
      }
      throw e;
    }
  },
};
export default spec;
