/**
 * Verification of ISCC-SIG v1.0 signatures and eddsa-jcs-2022 Data Integrity proofs, as
 * iscc-crypto's `verifying`.
 *
 * ISCC-SIG (`verifyJson`):
 * 1. Read `signature.proof` and `signature.version` (must be "ISCC-SIG v1.0").
 * 2. Take the public key from `signature.pubkey`, else from the `publicKey` argument.
 * 3. Remove `signature.proof`, canonicalise with JCS, verify the Ed25519 signature.
 * 4. With an identity document and a `signature.controller`: the key is authorised when a
 *    verification method of the document has the same controller, the same
 *    `publicKeyMultibase` and, if `signature.keyid` is set, an id (or id fragment) equal to it.
 *
 * One deliberate difference from iscc-crypto: when the caller passes `publicKey` and the
 * document embeds a different `signature.pubkey`, the reference verifies against the embedded
 * key (and only complains when an identity document is given too). We report that mismatch as
 * a failure in every case: a caller who names the key expects the check to be against it.
 *
 * Results are {@link VerificationResult} objects; with `raiseOnError` (the default, as in the
 * reference) a failure throws IsccError `ISCC_SIGNATURE_INVALID` with the same message instead.
 */

import { IsccError, ISCC_ERROR_CODES, typeError } from '../errors.ts';
import { jsonCanonical } from '../jcs.ts';
import { ed25519Verify } from './ed25519.ts';
import { type JsonObject, isPlainObject } from './json.ts';
import { decodeBase58btc, pubkeyDecode } from './keys.ts';
import { ISCC_SIG_VERSION, createSignaturePayload } from './signing.ts';

/** Outcome of a verification (iscc-crypto `VerificationResult`). */
export interface VerificationResult {
  /** The cryptographic signature is valid. */
  signature_valid: boolean;
  /** Key authorised by the identity document: true/false, or null when not checked. */
  identity_verified: boolean | null;
  /** Why verification failed, or null. */
  message: string | null;
  /** Overall: signature valid and, if checked, identity verified. */
  is_valid: boolean;
}

function result(signatureValid: boolean, identityVerified: boolean | null = null, message: string | null = null): VerificationResult {
  return {
    signature_valid: signatureValid,
    identity_verified: identityVerified,
    message,
    is_valid: identityVerified === null ? signatureValid : signatureValid && identityVerified,
  };
}

function raiseOrReturn(msg: string, raiseOnError: boolean): VerificationResult {
  if (raiseOnError) throw new IsccError(ISCC_ERROR_CODES.SIGNATURE_INVALID, msg);
  return result(false, null, msg);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function toPublicKey(publicKey: unknown): Uint8Array {
  if (typeof publicKey === 'string') return pubkeyDecode(publicKey);
  if (publicKey instanceof Uint8Array) return publicKey;
  return typeError('publicKey', 'multikey string or 32-byte Uint8Array', publicKey);
}

/**
 * Verify a detached multibase Ed25519 signature over raw bytes (iscc-crypto `verify_raw`).
 * @param payload - the signed bytes.
 * @param signature - z-base58btc signature.
 * @param publicKey - multikey (`z6Mk...`) or 32 raw bytes.
 * @param raiseOnError - throw `ISCC_SIGNATURE_INVALID` instead of returning a failed result.
 */
export async function verifyRaw(
  payload: Uint8Array,
  signature: string,
  publicKey: string | Uint8Array,
  raiseOnError = true,
): Promise<VerificationResult> {
  if (!(payload instanceof Uint8Array)) typeError('payload', 'Uint8Array', payload);
  if (typeof signature !== 'string' || !signature.startsWith('z')) {
    return raiseOrReturn("Invalid signature format - must start with 'z'", raiseOnError);
  }
  let raw: Uint8Array;
  try {
    raw = decodeBase58btc('signature', signature);
  } catch {
    return raiseOrReturn('Invalid base58 signature encoding', raiseOnError);
  }
  let key: Uint8Array;
  try {
    key = toPublicKey(publicKey);
  } catch (err) {
    return raiseOrReturn(`Verification failed: ${errorText(err)}`, raiseOnError);
  }
  if (key.length !== 32) return raiseOrReturn('Verification failed: public key must be 32 bytes', raiseOnError);
  if (!(await ed25519Verify(key, payload, raw))) return raiseOrReturn('Invalid signature for payload', raiseOnError);
  return result(true);
}

/**
 * Whether the signing key is authorised by the identity document (the identity step of
 * {@link verifyJson}).
 */
export function verifyIdentity(signatureObj: JsonObject, identityDoc: JsonObject): boolean {
  const { pubkey, controller, keyid } = signatureObj;
  if (!pubkey || !controller) return false;
  const methods = identityDoc.verificationMethod;
  if (!Array.isArray(methods) || methods.length === 0) return false;
  for (const vm of methods) {
    if (!isPlainObject(vm) || vm.controller !== controller) continue;
    if (keyid) {
      const vmId = typeof vm.id === 'string' ? vm.id : '';
      const fragment = vmId.includes('#') ? vmId.slice(vmId.lastIndexOf('#') + 1) : vmId;
      if (keyid !== fragment && keyid !== vmId) continue;
    }
    if (vm.publicKeyMultibase === pubkey) return true;
  }
  return false;
}

/**
 * Verify an ISCC-SIG v1.0 signature on a JSON object, and optionally that its key is
 * authorised by the controller's identity document (iscc-crypto `verify_json`).
 * @param obj - the signed JSON object.
 * @param identityDoc - DID or controlled identifier document of `signature.controller`
 *   (resolve it yourself, e.g. with `buildDidWebUrl`; core does no I/O).
 * @param publicKey - multikey public key for PROOF_ONLY signatures (or to pin the key).
 * @param raiseOnError - throw `ISCC_SIGNATURE_INVALID` instead of returning a failed result.
 */
export async function verifyJson(
  obj: unknown,
  identityDoc?: unknown,
  publicKey?: string | null,
  raiseOnError = true,
): Promise<VerificationResult> {
  const sigObj = isPlainObject(obj) ? obj.signature : undefined;
  if (!isPlainObject(obj) || !isPlainObject(sigObj)) return raiseOrReturn('Missing required field: signature', raiseOnError);
  if (!Object.hasOwn(sigObj, 'proof')) return raiseOrReturn('Missing required field: proof', raiseOnError);
  if (!Object.hasOwn(sigObj, 'version')) return raiseOrReturn('Missing required field: version', raiseOnError);
  const { proof, version } = sigObj;
  if (version !== ISCC_SIG_VERSION) {
    return raiseOrReturn(`Invalid signature version: expected '${ISCC_SIG_VERSION}', got '${String(version)}'`, raiseOnError);
  }
  const embedded = sigObj.pubkey;
  const pubkey = embedded || publicKey;
  if (!pubkey) {
    return raiseOrReturn('Missing pubkey field and no public_key parameter provided - cannot verify signature', raiseOnError);
  }
  if (typeof proof !== 'string' || !proof.startsWith('z')) {
    return raiseOrReturn("Invalid signature format - must start with 'z'", raiseOnError);
  }
  let key: Uint8Array;
  try {
    if (typeof pubkey !== 'string') throw new Error('pubkey must be a string');
    key = pubkeyDecode(pubkey);
  } catch (err) {
    return raiseOrReturn(`Invalid pubkey format: ${errorText(err)}`, raiseOnError);
  }
  const hasIdentityCheck = identityDoc !== undefined && identityDoc !== null && Boolean(sigObj.controller);
  if (publicKey && embedded && embedded !== publicKey) {
    // See the module comment: stricter than the reference when no identity check is asked.
    const suffix = hasIdentityCheck ? ' - cannot verify identity' : '';
    return raiseOrReturn(`External public_key does not match signature pubkey${suffix}`, raiseOnError);
  }
  const { proof: _drop, ...sigWithoutProof } = sigObj;
  const unsigned = { ...obj, signature: sigWithoutProof };
  let payload: Uint8Array;
  try {
    payload = jsonCanonical(unsigned);
  } catch (err) {
    return raiseOrReturn(`Signature verification failed: ${errorText(err)}`, raiseOnError);
  }
  const sigResult = await verifyRaw(payload, proof, key, raiseOnError);
  if (!sigResult.signature_valid) return sigResult;
  if (identityDoc === undefined || identityDoc === null || !sigObj.controller) return result(true);
  if (!embedded) {
    return raiseOrReturn(
      'Signature has controller but no pubkey - controller alone cannot identify which key in identity document was used',
      raiseOnError,
    );
  }
  if (!isPlainObject(identityDoc)) {
    const msg = 'Identity verification failed: identity document must be a JSON object';
    if (raiseOnError) throw new IsccError(ISCC_ERROR_CODES.SIGNATURE_INVALID, msg);
    return result(true, false, msg);
  }
  const verified = verifyIdentity(sigObj, identityDoc);
  return result(true, verified, verified ? null : 'Key not authorized by controller');
}

/** Whether the document @context starts with the proof @context; null when either is neither list nor string. */
function contextPrefixMatches(docContext: unknown, proofContext: unknown): boolean | null {
  const ok = (v: unknown): boolean => typeof v === 'string' || Array.isArray(v);
  if (!ok(docContext) || !ok(proofContext)) return null;
  if (typeof docContext === 'string' || typeof proofContext === 'string') {
    // Python slices strings like lists; a string never equals a list.
    return typeof docContext === 'string' && typeof proofContext === 'string' && docContext.startsWith(proofContext);
  }
  const d = docContext as unknown[];
  const p = proofContext as unknown[];
  if (d.length < p.length) return false;
  for (let i = 0; i < p.length; i++) {
    try {
      if (!bytesEqual(jsonCanonical(d[i]), jsonCanonical(p[i]))) return false;
    } catch {
      return false;
    }
  }
  return true;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Verify a W3C Data Integrity proof (eddsa-jcs-2022) whose verificationMethod is a did:key
 * (iscc-crypto `verify_vc`; offline only, no generic VC processing).
 * @param doc - the document with `proof`.
 * @param raiseOnError - throw `ISCC_SIGNATURE_INVALID` instead of returning a failed result.
 */
export async function verifyVc(doc: unknown, raiseOnError = true): Promise<VerificationResult> {
  if (!isPlainObject(doc) || !Object.hasOwn(doc, 'proof')) return raiseOrReturn('Missing required field: proof', raiseOnError);
  const proof = doc.proof;
  if (!isPlainObject(proof)) return raiseOrReturn('Verification failed: proof must be a JSON object', raiseOnError);
  if (proof.type !== 'DataIntegrityProof') return raiseOrReturn('Invalid proof type - must be DataIntegrityProof', raiseOnError);
  if (proof.cryptosuite !== 'eddsa-jcs-2022') return raiseOrReturn('Invalid cryptosuite - must be eddsa-jcs-2022', raiseOnError);
  const proofValue = proof.proofValue;
  if (typeof proofValue !== 'string' || !proofValue.startsWith('z')) {
    return raiseOrReturn("Invalid proofValue format - must start with 'z'", raiseOnError);
  }
  const vm = proof.verificationMethod;
  if (typeof vm !== 'string' || !vm.startsWith('did:key:')) {
    return raiseOrReturn('Invalid verificationMethod - must start with did:key:', raiseOnError);
  }
  let key: Uint8Array;
  try {
    key = pubkeyDecode(vm.split('#')[0]!.slice('did:key:'.length));
  } catch (err) {
    return raiseOrReturn(`Invalid public key in verificationMethod: ${errorText(err)}`, raiseOnError);
  }
  const { proof: _p, ...docWithoutProof } = doc;
  const { proofValue: _v, ...proofOptions } = proof;
  if (Object.hasOwn(proofOptions, '@context')) {
    const docContext = Object.hasOwn(doc, '@context') ? doc['@context'] : [];
    const match = contextPrefixMatches(docContext, proofOptions['@context']);
    if (match === null) return raiseOrReturn('Invalid @context format - must be lists', raiseOnError);
    if (!match) return raiseOrReturn('Document @context must start with all proof @context values in same order', raiseOnError);
  }
  let payload: Uint8Array;
  try {
    payload = createSignaturePayload(docWithoutProof, proofOptions);
  } catch (err) {
    return raiseOrReturn(`Verification failed: ${errorText(err)}`, raiseOnError);
  }
  return verifyRaw(payload, proofValue, key, raiseOnError);
}
