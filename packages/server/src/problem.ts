/**
 * The server's one error mapper (DESIGN.md: "package error codes become 4xx with their stable
 * `code`; only unknown errors are 500") and its own error class.
 *
 * {@link toProblem} turns any thrown value into RFC 9457 problem details:
 *   1. ServerError (this package: limits, API keys, rate limit, bad requests) -> its status;
 *   2. HubError / IsccNoteError -> the hub's own mapping (`hubProblem`);
 *   3. IsccIndexError -> INDEX_ERROR_STATUS;
 *   4. SdkError -> {@link SDK_STATUS} (input problems 4xx; a missing external tool is 501,
 *      the server cannot do that kind of file, not the client's fault, but not a crash either);
 *   5. IsccError (core) -> 422, LIMIT_EXCEEDED 413;
 *   6. anything else -> 500 `SERVER_INTERNAL` without details (the caller logs it).
 * Bodies are served as `application/problem+json`.
 */
import { IsccError, IsccNoteError, ISCC_ERROR_CODES } from '@iscc-ts/core';
import { IsccIndexError, INDEX_ERROR_STATUS } from '@iscc-ts/index';
import { HubError, hubProblem } from '@iscc-ts/hub';
import { SdkError, SDK_ERROR_CODES, type SdkErrorCode } from '@iscc-ts/sdk';

/** Stable error codes of the server itself. Add new ones here; never rename an existing one. */
export const SERVER_ERROR_CODES = {
  /** The request is malformed (missing parameter, bad JSON, bad multipart). */
  BAD_REQUEST: 'SERVER_BAD_REQUEST',
  /** A query parameter or field has the wrong type or value. */
  INVALID_PARAMETER: 'SERVER_INVALID_PARAMETER',
  /** The request body exceeds its size limit. */
  BODY_TOO_LARGE: 'SERVER_BODY_TOO_LARGE',
  /** The write route needs an API key (X-API-Key or Authorization: Bearer). */
  UNAUTHORIZED: 'SERVER_UNAUTHORIZED',
  /** The client sent too many requests; retry after the `Retry-After` seconds. */
  RATE_LIMITED: 'SERVER_RATE_LIMITED',
  /** The request took longer than the request time limit. */
  TIMEOUT: 'SERVER_TIMEOUT',
  /** No such route. */
  NOT_FOUND: 'SERVER_NOT_FOUND',
  /** The media type of the body is not one this route reads. */
  UNSUPPORTED_MEDIA_TYPE: 'SERVER_UNSUPPORTED_MEDIA_TYPE',
  /** The server is shutting down or a store is not ready. */
  UNAVAILABLE: 'SERVER_UNAVAILABLE',
  /** An unexpected error (a bug); details are in the server log, not in the response. */
  INTERNAL: 'SERVER_INTERNAL',
} as const;

export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

/** HTTP status of each server code. */
export const SERVER_ERROR_STATUS: Record<ServerErrorCode, number> = {
  SERVER_BAD_REQUEST: 400,
  SERVER_INVALID_PARAMETER: 400,
  SERVER_BODY_TOO_LARGE: 413,
  SERVER_UNAUTHORIZED: 401,
  SERVER_RATE_LIMITED: 429,
  SERVER_TIMEOUT: 503,
  SERVER_NOT_FOUND: 404,
  SERVER_UNSUPPORTED_MEDIA_TYPE: 415,
  SERVER_UNAVAILABLE: 503,
  SERVER_INTERNAL: 500,
};

/** The one error class of @iscc-ts/server (stable `code`, HTTP `status`, optional headers). */
export class ServerError extends Error {
  override readonly name = 'ServerError';
  readonly code: ServerErrorCode;
  readonly status: number;
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string>;
  constructor(code: ServerErrorCode, message: string, options: { headers?: Record<string, string>; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = SERVER_ERROR_STATUS[code];
    this.headers = options.headers ?? {};
  }
}

/** HTTP status of each sdk code (see the module comment). */
export const SDK_STATUS: Record<SdkErrorCode, number> = {
  [SDK_ERROR_CODES.INVALID_OPTION]: 400,
  [SDK_ERROR_CODES.INVALID_ARGUMENT]: 422,
  [SDK_ERROR_CODES.IO]: 422,
  [SDK_ERROR_CODES.UNSUPPORTED_MEDIATYPE]: 415,
  [SDK_ERROR_CODES.DECODE]: 422,
  [SDK_ERROR_CODES.LIMIT_EXCEEDED]: 413,
  [SDK_ERROR_CODES.TOOL_MISSING]: 501,
  [SDK_ERROR_CODES.TOOL_VERSION]: 501,
  [SDK_ERROR_CODES.TOOL_FAILED]: 422,
  [SDK_ERROR_CODES.NOT_IMPLEMENTED]: 501,
};

/** RFC 9457 problem details with the stable `code`. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extra: string]: unknown;
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  423: 'Locked',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function make(status: number, code: string, detail: string): Problem {
  return { type: 'about:blank', title: TITLES[status] ?? 'Error', status, detail, code };
}

/**
 * Problem details of `err`, plus extra headers; `known` is false for an unknown error
 * (500 without details: the caller logs the error itself).
 */
export function toProblem(err: unknown): { problem: Problem; headers: Record<string, string>; known: boolean } {
  if (err instanceof ServerError) return { problem: make(err.status, err.code, err.message), headers: err.headers, known: true };
  if (err instanceof HubError || err instanceof IsccNoteError) {
    const hub = hubProblem(err);
    if (hub) return { problem: hub, headers: {}, known: true };
  }
  if (err instanceof IsccIndexError) return { problem: make(INDEX_ERROR_STATUS[err.code] ?? 500, err.code, err.message), headers: {}, known: true };
  if (err instanceof SdkError) return { problem: make(SDK_STATUS[err.code] ?? 500, err.code, err.message), headers: {}, known: true };
  if (err instanceof IsccError) {
    return { problem: make(err.code === ISCC_ERROR_CODES.LIMIT_EXCEEDED ? 413 : 422, err.code, err.message), headers: {}, known: true };
  }
  return { problem: make(500, SERVER_ERROR_CODES.INTERNAL, 'internal server error (logged)'), headers: {}, known: false };
}

/** A problem+json response. */
export function problemJson(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), { status: problem.status, headers: { 'content-type': 'application/problem+json', ...headers } });
}
