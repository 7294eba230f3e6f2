/**
 * Loader of core's WebAssembly kernels (packages/core/wasm/kernels.wat, assembled into
 * `_wasm-kernels.ts`): the Data-Code chunker (gear CDC + xxh32 per chunk + minhash
 * accumulation, one call per buffer), xxh32 and the 64-permutation minhash.
 *
 * - Two builds of the same WAT: with WebAssembly SIMD (xxh32 of four chunks at once) where the
 *   engine validates it, else `_wasm-kernels-scalar.ts` (same exports, same results).
 *
 * - Lazy: nothing is compiled until the first hashing call asks for {@link kernels}.
 * - Synchronous where the runtime allows it (Node, Deno, Bun, workers, and browsers too since
 *   the module is below Chromium's 4 KiB main-thread limit); should a runtime refuse, the
 *   module is compiled asynchronously and callers use the pure TypeScript path until it is
 *   ready, so the public API stays synchronous and the results never change.
 * - Without WebAssembly, or after `setTurbo(false)`, {@link kernels} returns null and every
 *   caller uses the pure TypeScript implementation, which is the test oracle for these kernels.
 * - The memory of the shared instance never grows, so the typed views made at load time stay
 *   valid.
 * - {@link _kernelInstance} makes further instances of the same compiled module with a memory
 *   of their own (optionally a shared memory, from the variant `_wasm-kernels-shared.ts`), for
 *   streams that read input straight into kernel memory (data-stream.ts).
 */
import { KERNELS_WASM } from './_wasm-kernels.ts';
import { KERNELS_SCALAR_WASM } from './_wasm-kernels-scalar.ts';
import { KERNELS_SHARED_WASM } from './_wasm-kernels-shared.ts';
import { CDC_GEAR } from './options.ts';

/** Byte offsets of the kernel memory layout (see kernels.wat). @internal */
export const K_MPA = 1024;
/** @internal */
export const K_MPB = 1536;
/** @internal */
export const K_MINS = 2048;
/** @internal */
export const K_TAIL = 2304;
/** @internal */
export const K_FEAT = 4096;
/** @internal */
export const K_SIZES = 20480;
/** @internal */
export const K_IN = 65536;
/** Capacity of the input area in bytes. @internal */
export const K_IN_CAP = 1 << 20;
/** Number of feature (and size) slots at {@link K_FEAT} / {@link K_SIZES}. @internal */
export const K_FEAT_SLOTS = 4096;
/** Free area where a stream keeps its open tail between calls. @internal */
export const K_TAILBUF = 36864;
/** Capacity of {@link K_TAILBUF} in bytes. @internal */
export const K_TAILBUF_CAP = K_IN - K_TAILBUF;
/** WebAssembly page size. */
const PAGE = 65536;
/** Largest memory of an instance from {@link _kernelInstance} (the shared variant's declared maximum). @internal */
export const K_MAX_BYTES = 1024 * PAGE;

/** The instantiated kernels with views on their memory. @internal */
export interface Kernels {
  /** The memory (shared for instances made with `shared`). */
  readonly memory: WebAssembly.Memory;
  /** The whole kernel memory as bytes. */
  readonly bytes: Uint8Array;
  /** The whole kernel memory as little-endian 32-bit words (index = byte offset / 4). */
  readonly u32: Uint32Array;
  /** xxh32 of `bytes[ptr, ptr+len)`; returns a signed 32-bit value (`>>> 0` for unsigned). */
  readonly xxh32: (ptr: number, len: number, seed: number) => number;
  /** Fold `n` u32 features at byte offset `ptr` into the 64 minima at {@link K_MINS}. */
  readonly minhash: (ptr: number, n: number) => void;
  /**
   * xxh32 (seed 0) of the chunks `i..n-1`, consecutive from byte offset `pos` with their
   * lengths at {@link K_SIZES}, to the same slots at {@link K_FEAT}; returns the end of the last.
   * Uses bytes 2320..2448 as scratch (what `dataChunks` hashes its chunks with).
   */
  readonly features: (pos: number, i: number, n: number) => number;
  /**
   * Chunk `len` bytes at byte offset `ptr`; returns the number of finished chunks in FEAT (all
   * of them for inputs up to {@link K_IN_CAP}; features at {@link K_FEAT}, sizes at
   * {@link K_SIZES}, all folded into {@link K_MINS}); the open tail starts at
   * `ptr + u32[K_TAIL / 4]`. With `final` = 1 the last chunk is finished too. From 64 KiB on
   * it runs two chunk chains and uses bytes 2560..4096 (BCUTS in kernels.wat) as scratch; its
   * chunks are hashed by `features` (scratch 2320..2448) in batches of 64 and at the end.
   */
  readonly dataChunks: (
    ptr: number,
    len: number,
    mi: number,
    ma: number,
    cs: number,
    maskS: number,
    maskL: number,
    final: number,
  ) => number;
}

interface KernelExports {
  memory: WebAssembly.Memory;
  xxh32: Kernels['xxh32'];
  minhash: Kernels['minhash'];
  features: Kernels['features'];
  data_chunks: Kernels['dataChunks'];
}

let enabled = true;
/** 0 = not tried, 1 = compiling asynchronously, 2 = ready, 3 = unavailable. */
let phase = 0;
let loaded: Kernels | null = null;

/**
 * The minhash permutation tables are written into kernel memory by minhash.ts (which owns
 * them) through this hook, so that this module does not import minhash.ts (no import cycle).
 */
let writeTables: ((k: Kernels) => void) | null = null;

/** Register the writer of the minhash tables (called once by minhash.ts). @internal */
export function _registerKernelTables(fn: (k: Kernels) => void): void {
  writeTables = fn;
  if (loaded !== null) fn(loaded);
}

function wrap(instance: WebAssembly.Instance, memory?: WebAssembly.Memory): Kernels {
  const ex = instance.exports as unknown as KernelExports;
  const mem = memory ?? ex.memory;
  const buffer = mem.buffer;
  const k: Kernels = {
    memory: mem,
    bytes: new Uint8Array(buffer),
    u32: new Uint32Array(buffer),
    xxh32: ex.xxh32,
    minhash: ex.minhash,
    features: ex.features,
    dataChunks: ex.data_chunks,
  };
  const gear = CDC_GEAR;
  for (let i = 0; i < 256; i++) k.u32[i] = gear[i]!;
  writeTables?.(k);
  return k;
}

/**
 * The bytes of the private-memory kernels for this engine: the SIMD build where it validates,
 * else the scalar one; `simd` forces a choice (tests). @internal
 */
export function _kernelsVariant(simd?: boolean): Uint8Array<ArrayBuffer> {
  const useSimd = simd ?? WebAssembly.validate(KERNELS_WASM as Uint8Array<ArrayBuffer>);
  return (useSimd ? KERNELS_WASM : KERNELS_SCALAR_WASM) as Uint8Array<ArrayBuffer>;
}

function load(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    phase = 3;
    return;
  }
  try {
    const mod = new WebAssembly.Module(_kernelsVariant());
    loaded = wrap(new WebAssembly.Instance(mod, {}));
    phase = 2;
  } catch {
    // A runtime that refuses synchronous compilation: compile in the background.
    phase = 1;
    WebAssembly.instantiate(_kernelsVariant(), {}).then(
      (r) => {
        loaded = wrap(r.instance);
        phase = 2;
      },
      () => {
        phase = 3;
      },
    );
  }
}

let privateModule: WebAssembly.Module | null = null;
let sharedModule: WebAssembly.Module | null = null;

/**
 * A new instance of the kernels with a memory of its own of at least `bytes` bytes (tables
 * written), or null when the kernels are disabled or unavailable, or a shared memory cannot be
 * made (no SharedArrayBuffer, or WebAssembly without threads or SIMD: the shared build has both). Compiled synchronously once per
 * variant; the caller keeps the instance (an instance is not thread-safe, and a stream that
 * leaves data in kernel memory between calls needs one of its own). @internal
 * @param bytes - memory size wanted (rounded up to pages; at most {@link K_MAX_BYTES})
 * @param shared - a shared memory, which other threads may read and write
 */
export function _kernelInstance(bytes: number, shared: boolean): Kernels | null {
  if (kernels() === null || bytes > K_MAX_BYTES) return null;
  const pages = Math.max(17, Math.ceil(bytes / PAGE));
  try {
    if (!shared) {
      privateModule ??= new WebAssembly.Module(_kernelsVariant());
      const instance = new WebAssembly.Instance(privateModule, {});
      const memory = (instance.exports as unknown as KernelExports).memory;
      if (pages > 17) memory.grow(pages - 17);
      return wrap(instance);
    }
    sharedModule ??= new WebAssembly.Module(KERNELS_SHARED_WASM as Uint8Array<ArrayBuffer>);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    return wrap(new WebAssembly.Instance(sharedModule, { env: { memory } }), memory);
  } catch {
    return null;
  }
}

/**
 * The WebAssembly kernels, or null when they are disabled ({@link setKernelsEnabled}) or not
 * (yet) available; then the caller uses its pure TypeScript path. @internal
 */
export function kernels(): Kernels | null {
  if (!enabled) return null;
  if (phase === 0) load();
  return loaded;
}

/**
 * Enable (default) or disable the WebAssembly kernels for all later calls. Disabled, core runs
 * its pure TypeScript algorithms (the reference the kernels are tested against). @internal
 */
export function setKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** Whether accelerated kernels may be used (see {@link setKernelsEnabled}). @internal */
export function kernelsEnabled(): boolean {
  return enabled;
}
