/**
 * The pure TypeScript oracle of one call of core's `data_chunks` WebAssembly kernel
 * (packages/core/wasm/kernels.wat): cdc.ts chunks, xxh32.ts of each, the pure minhash, in the
 * shape the kernel leaves them (FEAT and SIZES hold the last `n` chunks, folded every 4096).
 * Shared by the kernel's tests (wasm-data-chunks.test.ts, wasm-features.test.ts); also the pure
 * path itself ({@link onPurePath}) and the pure Data-Hash, the oracle of the stream tests.
 */
import { _cdcOffset, type CdcParams } from '../packages/core/src/cdc.ts';
import { setTurbo } from '../packages/core/src/check.ts';
import { DataHasherV0 } from '../packages/core/src/code-data.ts';
import { MAXH, _algMinhashPure } from '../packages/core/src/minhash.ts';
import { K_FEAT_SLOTS } from '../packages/core/src/wasm-kernels.ts';
import { xxh32 } from '../packages/core/src/xxh32.ts';

/** Everything a `data_chunks` call leaves visible. */
export interface ChunkResult {
  n: number;
  features: number[];
  sizes: number[];
  mins: number[];
  tail: number;
}

/** The whole-input chunk lists as one `data_chunks` call reports them (FEAT folded every 4096). */
export function asCall(features: number[], sizes: number[], tail: number): ChunkResult {
  const n = features.length % K_FEAT_SLOTS;
  const mins = features.length > 0 ? _algMinhashPure(features) : new Array<number>(64).fill(MAXH);
  return { n, features: features.slice(features.length - n), sizes: sizes.slice(sizes.length - n), mins, tail };
}

/** One `data_chunks` call on `data` by the pure oracle; `final` = 1 also finishes the last chunk. */
export function dataChunksReference(data: Uint8Array, params: CdcParams, final: number): ChunkResult {
  const [mi, ma, cs, maskS, maskL] = params;
  const features: number[] = [];
  const sizes: number[] = [];
  let pos = 0;
  while (pos < data.length) {
    const cut = _cdcOffset(data, pos, data.length, mi, ma, cs, maskS, maskL);
    if (pos + cut === data.length && final === 0) break;
    features.push(xxh32(data, 0, pos, pos + cut));
    sizes.push(cut);
    pos += cut;
  }
  return asCall(features, sizes, pos);
}

/** Run `fn` on core's pure TypeScript path (kernels off), restoring the kernels afterwards. */
export function onPurePath<T>(fn: () => T): T {
  setTurbo(false);
  try {
    return fn();
  } finally {
    setTurbo(true);
  }
}

/** The pure TypeScript Data-Hash of `data` (256 bits). */
export function pureDataHash(data: Uint8Array): Uint8Array {
  return onPurePath(() => new DataHasherV0(data).digest());
}
