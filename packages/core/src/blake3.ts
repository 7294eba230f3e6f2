/**
 * BLAKE3, the hash behind Instance-Code, `metahash` and `datahash`.
 *
 * Core ships a pure, isomorphic implementation (@noble/hashes). It is pluggable: a faster
 * one (a native addon in Node, WASM elsewhere) can be installed with {@link setBlake3},
 * which the CLI and sdk do at start-up. Every implementation must give identical digests;
 * the conformance vectors check that.
 *
 * With the built-in implementation, one-shot digests of inputs up to 1 KiB (the Meta-Code's
 * n-grams) take a specialised single-chunk path (blake3-small.ts), several times faster than
 * a general incremental hasher for such sizes.
 */
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { BLAKE3_SMALL_MAX, _blake3Small } from './blake3-small.ts';

/** An incremental BLAKE3 hasher producing a 32-byte digest. */
export interface Blake3Hasher {
  update(data: Uint8Array): Blake3Hasher | void;
  digest(): Uint8Array;
}

/** Creates a fresh incremental BLAKE3 hasher. */
export type Blake3Factory = () => Blake3Hasher;

const nobleFactory: Blake3Factory = () => nobleBlake3.create({});

let factory: Blake3Factory = nobleFactory;
/** Whether the built-in implementation is in use (then short inputs take the small path). */
let builtin = true;

/**
 * Install another BLAKE3 implementation (e.g. a native addon) for all later hashing.
 * Pass `undefined` to restore the built-in pure implementation.
 */
export function setBlake3(f: Blake3Factory | undefined): void {
  factory = f ?? nobleFactory;
  builtin = f === undefined;
}

/** A new incremental BLAKE3 hasher from the installed implementation. */
export function createBlake3(): Blake3Hasher {
  return factory();
}

/** One-shot BLAKE3-256 digest of `data`. */
export function blake3(data: Uint8Array): Uint8Array {
  if (builtin && data.length <= BLAKE3_SMALL_MAX) return _blake3Small(data);
  const h = factory();
  h.update(data);
  return h.digest();
}
