/**
 * Ed25519 (RFC 8032) through WebCrypto, which Node >= 20 and current browsers provide.
 *
 * Keys travel as raw bytes: a 32-byte secret seed and a 32-byte public key. WebCrypto imports
 * a secret only as PKCS#8 or JWK, so we wrap the seed in the fixed 16-byte PKCS#8 header for
 * Ed25519 (RFC 8410); the public key is imported "raw". The public key of a seed is read back
 * from the JWK export of the imported secret (its `x` member), which WebCrypto defines for
 * Ed25519 private keys. Ed25519 is deterministic: the same seed and message always give the
 * same 64-byte signature, which is what lets our tests reproduce published proofs.
 */

import { base64urlnopad } from '@scure/base';
import { IsccError, ISCC_ERROR_CODES, typeError } from '../errors.ts';

/** DER prefix of a PKCS#8 Ed25519 private key (OID 1.3.101.112) followed by the 32-byte seed. */
const PKCS8_ED25519_PREFIX = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20,
]);

/** Byte length of an Ed25519 secret seed and of a public key. */
export const ED25519_KEY_BYTES = 32;
/** Byte length of an Ed25519 signature. */
export const ED25519_SIGNATURE_BYTES = 64;

function subtle(): SubtleCrypto {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.subtle) {
    throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, 'Ed25519: WebCrypto (crypto.subtle) is not available here');
  }
  return c.subtle;
}

function checkKeyBytes(name: string, key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) typeError(name, 'Uint8Array', key);
  if (key.length !== ED25519_KEY_BYTES) {
    throw new IsccError(ISCC_ERROR_CODES.KEY_INVALID, `${name}: expected ${ED25519_KEY_BYTES} bytes, got ${key.length}`);
  }
}

/** Copy into a fresh ArrayBuffer-backed array (WebCrypto rejects views on shared buffers). */
function own(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(bytes.length);
  out.set(bytes);
  return out;
}

function wrapFailure(what: string, err: unknown): never {
  if (err instanceof IsccError) throw err;
  const msg = err instanceof Error ? err.message : String(err);
  throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, `Ed25519 ${what} failed in WebCrypto: ${msg}`, { cause: err });
}

/** Import a 32-byte seed as a WebCrypto signing key (extractable, so the public key can be read). */
export async function ed25519ImportSecret(seed: Uint8Array): Promise<CryptoKey> {
  checkKeyBytes('seed', seed);
  const der = new Uint8Array(PKCS8_ED25519_PREFIX.length + ED25519_KEY_BYTES);
  der.set(PKCS8_ED25519_PREFIX);
  der.set(seed, PKCS8_ED25519_PREFIX.length);
  try {
    return await subtle().importKey('pkcs8', der, { name: 'Ed25519' }, true, ['sign']);
  } catch (err) {
    return wrapFailure('secret key import', err);
  }
}

/** The 32-byte public key of a 32-byte secret seed. */
export async function ed25519PublicKey(seed: Uint8Array): Promise<Uint8Array> {
  const key = await ed25519ImportSecret(seed);
  let jwk: JsonWebKey;
  try {
    jwk = await subtle().exportKey('jwk', key);
  } catch (err) {
    return wrapFailure('public key derivation', err);
  }
  if (typeof jwk.x !== 'string') {
    throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, 'Ed25519: WebCrypto did not return the public key of the seed');
  }
  return base64urlnopad.decode(jwk.x);
}

/** Sign `message` with a secret seed (or an already imported key); returns 64 bytes. */
export async function ed25519Sign(secret: Uint8Array | CryptoKey, message: Uint8Array): Promise<Uint8Array> {
  if (!(message instanceof Uint8Array)) typeError('message', 'Uint8Array', message);
  const key = secret instanceof Uint8Array ? await ed25519ImportSecret(secret) : secret;
  try {
    return new Uint8Array(await subtle().sign({ name: 'Ed25519' }, key, own(message)));
  } catch (err) {
    return wrapFailure('signing', err);
  }
}

/**
 * Verify a 64-byte signature over `message` with a 32-byte public key. Returns false (never
 * throws) for a wrong signature, a signature of the wrong length or an unusable public key.
 */
export async function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Promise<boolean> {
  checkKeyBytes('publicKey', publicKey);
  if (!(message instanceof Uint8Array)) typeError('message', 'Uint8Array', message);
  if (!(signature instanceof Uint8Array)) typeError('signature', 'Uint8Array', signature);
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  const s = subtle();
  let key: CryptoKey;
  try {
    key = await s.importKey('raw', own(publicKey), { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return false;
  }
  try {
    return await s.verify({ name: 'Ed25519' }, key, own(signature), own(message));
  } catch {
    return false;
  }
}

/** 32 fresh random bytes for a new secret seed (crypto.getRandomValues). */
export function ed25519RandomSeed(): Uint8Array {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (!c?.getRandomValues) {
    throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, 'Ed25519: crypto.getRandomValues is not available here');
  }
  return c.getRandomValues(new Uint8Array(ED25519_KEY_BYTES));
}
