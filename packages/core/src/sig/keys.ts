/**
 * Ed25519 key pairs in multikey form, as iscc-crypto's `keys` module.
 *
 * - Public key: multicodec `ed25519-pub` (varint 0xED 0x01) + 32 bytes, base58btc with the
 *   multibase prefix `z` (always starts `z6Mk`).
 * - Secret key: multicodec `ed25519-priv` (varint 0x80 0x26) + the 32-byte seed, base58btc with
 *   `z` (always starts `z3u2`).
 * - A {@link KeyPair} is a plain frozen object with iscc-crypto's snake_case fields
 *   (`public_key`, `secret_key`, `controller`, `key_id`); its derived views (`pubkey_multikey`,
 *   `controller_document`) are functions here.
 *
 * Deriving a public key needs WebCrypto, hence `keyGenerate` and `keyFromSecret` are async.
 */

import { base58 } from '@scure/base';
import { IsccError, ISCC_ERROR_CODES, typeError } from '../errors.ts';
import { ED25519_KEY_BYTES, ed25519ImportSecret, ed25519PublicKey, ed25519RandomSeed } from './ed25519.ts';
import { isPlainObject } from './json.ts';

/** Multicodec prefix of an Ed25519 public key (`ed25519-pub`, varint 0xED01). */
export const PREFIX_PUBLIC_KEY: Uint8Array = new Uint8Array([0xed, 0x01]);
/** Multicodec prefix of an Ed25519 secret key (`ed25519-priv`, varint 0x1300 = bytes 80 26). */
export const PREFIX_SECRET_KEY: Uint8Array = new Uint8Array([0x80, 0x26]);

/** An Ed25519 key pair with optional controller (identity document URI) and key id. */
export interface KeyPair {
  /** The public key as multibase multikey (`z6Mk...`). */
  readonly public_key: string;
  /** The secret key as multibase multikey (`z3u2...`). Sensitive. */
  readonly secret_key: string;
  /** URI of the controlling identity document (e.g. `did:web:example.com`), or null. */
  readonly controller: string | null;
  /** Key identifier within the controller document, or null (the public key is used then). */
  readonly key_id: string | null;
}

/** W3C Multikey verification method of a key pair (iscc-crypto `KeyPair.pubkey_multikey`). */
export interface Multikey {
  id: string;
  type: 'Multikey';
  controller: string;
  publicKeyMultibase: string;
}

/** Controlled identifier document of a key pair (iscc-crypto `KeyPair.controller_document`). */
export interface ControllerDocument {
  id: string;
  verificationMethod: Multikey[];
  authentication: string[];
  assertionMethod: string[];
  capabilityDelegation: string[];
  capabilityInvocation: string[];
}

function keyError(message: string): never {
  throw new IsccError(ISCC_ERROR_CODES.KEY_INVALID, message);
}

/** base58btc decode of a `z`-multibase string; throws KEY_INVALID naming `name`. */
export function decodeBase58btc(name: string, value: string): Uint8Array {
  if (typeof value !== 'string') typeError(name, 'multibase string', value);
  if (!value.startsWith('z')) keyError(`${name}: expected base58btc multibase starting with 'z', got "${value.slice(0, 12)}"`);
  try {
    return base58.decode(value.slice(1));
  } catch (err) {
    return keyError(`${name}: invalid base58 encoding (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** base58btc encode with the multibase prefix `z`. */
export function encodeBase58btc(bytes: Uint8Array): string {
  return `z${base58.encode(bytes)}`;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function checkRaw(name: string, key: unknown): asserts key is Uint8Array {
  if (!(key instanceof Uint8Array)) typeError(name, 'Uint8Array of 32 bytes', key);
  if (key.length !== ED25519_KEY_BYTES) keyError(`${name}: expected ${ED25519_KEY_BYTES} bytes, got ${key.length}`);
}

/**
 * Encode a raw 32-byte Ed25519 public key as multikey (`z6Mk...`).
 * @param publicKey - 32 raw public key bytes.
 */
export function pubkeyEncode(publicKey: Uint8Array): string {
  checkRaw('publicKey', publicKey);
  return encodeBase58btc(concat(PREFIX_PUBLIC_KEY, publicKey));
}

/**
 * Encode a raw 32-byte Ed25519 secret seed as multikey (`z3u2...`).
 * @param secretKey - 32 raw secret seed bytes.
 */
export function seckeyEncode(secretKey: Uint8Array): string {
  checkRaw('secretKey', secretKey);
  return encodeBase58btc(concat(PREFIX_SECRET_KEY, secretKey));
}

/**
 * Decode a multikey public key (`z6Mk...`) to its 32 raw bytes.
 * @throws IsccError `ISCC_KEY_INVALID` for a missing `z`, bad base58, wrong prefix or length.
 */
export function pubkeyDecode(encodedKey: string): Uint8Array {
  const raw = decodeBase58btc('encodedKey', encodedKey);
  if (!startsWith(raw, PREFIX_PUBLIC_KEY)) keyError('encodedKey: invalid public key prefix (expected multicodec ed25519-pub 0xED01)');
  const key = raw.slice(PREFIX_PUBLIC_KEY.length);
  if (key.length !== ED25519_KEY_BYTES) keyError(`encodedKey: invalid public key bytes: expected ${ED25519_KEY_BYTES}, got ${key.length}`);
  return key;
}

/**
 * Decode a multikey secret key (`z3u2...`) to its 32-byte seed.
 * @throws IsccError `ISCC_KEY_INVALID` for a missing `z`, bad base58, wrong prefix or length.
 */
export function seckeyDecode(secretKey: string): Uint8Array {
  const raw = decodeBase58btc('secretKey', secretKey);
  if (!startsWith(raw, PREFIX_SECRET_KEY)) keyError('secretKey: invalid secret key prefix (expected multicodec ed25519-priv 0x8026)');
  const seed = raw.slice(PREFIX_SECRET_KEY.length);
  if (seed.length !== ED25519_KEY_BYTES) keyError(`secretKey: invalid secret key bytes: expected ${ED25519_KEY_BYTES}, got ${seed.length}`);
  return seed;
}

function optionalString(name: string, value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') typeError(name, 'string or null', value);
  return value;
}

/**
 * Create a new random Ed25519 key pair (iscc-crypto `key_generate`). Handle the result with
 * care: it holds the secret key.
 * @param controller - URI of the controlling identity document (e.g. a did:web), optional.
 * @param keyId - key identifier within that document, optional.
 */
export async function keyGenerate(controller?: string | null, keyId?: string | null): Promise<KeyPair> {
  const ctl = optionalString('controller', controller);
  const kid = optionalString('keyId', keyId);
  const seed = ed25519RandomSeed();
  const pub = await ed25519PublicKey(seed);
  return Object.freeze({ public_key: pubkeyEncode(pub), secret_key: seckeyEncode(seed), controller: ctl, key_id: kid });
}

/**
 * Key pair from an existing multikey secret key (iscc-crypto `key_from_secret`); the public
 * key is derived from it.
 * @throws IsccError `ISCC_KEY_INVALID` if `secretKey` is not an Ed25519 multikey secret.
 */
export async function keyFromSecret(secretKey: string, controller?: string | null, keyId?: string | null): Promise<KeyPair> {
  const ctl = optionalString('controller', controller);
  const kid = optionalString('keyId', keyId);
  const seed = seckeyDecode(secretKey);
  const pub = await ed25519PublicKey(seed);
  return Object.freeze({ public_key: pubkeyEncode(pub), secret_key: secretKey, controller: ctl, key_id: kid });
}

/** Throws unless `keypair` looks like a {@link KeyPair}. */
export function checkKeyPair(keypair: unknown): asserts keypair is KeyPair {
  if (!isPlainObject(keypair) || typeof keypair.public_key !== 'string' || typeof keypair.secret_key !== 'string') {
    typeError('keypair', 'KeyPair {public_key, secret_key, controller, key_id}', keypair);
  }
}

/** The key id if set, else the public key (iscc-crypto `KeyPair.key_id_fallback`). */
export function keyIdFallback(keypair: KeyPair): string {
  return keypair.key_id || keypair.public_key;
}

/**
 * Multikey verification method of a key pair (iscc-crypto `KeyPair.pubkey_multikey`).
 * @throws IsccError `ISCC_INVALID_ARGUMENT` if the key pair has no controller.
 */
export function pubkeyMultikey(keypair: KeyPair): Multikey {
  checkKeyPair(keypair);
  if (!keypair.controller) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'keypair: MultiKey requires controller, got none');
  }
  return {
    id: `${keypair.controller}#${keyIdFallback(keypair)}`,
    type: 'Multikey',
    controller: keypair.controller,
    publicKeyMultibase: keypair.public_key,
  };
}

/**
 * Controlled identifier document (W3C CID 1.0, plain JSON) authorising the key pair for all
 * verification relationships (iscc-crypto `KeyPair.controller_document`).
 * @throws IsccError `ISCC_INVALID_ARGUMENT` if the key pair has no controller.
 */
export function controllerDocument(keypair: KeyPair): ControllerDocument {
  const vm = pubkeyMultikey(keypair);
  return {
    id: vm.controller,
    verificationMethod: [vm],
    authentication: [vm.id],
    assertionMethod: [vm.id],
    capabilityDelegation: [vm.id],
    capabilityInvocation: [vm.id],
  };
}

/**
 * Raw public key from a document's DataIntegrityProof whose verificationMethod is a did:key
 * (iscc-crypto `pubkey_from_proof`).
 * @throws IsccError `ISCC_KEY_INVALID` when the proof or its did:key is missing or malformed.
 */
export function pubkeyFromProof(doc: unknown): Uint8Array {
  if (!isPlainObject(doc)) keyError('doc: document must be a JSON object');
  const proof = doc.proof;
  if (!isPlainObject(proof)) keyError('doc.proof: proof must be a JSON object');
  if (proof.type !== 'DataIntegrityProof') keyError('doc.proof.type: proof type must be DataIntegrityProof');
  const vm = proof.verificationMethod;
  if (typeof vm !== 'string') keyError('doc.proof.verificationMethod: verificationMethod must be a string');
  if (!vm.startsWith('did:key:')) keyError('doc.proof.verificationMethod: verificationMethod must start with did:key:');
  return pubkeyDecode(vm.split('#')[0]!.slice('did:key:'.length));
}

// Imported secret keys, cached per key pair object like iscc-crypto's cached `sk_obj`.
const secretCache = new WeakMap<KeyPair, Promise<CryptoKey>>();

/** The WebCrypto signing key of a key pair, imported once per KeyPair object. */
export function keyPairSigningKey(keypair: KeyPair): Promise<CryptoKey> {
  checkKeyPair(keypair);
  let key = secretCache.get(keypair);
  if (!key) {
    key = ed25519ImportSecret(seckeyDecode(keypair.secret_key));
    secretCache.set(keypair, key);
    key.catch(() => secretCache.delete(keypair));
  }
  return key;
}
