/**
 * The one error class of @iscc-ts/index.
 *
 * Every failure on bad input or bad state throws an {@link IsccIndexError} whose `code` is a
 * stable string that scripts and the HTTP layer switch on (the server maps codes to 4xx
 * statuses through {@link INDEX_ERROR_STATUS}). Messages name the argument, what was expected
 * and what came in.
 */

/** Stable error codes. Add new ones here; never rename an existing one. */
export const INDEX_ERROR_CODES = {
  /** An argument has the wrong JavaScript type or shape. */
  INVALID_ARGUMENT: 'INDEX_INVALID_ARGUMENT',
  /** An ISCC string (code, unit) could not be decoded. */
  INVALID_CODE: 'INDEX_INVALID_CODE',
  /** An ISCC-ID is malformed, of the wrong version, or of another realm. */
  INVALID_ISCC_ID: 'INDEX_INVALID_ISCC_ID',
  /** A unit's type (MainType-SubType-Version) cannot be indexed. */
  UNSUPPORTED_UNIT_TYPE: 'INDEX_UNSUPPORTED_UNIT_TYPE',
  /** A unit's bit length is outside 64..maxDim, or one entry repeats a unit type. */
  INVALID_LENGTH: 'INDEX_INVALID_LENGTH',
  /** One entry or query carries two units of the same unit type. */
  DUPLICATE_UNIT_TYPE: 'INDEX_DUPLICATE_UNIT_TYPE',
  /** An ISCC-ID appears twice in one batch or already exists in the index. */
  DUPLICATE_ID: 'INDEX_DUPLICATE_ID',
  /** The number of ISCC-IDs differs from the number of entries. */
  COUNT_MISMATCH: 'INDEX_COUNT_MISMATCH',
  /** The on-disk format version is not the one this library writes. */
  FORMAT_VERSION: 'INDEX_FORMAT_VERSION',
  /** Another process holds the index directory. */
  LOCKED: 'INDEX_LOCKED',
  /** A write was attempted on a read-only (view) index, or the index is closed. */
  READ_ONLY: 'INDEX_READ_ONLY',
  /** The index was closed. */
  CLOSED: 'INDEX_CLOSED',
  /** A request exceeds a named size limit (HTTP layer). */
  LIMIT_EXCEEDED: 'INDEX_LIMIT_EXCEEDED',
  /** An HTTP body is not valid JSON (or not a JSON object). */
  INVALID_JSON: 'INDEX_INVALID_JSON',
  /** A write route was called without a valid API key (ISCC_API_KEYS is set). */
  UNAUTHORIZED: 'INDEX_UNAUTHORIZED',
  /** The requested entry does not exist (HTTP GET /get/{id}). */
  NOT_FOUND: 'INDEX_NOT_FOUND',
  /** The storage backend failed (I/O, database connection). */
  STORAGE: 'INDEX_STORAGE',
  /** The stored configuration (realm, max_dim) conflicts with the one asked for. */
  CONFIG_MISMATCH: 'INDEX_CONFIG_MISMATCH',
} as const;

export type IndexErrorCode = (typeof INDEX_ERROR_CODES)[keyof typeof INDEX_ERROR_CODES];

/** HTTP status for each code (the server's one error mapper reads this). */
export const INDEX_ERROR_STATUS: Record<IndexErrorCode, number> = {
  INDEX_INVALID_ARGUMENT: 422,
  INDEX_INVALID_CODE: 422,
  INDEX_INVALID_ISCC_ID: 422,
  INDEX_UNSUPPORTED_UNIT_TYPE: 422,
  INDEX_INVALID_LENGTH: 422,
  INDEX_DUPLICATE_ID: 409,
  INDEX_DUPLICATE_UNIT_TYPE: 422,
  INDEX_COUNT_MISMATCH: 422,
  INDEX_FORMAT_VERSION: 500,
  INDEX_LOCKED: 423,
  INDEX_READ_ONLY: 403,
  INDEX_CLOSED: 503,
  INDEX_LIMIT_EXCEEDED: 413,
  INDEX_INVALID_JSON: 400,
  INDEX_UNAUTHORIZED: 401,
  INDEX_NOT_FOUND: 404,
  INDEX_STORAGE: 500,
  INDEX_CONFIG_MISMATCH: 409,
};

/** The error thrown by @iscc-ts/index. */
export class IsccIndexError extends Error {
  override readonly name = 'IsccIndexError';
  /** Stable machine-readable code, e.g. `INDEX_INVALID_CODE`. */
  readonly code: IndexErrorCode;
  constructor(code: IndexErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Short description of a value for error messages (never the whole value): core's `describe`. */
export { describe as describeValue } from '@iscc-ts/core';
import { describe as describeValue } from '@iscc-ts/core';

/** Throw INDEX_INVALID_ARGUMENT naming `name`, what was expected and what came in. */
export function argError(name: string, expected: string, got: unknown): never {
  throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ARGUMENT, `${name}: expected ${expected}, got ${describeValue(got)}`);
}
