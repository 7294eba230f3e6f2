/**
 * Commands declared as data: each subcommand states its arguments, options and examples,
 * and `--help` is rendered from that declaration, so help and behaviour cannot drift apart.
 * Parsing is deliberately small (GNU-style long/short options, `--` ends options, `-` is a
 * positional) to keep `iscc` start-up fast.
 */

/** One option of a command. */
export interface OptionSpec {
  /** Long name without dashes, e.g. `json`. */
  name: string;
  /** Single-letter alias without dash, e.g. `j`. */
  short?: string;
  /** `boolean` flags take no value; `string` options take the next argument (or `--x=v`). */
  type: 'boolean' | 'string';
  /** Shown in help. */
  description: string;
  /** Placeholder for the value in help, e.g. `N`. */
  valueName?: string;
  /** String options may repeat; values are collected in order. */
  multiple?: boolean;
  /** Shown in help as the default. */
  default?: string | boolean;
}

/** Parsed command line of one command. */
export interface ParsedArgs {
  positionals: string[];
  options: Record<string, string | boolean | string[] | undefined>;
}

/** What a command gets to run with: parsed args plus the process streams. */
export interface CommandContext {
  args: ParsedArgs;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** A subcommand. `run` returns the process exit code. */
export interface CommandSpec {
  name: string;
  summary: string;
  /** Usage line after `iscc <name>`, e.g. `[OPTIONS] CODE...`. */
  usage: string;
  /** Longer explanation, shown in `--help`. */
  description?: string;
  options: OptionSpec[];
  /** Runnable examples with a line of explanation each; they are executed by tests. */
  examples: { command: string; explains: string }[];
  /** Exit codes and their meaning, shown in help. */
  exitCodes?: { code: number; meaning: string }[];
  run(ctx: CommandContext): Promise<number>;
}

/** A usage error: exit 2 with the command's usage line and this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'ISCC_CLI_USAGE';
}

/**
 * The subcommand named by the first positional argument (`iscc index add ...`).
 * @throws UsageError when it is missing or not one of `names`
 */
export function subcommand<T extends string>(positionals: readonly string[], names: readonly T[]): T {
  const sub = positionals[0];
  if (!sub) throw new UsageError(`give a subcommand: ${names.join(', ')}`);
  if (!(names as readonly string[]).includes(sub)) throw new UsageError(`unknown subcommand '${sub}'; one of ${names.join(', ')}`);
  return sub as T;
}

/** Parse `argv` (without the command name) against a command's options. */
export function parseArgs(spec: Pick<CommandSpec, 'name' | 'options'>, argv: readonly string[]): ParsedArgs {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  const byLong = new Map(spec.options.map((o) => [o.name, o]));
  const byShort = new Map(spec.options.filter((o) => o.short).map((o) => [o.short!, o]));
  const set = (o: OptionSpec, v: string | boolean) => {
    if (o.multiple && typeof v === 'string') {
      const prev = options[o.name];
      options[o.name] = [...(Array.isArray(prev) ? prev : []), v];
    } else options[o.name] = v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2);
      const o = byLong.get(name);
      if (!o) throw new UsageError(`unknown option --${name} for 'iscc ${spec.name}' (see 'iscc ${spec.name} --help')`);
      if (o.type === 'boolean') {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value`);
        set(o, true);
      } else {
        const v = eq >= 0 ? a.slice(eq + 1) : argv[++i];
        if (v === undefined) throw new UsageError(`option --${name} needs a value ${o.valueName ?? ''}`.trim());
        set(o, v);
      }
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // Bundled short flags: -qz; a string option consumes the rest or the next argument.
      for (let j = 1; j < a.length; j++) {
        const o = byShort.get(a[j]!);
        if (!o) throw new UsageError(`unknown option -${a[j]} for 'iscc ${spec.name}' (see 'iscc ${spec.name} --help')`);
        if (o.type === 'boolean') set(o, true);
        else {
          const rest = a.slice(j + 1);
          const v = rest.length > 0 ? rest : argv[++i];
          if (v === undefined) throw new UsageError(`option -${o.short} needs a value ${o.valueName ?? ''}`.trim());
          set(o, v);
          break;
        }
      }
      continue;
    }
    positionals.push(a);
  }
  return { positionals, options };
}

/** Render `--help` for a command from its declaration. */
export function renderHelp(spec: CommandSpec): string {
  const lines: string[] = [];
  lines.push(`Usage: iscc ${spec.name} ${spec.usage}`.trimEnd(), '', spec.summary);
  if (spec.description) lines.push('', spec.description);
  const opts = [...spec.options, { name: 'help', short: 'h', type: 'boolean', description: 'Show this help and exit.' } as OptionSpec];
  lines.push('', 'Options:');
  const left = opts.map((o) => {
    const s = o.short ? `-${o.short}, ` : '    ';
    return `  ${s}--${o.name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
  });
  const width = Math.min(34, Math.max(...left.map((l) => l.length)) + 2);
  opts.forEach((o, i) => {
    const def = o.default !== undefined ? ` (default: ${String(o.default)})` : '';
    lines.push(left[i]!.padEnd(width) + o.description + def);
  });
  if (spec.examples.length) {
    lines.push('', 'Examples:');
    for (const e of spec.examples) lines.push(`  ${e.command}`, `      ${e.explains}`);
  }
  if (spec.exitCodes?.length) {
    lines.push('', 'Exit status:');
    for (const e of spec.exitCodes) lines.push(`  ${e.code}  ${e.meaning}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Run one command with its arguments (after the command name): `--help`, parsing, and the
 * exit status of usage and other errors. Shared by `main` and the single-command entry of
 * `iscc sum` (sum/entry.ts).
 * @returns the exit code
 */
export async function runSpec(spec: CommandSpec, rest: readonly string[], ctx: Omit<CommandContext, 'args'>): Promise<number> {
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(renderHelp(spec));
    return 0;
  }
  let args;
  try {
    args = parseArgs(spec, rest);
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr.write(`Usage: iscc ${spec.name} ${spec.usage}\niscc ${spec.name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  try {
    return await spec.run({ ...ctx, args });
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr.write(`Usage: iscc ${spec.name} ${spec.usage}\niscc ${spec.name}: ${e.message}\n`);
      return 2;
    }
    const err = e as { code?: string; message?: string };
    ctx.stderr.write(`iscc ${spec.name}: ${err.message ?? String(e)}${err.code ? ` [${err.code}]` : ''}\n`);
    return 2;
  }
}
