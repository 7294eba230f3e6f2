/**
 * The ISCC-VDB REST routes (spec "REST API Interface"), as a hono sub-app that the server
 * mounts under `/index`:
 *
 *   POST   /add          {iscc_ids?, iscc_codes?, units?, simprints?} -> {iscc_ids}
 *   GET    /get/{id}     -> entry                      POST /get    {iscc_ids} -> [entry|null]
 *   POST   /search       {iscc_codes?, units?, simprints?, count?, exact?, max_distance?} -> matches
 *   DELETE /remove/{id}  -> {removed}                  POST /remove {iscc_ids} -> {removed}
 *   GET    /info         -> {size, unit_types, ...}    POST /save   -> {saved: true}
 *
 * Every answer is the spec's envelope `{status: "success"|"error", data, error}`; errors carry
 * the index package's stable code (`{code, message}`) and its HTTP status. Untrusted input is
 * bounded by the named limits below (413 INDEX_LIMIT_EXCEEDED), bodies are parsed as JSON
 * objects with known keys only (400 INDEX_INVALID_JSON, 422 for shape errors). When API keys
 * are configured (ISCC_API_KEYS, comma-separated), write routes need `X-API-Key: <key>` or
 * `Authorization: Bearer <key>` (401 INDEX_UNAUTHORIZED).
 */
import { Hono, type Context } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import {
  INDEX_ERROR_CODES,
  INDEX_ERROR_STATUS,
  IsccIndexError,
  type IsccIndex,
  type IndexErrorCode,
  type SearchInput,
  type AddInput,
} from '@iscc-ts/index';
import { readBodyText } from './body.ts';

/** Largest request body accepted, in bytes. */
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Most entries (or ISCC-IDs, or queries) in one request. */
export const MAX_BATCH = 10_000;
/** Largest `count` of a search. */
export const MAX_SEARCH_COUNT = 1000;
/** Longest ISCC string accepted anywhere in a request. */
export const MAX_ISCC_CHARS = 256;
/** Most units in one entry or query. */
export const MAX_UNITS_PER_ENTRY = 16;
/** Most simprints per entry or query (all types together). */
export const MAX_SIMPRINTS_PER_ENTRY = 10_000;

/** Options of {@link indexRoutes}. */
export interface IndexRoutesOptions {
  /** API keys that unlock write routes; none (default) leaves them open. */
  apiKeys?: string[];
}

type Envelope = { status: 'success' | 'error'; data: unknown; error: { code: string; message: string } | null };

function fail(code: IndexErrorCode, message: string): never {
  throw new IsccIndexError(code, message);
}

/** Parse ISCC_API_KEYS (comma-separated, blanks ignored). */
export function parseApiKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Read the body with the size limit enforced while streaming (Content-Length may lie). */
async function readJson(c: Context): Promise<Record<string, unknown>> {
  const text = await readBodyText(c, MAX_BODY_BYTES, (declared) =>
    fail(INDEX_ERROR_CODES.LIMIT_EXCEEDED, declared === null ? `request body exceeds MAX_BODY_BYTES (${MAX_BODY_BYTES})` : `request body of ${declared} bytes exceeds MAX_BODY_BYTES (${MAX_BODY_BYTES})`),
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(INDEX_ERROR_CODES.INVALID_JSON, `request body is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail(INDEX_ERROR_CODES.INVALID_JSON, 'request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** Check that only `allowed` keys are present (typos should not pass silently). */
function onlyKeys(body: Record<string, unknown>, allowed: string[]): void {
  for (const k of Object.keys(body)) {
    if (!allowed.includes(k)) fail(INDEX_ERROR_CODES.INVALID_ARGUMENT, `unknown field "${k.slice(0, 40)}" (expected ${allowed.join(', ')})`);
  }
}

/** Enforce the batch and string limits on a string or (nested) string list field. */
function checkStrings(name: string, v: unknown, maxItems: number): void {
  if (v === undefined || v === null) return;
  const visit = (x: unknown, depth: number): number => {
    if (typeof x === 'string') {
      if (x.length > MAX_ISCC_CHARS) fail(INDEX_ERROR_CODES.LIMIT_EXCEEDED, `${name}: a string of ${x.length} chars exceeds MAX_ISCC_CHARS (${MAX_ISCC_CHARS})`);
      return 1;
    }
    if (Array.isArray(x) && depth < 2) {
      const limit = depth === 0 ? maxItems : MAX_UNITS_PER_ENTRY;
      if (x.length > limit) {
        fail(INDEX_ERROR_CODES.LIMIT_EXCEEDED, `${name}: ${x.length} items exceed ${depth === 0 ? 'MAX_BATCH' : 'MAX_UNITS_PER_ENTRY'} (${limit})`);
      }
      for (const y of x) visit(y, depth + 1);
      return x.length;
    }
    return fail(INDEX_ERROR_CODES.INVALID_ARGUMENT, `${name}: expected strings or lists of strings`);
  };
  visit(v, 0);
}

function checkSimprints(v: unknown): void {
  if (v === undefined || v === null) return;
  const list = Array.isArray(v) ? v : [v];
  if (list.length > MAX_BATCH) fail(INDEX_ERROR_CODES.LIMIT_EXCEEDED, `simprints: ${list.length} items exceed MAX_BATCH (${MAX_BATCH})`);
  for (const sp of list) {
    if (sp === null || typeof sp !== 'object' || Array.isArray(sp)) continue; // the index reports the shape error
    let n = 0;
    for (const items of Object.values(sp as Record<string, unknown>)) if (Array.isArray(items)) n += items.length;
    if (n > MAX_SIMPRINTS_PER_ENTRY) fail(INDEX_ERROR_CODES.LIMIT_EXCEEDED, `simprints: ${n} exceed MAX_SIMPRINTS_PER_ENTRY (${MAX_SIMPRINTS_PER_ENTRY})`);
  }
}

function idList(body: Record<string, unknown>): string | string[] {
  onlyKeys(body, ['iscc_ids']);
  const ids = body.iscc_ids;
  if (typeof ids !== 'string' && !Array.isArray(ids)) fail(INDEX_ERROR_CODES.INVALID_ARGUMENT, 'iscc_ids: expected an ISCC-ID string or a list of them');
  checkStrings('iscc_ids', ids, MAX_BATCH);
  return ids as string | string[];
}

/** Map an error to the envelope and status: package codes -> 4xx, anything else -> 500. */
export function errorResponse(c: Context, err: unknown): Response {
  if (err instanceof IsccIndexError) {
    const env: Envelope = { status: 'error', data: null, error: { code: err.code, message: err.message } };
    return c.json(env, INDEX_ERROR_STATUS[err.code] as 400);
  }
  console.error('[index routes] unexpected error', err);
  const env: Envelope = { status: 'error', data: null, error: { code: 'INTERNAL_ERROR', message: 'internal server error' } };
  return c.json(env, 500);
}

/** Build the `/index` sub-app over `index` (an open IsccIndex, or a function resolving one). */
export function indexRoutes(index: IsccIndex | (() => Promise<IsccIndex>), options: IndexRoutesOptions = {}): Hono {
  const app = new Hono();
  const keys = (options.apiKeys ?? []).map((k) => Buffer.from(k));
  const get = async (): Promise<IsccIndex> => (typeof index === 'function' ? index() : index);
  const ok = (c: Context, data: unknown): Response => c.json({ status: 'success', data, error: null } satisfies Envelope);

  const requireKey = (c: Context): void => {
    if (keys.length === 0) return;
    const auth = c.req.header('authorization');
    const given = c.req.header('x-api-key') ?? (auth?.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : undefined);
    const g = Buffer.from(given ?? '');
    if (!given || !keys.some((k) => k.length === g.length && timingSafeEqual(k, g))) {
      fail(INDEX_ERROR_CODES.UNAUTHORIZED, 'this route needs an API key (X-API-Key header or Authorization: Bearer)');
    }
  };

  app.onError((err, c) => errorResponse(c, err));
  app.notFound((c) => c.json({ status: 'error', data: null, error: { code: INDEX_ERROR_CODES.NOT_FOUND, message: `no route ${c.req.method} ${c.req.path}` } } satisfies Envelope, 404));

  app.post('/add', async (c) => {
    requireKey(c);
    const body = await readJson(c);
    onlyKeys(body, ['iscc_ids', 'iscc_codes', 'units', 'simprints']);
    checkStrings('iscc_ids', body.iscc_ids, MAX_BATCH);
    checkStrings('iscc_codes', body.iscc_codes, MAX_BATCH);
    checkStrings('units', body.units, MAX_BATCH);
    checkSimprints(body.simprints);
    const input = { isccIds: body.iscc_ids, isccCodes: body.iscc_codes, units: body.units, simprints: body.simprints } as AddInput;
    return ok(c, { iscc_ids: await (await get()).add(input) });
  });

  app.get('/get/:id', async (c) => {
    const id = c.req.param('id');
    checkStrings('id', id, 1);
    const entry = await (await get()).get(id);
    if (!entry) fail(INDEX_ERROR_CODES.NOT_FOUND, `no entry ${id}`);
    return ok(c, entry);
  });

  app.post('/get', async (c) => {
    const ids = idList(await readJson(c));
    const idx = await get();
    return ok(c, typeof ids === 'string' ? await idx.get(ids) : await idx.get(ids));
  });

  app.post('/search', async (c) => {
    const body = await readJson(c);
    onlyKeys(body, ['iscc_codes', 'units', 'simprints', 'count', 'exact', 'max_distance']);
    checkStrings('iscc_codes', body.iscc_codes, MAX_BATCH);
    checkStrings('units', body.units, MAX_BATCH);
    checkSimprints(body.simprints);
    if (typeof body.count === 'number' && body.count > MAX_SEARCH_COUNT) {
      fail(INDEX_ERROR_CODES.LIMIT_EXCEEDED, `count ${body.count} exceeds MAX_SEARCH_COUNT (${MAX_SEARCH_COUNT})`);
    }
    const input = {
      isccCodes: body.iscc_codes,
      units: body.units,
      simprints: body.simprints,
      count: body.count ?? undefined,
      exact: body.exact ?? undefined,
      maxDistance: body.max_distance ?? undefined,
    } as SearchInput;
    const result = await (await get()).search(input);
    return ok(c, result.toJSON());
  });

  app.delete('/remove/:id', async (c) => {
    requireKey(c);
    const id = c.req.param('id');
    checkStrings('id', id, 1);
    return ok(c, { removed: await (await get()).remove(id) });
  });

  app.post('/remove', async (c) => {
    requireKey(c);
    const ids = idList(await readJson(c));
    return ok(c, { removed: await (await get()).remove(ids) });
  });

  app.get('/info', async (c) => ok(c, await (await get()).info()));

  app.post('/save', async (c) => {
    requireKey(c);
    await (await get()).save();
    return ok(c, { saved: true });
  });

  return app;
}
