/**
 * The one error class of @iscc-ts/core.
 *
 * Every failure on bad input throws an {@link IsccError} whose `code` is a stable string
 * (scripts and servers switch on it) and whose message names the argument, what was
 * expected and what came in. Where iscc-core raises `ValueError`, we throw this.
 */

/** Stable error codes. Add new ones here; never rename an existing one. */
export const ISCC_ERROR_CODES = {
  /** An argument has the wrong JavaScript type. */
  INVALID_TYPE: 'ISCC_INVALID_TYPE',
  /** An argument is of the right type but outside its legal values. */
  INVALID_ARGUMENT: 'ISCC_INVALID_ARGUMENT',
  /** An ISCC string or header could not be decoded or is not canonical. */
  INVALID_CODE: 'ISCC_INVALID_CODE',
  /** A header (maintype, subtype, version, length) is inconsistent. */
  INVALID_HEADER: 'ISCC_INVALID_HEADER',
  /** A base-encoded string contains characters outside its alphabet. */
  INVALID_ENCODING: 'ISCC_INVALID_ENCODING',
  /** The bit length requested is not supported for this code type. */
  INVALID_BITS: 'ISCC_INVALID_BITS',
  /** Input exceeds a documented size limit (see the named constants). */
  LIMIT_EXCEEDED: 'ISCC_LIMIT_EXCEEDED',
  /** A streaming hasher was used after it was finalised. */
  HASHER_FINALIZED: 'ISCC_HASHER_FINALIZED',
  /** The operation is not supported for this kind of code (e.g. counters on ISCC-ID v1). */
  UNSUPPORTED: 'ISCC_UNSUPPORTED',
  /** Conformance data could not be found or read. */
  CONFORMANCE_DATA: 'ISCC_CONFORMANCE_DATA',
  /** A key (multikey secret or public key) is malformed: wrong multibase, prefix or length. */
  KEY_INVALID: 'ISCC_KEY_INVALID',
  /** A signature (ISCC-SIG or Data Integrity proof) is missing, malformed or does not verify. */
  SIGNATURE_INVALID: 'ISCC_SIGNATURE_INVALID',
  /** A DID or controller document is malformed or does not match its identifier. */
  IDENTITY_INVALID: 'ISCC_IDENTITY_INVALID',
  /** An IsccNote violates the note format (fields, hashes, ISCC-CODE, gateway, units). */
  NOTE_INVALID: 'ISCC_NOTE_INVALID',
  /** An IsccNote timestamp is malformed or outside the accepted clock skew (stale or future). */
  NOTE_TIMESTAMP: 'ISCC_NOTE_TIMESTAMP',
  /** An IsccNote nonce is malformed, addressed to another hub, or already used (replay). */
  NOTE_NONCE: 'ISCC_NOTE_NONCE',
} as const;

export type IsccErrorCode = (typeof ISCC_ERROR_CODES)[keyof typeof ISCC_ERROR_CODES];

/** The error thrown by every function of @iscc-ts/core on invalid input. */
export class IsccError extends Error {
  override readonly name = 'IsccError';
  /** Stable machine-readable code, e.g. `ISCC_INVALID_HEADER`. */
  readonly code: IsccErrorCode;
  constructor(code: IsccErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Short description of a value for error messages (never the whole value). */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    return value.length > 40 ? `string "${value.slice(0, 37)}..." (${value.length} chars)` : `string "${value}"`;
  }
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
    return `${typeof value} ${String(value)}`;
  }
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'object') return `object ${Object.prototype.toString.call(value)}`;
  return typeof value;
}

/** Throw ISCC_INVALID_TYPE naming `name`, what was expected and what came in. */
export function typeError(name: string, expected: string, got: unknown): never {
  throw new IsccError(ISCC_ERROR_CODES.INVALID_TYPE, `${name}: expected ${expected}, got ${describe(got)}`);
}

/** Throw ISCC_INVALID_ARGUMENT naming `name`, what was expected and what came in. */
export function argError(name: string, expected: string, got: unknown): never {
  throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `${name}: expected ${expected}, got ${describe(got)}`);
}
