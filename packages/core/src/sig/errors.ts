/**
 * The error of IsccNote validation: an {@link IsccError} (stable `code`) that also carries what
 * an ISCC-HUB reports for it: the offending `field`, iscc-hub's ErrorResponse code (`hubCode`,
 * e.g. `invalid_signature`, `timestamp_out_of_range`, `nonce_mismatch`) and the HTTP status
 * iscc-hub answers with (401 for signatures, 400 for a reused nonce, 422 otherwise). A server
 * can turn it into iscc-hub's `{error: {message, code, field}}` body without a lookup table.
 */

import { IsccError, type IsccErrorCode } from '../errors.ts';

/** iscc-hub ErrorResponse codes used for IsccNote validation. */
export const HUB_ERROR_CODES = {
  INVALID_TYPE: 'invalid_type',
  INVALID_LENGTH: 'invalid_length',
  INVALID_FORMAT: 'invalid_format',
  INVALID_HEX: 'invalid_hex',
  INVALID_ISCC: 'invalid_iscc',
  INVALID_SIGNATURE: 'invalid_signature',
  VALIDATION_FAILED: 'validation_failed',
  TIMESTAMP_OUT_OF_RANGE: 'timestamp_out_of_range',
  NONCE_MISMATCH: 'nonce_mismatch',
  NONCE_REUSE: 'nonce_reuse',
} as const;
export type HubErrorCode = (typeof HUB_ERROR_CODES)[keyof typeof HUB_ERROR_CODES];

/** An IsccNote was rejected; see the module comment for the extra fields. */
export class IsccNoteError extends IsccError {
  /** The note member at fault (`nonce`, `timestamp`, `units`, ...), or null for the whole note. */
  readonly field: string | null;
  /** iscc-hub's ErrorResponse code for this failure. */
  readonly hubCode: HubErrorCode;
  /** The HTTP status iscc-hub answers this failure with. */
  readonly status: number;
  constructor(code: IsccErrorCode, hubCode: HubErrorCode, field: string | null, message: string, status = 422) {
    super(code, message);
    this.field = field;
    this.hubCode = hubCode;
    this.status = status;
  }
}
