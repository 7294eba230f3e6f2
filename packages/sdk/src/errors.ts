/**
 * The one error class of @iscc-ts/sdk: {@link SdkError} with a stable `code` string.
 *
 * Scripts, the CLI and the server switch on `code`; messages say what went wrong, with which
 * file, and what to do about it (e.g. which Debian package to install).
 */

/** Stable error codes. Add new ones here; never rename an existing one. */
export const SDK_ERROR_CODES = {
  /** An option name is unknown or its value has the wrong type or range. */
  INVALID_OPTION: 'ISCC_SDK_INVALID_OPTION',
  /** An argument (path, metadata) is of the wrong type or shape. */
  INVALID_ARGUMENT: 'ISCC_SDK_INVALID_ARGUMENT',
  /** The file could not be read (missing, a directory, no permission). */
  IO: 'ISCC_SDK_IO',
  /** The media type has no processing mode and `fallback` is off. */
  UNSUPPORTED_MEDIATYPE: 'ISCC_SDK_UNSUPPORTED_MEDIATYPE',
  /** The file claims a media type but its content cannot be decoded (corrupt, truncated, empty). */
  DECODE: 'ISCC_SDK_DECODE',
  /** Input exceeds a named limit (e.g. `image_max_pixels`) - checked before allocating. */
  LIMIT_EXCEEDED: 'ISCC_SDK_LIMIT_EXCEEDED',
  /** An external program (exiv2, ffmpeg, ...) is not installed. */
  TOOL_MISSING: 'ISCC_SDK_TOOL_MISSING',
  /** An external program is too old or could not report its version. */
  TOOL_VERSION: 'ISCC_SDK_TOOL_VERSION',
  /** An external program ran but failed. */
  TOOL_FAILED: 'ISCC_SDK_TOOL_FAILED',
  /** The processing mode exists but no handler is registered for it yet (e.g. audio). */
  NOT_IMPLEMENTED: 'ISCC_SDK_NOT_IMPLEMENTED',
} as const;

export type SdkErrorCode = (typeof SDK_ERROR_CODES)[keyof typeof SDK_ERROR_CODES];

/** The error thrown by every function of @iscc-ts/sdk. */
export class SdkError extends Error {
  override readonly name = 'SdkError';
  /** Stable machine-readable code, e.g. `ISCC_SDK_DECODE`. */
  readonly code: SdkErrorCode;
  /** The file concerned, when there is one. */
  readonly path: string | undefined;
  constructor(code: SdkErrorCode, message: string, options?: { cause?: unknown; path?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options?.path;
  }
}
