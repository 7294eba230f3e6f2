/**
 * Data-Code, Instance-Code and ISCC-SUM of a file, with one read loop.
 *
 * The file is read once in `IO_READ_SIZE` slices; each slice goes to both core hashers
 * (`DataHasherV0`, `InstanceHasherV0`). Files of any size stream (nothing is held but one
 * slice and the CDC tail), so media over 2 GiB are fine. `codeSum` composes the two units into
 * the ISCC-SUM exactly as iscc-lib's `gen_sum_code_v0`: both units at `bits`, then
 * `genIsccCodeV0([data, instance], wide)`.
 */
import { open } from 'node:fs/promises';
import { DataHasherV0, InstanceHasherV0, genIsccCodeV0 } from '@iscc-ts/core';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';
import { resolveOptions, type SdkOptionsInput } from './options.ts';

/** Bytes read per slice (iscc-core's `io_read_size`, 2 MiB). */
export const IO_READ_SIZE = 2 * 1024 * 1024;

/** Result of {@link codeSum} (iscc-sdk `code_sum`). */
export interface SumResult {
  iscc: string;
  datahash: string;
  filesize: number;
  /** Data- and Instance-Code units, with `add_units`. */
  units?: string[];
}

/** The pair of hashers fed by one read loop. */
export interface SumHashers { data: DataHasherV0; instance: InstanceHasherV0 }

/**
 * Read `path` once, feeding every slice to a fresh Data and Instance hasher; `onChunk` sees the
 * same slices (e.g. for sniffing). The slice buffer is reused: copy what you keep.
 */
export async function hashFile(path: string, onChunk?: (chunk: Uint8Array) => void): Promise<SumHashers> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  const data = new DataHasherV0();
  const instance = new InstanceHasherV0();
  try {
    const buf = new Uint8Array(IO_READ_SIZE);
    let pos = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
      if (bytesRead === 0) break;
      const slice = buf.subarray(0, bytesRead);
      data.push(slice);
      instance.push(slice);
      onChunk?.(slice);
      pos += bytesRead;
    }
  } catch (e) {
    if (e instanceof SdkError) throw e;
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot read ${path}: ${(e as Error).message}`, { cause: e, path });
  } finally {
    await fh.close();
  }
  return { data, instance };
}

/** Turn hashers into the ISCC-SUM result (units at `bits`, composed with `wide`). */
export function sumFromHashers(h: SumHashers, bits: number, wide: boolean, addUnits: boolean): SumResult {
  const dataUnit = `ISCC:${h.data.code(bits)}`;
  const instanceUnit = `ISCC:${h.instance.code(bits)}`;
  const { iscc } = genIsccCodeV0([dataUnit, instanceUnit], wide);
  const out: SumResult = { iscc, datahash: h.instance.multihash(), filesize: Number(h.instance.filesize) };
  if (addUnits) out.units = [dataUnit, instanceUnit];
  return out;
}

/** iscc-sdk `code_sum`: Data + Instance in one pass, composed to an ISCC-SUM. */
export async function codeSum(path: string, options: SdkOptionsInput = {}): Promise<SumResult> {
  const opts = resolveOptions(options);
  return sumFromHashers(await hashFile(path), opts.bits, opts.wide, opts.add_units);
}

/** iscc-sdk `code_data`: `{ iscc }` of the Data-Code. */
export async function codeData(path: string, options: SdkOptionsInput = {}): Promise<{ iscc: string }> {
  const opts = resolveOptions(options);
  const h = await hashFile(path);
  return { iscc: `ISCC:${h.data.code(opts.bits)}` };
}

/** iscc-sdk `code_instance`: `{ iscc, datahash, filesize }` of the Instance-Code. */
export async function codeInstance(path: string, options: SdkOptionsInput = {}): Promise<{ iscc: string; datahash: string; filesize: number }> {
  const opts = resolveOptions(options);
  const h = await hashFile(path);
  return { iscc: `ISCC:${h.instance.code(opts.bits)}`, datahash: h.instance.multihash(), filesize: Number(h.instance.filesize) };
}
