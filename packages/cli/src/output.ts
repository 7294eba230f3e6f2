/**
 * Small output helpers shared by commands: colour that respects NO_COLOR / non-TTYs, and
 * JSON printing for `--json`.
 */
import type { CommandContext } from './command.ts';

/** Whether to colour output on this stream (never for NO_COLOR, CI or a pipe). */
export function useColor(ctx: Pick<CommandContext, 'env'>, stream: { isTTY?: boolean }): boolean {
  return Boolean(stream.isTTY) && ctx.env.NO_COLOR === undefined && !ctx.env.CI && ctx.env.TERM !== 'dumb';
}

/** ANSI styles, or identity functions when colour is off. */
export function styles(on: boolean) {
  const wrap = (open: number, close: number) => (s: string) => (on ? `\u001b[${open}m${s}\u001b[${close}m` : s);
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };
}

/** JSON.stringify that writes bigint as a decimal string and Uint8Array as hex. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(
    value,
    (_k, v: unknown) => {
      if (typeof v === 'bigint') return v.toString();
      if (v instanceof Uint8Array) return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
      return v;
    },
    indent,
  );
}
