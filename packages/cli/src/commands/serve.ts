/**
 * `iscc serve`: run the REST service (@iscc-ts/server) until SIGTERM/SIGINT, then stop
 * gracefully (in-flight requests finish, the index and hub close cleanly) and exit 0.
 *
 * Settings: flags override `ISCC_*` environment variables, which override the defaults
 * (127.0.0.1:8000, data in ./iscc-data). API keys come only from ISCC_API_KEYS: a key on the
 * command line would be visible to every user in the process list.
 *
 * `--check` resolves and prints the settings without listening. The documented examples that
 * start a server are run by the tests with `--check` appended (a listening example would never
 * end); the server's own tests start real servers.
 */
import type { CommandSpec } from '../command.ts';
import { UsageError } from '../command.ts';
import { toJson } from '../output.ts';

function int(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new UsageError(`--${name}: expected an integer ${min}..${max}, got '${v}'`);
  return Number(v);
}

const spec: CommandSpec = {
  name: 'serve',
  summary: 'Run the REST service: generate, explain, index, hub, docs and the web page',
  usage: '[OPTIONS]',
  description:
    'Serves /api/v1 (generate from uploads, explain, compare, metadata), /index (ISCC-VDB), /hub (ISCC-HUB),\n' +
    '/docs and /openapi.json, /health, and the web page at /. Logs one JSON line per request on stdout.\n' +
    'Stops gracefully on SIGTERM or Ctrl-C: running requests finish, the stores close, exit status 0.\n' +
    '\n' +
    'Environment: ISCC_HOST, ISCC_PORT, ISCC_DATA_DIR, ISCC_INDEX_URL and ISCC_HUB_URL (postgres://...),\n' +
    'ISCC_API_KEYS (comma-separated; write and upload routes then need X-API-Key or a Bearer token),\n' +
    'ISCC_CORS_ORIGINS, ISCC_RATE_LIMIT (requests/s per client, 0 = off), ISCC_RATE_BURST,\n' +
    'ISCC_MAX_UPLOAD_BYTES, ISCC_REQUEST_TIME_LIMIT_MS, ISCC_WEB_DIR, ISCC_TRUST_PROXY, ISCC_LOG=off,\n' +
    'ISCC_HUB_* (see the hub package), ISCC_SDK_* (sdk option defaults).',
  options: [
    { name: 'host', type: 'string', valueName: 'HOST', description: 'Address to listen on (ISCC_HOST)', default: '127.0.0.1' },
    { name: 'port', short: 'p', type: 'string', valueName: 'PORT', description: 'Port to listen on, 0 for any free port (ISCC_PORT)', default: '8000' },
    { name: 'data-dir', short: 'd', type: 'string', valueName: 'DIR', description: 'Embedded index and hub storage (ISCC_DATA_DIR)', default: './iscc-data' },
    { name: 'cors', type: 'string', valueName: 'ORIGIN', multiple: true, description: 'Allow this origin by CORS; repeatable, * for any (ISCC_CORS_ORIGINS)' },
    { name: 'rate-limit', type: 'string', valueName: 'N', description: 'Requests per second per client, 0 = off (ISCC_RATE_LIMIT)', default: '50' },
    { name: 'max-upload', type: 'string', valueName: 'BYTES', description: 'Largest upload (ISCC_MAX_UPLOAD_BYTES)', default: String(256 * 1024 * 1024) },
    { name: 'web-dir', type: 'string', valueName: 'DIR', description: 'Static files served at / (ISCC_WEB_DIR; default packages/web/dist)' },
    { name: 'check', type: 'boolean', description: 'Print the resolved settings and exit without listening' },
    { name: 'json', type: 'boolean', description: 'Print the start line (or --check settings) as JSON' },
  ],
  examples: [
    { command: 'iscc serve', explains: 'Serve on http://127.0.0.1:8000 with data in ./iscc-data; open /docs in a browser.' },
    { command: 'iscc serve --host 0.0.0.0 --port 8080 --data-dir /var/lib/iscc', explains: 'Serve on all interfaces, port 8080, with data in /var/lib/iscc.' },
    { command: 'iscc serve --cors https://example.org --rate-limit 200', explains: 'Let pages of example.org call the API; allow 200 requests/s per client.' },
    { command: 'iscc serve --check --json --port 9000', explains: 'Print the settings the server would use, as JSON, without starting it.' },
  ],
  exitCodes: [
    { code: 0, meaning: 'stopped by SIGTERM/SIGINT after a clean shutdown (or --check passed)' },
    { code: 2, meaning: 'usage error, invalid setting, or the port cannot be bound' },
  ],
  async run(ctx) {
    if (ctx.args.positionals.length > 0) throw new UsageError(`unexpected argument '${ctx.args.positionals[0]}'`);
    const server = await import('@iscc-ts/server');
    const o = ctx.args.options;
    const config = server.configFromEnv(ctx.env);
    if (typeof o.host === 'string') config.host = o.host;
    if (typeof o.port === 'string') config.port = int('port', o.port, 0, 65535);
    else if (!Number.isInteger(config.port) || config.port < 0 || config.port > 65535) throw new UsageError(`ISCC_PORT: expected an integer 0..65535, got '${ctx.env.ISCC_PORT}'`);
    if (typeof o['data-dir'] === 'string') config.dataDir = o['data-dir'];
    const svc = { ...config.service };
    if (Array.isArray(o.cors)) svc.corsOrigins = o.cors as string[];
    if (typeof o['rate-limit'] === 'string') svc.rateLimitPerS = int('rate-limit', o['rate-limit'], 0, 1_000_000);
    if (typeof o['max-upload'] === 'string') svc.maxUploadBytes = int('max-upload', o['max-upload'], 1, Number.MAX_SAFE_INTEGER);
    if (typeof o['web-dir'] === 'string') svc.webDir = o['web-dir'];
    config.service = svc;
    const shown = {
      host: config.host,
      port: config.port,
      data_dir: config.dataDir,
      index: config.indexUrl ? 'postgres' : 'embedded',
      hub: svc.hubUrl ? 'postgres' : 'embedded',
      api_keys: config.apiKeys.length,
      cors_origins: svc.corsOrigins ?? [],
      rate_limit_per_s: svc.rateLimitPerS,
      max_upload_bytes: svc.maxUploadBytes,
      web_dir: svc.webDir ?? server.defaultWebDir(),
    };
    if (o.check) {
      ctx.stdout.write(o.json ? toJson(shown) + '\n' : Object.entries(shown).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`).join('\n') + '\n');
      return 0;
    }
    let running;
    try {
      running = await server.startServer(config, { handleSignals: true, say: (l) => ctx.stderr.write(l + '\n') });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    ctx.stderr.write(o.json ? '' : `iscc serve: listening on ${running.url}  (API docs: ${running.url}/docs; stop with Ctrl-C)\n`);
    if (o.json) ctx.stdout.write(JSON.stringify({ url: running.url, ...shown, port: running.port }) + '\n');
    await running.closed;
    ctx.stderr.write('iscc serve: stopped\n');
    return 0;
  },
};
export default spec;
