/**
 * The one error class of @iscc-ts/hub.
 *
 * Every refusal of the hub throws a {@link HubError} with a stable `code` (HUB_...) and the
 * HTTP status it maps to; IsccNote validation errors from core (`IsccNoteError`, codes
 * ISCC_NOTE_*, ISCC_SIGNATURE_INVALID, ISCC_LIMIT_EXCEEDED) pass through unchanged and carry
 * their own status. {@link hubProblem} turns either into an RFC 9457 problem+json body, so the
 * server's one error mapper can call it.
 */
import { IsccError, IsccNoteError } from '@iscc-ts/core';

/** Stable error codes. Add new ones here; never rename an existing one. */
export const HUB_ERROR_CODES = {
  /** A hub option or function argument is invalid (programming error, not a request error). */
  INVALID_ARGUMENT: 'HUB_INVALID_ARGUMENT',
  /** The request body is not valid JSON, or not a JSON object. */
  INVALID_JSON: 'HUB_INVALID_JSON',
  /** The request body exceeds {@link MAX_BODY_BYTES}. */
  BODY_TOO_LARGE: 'HUB_BODY_TOO_LARGE',
  /** The request JSON nests deeper than {@link MAX_JSON_DEPTH}. */
  JSON_TOO_DEEP: 'HUB_JSON_TOO_DEEP',
  /** A declaration with the same datahash exists (send X-Force-Declaration: true to declare anyway). */
  DUPLICATE_DATAHASH: 'HUB_DUPLICATE_DATAHASH',
  /** The nonce was used before (replay). */
  NONCE_REUSED: 'HUB_NONCE_REUSED',
  /** The public key is not on the hub's allow-list. */
  PUBKEY_NOT_ALLOWED: 'HUB_PUBKEY_NOT_ALLOWED',
  /** A deletion was signed by another key than the declaration's. */
  NOT_OWNER: 'HUB_NOT_OWNER',
  /** An ISCC-ID is malformed, not a v1 ISCC-ID or of another realm. */
  INVALID_ISCC_ID: 'HUB_INVALID_ISCC_ID',
  /** An IsccNoteDelete is malformed. */
  INVALID_DELETE: 'HUB_INVALID_DELETE',
  /** No declaration with this ISCC-ID (never declared, deleted, or minted by a hub not followed). */
  NOT_FOUND: 'HUB_NOT_FOUND',
  /** A search query is missing or malformed. */
  INVALID_QUERY: 'HUB_INVALID_QUERY',
  /** A tile or entry bundle path is malformed or not published. */
  TILE_NOT_FOUND: 'HUB_TILE_NOT_FOUND',
  /** A remote checkpoint's signature does not verify, or it is malformed. */
  CHECKPOINT_INVALID: 'HUB_CHECKPOINT_INVALID',
  /** A remote log is not consistent with what was verified before (fork, rewrite, shrink). */
  LOG_INCONSISTENT: 'HUB_LOG_INCONSISTENT',
  /** A remote hub could not be reached or answered garbage. */
  REMOTE_UNAVAILABLE: 'HUB_REMOTE_UNAVAILABLE',
  /** The wall clock stepped back further than the configured bound. */
  CLOCK_BACKWARDS: 'HUB_CLOCK_BACKWARDS',
  /** The timestamp space of ISCC-ID v1 (52 bits of microseconds) is exhausted. */
  ID_EXHAUSTED: 'HUB_ID_EXHAUSTED',
  /** Another process holds the hub's data directory. */
  LOCKED: 'HUB_LOCKED',
  /** The storage failed (I/O, database); the hub refuses writes until reopened. */
  STORAGE: 'HUB_STORAGE',
  /** The hub was closed. */
  CLOSED: 'HUB_CLOSED',
} as const;

export type HubErrorCode = (typeof HUB_ERROR_CODES)[keyof typeof HUB_ERROR_CODES];

/** HTTP status for each code. */
export const HUB_ERROR_STATUS: Record<HubErrorCode, number> = {
  HUB_INVALID_ARGUMENT: 500,
  HUB_INVALID_JSON: 400,
  HUB_BODY_TOO_LARGE: 413,
  HUB_JSON_TOO_DEEP: 400,
  HUB_DUPLICATE_DATAHASH: 409,
  HUB_NONCE_REUSED: 400,
  HUB_PUBKEY_NOT_ALLOWED: 403,
  HUB_NOT_OWNER: 403,
  HUB_INVALID_ISCC_ID: 422,
  HUB_INVALID_DELETE: 422,
  HUB_NOT_FOUND: 404,
  HUB_INVALID_QUERY: 422,
  HUB_TILE_NOT_FOUND: 404,
  HUB_CHECKPOINT_INVALID: 502,
  HUB_LOG_INCONSISTENT: 502,
  HUB_REMOTE_UNAVAILABLE: 502,
  HUB_CLOCK_BACKWARDS: 503,
  HUB_ID_EXHAUSTED: 503,
  HUB_LOCKED: 503,
  HUB_STORAGE: 503,
  HUB_CLOSED: 503,
};

/** A hub refusal with a stable {@link HubErrorCode}; `extra` members go into the problem body. */
export class HubError extends Error {
  readonly code: HubErrorCode;
  readonly status: number;
  readonly field: string | null;
  readonly extra: Record<string, unknown>;
  constructor(code: HubErrorCode, message: string, options: { field?: string | null; extra?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'HubError';
    this.code = code;
    this.status = HUB_ERROR_STATUS[code];
    this.field = options.field ?? null;
    this.extra = options.extra ?? {};
  }
}

/** RFC 9457 problem details with the stable `code` (and iscc-hub's `hub_code` for note errors). */
export interface HubProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  field?: string;
  hub_code?: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

/**
 * Problem details for an error thrown by the hub (HubError, IsccNoteError or another
 * IsccError), or null for an unknown error (the caller answers 500 without details).
 */
export function hubProblem(err: unknown): HubProblem | null {
  let status: number;
  let code: string;
  let field: string | null = null;
  let hubCode: string | undefined;
  let extra: Record<string, unknown> = {};
  if (err instanceof HubError) {
    if (err.code === HUB_ERROR_CODES.INVALID_ARGUMENT) return null;
    ({ status, code, field, extra } = err);
  } else if (err instanceof IsccNoteError) {
    ({ status, code, field, hubCode } = err);
  } else if (err instanceof IsccError) {
    status = 422;
    code = err.code;
  } else {
    return null;
  }
  const problem: HubProblem = {
    type: 'about:blank',
    title: TITLES[status] ?? 'Error',
    status,
    detail: (err as Error).message,
    code,
    ...extra,
  };
  if (field) problem.field = field;
  if (hubCode) problem.hub_code = hubCode;
  return problem;
}
