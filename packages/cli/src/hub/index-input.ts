/**
 * What `iscc index add` reads, turned into index entries:
 * - arguments: ISCCs (an ISCC-CODE or a unit, `ISCC:` optional), or paths of JSON files
 *   (`*.json`, e.g. the sdk's `.iscc.json` sidecars), or `-` for stdin;
 * - stdin (when there are no arguments and stdin is not a terminal): JSON lines, each an
 *   object or a bare ISCC string; blank lines and lines starting with `#` are skipped.
 * An object gives `iscc_code` (or the sdk's `iscc`), optionally `units` (a list of ISCC-UNITs,
 * which the index prefers) and `iscc_id`. Errors name the line or file.
 */
import type { CommandContext } from '../command.ts';
import { InputError, parseJsonObject, readStdin, readText } from './io.ts';

/** One entry to add. */
export interface IndexEntryInput {
  iscc_id?: string;
  iscc_code?: string;
  units?: string[];
  /** Where it came from, for messages. */
  source: string;
}

function fromObject(obj: Record<string, unknown>, source: string): IndexEntryInput {
  const entry: IndexEntryInput = { source };
  const code = obj.iscc_code ?? obj.iscc;
  if (code !== undefined) {
    if (typeof code !== 'string') throw new InputError('ISCC_CLI_JSON', `${source}: "iscc_code"/"iscc" must be a string`);
    entry.iscc_code = code;
  }
  if (obj.units !== undefined) {
    if (!Array.isArray(obj.units) || !obj.units.every((u) => typeof u === 'string')) {
      throw new InputError('ISCC_CLI_JSON', `${source}: "units" must be a list of ISCC strings`);
    }
    entry.units = obj.units as string[];
  }
  if (obj.iscc_id !== undefined) {
    if (typeof obj.iscc_id !== 'string') throw new InputError('ISCC_CLI_JSON', `${source}: "iscc_id" must be a string`);
    entry.iscc_id = obj.iscc_id;
  }
  if (!entry.iscc_code && !entry.units) throw new InputError('ISCC_CLI_JSON', `${source}: no "iscc_code", "iscc" or "units"`);
  return entry;
}

/** Parse JSON lines (objects or bare ISCC strings). */
export function parseJsonLines(text: string, where: string): IndexEntryInput[] {
  const out: IndexEntryInput[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const source = `${where} line ${i + 1}`;
    if (!line.startsWith('{') && !line.startsWith('"')) {
      out.push({ iscc_code: line, source });
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      throw new InputError('ISCC_CLI_JSON', `${source}: not valid JSON (${(e as Error).message})`);
    }
    if (typeof value === 'string') out.push({ iscc_code: value, source });
    else if (typeof value === 'object' && value !== null && !Array.isArray(value)) out.push(fromObject(value as Record<string, unknown>, source));
    else throw new InputError('ISCC_CLI_JSON', `${source}: expected an object or an ISCC string`);
  });
  return out;
}

/** Collect the entries of `iscc index add` from its arguments or stdin. */
export async function readIndexEntries(ctx: Pick<CommandContext, 'stdin'>, args: readonly string[]): Promise<IndexEntryInput[]> {
  if (args.length === 0) {
    if (ctx.stdin.isTTY) return [];
    return parseJsonLines(await readStdin(ctx.stdin), 'stdin');
  }
  const out: IndexEntryInput[] = [];
  for (const arg of args) {
    if (arg === '-') out.push(...parseJsonLines(await readStdin(ctx.stdin), 'stdin'));
    else if (/\.(json|jsonl|ndjson)$/i.test(arg)) {
      const text = await readText(ctx, arg);
      if (/\.json$/i.test(arg) && text.trimStart().startsWith('{')) out.push(fromObject(parseJsonObject(text, arg), arg));
      else out.push(...parseJsonLines(text, arg));
    } else out.push({ iscc_code: arg, source: `argument ${JSON.stringify(arg)}` });
  }
  return out;
}
