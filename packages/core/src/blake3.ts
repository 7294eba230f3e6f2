/**
 * BLAKE3, the hash behind Instance-Code, `metahash` and `datahash`.
 *
 * Core ships two isomorphic implementations: its own WebAssembly BLAKE3 (blake3-wasm.ts, used
 * by default where the runtime has WebAssembly) and the pure @noble/hashes one (the fallback,
 * and the only one after `setTurbo(false)`). It is pluggable: a faster one (a native addon in
 * Node, e.g. @napi-rs/blake-hash through the sdk's `installNativeBlake3`) can be installed
 * with {@link setBlake3}, which the CLI and sdk do at start-up. Every implementation must give identical digests;
 * the conformance vectors check that.
 *
 * One-shot digests of inputs up to 1 KiB (the Meta-Code's n-grams) always take a specialised
 * single-chunk path (blake3-small.ts, ~0.2 µs): faster than a general incremental hasher, and
 * than a call into a native addon (~2-10 µs per call through N-API), whatever is installed.
 */
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { BLAKE3_SMALL_MAX, _blake3Small } from './blake3-small.ts';
import { Blake3Wasm, _blake3WasmReady } from './blake3-wasm.ts';
import { kernelsEnabled } from './wasm-kernels.ts';

/** An incremental BLAKE3 hasher producing a 32-byte digest. */
export interface Blake3Hasher {
  update(data: Uint8Array): Blake3Hasher | void;
  digest(): Uint8Array;
}

/** Creates a fresh incremental BLAKE3 hasher. */
export type Blake3Factory = () => Blake3Hasher;

const nobleFactory: Blake3Factory = () => nobleBlake3.create({});

/**
 * The built-in implementation: core's WebAssembly BLAKE3 (blake3-wasm.ts) where available and
 * not switched off with `setTurbo(false)`, else the pure @noble/hashes one.
 */
const builtinFactory: Blake3Factory = () =>
  kernelsEnabled() && _blake3WasmReady() ? new Blake3Wasm() : nobleFactory();

let factory: Blake3Factory = builtinFactory;

/**
 * Install another BLAKE3 implementation (e.g. a native addon) for all later hashing (except
 * one-shot {@link blake3} of at most 1 KiB, see the module comment).
 * Pass `undefined` to restore the built-in implementation (WebAssembly, else pure).
 */
export function setBlake3(f: Blake3Factory | undefined): void {
  factory = f ?? builtinFactory;
}

/**
 * A new incremental hasher of the built-in implementation (WebAssembly, else pure), whatever
 * {@link setBlake3} installed: for installed implementations that delegate small inputs.
 */
export function createBuiltinBlake3(): Blake3Hasher {
  return builtinFactory();
}

/** A new incremental BLAKE3 hasher from the installed implementation. */
export function createBlake3(): Blake3Hasher {
  return factory();
}

/** One-shot BLAKE3-256 digest of `data`. */
export function blake3(data: Uint8Array): Uint8Array {
  if (data.length <= BLAKE3_SMALL_MAX) return _blake3Small(data);
  const h = factory();
  h.update(data);
  return h.digest();
}
