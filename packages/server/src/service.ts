/**
 * Everything around the package routes of the one service (engineer P's part of createApp):
 *
 *   install(app)    before any route: request log, CORS, rate limit, time limit, the one
 *                   error mapper (`onError`), then `/api/v1`, `/hub`, `/openapi.json`, `/docs`
 *   health(probes)  `/health`: liveness + readiness (each store opened and answering; 503
 *                   while shutting down or when a store fails)
 *   finish()        after all routes: the web page's static files at `/` (packages/web/dist,
 *                   or ISCC_WEB_DIR) and the not-found answer
 *   drain()         mark the service as shutting down (health turns 503)
 *   close()         close the hub (the index is closed by createApp)
 *
 * Error formats: problem+json everywhere except below `/index`, where the ISCC-VDB envelope
 * `{status: "error", data: null, error: {code, message}}` carries the same stable code.
 */
import { Hono, type Context } from 'hono';
import { cors } from 'hono/cors';
import { serveStatic } from '@hono/node-server/serve-static';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { Hub, createHubApp, hubOptionsFromEnv, followEvery } from '@iscc-ts/hub';
import { apiRoutes } from './api-routes.ts';
import { openApiDocument, API_VERSION } from './openapi.ts';
import { docsPage } from './docs.ts';
import { requestLog, rateLimit, timeLimit, stdoutLog, parseList, RATE_LIMIT_PER_S, RATE_LIMIT_BURST, REQUEST_TIME_LIMIT_MS, type LogSink } from './middleware.ts';
import { toProblem, problemJson, ServerError, SERVER_ERROR_CODES } from './problem.ts';
import { MAX_UPLOAD_BYTES } from './upload.ts';

/** How long a readiness probe may take per store before it counts as failing (ms). */
export const READINESS_TIMEOUT_MS = 5_000;

/** The service settings beyond host/port/data (all optional: defaults that work). */
export interface ServiceSettings {
  /** Origins allowed by CORS (`*` for any); none by default. ISCC_CORS_ORIGINS. */
  corsOrigins?: string[];
  /** Token refill per client and second; 0 disables the limit. ISCC_RATE_LIMIT. */
  rateLimitPerS?: number;
  /** Token bucket size per client. ISCC_RATE_BURST. */
  rateLimitBurst?: number;
  /** Trust X-Forwarded-For for the client address (behind a proxy). ISCC_TRUST_PROXY. */
  trustProxy?: boolean;
  /** Largest upload in bytes. ISCC_MAX_UPLOAD_BYTES. */
  maxUploadBytes?: number;
  /** Handler time limit per request (ms; 0 = none). ISCC_REQUEST_TIME_LIMIT_MS. */
  requestTimeLimitMs?: number;
  /** Static files of the web page. ISCC_WEB_DIR; default packages/web/dist. */
  webDir?: string | null;
  /** postgres://... for the hub instead of the embedded log. ISCC_HUB_URL. */
  hubUrl?: string | null;
  /** The environment the hub options are read from (ISCC_HUB_*). */
  env?: Record<string, string | undefined>;
  /** Where request logs go (default JSON lines on stdout; ISCC_LOG=off silences them); null silences them. */
  log?: LogSink | null;
  /** Where uploads wait while processed (default the OS temp dir). ISCC_TMP_DIR. */
  tmpDir?: string;
}

function num(name: string, v: string | undefined, def: number): number {
  if (v === undefined || v.trim() === '') return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new ServerError(SERVER_ERROR_CODES.INVALID_PARAMETER, `${name}: expected a number >= 0, got ${JSON.stringify(v)}`);
  return n;
}

/** Service settings from the environment (see {@link ServiceSettings} for the names). */
export function serviceSettingsFromEnv(env: Record<string, string | undefined> = process.env): Required<Omit<ServiceSettings, 'log'>> {
  return {
    corsOrigins: parseList(env.ISCC_CORS_ORIGINS),
    rateLimitPerS: num('ISCC_RATE_LIMIT', env.ISCC_RATE_LIMIT, RATE_LIMIT_PER_S),
    rateLimitBurst: num('ISCC_RATE_BURST', env.ISCC_RATE_BURST, RATE_LIMIT_BURST),
    trustProxy: ['1', 'true', 'yes'].includes((env.ISCC_TRUST_PROXY ?? '').toLowerCase()),
    maxUploadBytes: num('ISCC_MAX_UPLOAD_BYTES', env.ISCC_MAX_UPLOAD_BYTES, MAX_UPLOAD_BYTES),
    requestTimeLimitMs: num('ISCC_REQUEST_TIME_LIMIT_MS', env.ISCC_REQUEST_TIME_LIMIT_MS, REQUEST_TIME_LIMIT_MS),
    webDir: env.ISCC_WEB_DIR || null,
    hubUrl: env.ISCC_HUB_URL || null,
    env,
    tmpDir: env.ISCC_TMP_DIR || '',
  };
}

/** Default location of the web page's build output (packages/web/dist beside this package). */
export function defaultWebDir(): string {
  return fileURLToPath(new URL('../../web/dist', import.meta.url));
}

const FALLBACK_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>iscc-ts</title></head>
<body><h1>iscc-ts</h1><p>The web page is not built (run <code>npm run build -w @iscc-ts/web</code>, or set ISCC_WEB_DIR).
The API is here: <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>, <a href="/health">/health</a>.</p></body></html>
`;

/** What `installService` hands back to createApp. */
export interface ServiceHandle {
  /** Register `/health` with readiness probes (each resolves when its store is usable). */
  health(probes: Record<string, () => Promise<unknown>>): void;
  /** Register the web page and the not-found answer (call after every other route). */
  finish(): void;
  /** Shutting down: health answers 503 from now on. */
  drain(): void;
  /** Close what the service opened (the hub). */
  close(): Promise<void>;
}

/** The error answer for `c`: envelope below /index, problem+json elsewhere. */
function errorAnswer(c: Context, err: unknown): Response {
  const mapped = toProblem(err);
  const { problem, known } = mapped;
  let headers = mapped.headers;
  if (!known) console.error(JSON.stringify({ time: new Date().toISOString(), level: 'error', msg: 'unhandled error', path: c.req.path, error: String((err as Error)?.stack ?? err) }));
  c.set('errorCode' as never, problem.code as never);
  const rid = c.get('requestId' as never) as string | undefined;
  if (rid) headers = { ...headers, 'x-request-id': rid };
  if (c.req.path === '/index' || c.req.path.startsWith('/index/')) {
    return new Response(JSON.stringify({ status: 'error', data: null, error: { code: problem.code, message: problem.detail } }), {
      status: problem.status,
      headers: { 'content-type': 'application/json', ...headers },
    });
  }
  return problemJson(problem, headers);
}

/**
 * Install middleware, the error mapper and P's routes on `app` (see the module comment).
 * `deps.hub` injects an open hub (tests); otherwise the hub opens on first use.
 */
export function installService(app: Hono, settings: ServiceSettings & { dataDir: string; apiKeys: string[] }, deps: { hub?: Hub } = {}): ServiceHandle {
  const fromEnv = serviceSettingsFromEnv(settings.env ?? {});
  const s = { ...fromEnv, ...Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined)) } as typeof fromEnv & { log?: LogSink | null; dataDir: string; apiKeys: string[] };
  const started = Date.now();
  let draining = false;
  const log = s.log !== undefined ? s.log : (s.env?.ISCC_LOG ?? '').toLowerCase() === 'off' ? null : stdoutLog;

  if (log) app.use('*', requestLog(log, s.trustProxy));
  if (s.corsOrigins.length > 0) {
    app.use(
      '*',
      cors({
        origin: s.corsOrigins.includes('*') ? '*' : s.corsOrigins,
        allowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
        allowHeaders: ['content-type', 'authorization', 'x-api-key', 'x-filename', 'content-disposition', 'x-force-declaration', 'x-request-id'],
        exposeHeaders: ['retry-after', 'x-request-id', 'content-disposition'],
        maxAge: 600,
      }),
    );
  }
  // Off (0) means no middleware at all rather than one that passes every request on.
  if (s.rateLimitPerS > 0) app.use('*', rateLimit({ perSecond: s.rateLimitPerS, burst: s.rateLimitBurst, trustProxy: s.trustProxy }));
  app.use('*', timeLimit(s.requestTimeLimitMs));
  app.onError((err, c) => errorAnswer(c, err));

  // The hub: injected, or opened on first use from ISCC_HUB_* (storage in <data-dir>/hub).
  let hubOpening: Promise<Hub> | null = deps.hub ? Promise.resolve(deps.hub) : null;
  let stopFollow: (() => void) | null = null;
  const hubEnv: Record<string, string | undefined> = { ...(s.env ?? {}), ...(s.hubUrl ? { ISCC_HUB_URL: s.hubUrl } : {}) };
  const openHub = (): Promise<Hub> => {
    hubOpening ??= (async () => {
      const opts = hubOptionsFromEnv(hubEnv, s.dataDir);
      const hub = await Hub.open(opts);
      if (opts.follow.length > 0) {
        stopFollow = followEvery(hub, opts.follow, opts.followIntervalS, (url, err) =>
          log?.({ time: new Date().toISOString(), level: 'warn', msg: 'follow failed', url, error: String(err) }),
        );
      }
      return hub;
    })();
    // A failed open is retried on the next request rather than cached forever.
    hubOpening.catch(() => {
      hubOpening = null;
    });
    return hubOpening;
  };
  if (parseList(hubEnv.ISCC_HUB_FOLLOW).length > 0) openHub().catch(() => undefined);

  app.route('/api/v1', apiRoutes({ apiKeys: s.apiKeys, maxUploadBytes: s.maxUploadBytes, tmpRoot: s.tmpDir || undefined }));
  app.route('/hub', createHubApp({ hub: openHub }));

  let spec: ReturnType<typeof openApiDocument> | null = null;
  let docs: ReturnType<typeof docsPage> | null = null;
  app.get('/openapi.json', (c) => c.json((spec ??= openApiDocument())));
  app.get('/docs', (c) => {
    docs ??= docsPage((spec ??= openApiDocument()));
    return c.html(docs.html, 200, { 'content-security-policy': docs.csp });
  });

  return {
    health(probes) {
      app.get('/health', async (c) => {
        const checks: Record<string, string> = {};
        if (!draining) {
          await Promise.all(
            Object.entries({ ...probes, hub: openHub }).map(async ([name, probe]) => {
              let timer: NodeJS.Timeout | undefined;
              try {
                await Promise.race([probe(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${READINESS_TIMEOUT_MS} ms`)), READINESS_TIMEOUT_MS)))]);
                checks[name] = 'ok';
              } catch (e) {
                checks[name] = `failing: ${(e as Error).message}`;
              } finally {
                clearTimeout(timer);
              }
            }),
          );
        }
        const ready = !draining && Object.values(checks).every((v) => v === 'ok');
        const body = { status: ready ? 'ok' : 'unavailable', live: true, ready, draining, checks, version: API_VERSION, uptime_s: Math.round((Date.now() - started) / 1000) };
        return c.json(body, ready ? 200 : 503);
      });
    },
    finish() {
      const dir = s.webDir ?? defaultWebDir();
      if (existsSync(join(dir, 'index.html'))) {
        app.get('/*', serveStatic({ root: dir }));
      } else {
        app.get('/', (c) => c.html(FALLBACK_PAGE));
      }
      app.notFound((c) => errorAnswer(c, new ServerError(SERVER_ERROR_CODES.NOT_FOUND, `no route ${c.req.method} ${c.req.path} (see /docs)`)));
    },
    drain() {
      draining = true;
    },
    async close() {
      stopFollow?.();
      const h = hubOpening ? await hubOpening.catch(() => null) : null;
      await h?.close();
    },
  };
}
