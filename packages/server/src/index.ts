/**
 * @iscc-ts/server: one HTTP service (hono) for generate, index and hub, and the web page.
 */
export { createApp, configFromEnv, type ServerConfig } from './app.ts';
export {
  indexRoutes,
  errorResponse,
  parseApiKeys,
  MAX_BODY_BYTES,
  MAX_BATCH,
  MAX_SEARCH_COUNT,
  MAX_ISCC_CHARS,
  MAX_UNITS_PER_ENTRY,
  MAX_SIMPRINTS_PER_ENTRY,
  type IndexRoutesOptions,
} from './index-routes.ts';
export { startServer, serverUrl, HEADERS_TIMEOUT_MS, REQUEST_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS, MAX_HEADER_BYTES, SHUTDOWN_GRACE_MS, type RunningServer, type StartOptions } from './lifecycle.ts';
export { installService, serviceSettingsFromEnv, defaultWebDir, READINESS_TIMEOUT_MS, type ServiceSettings, type ServiceHandle } from './service.ts';
export { apiRoutes, sdkOptionsFromQuery, explainCode, compareCodes, validateCode, describeUnit, MAX_JSON_BYTES, MAX_CODE_CHARS, type ApiRoutesOptions } from './api-routes.ts';
export { receiveUpload, sanitizeFilename, dispositionFilename, MAX_UPLOAD_BYTES, MAX_PART_HEADER_BYTES, MAX_FIELD_BYTES, MAX_PARTS, type Upload, type UploadOptions } from './upload.ts';
export { ServerError, SERVER_ERROR_CODES, SERVER_ERROR_STATUS, SDK_STATUS, toProblem, problemJson, type ServerErrorCode, type Problem } from './problem.ts';
export { requestLog, rateLimit, timeLimit, requireApiKey, hasApiKey, stdoutLog, LOG_BUFFER_CHARS, RATE_LIMIT_PER_S, RATE_LIMIT_BURST, MAX_TRACKED_CLIENTS, REQUEST_TIME_LIMIT_MS, type LogSink, type RateLimitOptions } from './middleware.ts';
export { openApiDocument, API_VERSION } from './openapi.ts';
export { docsPage } from './docs.ts';
