/**
 * Installation checks (iscc-core `check.py`).
 */

let accelerated = false;

/**
 * Whether accelerated kernels are active (iscc-core `turbo()`, which reports compiled Cython
 * modules). Here: true once an accelerated implementation (WASM/native) has been installed
 * through {@link setTurbo}; the pure TypeScript algorithms are always available and are the
 * reference they are tested against.
 */
export function turbo(): boolean {
  return accelerated;
}

/** Record that accelerated kernels were installed (called by the code that installs them). */
export function setTurbo(on: boolean): void {
  accelerated = on;
}
