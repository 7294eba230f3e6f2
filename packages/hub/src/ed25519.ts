/**
 * Synchronous raw Ed25519 for the hub (node:crypto): checkpoints are signed and verified on
 * hot paths, where core's WebCrypto (async, multibase out) is the wrong shape. Keys come in
 * as 32-byte seeds / public keys and are wrapped in the fixed PKCS#8 / SPKI DER prefixes.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';

const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Private key object of a 32-byte Ed25519 seed. */
export function privateKeyFromSeed(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new RangeError(`Ed25519 seed must be 32 bytes, got ${seed.length}`);
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** Public key object of 32 raw Ed25519 public key bytes. */
export function publicKeyFromRaw(pub: Uint8Array): KeyObject {
  if (pub.length !== 32) throw new RangeError(`Ed25519 public key must be 32 bytes, got ${pub.length}`);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, pub]), format: 'der', type: 'spki' });
}

/** Ed25519 signature (64 bytes) of `message`. */
export function ed25519Sign(key: KeyObject, message: Uint8Array): Uint8Array {
  return new Uint8Array(sign(null, message, key));
}

/** Whether `signature` is a valid Ed25519 signature of `message` by `key`. */
export function ed25519Verify(key: KeyObject, message: Uint8Array, signature: Uint8Array): boolean {
  try {
    return signature.length === 64 && verify(null, message, key, signature);
  } catch {
    return false;
  }
}
