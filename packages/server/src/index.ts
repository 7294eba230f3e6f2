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
