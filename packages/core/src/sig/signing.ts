/**
 * ISCC-SIG v1.0 and W3C Data Integrity (eddsa-jcs-2022) signing, as iscc-crypto's `signing`.
 *
 * ISCC-SIG (`signJson`):
 * 1. Refuse input that already has a `signature` member; deep-copy the input.
 * 2. Add `signature = {version: "ISCC-SIG v1.0", ...}` with `controller`, `keyid` and `pubkey`
 *    as the signature type asks (AUTO: whatever the key pair has; PROOF_ONLY: nothing;
 *    SELF_VERIFYING: pubkey; IDENTITY_BOUND: controller (required), keyid if set, pubkey).
 * 3. Canonicalise the whole object with JCS (RFC 8785), sign the bytes with Ed25519 and store
 *    the multibase (z-base58btc) signature in `signature.proof`.
 *
 * Data Integrity (`signVc`, eddsa-jcs-2022):
 * 1. Refuse input that already has `proof`; deep-copy it.
 * 2. Proof options: the caller's, or `{@context (copied from the document if present), type:
 *    DataIntegrityProof, cryptosuite: eddsa-jcs-2022, verificationMethod, proofPurpose:
 *    assertionMethod}`; the verification method is `controller#keyid-or-pubkey` when the key pair
 *    has a controller, else the self-contained `did:key:PUB#PUB`.
 * 3. Payload = SHA-256(JCS(options)) || SHA-256(JCS(document)); sign it; put the options plus
 *    `proofValue` into `proof`.
 */

import { sha256 } from '@noble/hashes/sha2.js';
import { IsccError, ISCC_ERROR_CODES, argError, typeError } from '../errors.ts';
import { jsonCanonical } from '../jcs.ts';
import { ed25519Sign } from './ed25519.ts';
import { type JsonObject, cloneJson, isPlainObject } from './json.ts';
import { type KeyPair, checkKeyPair, encodeBase58btc, keyIdFallback, keyPairSigningKey } from './keys.ts';

/** Version string of the ISCC signature format. */
export const ISCC_SIG_VERSION = 'ISCC-SIG v1.0';

/** Signature types: how much of the key pair goes into `signature` (iscc-crypto `SigType`). */
export const SigType = {
  /** Default: everything the key pair has (controller, keyid, pubkey). */
  AUTO: 'auto',
  /** Only the proof; the verifier needs the public key out of band. */
  PROOF_ONLY: 'proof_only',
  /** Includes the public key for standalone/offline verification. */
  SELF_VERIFYING: 'self_verifying',
  /** Includes controller (required) and public key for attribution and identity verification. */
  IDENTITY_BOUND: 'identity_bound',
} as const;
export type SigType = (typeof SigType)[keyof typeof SigType];

const SIG_TYPES: readonly string[] = Object.values(SigType);

/** The `signature` member of an ISCC-SIG signed document. */
export interface IsccSignature {
  version: string;
  controller?: string;
  keyid?: string;
  pubkey?: string;
  proof: string;
}

/** Data Integrity proof options (eddsa-jcs-2022) without `proofValue`. */
export type ProofOptions = JsonObject;

/**
 * Detached Ed25519 signature over raw bytes, multibase z-base58btc (iscc-crypto `sign_raw`).
 * @param payload - the bytes to sign.
 * @param keypair - the signing key pair.
 */
export async function signRaw(payload: Uint8Array, keypair: KeyPair): Promise<string> {
  if (!(payload instanceof Uint8Array)) typeError('payload', 'Uint8Array', payload);
  const key = await keyPairSigningKey(keypair);
  return encodeBase58btc(await ed25519Sign(key, payload));
}

function checkJsonObject(name: string, obj: unknown): asserts obj is JsonObject {
  if (!isPlainObject(obj)) typeError(name, 'JSON object', obj);
}

/**
 * Sign a JSON object with ISCC-SIG v1.0 (iscc-crypto `sign_json`).
 * @param obj - JSON object without a `signature` member (not modified).
 * @param keypair - the signing key pair.
 * @param sigtype - what to disclose in `signature`; default AUTO.
 * @returns A deep copy of `obj` with `signature` added.
 * @throws IsccError `ISCC_INVALID_ARGUMENT` if `obj` already has `signature`, holds non-JSON
 *   data, or IDENTITY_BOUND is asked of a key pair without controller.
 */
export async function signJson<T extends object>(
  obj: T,
  keypair: KeyPair,
  sigtype: SigType = SigType.AUTO,
): Promise<T & { signature: IsccSignature }> {
  checkJsonObject('obj', obj);
  checkKeyPair(keypair);
  if (!SIG_TYPES.includes(sigtype)) argError('sigtype', `one of ${SIG_TYPES.join(', ')}`, sigtype);
  if (Object.hasOwn(obj, 'signature')) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, "obj: input must not contain a 'signature' field");
  }
  jsonCanonical(obj); // reject non-JSON data before copying it
  const signed = cloneJson(obj) as JsonObject;
  const sig: Record<string, string> = { version: ISCC_SIG_VERSION };
  if (sigtype === SigType.AUTO) {
    if (keypair.controller) sig.controller = keypair.controller;
    if (keypair.key_id) sig.keyid = keypair.key_id;
    sig.pubkey = keypair.public_key;
  } else if (sigtype === SigType.SELF_VERIFYING) {
    sig.pubkey = keypair.public_key;
  } else if (sigtype === SigType.IDENTITY_BOUND) {
    if (!keypair.controller) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'sigtype: IDENTITY_BOUND requires a keypair with controller');
    }
    sig.controller = keypair.controller;
    if (keypair.key_id) sig.keyid = keypair.key_id;
    sig.pubkey = keypair.public_key;
  }
  signed.signature = sig;
  sig.proof = await signRaw(jsonCanonical(signed), keypair);
  return signed as T & { signature: IsccSignature };
}

/**
 * The eddsa-jcs-2022 signing input: SHA-256(JCS(options)) followed by SHA-256(JCS(doc)),
 * 64 bytes (iscc-crypto `create_signature_payload`).
 * @param doc - the document without `proof`.
 * @param options - the proof options without `proofValue`.
 */
export function createSignaturePayload(doc: unknown, options: unknown): Uint8Array {
  const docDigest = sha256(jsonCanonical(doc));
  const optionsDigest = sha256(jsonCanonical(options));
  const out = new Uint8Array(64);
  out.set(optionsDigest);
  out.set(docDigest, 32);
  return out;
}

/**
 * Sign a Verifiable Credential (or any JSON object) with a W3C Data Integrity proof,
 * cryptosuite eddsa-jcs-2022 (iscc-crypto `sign_vc`).
 * @param vc - JSON object without `proof` (not modified).
 * @param keypair - the signing key pair.
 * @param options - proof options to use verbatim (e.g. with `created`); default: see module doc.
 * @returns A deep copy of `vc` with `proof` (the options plus `proofValue`).
 */
export async function signVc<T extends object>(
  vc: T,
  keypair: KeyPair,
  options?: ProofOptions | null,
): Promise<T & { proof: JsonObject }> {
  checkJsonObject('vc', vc);
  checkKeyPair(keypair);
  if (Object.hasOwn(vc, 'proof')) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, "vc: input must not contain 'proof' field");
  }
  if (options !== undefined && options !== null) checkJsonObject('options', options);
  jsonCanonical(vc);
  const signed = cloneJson(vc) as JsonObject;
  const verificationMethod = keypair.controller
    ? `${keypair.controller}#${keyIdFallback(keypair)}`
    : `did:key:${keypair.public_key}#${keypair.public_key}`;
  let proofOptions: JsonObject;
  // Like the reference, an empty options object counts as "not given".
  if (options && Object.keys(options).length > 0) {
    jsonCanonical(options);
    proofOptions = cloneJson(options);
  } else {
    proofOptions = Object.hasOwn(signed, '@context') ? { '@context': cloneJson(signed['@context']) } : {};
    Object.assign(proofOptions, {
      type: 'DataIntegrityProof',
      cryptosuite: 'eddsa-jcs-2022',
      verificationMethod,
      proofPurpose: 'assertionMethod',
    });
  }
  const payload = createSignaturePayload(signed, proofOptions);
  proofOptions.proofValue = await signRaw(payload, keypair);
  signed.proof = proofOptions;
  return signed as T & { proof: JsonObject };
}
