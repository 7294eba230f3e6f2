/**
 * Installation checks (iscc-core `check.py`).
 *
 * iscc-core's `turbo()` reports whether its Cython-compiled modules are in use. Here the
 * counterpart is the set of WebAssembly kernels of core (wasm-kernels.ts: the Data-Code
 * chunker, xxh32 and minhash), used wherever the runtime has WebAssembly. `setTurbo(false)`
 * switches them off, so that core runs its pure TypeScript algorithms - the reference the
 * kernels are tested against, with identical results.
 */
import { kernels, setKernelsEnabled } from './wasm-kernels.ts';

/**
 * Whether accelerated kernels are active (iscc-core `turbo()`): true when core's WebAssembly
 * kernels are loaded and enabled. Loads them on first call if needed. A runtime that compiles
 * WebAssembly only asynchronously reports false until the background compilation is done.
 * @returns true when hashing runs on the accelerated kernels
 */
export function turbo(): boolean {
  return kernels() !== null;
}

/**
 * Enable (the default) or disable core's accelerated kernels for all later calls. Results are
 * the same either way; disabling is for testing and benchmarking the pure TypeScript path.
 * (A BLAKE3 implementation is installed separately, with `setBlake3`.)
 * @param on - true to use the kernels where available, false for pure TypeScript
 */
export function setTurbo(on: boolean): void {
  setKernelsEnabled(on);
}
