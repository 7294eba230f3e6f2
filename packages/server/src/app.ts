/**
 * The one HTTP service: a hono app (a `fetch` handler) that mounts each package's routes under
 * its prefix from DESIGN.md's surface table. So far: `/health` and `/index` (ISCC-VDB); the
 * generate (`/api/v1`), hub (`/hub`) and web (`/`) sub-apps mount here as they land.
 *
 * Configuration (defaults that work; environment overrides): ISCC_HOST (127.0.0.1),
 * ISCC_PORT (8000), ISCC_DATA_DIR (./iscc-data; the index lives in <dir>/index),
 * ISCC_INDEX_URL (postgres://... instead of the embedded index), ISCC_API_KEYS.
 */
import { Hono } from 'hono';
import { join } from 'node:path';
import { IsccIndex } from '@iscc-ts/index';
import { indexRoutes, parseApiKeys } from './index-routes.ts';
import { installService, serviceSettingsFromEnv, type ServiceSettings } from './service.ts';
import type { Hub } from '@iscc-ts/hub';

/** Server settings (see the module comment for the environment variables). */
export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  indexUrl: string | null;
  apiKeys: string[];
  /** The rest (CORS, rate limit, limits, web dir, hub, logs): see service.ts. */
  service?: ServiceSettings;
}

/** Settings from the environment with the documented defaults. */
export function configFromEnv(env: Record<string, string | undefined> = process.env): ServerConfig {
  return {
    host: env.ISCC_HOST || '127.0.0.1',
    port: Number(env.ISCC_PORT || 8000),
    dataDir: env.ISCC_DATA_DIR || './iscc-data',
    indexUrl: env.ISCC_INDEX_URL || null,
    apiKeys: parseApiKeys(env.ISCC_API_KEYS),
    service: serviceSettingsFromEnv(env),
  };
}

/** Build the app. The index opens on first use (a server without index calls still starts). */
export function createApp(config: ServerConfig, deps: { index?: IsccIndex; hub?: Hub } = {}): { app: Hono; close(): Promise<void>; drain(): void } {
  const app = new Hono();
  // Middleware, error mapper, /api/v1, /hub, /openapi.json, /docs (service.ts) - before any route.
  const service = installService(app, { ...config.service, dataDir: config.dataDir, apiKeys: config.apiKeys }, { hub: deps.hub });
  let opening: Promise<IsccIndex> | null = deps.index ? Promise.resolve(deps.index) : null;
  const index = (): Promise<IsccIndex> => {
    opening ??= IsccIndex.open(config.indexUrl ?? join(config.dataDir, 'index'));
    return opening;
  };
  service.health({ index });
  app.route('/index', indexRoutes(index, { apiKeys: config.apiKeys }));
  service.finish();
  return {
    app,
    drain: () => service.drain(),
    close: async () => {
      if (opening) await (await opening.catch(() => null))?.close();
      await service.close();
    },
  };
}
