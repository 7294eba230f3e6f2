/**
 * Native BLAKE3 for Node: installs the optional dependency `@napi-rs/blake-hash` (a Rust
 * addon, ~2.8 GiB/s on one core) into core through `setBlake3`, so that Instance-Codes,
 * `datahash` and `iscc sum` of large files run at native speed. Node-only; core itself stays
 * isomorphic and falls back to its own WebAssembly BLAKE3 (or pure TS) when this is not called
 * or the addon is missing. Every implementation gives identical digests.
 *
 * The addon's hasher has no `clone()`, but its digest does not finalise; the adapter's `clone()`
 * returns a view whose `digest()` reads the live hasher, which is exactly how core's
 * InstanceHasherV0 uses it (digest now, keep pushing later), so the reference's repeatable
 * digests work with the addon too.
 */
import { createRequire } from 'node:module';
import { setBlake3, type Blake3Hasher } from '@iscc-ts/core';

/** npm package of the native addon (an optional dependency of the sdk). */
export const NATIVE_BLAKE3_PACKAGE = '@napi-rs/blake-hash';

/** The part of the addon's API that is used. */
export interface NativeBlake3Module {
  Blake3Hasher: new () => { update(input: Uint8Array): unknown; digestBuffer(): Uint8Array };
}

/** Load the addon, or null when it is not installed or cannot load on this platform. */
export function loadNativeBlake3(): NativeBlake3Module | null {
  try {
    const mod = createRequire(import.meta.url)(NATIVE_BLAKE3_PACKAGE) as Partial<NativeBlake3Module>;
    return typeof mod.Blake3Hasher === 'function' ? (mod as NativeBlake3Module) : null;
  } catch {
    return null;
  }
}

/** Copy a Buffer into a plain Uint8Array of exactly 32 bytes. */
function plain(d: Uint8Array): Uint8Array {
  return new Uint8Array(d);
}

/** BLAKE3 test vector (BLAKE3 of the empty input), to refuse a broken build of the addon. */
const EMPTY_DIGEST = 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262';

/**
 * Install the native BLAKE3 into core (per thread: call it in each worker too).
 * @param load - loader of the addon (tests pass their own)
 * @returns true when the native implementation is now in use; false when the addon is missing
 *   or fails its self-check (core's built-in implementation stays in use)
 * @example if (!installNativeBlake3()) console.warn('native BLAKE3 not available');
 */
export function installNativeBlake3(load: () => NativeBlake3Module | null = loadNativeBlake3): boolean {
  const mod = load();
  if (mod === null) return false;
  const Native = mod.Blake3Hasher;
  try {
    const probe = Buffer.from(new Native().digestBuffer()).toString('hex');
    if (probe !== EMPTY_DIGEST) return false;
  } catch {
    return false;
  }
  setBlake3((): Blake3Hasher & { clone(): { digest(): Uint8Array } } => {
    const h = new Native();
    const adapter = {
      update(data: Uint8Array) {
        h.update(data);
      },
      digest: () => plain(h.digestBuffer()),
      clone: () => ({ digest: adapter.digest }),
    };
    return adapter;
  });
  return true;
}

/** Restore core's built-in BLAKE3 (WebAssembly where available, else pure TS). */
export function uninstallNativeBlake3(): void {
  setBlake3(undefined);
}
