/**
 * Entry point of the `iscc` command. Subcommands are loaded lazily, each from its own module,
 * so that a command pays only for what it uses (`iscc sum` loads core alone: start-up time
 * matters when scripts call it for many small files).
 */
import { renderHelp, runSpec, type CommandContext, type CommandSpec } from './command.ts';
import { VERSION } from './version.ts';

/** Subcommands in the order `iscc --help` lists them. */
const COMMANDS: Record<string, () => Promise<{ default: CommandSpec }>> = {
  create: () => import('./commands/create.ts'),
  batch: () => import('./commands/batch.ts'),
  extract: () => import('./commands/extract.ts'),
  embed: () => import('./commands/embed.ts'),
  compare: () => import('./commands/compare.ts'),
  decompose: () => import('./commands/decompose.ts'),
  validate: () => import('./commands/validate.ts'),
  explain: () => import('./commands/explain.ts'),
  selftest: () => import('./commands/selftest.ts'),
  sum: () => import('./commands/sum.ts'),
  index: () => import('./commands/index.ts'),
  hub: () => import('./commands/hub.ts'),
  serve: () => import('./commands/serve.ts'),
};

function topHelp(specs: CommandSpec[]): string {
  const w = Math.max(...specs.map((s) => s.name.length)) + 4;
  return [
    'Usage: iscc <command> [OPTIONS] [ARGS]',
    '',
    'iscc-ts: International Standard Content Codes (ISO 24138) for files, codes and streams.',
    '',
    'Commands:',
    ...specs.map((s) => `  ${s.name.padEnd(w)}${s.summary}`),
    '',
    'Options:',
    '  -h, --help       Show help (also: iscc <command> --help)',
    '  -V, --version    Print the version and exit',
    '',
    'Examples:',
    '  iscc explain ISCC:AAAZXZ6OU74YAZIM',
    '  iscc selftest',
    '',
    'Environment: NO_COLOR disables colour. Exit status 0 ok, 1 check failed, 2 usage or input error.',
    '',
  ].join('\n');
}

/**
 * Run the CLI with `argv` (without node and script path). Resolves to the exit code.
 * Streams default to the process's; tests pass their own.
 */
export async function main(argv: readonly string[], io: Partial<Omit<CommandContext, 'args'>> = {}): Promise<number> {
  const ctx = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    stdin: io.stdin ?? process.stdin,
    env: io.env ?? process.env,
  };
  const [name, ...rest] = argv;
  if (name === '--version' || name === '-V') {
    ctx.stdout.write(`iscc ${VERSION}\n`);
    return 0;
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const target = name === 'help' ? rest[0] : undefined;
    if (target && COMMANDS[target]) {
      ctx.stdout.write(renderHelp((await COMMANDS[target]()).default));
      return 0;
    }
    const specs = await Promise.all(Object.values(COMMANDS).map(async (l) => (await l()).default));
    (name === undefined ? ctx.stderr : ctx.stdout).write(topHelp(specs));
    return name === undefined ? 2 : 0;
  }
  const loader = COMMANDS[name];
  if (!loader) {
    ctx.stderr.write(`iscc: unknown command '${name}'. Run 'iscc --help' for the list of commands.\n`);
    return 2;
  }
  return runSpec((await loader()).default, rest, ctx);
}
