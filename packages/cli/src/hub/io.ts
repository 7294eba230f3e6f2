/**
 * Input helpers of `iscc hub` and `iscc index`: read a FILE or `-` (stdin) as text, and parse
 * it as one JSON object. Failures are {@link InputError}s, which the commands turn into exit 2
 * ("trouble"), as opposed to a check that ran and failed (exit 1).
 */
import { readFile } from 'node:fs/promises';
import type { CommandContext } from '../command.ts';

/** Most bytes read from a file or stdin (signed JSON documents and JSON lines are small). */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/** Input could not be read or parsed (exit 2). */
export class InputError extends Error {
  override readonly name = 'InputError';
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** Read all of stdin as UTF-8 (up to {@link MAX_INPUT_BYTES}). */
export async function readStdin(stdin: CommandContext['stdin']): Promise<string> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of stdin as AsyncIterable<Buffer | string>) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    n += b.length;
    if (n > MAX_INPUT_BYTES) throw new InputError('ISCC_CLI_INPUT', `stdin: more than ${MAX_INPUT_BYTES} bytes`);
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Read FILE, or stdin for `-`, as UTF-8 text. */
export async function readText(ctx: Pick<CommandContext, 'stdin'>, path: string): Promise<string> {
  if (path === '-') return readStdin(ctx.stdin);
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new InputError('ISCC_CLI_INPUT', `cannot read ${path}: ${(e as Error).message}`);
  }
}

/** Parse text as one JSON object (not an array or scalar); `where` names the source. */
export function parseJsonObject(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError('ISCC_CLI_JSON', `${where}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError('ISCC_CLI_JSON', `${where}: expected a JSON object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}
