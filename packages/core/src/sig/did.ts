/**
 * Controller (identity) documents for ISCC-SIG identity verification, as iscc-crypto's
 * `resolve` module, minus the network: core does no I/O, so fetching is the caller's (an
 * injected {@link HttpClient}), and everything else is pure.
 *
 * - did:key: the DID document is generated from the multikey itself (`resolveDidKey`).
 * - did:web: `did:web:host[:path...]` maps to `https://host/path.../did.json`, or
 *   `https://host/.well-known/did.json` without a path; percent-escapes are decoded
 *   (`buildDidWebUrl`). The fetched document's `id` must equal the DID (`validateDidDoc`).
 * - HTTP(S) controlled identifier documents (W3C CID 1.0): the document's `id` must equal the
 *   URL it was fetched from (`validateCid`).
 */

import { IsccError, ISCC_ERROR_CODES, typeError } from '../errors.ts';
import { type JsonObject, isPlainObject } from './json.ts';
import { pubkeyDecode } from './keys.ts';

/** A DID document as produced for did:key. */
export interface DidDocument {
  '@context': string[];
  id: string;
  verificationMethod: { id: string; type: 'Multikey'; controller: string; publicKeyMultibase: string }[];
  authentication: string[];
  assertionMethod: string[];
  capabilityDelegation: string[];
  capabilityInvocation: string[];
}

/** What {@link resolveController} needs to fetch JSON; e.g. `{ getJson: (u) => fetch(u).then((r) => r.json()) }`. */
export interface HttpClient {
  getJson(url: string): Promise<unknown>;
}

function identityError(message: string, cause?: unknown): never {
  throw new IsccError(ISCC_ERROR_CODES.IDENTITY_INVALID, message, cause === undefined ? undefined : { cause });
}

/**
 * DID document of a did:key (Ed25519 multikey), with the key authorised for all verification
 * relationships (iscc-crypto `resolve_did_key`).
 * @throws IsccError `ISCC_IDENTITY_INVALID` for a non-did:key, `ISCC_KEY_INVALID` for a bad key.
 */
export function resolveDidKey(didKey: string): DidDocument {
  if (typeof didKey !== 'string') typeError('didKey', 'string', didKey);
  if (!didKey.startsWith('did:key:')) identityError(`didKey: invalid did:key format: ${didKey}`);
  const multikey = didKey.slice('did:key:'.length);
  pubkeyDecode(multikey);
  const vmId = `${didKey}#${multikey}`;
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/ed25519-2020/v1'],
    id: didKey,
    verificationMethod: [{ id: vmId, type: 'Multikey', controller: didKey, publicKeyMultibase: multikey }],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityDelegation: [vmId],
    capabilityInvocation: [vmId],
  };
}

/**
 * The HTTPS URL of a did:web's DID document (iscc-crypto `build_did_web_url`).
 * @example buildDidWebUrl('did:web:crypto.iscc.codes:alice') === 'https://crypto.iscc.codes/alice/did.json'
 * @throws IsccError `ISCC_IDENTITY_INVALID` for a non-did:web or an empty identifier.
 */
export function buildDidWebUrl(didWeb: string): string {
  if (typeof didWeb !== 'string') typeError('didWeb', 'string', didWeb);
  if (!didWeb.startsWith('did:web:')) identityError(`didWeb: invalid did:web format: ${didWeb}`);
  const specific = didWeb.slice('did:web:'.length);
  if (!specific) identityError('didWeb: empty method-specific identifier in did:web');
  let path: string;
  try {
    path = decodeURIComponent(specific.replaceAll(':', '/'));
  } catch (err) {
    return identityError(`didWeb: invalid percent-encoding in ${didWeb}`, err);
  }
  return `https://${path}${path.includes('/') ? '' : '/.well-known'}/did.json`;
}

/**
 * Check that a fetched DID document belongs to the DID asked for (iscc-crypto
 * `validate_did_doc`).
 * @throws IsccError `ISCC_IDENTITY_INVALID` when `didDocument.id` differs from `expectedDid`.
 */
export function validateDidDoc(didDocument: unknown, expectedDid: string): asserts didDocument is JsonObject {
  const id = isPlainObject(didDocument) ? didDocument.id : undefined;
  if (!isPlainObject(didDocument) || id !== expectedDid) {
    identityError(`DID document ID '${String(id)}' does not match requested DID '${expectedDid}'`);
  }
}

/**
 * Check a controlled identifier document (W3C CID 1.0) fetched from `canonicalUrl`
 * (iscc-crypto `validate_cid`).
 * @throws IsccError `ISCC_IDENTITY_INVALID` when it has no string `id` equal to the URL.
 */
export function validateCid(document: unknown, canonicalUrl: string): asserts document is JsonObject {
  if (!isPlainObject(document) || !Object.hasOwn(document, 'id')) {
    identityError("Retrieved document must contain an 'id' property");
  }
  const id = document.id;
  if (typeof id !== 'string') identityError("Document 'id' property must be a string");
  if (id !== canonicalUrl) identityError(`Document 'id' '${id}' does not match canonical URL '${canonicalUrl}'`);
}

/**
 * Resolve a controller URI (HTTP(S) CID URL, did:key or did:web) to its validated document
 * (iscc-crypto `resolve_async`; named for what it resolves, as a bare `resolve` would be ambiguous at the package root). did:key needs no client; the others fetch through `httpClient`.
 * @throws IsccError `ISCC_IDENTITY_INVALID` for unsupported schemes, failed fetches or
 *   documents whose id does not match.
 */
export async function resolveController(uri: string, httpClient?: HttpClient | null): Promise<JsonObject> {
  if (typeof uri !== 'string') typeError('uri', 'string', uri);
  if (uri.startsWith('did:key:')) return resolveDidKey(uri) as unknown as JsonObject;
  let url: string;
  if (uri.startsWith('http://') || uri.startsWith('https://')) url = uri;
  else if (uri.startsWith('did:web:')) url = buildDidWebUrl(uri);
  else return identityError(`Unsupported URI scheme: ${uri}`);
  if (!httpClient || typeof httpClient.getJson !== 'function') {
    typeError('httpClient', 'HttpClient {getJson(url)} (core does no network I/O)', httpClient);
  }
  let doc: unknown;
  try {
    doc = await httpClient.getJson(url);
  } catch (err) {
    return identityError(`Failed to fetch ${url}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (uri.startsWith('did:web:')) validateDidDoc(doc, uri);
  else validateCid(doc, url);
  return doc;
}
