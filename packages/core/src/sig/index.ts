/**
 * ISCC-SIG and IsccNote: the public surface of `sig/`, for the package root to re-export.
 *
 * - keys: Ed25519 key pairs in multikey form (iscc-crypto `keys`).
 * - signing / verifying: ISCC-SIG v1.0 JSON signatures and W3C Data Integrity eddsa-jcs-2022
 *   proofs (iscc-crypto `signing`, `verifying`); async because Ed25519 runs in WebCrypto.
 * - nonce: hub-addressed 128-bit nonces (iscc-crypto `nonce`).
 * - did: did:key documents, did:web URLs and controller document checks (iscc-crypto
 *   `resolve`, with the HTTP client injected).
 * - note: IsccNote build and validation with iscc-hub's rules, errors as {@link IsccNoteError}.
 */

export {
  PREFIX_PUBLIC_KEY,
  PREFIX_SECRET_KEY,
  type KeyPair,
  type Multikey,
  type ControllerDocument,
  keyGenerate,
  keyFromSecret,
  pubkeyEncode,
  pubkeyDecode,
  seckeyEncode,
  seckeyDecode,
  pubkeyFromProof,
  pubkeyMultikey,
  controllerDocument,
  keyIdFallback,
} from './keys.ts';
export {
  ISCC_SIG_VERSION,
  SigType,
  type IsccSignature,
  type ProofOptions,
  signRaw,
  signJson,
  signVc,
  createSignaturePayload,
} from './signing.ts';
export { type VerificationResult, verifyRaw, verifyJson, verifyVc, verifyIdentity } from './verifying.ts';
export { MAX_HUB_ID, createNonce, decodeNodeId } from './nonce.ts';
export {
  type DidDocument,
  type HttpClient,
  resolveDidKey,
  buildDidWebUrl,
  validateDidDoc,
  validateCid,
  resolveController,
} from './did.ts';
export { HUB_ERROR_CODES, type HubErrorCode, IsccNoteError } from './errors.ts';
export {
  DATAHASH_PREFIX,
  HASH_LENGTH,
  NONCE_LENGTH,
  SUPPORTED_GATEWAY_VARIABLES,
  SUPPORTED_URL_SCHEMES,
  TIMESTAMP_TOLERANCE_MINUTES,
  TIMESTAMP_TOLERANCE_MS,
  MAX_UNITS_ARRAY_SIZE,
  MAX_STRING_LENGTH,
  MAX_JSON_SIZE,
  SIGNATURE_VERSION,
  ISCC_NOTE_REQUIRED_FIELDS,
  ISCC_NOTE_OPTIONAL_FIELDS,
  ISCC_NOTE_SCHEMA,
  type IsccNote,
  type IsccNoteInput,
  type IsccNoteValidationOptions,
  type BuildIsccNoteOptions,
  buildIsccNote,
  validateIsccNote,
  validateIsccNoteFormat,
  validateIsccCode,
  validateMultihash,
  validateNonce,
  validateNoteSchema,
  validateTimestamp,
  parseNoteTimestamp,
  validateGateway,
  gatewayVariables,
  validateUnitsReconstruction,
  validateSignatureStructure,
  validateDatahashMatch,
  datahashToInstanceCode,
  pyJsonDumpsLength,
} from './note.ts';
