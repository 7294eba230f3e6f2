/**
 * Shared pieces of the commands that code files with @iscc-ts/sdk (`create`, `batch`,
 * `compare`): the sdk option flags and their translation into sdk options, a one-line progress
 * bar for stderr, and error text for a failed file.
 *
 * The sdk is imported lazily (`loadSdk`) so that commands which do not code files (`explain`,
 * `sum`, `validate`) never load sharp and friends.
 */
import type { BatchRecord, SdkOptionsInput } from '@iscc-ts/sdk';
import type { CommandContext, OptionSpec, ParsedArgs } from './command.ts';
import { UsageError } from './command.ts';

/** The sdk module, loaded on first use. */
export async function loadSdk(): Promise<typeof import('@iscc-ts/sdk')> {
  return import('@iscc-ts/sdk');
}

/** Flags that map to sdk options, shared by `create`, `batch` and `compare`. */
export const SDK_FLAGS: OptionSpec[] = [
  { name: 'bits', short: 'b', type: 'string', valueName: 'N', description: 'Bits per ISCC-UNIT: 64, 128, 192 or 256', default: '64' },
  { name: 'wide', type: 'boolean', description: 'Wide ISCC-SUM (128-bit Data + Instance) for files without a content mode' },
  { name: 'granular', type: 'boolean', description: 'Add granular features (per text chunk / video scene)' },
  { name: 'units', type: 'boolean', description: 'Add the ISCC-UNITs the code is made of (`units`)' },
  { name: 'no-meta', type: 'boolean', description: 'No Meta-Code (metadata is still extracted and shown)' },
  { name: 'no-thumbnail', type: 'boolean', description: 'No thumbnail in the result' },
];

/** sdk options from the flags of {@link SDK_FLAGS}. */
export function sdkOptionsFromArgs(args: ParsedArgs): SdkOptionsInput {
  const o = args.options;
  const out: SdkOptionsInput = {};
  if (typeof o.bits === 'string') {
    const bits = Number(o.bits);
    if (!Number.isInteger(bits) || bits < 32 || bits > 256 || bits % 32 !== 0) {
      throw new UsageError(`--bits: expected a multiple of 32 from 32 to 256, got '${o.bits}'`);
    }
    out.bits = bits;
  }
  if (o.wide) out.wide = true;
  if (o.granular) out.granular = true;
  if (o.units) out.add_units = true;
  if (o['no-meta']) out.create_meta = false;
  if (o['no-thumbnail']) out.create_thumb = false;
  return out;
}

/** A progress line on a terminal (nothing on a pipe), redrawn at most every 100 ms. */
export interface ProgressBar {
  update(done: number, total: number, label: string): void;
  /** Erase the line. */
  clear(): void;
}

/** A progress bar on `ctx.stderr` when it is a terminal and `enabled`, else a no-op. */
export function progressBar(ctx: Pick<CommandContext, 'stderr' | 'env'>, enabled: boolean, now: () => number = Date.now): ProgressBar {
  const stream = ctx.stderr;
  if (!enabled || !stream.isTTY) return { update() {}, clear() {} };
  const width = 24;
  let last = 0;
  let shown = false;
  const start = now();
  return {
    update(done, total, label) {
      const t = now();
      if (done < total && t - last < 100) return;
      last = t;
      const frac = total > 0 ? done / total : 1;
      const filled = Math.round(frac * width);
      const rate = done / Math.max((t - start) / 1000, 0.001);
      const name = label.length > 40 ? '…' + label.slice(-39) : label;
      stream.write(`\r\u001b[2K[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${rate.toFixed(1)} files/s ${name}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}

/**
 * A message on one line: decoders (libvips) report several, often repeated, lines; output
 * that scripts read line by line keeps one line per file.
 */
export function oneLine(message: string): string {
  const lines = [...new Set(message.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0))];
  return lines.join('; ');
}

/** Code and one-line message of a thrown error (sdk and core errors carry a code). */
export function describeFailure(e: unknown): { code: string; message: string } {
  const err = e as { code?: unknown; message?: unknown } | null;
  return {
    code: typeof err?.code === 'string' ? err.code : 'ISCC_CLI_ERROR',
    message: oneLine(typeof err?.message === 'string' ? err.message : String(e)),
  };
}

/** Counts of a batch's records. */
export function countRecords(records: readonly BatchRecord[]): { total: number; ok: number; skipped: number; errors: number } {
  let ok = 0;
  let skipped = 0;
  let errors = 0;
  for (const r of records) {
    if (r.status === 'ok') ok++;
    else if (r.status === 'skipped') skipped++;
    else errors++;
  }
  return { total: records.length, ok, skipped, errors };
}
