/**
 * Native BLAKE3 for Node: installs the optional dependency `@napi-rs/blake-hash` (a Rust
 * addon, ~2.8 GiB/s on one core) into core through `setBlake3`, so that Instance-Codes,
 * `datahash` and `iscc sum` of large files run at native speed. Node-only; core itself stays
 * isomorphic and falls back to its own WebAssembly BLAKE3 (or pure TS) when this is not called
 * or the addon is missing. Every implementation gives identical digests.
 *
 * Creating an addon hasher costs ~11 µs (N-API object construction) against ~2 µs for core's
 * WebAssembly hasher, which is in turn ~4x slower per byte; so each hasher buffers its first
 * 16 KiB and only then switches to the addon: small inputs (many small files) are hashed by
 * core's built-in BLAKE3, large ones natively.
 *
 * The addon's hasher has no `clone()`, but its digest does not finalise; the adapter's `clone()`
 * returns a view whose `digest()` reads the live hasher, which is exactly how core's
 * InstanceHasherV0 uses it (digest now, keep pushing later), so the reference's repeatable
 * digests work with the addon too.
 *
 * This module imports only core and `node:module`, so that a program that needs nothing else
 * from the sdk (`iscc sum`) can load it through the subpath `@iscc-ts/sdk/native-blake3`
 * without loading the sdk's index. {@link resolveNativeBlake3} gives the addon's file for
 * worker threads that load it themselves.
 */
import { createRequire } from 'node:module';
import { createBuiltinBlake3, setBlake3, type Blake3Hasher } from '@iscc-ts/core';

/** npm package of the native addon (an optional dependency of the sdk). */
export const NATIVE_BLAKE3_PACKAGE = '@napi-rs/blake-hash';

/** The part of the addon's API that is used. */
export interface NativeBlake3Module {
  Blake3Hasher: new () => { update(input: Uint8Array): unknown; digestBuffer(): Uint8Array };
  /**
   * One-shot digest (~2.5 µs for 4 KiB, no hasher object): optional, because stand-ins in tests
   * may leave it out.
   */
  blake3?: (input: Uint8Array) => Uint8Array;
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

/**
 * The file that `require` would load for the addon (for a worker thread, which then needs no
 * module resolution of its own), or null when it is not installed.
 */
export function resolveNativeBlake3(): string | null {
  try {
    return createRequire(import.meta.url).resolve(NATIVE_BLAKE3_PACKAGE);
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

/** Inputs up to this size are hashed by core's built-in BLAKE3 (see the module comment). */
export const NATIVE_BLAKE3_MIN_BYTES = 16 * 1024;

/** Buffers the first {@link NATIVE_BLAKE3_MIN_BYTES}, then hashes natively. */
class HybridBlake3 implements Blake3Hasher {
  readonly #Native: NativeBlake3Module['Blake3Hasher'];
  #native: InstanceType<NativeBlake3Module['Blake3Hasher']> | null = null;
  #pending: Uint8Array[] = [];
  #pendingLen = 0;

  constructor(Native: NativeBlake3Module['Blake3Hasher']) {
    this.#Native = Native;
  }

  update(data: Uint8Array): void {
    if (this.#native !== null) {
      this.#native.update(data);
    } else if (this.#pendingLen + data.length <= NATIVE_BLAKE3_MIN_BYTES) {
      this.#pending.push(data.slice());
      this.#pendingLen += data.length;
    } else {
      const h = new this.#Native();
      for (const p of this.#pending) h.update(p);
      h.update(data);
      this.#native = h;
      this.#pending = [];
    }
  }

  /** Digest of everything so far; does not finalise (the addon's digest does not either). */
  digest(): Uint8Array {
    if (this.#native !== null) return plain(this.#native.digestBuffer());
    const h = createBuiltinBlake3();
    for (const p of this.#pending) h.update(p);
    return h.digest();
  }

  /** A view whose digest() reads this hasher's current state (see the module comment). */
  clone(): { digest(): Uint8Array } {
    return { digest: () => this.digest() };
  }
}

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
  setBlake3(() => new HybridBlake3(Native));
  return true;
}

/** Restore core's built-in BLAKE3 (WebAssembly where available, else pure TS). */
export function uninstallNativeBlake3(): void {
  setBlake3(undefined);
}
