/**
 * Cross-cutting request handling of the one service, as hono middleware (registered before
 * every route, in this order):
 *   1. {@link requestLog}: one structured JSON line per request (method, path, status, ms,
 *      client, request id) - also for requests refused by the later steps; an `X-Request-Id`
 *      header on every answer.
 *   2. CORS (hono's `cors`) for the configured origins only (none by default: the web page is
 *      served from the same origin).
 *   3. {@link rateLimit}: a token bucket per client (refill {@link RATE_LIMIT_PER_S} per
 *      second up to {@link RATE_LIMIT_BURST}); an empty bucket answers 429 with Retry-After.
 *      `/health` is exempt (probes must not be throttled), and so are in-process calls
 *      without a socket (`app.request`).
 *   4. {@link timeLimit}: a request whose handler runs past the limit answers 503
 *      SERVER_TIMEOUT (the handler's own cleanup still runs when it finishes).
 * {@link requireApiKey} guards write routes when keys are configured.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { timingSafeEqual, randomUUID } from 'node:crypto';
import { ServerError, SERVER_ERROR_CODES } from './problem.ts';

/** Default token refill per client and second. */
export const RATE_LIMIT_PER_S = 50;
/** Default bucket size per client (a burst allowed after idling). */
export const RATE_LIMIT_BURST = 100;
/** Most clients tracked at once; idle full buckets are dropped first, then the oldest. */
export const MAX_TRACKED_CLIENTS = 100_000;
/** Default time limit of one request's handler, in milliseconds. */
export const REQUEST_TIME_LIMIT_MS = 120_000;

/** A log sink: receives one JSON-serialisable record per call. */
export type LogSink = (record: Record<string, unknown>) => void;

/** Log lines held before they are written at once (characters; else at the end of the event-loop turn). */
export const LOG_BUFFER_CHARS = 64 * 1024;

let pendingLines = '';
let flushScheduled = false;
let exitHooked = false;
function flushLines(): void {
  flushScheduled = false;
  if (pendingLines === '') return;
  const text = pendingLines;
  pendingLines = '';
  process.stdout.write(text);
}

/**
 * The default sink: one JSON line on stdout per record. Lines are collected and written
 * together at the end of the event-loop turn (or once {@link LOG_BUFFER_CHARS} are waiting),
 * and on process exit: stdout to a pipe or file is written synchronously, one system call per
 * write, and one per request cost a quarter of the server's CPU on a light route. The order
 * of lines is kept; only a SIGKILL can lose the lines of the current turn.
 */
export const stdoutLog: LogSink = (record) => {
  pendingLines += JSON.stringify(record) + '\n';
  if (pendingLines.length >= LOG_BUFFER_CHARS) {
    flushLines();
  } else if (!flushScheduled) {
    flushScheduled = true;
    setImmediate(flushLines);
  }
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', flushLines);
  }
};

/** The client's address: the socket's remote address (X-Forwarded-For only when trusted). */
export function clientAddress(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const fwd = c.req.header('x-forwarded-for');
    if (fwd) return fwd.split(',')[0]!.trim();
  }
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

/**
 * One JSON log line per request; sets `X-Request-Id` (kept from the client when sane). The
 * header is set before the handler runs and the response is only asked for its status:
 * touching a response's headers afterwards would make @hono/node-server build a full web
 * Response instead of writing its light one directly (measured: a third of the throughput).
 */
export function requestLog(log: LogSink, trustProxy = false): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    const given = c.req.header('x-request-id');
    const id = given && given.length <= 64 && /^[\w.-]+$/.test(given) ? given : randomUUID();
    c.header('x-request-id', id);
    // Error answers are built as new Responses (service.ts) and add the id from here.
    c.set('requestId' as never, id as never);
    let status = 500;
    try {
      await next();
      status = c.res.status;
    } finally {
      const rec: Record<string, unknown> = {
        time: new Date().toISOString(),
        level: status >= 500 ? 'error' : 'info',
        msg: 'request',
        id,
        method: c.req.method,
        path: c.req.path,
        status,
        ms: Math.round((performance.now() - start) * 10) / 10,
        client: clientAddress(c, trustProxy),
      };
      const code = c.get('errorCode' as never) as string | undefined;
      if (code) rec.code = code;
      log(rec);
    }
  };
}

/** Token-bucket settings; `perSecond: 0` turns the limit off. */
export interface RateLimitOptions {
  perSecond?: number;
  burst?: number;
  trustProxy?: boolean;
  /** Paths (prefixes) that are not limited. */
  exempt?: string[];
  /** Clock in ms (tests). */
  now?: () => number;
}

/** Per-client token bucket (see the module comment). */
export function rateLimit(options: RateLimitOptions = {}): MiddlewareHandler {
  const rate = options.perSecond ?? RATE_LIMIT_PER_S;
  const burst = Math.max(1, options.burst ?? RATE_LIMIT_BURST);
  const now = options.now ?? (() => performance.now());
  const exempt = options.exempt ?? ['/health'];
  const buckets = new Map<string, { tokens: number; at: number }>();
  const sweep = (t: number): void => {
    for (const [k, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * rate >= burst) buckets.delete(k);
    // Still full of active clients: drop the oldest entries (Map keeps insertion order).
    for (const k of buckets.keys()) {
      if (buckets.size < MAX_TRACKED_CLIENTS) break;
      buckets.delete(k);
    }
  };
  return async (c, next) => {
    if (rate <= 0 || exempt.some((p) => c.req.path === p || c.req.path.startsWith(p + '/'))) return next();
    const key = clientAddress(c, options.trustProxy);
    // No socket: an in-process call (`app.request` in tests, embedding), not a network client.
    if (key === 'unknown') return next();
    const t = now();
    let b = buckets.get(key);
    if (!b) {
      if (buckets.size >= MAX_TRACKED_CLIENTS) sweep(t);
      b = { tokens: burst, at: t };
      buckets.set(key, b);
    } else {
      b.tokens = Math.min(burst, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
    }
    if (b.tokens < 1) {
      const retry = Math.max(1, Math.ceil((1 - b.tokens) / rate));
      throw new ServerError(SERVER_ERROR_CODES.RATE_LIMITED, `too many requests from ${key}: at most ${rate}/s (bursts of ${burst}); retry in ${retry} s`, {
        headers: { 'retry-after': String(retry) },
      });
    }
    b.tokens -= 1;
    return next();
  };
}

/** Answer 503 SERVER_TIMEOUT when the handler runs longer than `ms` (0 = no limit). */
export function timeLimit(ms = REQUEST_TIME_LIMIT_MS): MiddlewareHandler {
  if (ms <= 0) return (_c, next) => next();
  // One promise settled by whichever comes first (rather than a race of three): the
  // handler's outcome also handles a late failure of an abandoned handler, so that it
  // never becomes an unhandled rejection.
  return (_c, next) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ServerError(SERVER_ERROR_CODES.TIMEOUT, `the request took longer than ${ms} ms`)), ms);
      next().then(
        () => {
          clearTimeout(timer);
          resolve();
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
}

/** Parse ISCC_API_KEYS-style lists (comma-separated, blanks ignored). */
export function parseList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Whether `c` carries one of `keys` (X-API-Key or Authorization: Bearer), in constant time. */
export function hasApiKey(c: Context, keys: readonly string[]): boolean {
  const auth = c.req.header('authorization');
  const given = c.req.header('x-api-key') ?? (auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined);
  if (!given) return false;
  const g = Buffer.from(given);
  return keys.some((k) => {
    const kb = Buffer.from(k);
    return kb.length === g.length && timingSafeEqual(kb, g);
  });
}

/** Middleware: 401 SERVER_UNAUTHORIZED without a valid key; open when `keys` is empty. */
export function requireApiKey(keys: readonly string[]): MiddlewareHandler {
  return async (c, next) => {
    if (keys.length > 0 && !hasApiKey(c, keys)) {
      throw new ServerError(SERVER_ERROR_CODES.UNAUTHORIZED, 'this route needs an API key: send X-API-Key: <key> or Authorization: Bearer <key>', {
        headers: { 'www-authenticate': 'Bearer' },
      });
    }
    return next();
  };
}
