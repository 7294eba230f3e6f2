/**
 * iscc-hub's HTTP routes as a hono sub-app, for the server to mount under `/hub`:
 *
 *   POST   /declaration              IsccNote -> 201 IsccReceipt (X-Force-Declaration: true
 *                                    declares a datahash again)
 *   DELETE /declaration/{iscc_id}    IsccNoteDelete signed by the declaring key -> 204
 *   GET    /{iscc_id}                declaration + expanded gateway (404 names the minting hub)
 *   GET    /search?datahash=...      exact; ?iscc_code=...[&count=n] by similarity
 *   GET    /health                   status and log size
 *   GET    /.well-known/did.json     the hub's did:web document (CORS open)
 *   GET    /log/checkpoint           C2SP signed checkpoint (text/plain)
 *   GET    /log/tile/{L}/{N}[.p/{W}] hash tiles; /log/tile/entries/{N}[.p/{W}] entry bundles
 *
 * Errors are RFC 9457 application/problem+json with a stable `code` ({@link hubProblem});
 * unknown errors are a bare 500. Request bodies are capped at {@link MAX_BODY_BYTES} (413)
 * and their JSON nesting at {@link MAX_JSON_DEPTH} (400), both checked before JSON.parse.
 */
import { Hono, type Context } from 'hono';
import { HUB_ERROR_CODES, HubError, hubProblem } from './errors.ts';
import { Hub, type HubOptions } from './hub.ts';
import { parseTileIndex } from './merkle.ts';

/** Largest request body accepted (bytes); an IsccNote is at most 8 KiB as JSON. */
export const MAX_BODY_BYTES = 16 * 1024;
/** Deepest JSON nesting accepted in a request body (an IsccNote needs 2). */
export const MAX_JSON_DEPTH = 8;

/** Full tiles never change; partial ones and the checkpoint do. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
const SHORT = 'max-age=10';

/** Options of {@link createHubApp}. */
export interface HubAppOptions {
  /** The hub, or a function opening it on first use. */
  hub: Hub | (() => Promise<Hub>);
}

/** Read at most `limit` bytes of a request body; HUB_BODY_TOO_LARGE beyond. */
export async function readBody(req: Request, limit = MAX_BODY_BYTES): Promise<string> {
  const declared = Number(req.headers.get('content-length') ?? '0');
  if (declared > limit) throw new HubError(HUB_ERROR_CODES.BODY_TOO_LARGE, `request body of ${declared} bytes exceeds ${limit} bytes`);
  if (!req.body) return '';
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw new HubError(HUB_ERROR_CODES.BODY_TOO_LARGE, `request body exceeds ${limit} bytes`);
    }
    chunks.push(value);
  }
  const all = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    all.set(c, o);
    o += c.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(all);
  } catch {
    throw new HubError(HUB_ERROR_CODES.INVALID_JSON, 'request body is not UTF-8');
  }
}

/** Deepest nesting of arrays/objects in JSON text (strings skipped); stops counting past `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Parse a request body as a JSON object within the named limits. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const text = await readBody(req);
  const depth = jsonDepth(text);
  if (depth > MAX_JSON_DEPTH) throw new HubError(HUB_ERROR_CODES.JSON_TOO_DEEP, `request JSON nests deeper than ${MAX_JSON_DEPTH} levels`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new HubError(HUB_ERROR_CODES.INVALID_JSON, `Invalid JSON in request body: ${(err as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HubError(HUB_ERROR_CODES.INVALID_JSON, `request body must be a JSON object, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

/** The problem+json response of an error (500 without details for unknown errors). */
export function problemResponse(err: unknown): Response {
  const p = hubProblem(err);
  if (!p) {
    return new Response(JSON.stringify({ type: 'about:blank', title: 'Internal Server Error', status: 500, code: 'HUB_INTERNAL' }), {
      status: 500,
      headers: { 'content-type': 'application/problem+json' },
    });
  }
  return new Response(JSON.stringify(p), { status: p.status, headers: { 'content-type': 'application/problem+json' } });
}

function bytes(c: Context, data: Uint8Array, partial: boolean): Response {
  return c.body(data as Uint8Array<ArrayBuffer>, 200, { 'content-type': 'application/octet-stream', 'cache-control': partial ? SHORT : IMMUTABLE });
}

function tileMiss(path: string): HubError {
  return new HubError(HUB_ERROR_CODES.TILE_NOT_FOUND, `no tile at ${path}`);
}

/** The hub's routes as a hono app (mount it under `/hub`). */
export function createHubApp(options: HubAppOptions): Hono {
  let opening: Promise<Hub> | null = null;
  const hub = (): Promise<Hub> => {
    if (options.hub instanceof Hub) return Promise.resolve(options.hub);
    opening ??= options.hub();
    return opening;
  };
  const app = new Hono();
  app.onError((err) => problemResponse(err));

  app.post('/declaration', async (c) => {
    const h = await hub();
    const note = await readJsonObject(c.req.raw);
    const force = ['true', '1'].includes((c.req.header('x-force-declaration') ?? '').toLowerCase());
    const receipt = await h.declare(note, force);
    return c.json(receipt, 201);
  });

  app.delete('/declaration/:iscc_id', async (c) => {
    const h = await hub();
    const body = await readJsonObject(c.req.raw);
    await h.delete(c.req.param('iscc_id'), body);
    return c.body(null, 204);
  });

  app.get('/health', async (c) => c.json((await hub()).health()));

  app.get('/.well-known/did.json', async (c) => {
    const doc = (await hub()).didDocument();
    return c.json(doc, 200, { 'access-control-allow-origin': '*' });
  });

  app.get('/search', async (c) => {
    const h = await hub();
    const datahash = c.req.query('datahash');
    const isccCode = c.req.query('iscc_code');
    if ((datahash === undefined) === (isccCode === undefined)) {
      throw new HubError(HUB_ERROR_CODES.INVALID_QUERY, 'give exactly one of the query parameters datahash and iscc_code');
    }
    if (datahash !== undefined) return c.json({ query: { datahash }, results: await h.searchDatahash(datahash) });
    const countText = c.req.query('count');
    const count = countText === undefined ? undefined : /^\d{1,4}$/.test(countText) ? Number(countText) : NaN;
    return c.json({ query: { iscc_code: isccCode }, results: await h.searchIsccCode(isccCode!, count) });
  });

  app.get('/log/checkpoint', async (c) => {
    const text = await (await hub()).latestCheckpoint();
    return c.text(text, 200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': SHORT });
  });

  app.get('/log/tile/*', async (c) => {
    const h = await hub();
    const path = c.req.path;
    const tail = path.slice(path.indexOf('/log/tile/') + '/log/tile/'.length);
    if (tail.startsWith('entries/')) {
      const parsed = parseTileIndex(tail.slice('entries/'.length));
      if (!parsed) throw tileMiss(path);
      const data = await h.entryBundle(parsed[0], parsed[1]);
      if (!data) throw tileMiss(path);
      return bytes(c, data, parsed[1] !== 0);
    }
    const m = /^(\d{1,2})\/(.+)$/.exec(tail);
    const parsed = m ? parseTileIndex(m[2]!) : null;
    if (!m || !parsed || Number(m[1]) > 63) throw tileMiss(path);
    const data = await h.hashTile(Number(m[1]), parsed[0], parsed[1]);
    if (!data) throw tileMiss(path);
    return bytes(c, data, parsed[1] !== 0);
  });

  app.get('/:iscc_id', async (c) => c.json(await (await hub()).resolve(c.req.param('iscc_id'))));

  return app;
}

/** Open a hub and its app in one step (tests, the CLI); `close` closes the hub. */
export async function openHubApp(options: HubOptions): Promise<{ app: Hono; hub: Hub; close(): Promise<void> }> {
  const hub = await Hub.open(options);
  return { app: createHubApp({ hub }), hub, close: () => hub.close() };
}
