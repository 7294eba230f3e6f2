/**
 * BLAKE3, the hash behind Instance-Code, `metahash` and `datahash`.
 *
 * Core ships a pure, isomorphic implementation (@noble/hashes). It is pluggable: a faster
 * one (a native addon in Node, WASM elsewhere) can be installed with {@link setBlake3},
 * which the CLI and sdk do at start-up. Every implementation must give identical digests;
 * the conformance vectors check that.
 */
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';

/** An incremental BLAKE3 hasher producing a 32-byte digest. */
export interface Blake3Hasher {
  update(data: Uint8Array): Blake3Hasher | void;
  digest(): Uint8Array;
}

/** Creates a fresh incremental BLAKE3 hasher. */
export type Blake3Factory = () => Blake3Hasher;

const nobleFactory: Blake3Factory = () => nobleBlake3.create({});

let factory: Blake3Factory = nobleFactory;

/**
 * Install another BLAKE3 implementation (e.g. a native addon) for all later hashing.
 * Pass `undefined` to restore the built-in pure implementation.
 */
export function setBlake3(f: Blake3Factory | undefined): void {
  factory = f ?? nobleFactory;
}

/** A new incremental BLAKE3 hasher from the installed implementation. */
export function createBlake3(): Blake3Hasher {
  return factory();
}

/** One-shot BLAKE3-256 digest of `data`. */
export function blake3(data: Uint8Array): Uint8Array {
  const h = factory();
  h.update(data);
  return h.digest();
}
