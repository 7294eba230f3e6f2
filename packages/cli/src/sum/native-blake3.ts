/**
 * Optional native BLAKE3 for `iscc sum`: core's built-in BLAKE3 is pure JavaScript (about
 * 20 MiB/s here, 85% of `iscc sum`'s time on a big file); the native addon `@napi-rs/blake-hash`
 * hashes GiB/s. Core is built for this (`setBlake3`): when the addon is installed (an optional
 * dependency), `iscc sum` installs it at start-up, in the main thread and in each worker.
 * When it is not installed, or `ISCC_NATIVE_BLAKE3=0`, core's own implementation is used.
 * Both give identical digests (the conformance vectors run with either).
 *
 * The addon's hasher has no `clone()`; its digest does not finalise, so the adapter reports
 * digests of everything pushed so far, which is all `iscc sum` needs (it asks once per file).
 */
import { createRequire } from 'node:module';
import { setBlake3, type Blake3Hasher } from '@iscc-ts/core';

/** npm package of the native addon. */
export const NATIVE_BLAKE3_PACKAGE = '@napi-rs/blake-hash';

/** The part of the addon's API that is used. */
export interface NativeBlake3Module {
  Blake3Hasher: new () => { update(input: Uint8Array): unknown; digestBuffer(): Uint8Array };
}

/** Load the addon, or null when it is not installed (or cannot load on this platform). */
export function loadNativeBlake3(): NativeBlake3Module | null {
  try {
    const require = createRequire(import.meta.url);
    const mod = require(NATIVE_BLAKE3_PACKAGE) as Partial<NativeBlake3Module>;
    return typeof mod.Blake3Hasher === 'function' ? (mod as NativeBlake3Module) : null;
  } catch {
    return null;
  }
}

let installed: boolean | null = null;

/**
 * Install the native BLAKE3 into core once per thread, if available and not disabled.
 * @param env - `ISCC_NATIVE_BLAKE3=0` disables it
 * @param load - loader (tests pass their own)
 * @returns whether the native implementation is in use
 */
export function useNativeBlake3(env: NodeJS.ProcessEnv, load: () => NativeBlake3Module | null = loadNativeBlake3): boolean {
  if (env.ISCC_NATIVE_BLAKE3 === '0') return false;
  if (installed !== null && load === loadNativeBlake3) return installed;
  const mod = load();
  if (mod === null) {
    installed = false;
    return false;
  }
  const Native = mod.Blake3Hasher;
  setBlake3((): Blake3Hasher => {
    const h = new Native();
    return {
      update(data: Uint8Array) {
        h.update(data);
      },
      digest() {
        const d = h.digestBuffer();
        return new Uint8Array(d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength));
      },
    };
  });
  installed = true;
  return true;
}
