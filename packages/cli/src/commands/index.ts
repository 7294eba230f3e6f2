/**
 * `iscc index add|get|search|remove|info|save`: an ISCC similarity index (ISCC-VDB,
 * @iscc-ts/index) from the command line.
 *
 * Where the index is: `--path DIR|postgres://...`, else `$ISCC_INDEX_URL` (PostgreSQL), else
 * `$ISCC_DATA_DIR/index`, else `./iscc-data/index`. Every subcommand opens it, does one thing
 * and closes it (releasing the writer lock); read-only subcommands (get, search, info) open a
 * read-only view, so they work while another process writes.
 * - add: ISCCs as arguments, `.json` sidecars (the sdk's `.iscc.json`), or JSON lines on stdin
 *   (objects with `iscc_code`/`iscc`, `units`, `iscc_id`, or bare ISCCs); prints the ISCC-IDs.
 *   `--id` (repeatable) gives the ISCC-IDs of argument entries. Entries given as units and as
 *   codes are added in two batches (each all-or-nothing).
 * - get ID...: the stored entries; search ISCC...: similar entries, best first; remove ID...;
 *   info: size, unit types, realm, backend; save: flush (the embedded store is durable on
 *   every add; save exists for the spec's API and PostgreSQL is a no-op).
 * Exit status: 0 ok, 1 nothing found (get: an ID is missing; search: no match; remove:
 * nothing removed), 2 usage, invalid input (stable INDEX_* codes) or storage trouble.
 */
import { join, resolve } from 'node:path';
import type { CommandContext, CommandSpec } from '../command.ts';
import { subcommand, UsageError } from '../command.ts';
import { styles, toJson, useColor } from '../output.ts';
import { InputError } from '../hub/io.ts';
import { type IndexEntryInput, readIndexEntries } from '../hub/index-input.ts';

const SUBCOMMANDS = ['add', 'get', 'search', 'remove', 'info', 'save'] as const;
type Sub = (typeof SUBCOMMANDS)[number];
const READ_ONLY: ReadonlySet<Sub> = new Set(['get', 'search', 'info']);

type IsccIndex = import('@iscc-ts/index').IsccIndex;

/** The index location from `--path`, `$ISCC_INDEX_URL`, `$ISCC_DATA_DIR` or `./iscc-data`. */
export function indexPath(option: unknown, env: NodeJS.ProcessEnv): string {
  if (typeof option === 'string' && option) return option;
  if (env.ISCC_INDEX_URL) return env.ISCC_INDEX_URL;
  return join(resolve(env.ISCC_DATA_DIR || 'iscc-data'), 'index');
}

function str(ctx: CommandContext, name: string): string | undefined {
  const v = ctx.args.options[name];
  return typeof v === 'string' ? v : undefined;
}

function list(ctx: CommandContext, name: string): string[] {
  const v = ctx.args.options[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

function intOption(ctx: CommandContext, name: string, min: number, max: number): number | undefined {
  const raw = str(ctx, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new UsageError(`--${name} must be an integer ${min}..${max}, got ${raw}`);
  return Number(raw);
}

function args(ctx: CommandContext): string[] {
  return ctx.args.positionals.slice(1);
}

// ---------------------------------------------------------------------------------------------

async function add(ctx: CommandContext, idx: IsccIndex): Promise<number> {
  const entries = await readIndexEntries(ctx, args(ctx));
  if (entries.length === 0) throw new UsageError('nothing to add: give ISCCs, .iscc.json files, or JSON lines on stdin');
  const ids = list(ctx, 'id');
  if (ids.length) {
    if (ids.length !== entries.length) throw new UsageError(`--id given ${ids.length} times for ${entries.length} entries`);
    entries.forEach((e, i) => {
      if (e.iscc_id !== undefined && e.iscc_id !== ids[i]) throw new UsageError(`${e.source}: has iscc_id ${e.iscc_id}, --id says ${ids[i]}`);
      e.iscc_id = ids[i];
    });
  }
  const withIds = entries.filter((e) => e.iscc_id !== undefined).length;
  if (withIds !== 0 && withIds !== entries.length) throw new UsageError('give ISCC-IDs for every entry or for none');
  // Units and codes go in separate batches (the index takes one kind per call).
  const groups: { entries: IndexEntryInput[]; positions: number[] }[] = [
    { entries: [], positions: [] },
    { entries: [], positions: [] },
  ];
  entries.forEach((e, i) => {
    const g = groups[e.units ? 1 : 0]!;
    g.entries.push(e);
    g.positions.push(i);
  });
  const out = new Array<string>(entries.length);
  for (const [kind, g] of groups.entries()) {
    if (!g.entries.length) continue;
    const isccIds = withIds ? g.entries.map((e) => e.iscc_id!) : undefined;
    const got = kind === 1 ? await idx.add({ units: g.entries.map((e) => e.units!), isccIds }) : await idx.add({ isccCodes: g.entries.map((e) => e.iscc_code!.trim()), isccIds });
    got.forEach((id, j) => (out[g.positions[j]!] = id));
  }
  if (ctx.args.options.json) ctx.stdout.write(toJson(out.map((iscc_id, i) => ({ iscc_id, ...(entries[i]!.iscc_code ? { iscc_code: entries[i]!.iscc_code } : { units: entries[i]!.units }) }))) + '\n');
  else for (const id of out) ctx.stdout.write(`${id}\n`);
  return 0;
}

async function get(ctx: CommandContext, idx: IsccIndex): Promise<number> {
  const ids = args(ctx);
  if (!ids.length) throw new UsageError('give one or more ISCC-IDs');
  const got = await idx.get(ids);
  if (ctx.args.options.json) ctx.stdout.write(toJson(ids.length === 1 ? got[0] : got) + '\n');
  else
    got.forEach((e, i) => {
      if (e) ctx.stdout.write(`${e.iscc_id}  ${e.iscc_code ?? e.units.join(',')}\n`);
      else ctx.stderr.write(`iscc index get: ${ids[i]} is not in the index\n`);
    });
  return got.every((e) => e !== null) ? 0 : 1;
}

async function search(ctx: CommandContext, idx: IsccIndex): Promise<number> {
  const queries = args(ctx).map((q) => q.trim());
  if (!queries.length) throw new UsageError('give one or more ISCCs to search for');
  const count = intOption(ctx, 'count', 1, 10_000) ?? 10;
  const maxRaw = str(ctx, 'max-distance');
  let maxDistance: number | undefined;
  if (maxRaw !== undefined) {
    maxDistance = Number(maxRaw);
    if (!/^\d*\.?\d+$/.test(maxRaw) || !(maxDistance >= 0 && maxDistance <= 1)) throw new UsageError(`--max-distance must be a number 0..1, got ${maxRaw}`);
  }
  const matches = await idx.search({ isccCodes: queries, count, exact: Boolean(ctx.args.options.exact), ...(maxDistance !== undefined ? { maxDistance } : {}) });
  const items = 'items' in matches ? matches.items : [matches];
  if (ctx.args.options.json) {
    const json = items.map((m, i) => ({ query: queries[i], ...m.toJSON() }));
    ctx.stdout.write(toJson(queries.length === 1 ? json[0] : json) + '\n');
  } else {
    const st = styles(useColor(ctx, ctx.stdout));
    items.forEach((m, i) => {
      if (queries.length > 1) ctx.stdout.write(`${st.bold(queries[i]!)}\n`);
      m.keys.forEach((key, j) => ctx.stdout.write(`${queries.length > 1 ? '  ' : ''}${key}  ${m.distances[j]!.toFixed(4)}\n`));
    });
  }
  return items.some((m) => m.length > 0) ? 0 : 1;
}

async function remove(ctx: CommandContext, idx: IsccIndex): Promise<number> {
  const ids = args(ctx);
  if (!ids.length) throw new UsageError('give one or more ISCC-IDs');
  const present = (await idx.get(ids)).filter((e) => e !== null).length;
  const mappings = await idx.remove(ids);
  if (ctx.args.options.json) ctx.stdout.write(toJson({ removed: present, unit_mappings: mappings }) + '\n');
  else ctx.stdout.write(`removed ${present} of ${ids.length} entries\n`);
  return present > 0 ? 0 : 1;
}

async function info(ctx: CommandContext, idx: IsccIndex): Promise<number> {
  if (args(ctx).length) throw new UsageError('info takes no arguments');
  const i = await idx.info();
  if (ctx.args.options.json) ctx.stdout.write(toJson(i) + '\n');
  else {
    ctx.stdout.write(`path        ${i.path}\nbackend     ${i.backend}\nentries     ${i.size}\n`);
    ctx.stdout.write(`unit types  ${i.unit_types.join(', ') || '-'}\nrealm       ${i.realm_id}\nmax bits    ${i.max_dim}\n`);
  }
  return 0;
}

async function save(ctx: CommandContext, idx: IsccIndex): Promise<number> {
  if (args(ctx).length) throw new UsageError('save takes no arguments');
  await idx.save();
  const size = (await idx.info()).size;
  ctx.stdout.write(ctx.args.options.json ? toJson({ saved: true, size }) + '\n' : `saved ${size} entries\n`);
  return 0;
}

const RUN: Record<Sub, (ctx: CommandContext, idx: IsccIndex) => Promise<number>> = { add, get, search, remove, info, save };

const spec: CommandSpec = {
  name: 'index',
  summary: 'ISCC similarity index: add, get, search, remove, info, save',
  usage: 'add|get|search|remove|info|save [OPTIONS] [ARGS]',
  description: [
    'Subcommands:',
    '  add [ISCC|FILE.json|-]...  Add entries: ISCCs, .iscc.json sidecars, or JSON lines on stdin',
    '                             ({"iscc_code"|"iscc", "units", "iscc_id"} or bare ISCCs).',
    '                             Prints the ISCC-IDs (assigned in sequence unless --id/iscc_id).',
    '  get ISCC-ID...             The stored entries.',
    '  search ISCC...             Similar entries, best first (one query per ISCC).',
    '  remove ISCC-ID...          Remove entries.',
    '  info                       Size, unit types, realm and storage of the index.',
    '  save                       Flush the index (adds are durable already).',
    '',
    'The index: --path DIR or postgres://user@host/db, else $ISCC_INDEX_URL, else',
    '$ISCC_DATA_DIR/index, else ./iscc-data/index (created on first add). The examples use',
    'that default location; they run in order on a new index.',
  ].join('\n'),
  options: [
    { name: 'json', type: 'boolean', description: 'Print JSON' },
    { name: 'path', short: 'p', type: 'string', valueName: 'DIR|URL', description: 'Index directory or postgres:// URL' },
    { name: 'id', type: 'string', valueName: 'ISCC-ID', multiple: true, description: 'add: the ISCC-ID of each entry, in order (repeat)' },
    { name: 'count', short: 'n', type: 'string', valueName: 'N', description: 'search: most results per query', default: '10' },
    { name: 'exact', type: 'boolean', description: 'search: exhaustive search (no approximation)' },
    { name: 'max-distance', type: 'string', valueName: 'D', description: 'search: per-unit normalized distance threshold 0..1', default: '0.25' },
    { name: 'realm', type: 'string', valueName: '0|1', description: 'Realm of a new index (ISCC-ID realm)', default: '0' },
  ],
  examples: [
    { command: 'iscc index add ISCC:KACWN77F73NA44D6EUG3S3QNJIL2BPPQFMW6ZX6CZNOKPAK23S2IJ2I', explains: 'Add an ISCC-CODE; prints its ISCC-ID (ISCC:MAIAAAAAAAAAAAAA in a new index).' },
    { command: 'iscc index get ISCC:MAIAAAAAAAAAAAAA', explains: 'The entry of an ISCC-ID.' },
    {
      command: 'iscc index search --json --count 5 ISCC:KACWN77F73NA44D6EUG3S3QNJIL2BPPQFMW6ZX6CZNOKPAK23S2IJ2I',
      explains: 'Entries similar to an ISCC-CODE (best first), with distances per unit type.',
    },
    { command: 'iscc index info', explains: 'How many entries and which unit types the index holds.' },
    { command: 'iscc index save', explains: 'Flush the index.' },
    { command: 'iscc index remove ISCC:MAIAAAAAAAAAAAAA', explains: 'Remove the entry again.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'ok' },
    { code: 1, meaning: 'not found (get: an ID missing; search: no match; remove: nothing removed)' },
    { code: 2, meaning: 'usage error, invalid input (INDEX_* code) or storage trouble (e.g. INDEX_LOCKED)' },
  ],
  async run(ctx) {
    const sub = subcommand(ctx.args.positionals, SUBCOMMANDS);
    const path = indexPath(ctx.args.options.path, ctx.env);
    const realmId = intOption(ctx, 'realm', 0, 1);
    const { IsccIndex } = await import('@iscc-ts/index');
    const isUrl = /^[a-z]+:\/\//i.test(path);
    let idx: IsccIndex;
    try {
      if (READ_ONLY.has(sub)) {
        const view = await IsccIndex.restore(path, { view: true });
        // No index yet: an empty in-memory one answers "nothing there" the same way.
        idx = view ?? (await IsccIndex.open('memory://', realmId === undefined ? {} : { realmId }));
      } else {
        if (!isUrl) (await import('node:fs')).mkdirSync(path, { recursive: true });
        idx = await IsccIndex.open(path, realmId === undefined ? {} : { realmId });
      }
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw Object.assign(new Error(`cannot open the index at ${path.replace(/\/\/[^@/]*@/, '//***@')}: ${(e as Error).message}`), { code: (e as { code?: string }).code });
    }
    try {
      return await RUN[sub](ctx, idx);
    } finally {
      await idx.close();
    }
  },
};
export default spec;
