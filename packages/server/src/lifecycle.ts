/**
 * Listening and graceful shutdown of the one service.
 *
 * Start: the app of {@link createApp} on a Node HTTP server (@hono/node-server's adaptor) with
 * limits against slow clients (slowloris): all headers within {@link HEADERS_TIMEOUT_MS}, the
 * whole request within {@link REQUEST_TIMEOUT_MS}, idle keep-alive sockets closed after
 * {@link KEEP_ALIVE_TIMEOUT_MS}, at most {@link MAX_HEADER_BYTES} of headers; listen errors
 * (port in use) reject instead of crashing.
 *
 * Stop ({@link RunningServer.close}, or SIGTERM/SIGINT with `handleSignals`):
 *   1. drain: `/health` answers 503 (load balancers stop sending);
 *   2. stop accepting: `server.close()`; idle keep-alive sockets are closed at once and again
 *      every {@link IDLE_SWEEP_MS} (a socket that finishes its request becomes idle);
 *   3. in-flight requests run to completion, for up to {@link SHUTDOWN_GRACE_MS}; then the
 *      remaining sockets are cut;
 *   4. the stores close (index, hub: their files are flushed and unlocked);
 *   5. the promise resolves (the CLI then exits 0).
 */
import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type ServerConfig } from './app.ts';
import type { IsccIndex } from '@iscc-ts/index';
import type { Hub } from '@iscc-ts/hub';

/** All request headers must arrive within this many ms (slowloris). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** The whole request (headers and body) must arrive within this many ms. */
export const REQUEST_TIMEOUT_MS = 300_000;
/** Idle keep-alive sockets are closed after this many ms. */
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/** Largest header block in bytes. */
export const MAX_HEADER_BYTES = 16 * 1024;
/** In-flight requests get this long to finish on shutdown before their sockets are cut (ms). */
export const SHUTDOWN_GRACE_MS = 25_000;
/** How often idle sockets are swept while draining (ms). */
export const IDLE_SWEEP_MS = 100;

/** A listening server. */
export interface RunningServer {
  /** `http://host:port` (IPv6 hosts in brackets). */
  url: string;
  /** The bound port (useful with port 0). */
  port: number;
  server: Server;
  /** Graceful stop (see the module comment); idempotent. */
  close(): Promise<void>;
  /** Resolves once the server has stopped and its stores are closed. */
  closed: Promise<void>;
}

/** Options of {@link startServer}. */
export interface StartOptions {
  /** Stop gracefully on SIGTERM and SIGINT (the CLI sets this). */
  handleSignals?: boolean;
  /** Shutdown grace in ms (default {@link SHUTDOWN_GRACE_MS}). */
  graceMs?: number;
  /** Injected stores (tests). */
  deps?: { index?: IsccIndex; hub?: Hub };
  /** Override the slow-client limits (ms; tests use short ones). */
  limits?: { headersTimeoutMs?: number; requestTimeoutMs?: number };
  /** Called with a line for people (start, shutdown); default stderr. */
  say?: (line: string) => void;
}

/** The URL for a bound address. */
export function serverUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** Start the service on `config.host:config.port` (see the module comment). */
export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const say = options.say ?? ((line: string) => process.stderr.write(line + '\n'));
  const { app, close: closeApp, drain } = createApp(config, options.deps);
  const server = createAdaptorServer({
    fetch: app.fetch,
    hostname: config.host,
    serverOptions: {
      headersTimeout: options.limits?.headersTimeoutMs ?? HEADERS_TIMEOUT_MS,
      requestTimeout: options.limits?.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      maxHeaderSize: MAX_HEADER_BYTES,
      // Node checks the timeouts above on this interval; the default (30 s) is too coarse.
      connectionsCheckingInterval: 1000,
    },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(err);
    };
    server.once('error', onError);
    server.listen(config.port, config.host, () => {
      server.off('error', onError);
      resolve();
    });
  }).catch(async (err: NodeJS.ErrnoException) => {
    await closeApp();
    const what = err.code === 'EADDRINUSE' ? `port ${config.port} on ${config.host} is in use (choose another with --port or ISCC_PORT)` : err.message;
    throw Object.assign(new Error(`cannot listen: ${what}`), { code: err.code ?? 'SERVER_LISTEN' });
  });
  const port = (server.address() as AddressInfo).port;
  const url = serverUrl(config.host, port);

  let closing: Promise<void> | null = null;
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));
  const onSignal = (sig: NodeJS.Signals): void => {
    say(`iscc serve: ${sig} received, finishing in-flight requests`);
    void close();
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      drain();
      const stopped = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const grace = setTimeout(() => server.closeAllConnections(), options.graceMs ?? SHUTDOWN_GRACE_MS);
      try {
        await stopped;
      } finally {
        clearInterval(sweep);
        clearTimeout(grace);
      }
      await closeApp();
      if (options.handleSignals) {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
      }
      resolveClosed();
    })();
    return closing;
  };
  if (options.handleSignals) {
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }
  return { url, port, server, close, closed };
}
