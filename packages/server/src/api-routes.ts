/**
 * The `/api/v1` routes (DESIGN.md, "The server's surface"), as a hono sub-app:
 *
 *   POST /iscc                 upload -> IsccMeta (sdk `codeIscc`); every sdk option as a
 *                              query parameter, `name`/`description`/`meta` as query
 *                              parameters or multipart fields
 *   GET|POST /explain          ?iscc=CODE | {"iscc": CODE} -> the code and its units in words
 *   GET|POST /decompose        ?iscc=CODE | {"iscc": CODE} -> its ISCC-UNITs
 *   GET|POST /compare          ?a=CODE&b=CODE | {"a","b"} -> per-unit similarity
 *   GET|POST /validate         ?iscc=CODE | {"iscc": CODE} -> {valid, type_id | error}
 *   POST /metadata/extract     upload -> the file's embedded metadata (sdk `extractMetadata`)
 *   POST /metadata/embed       upload + fields -> the file with the metadata written into it
 *
 * Uploads are streamed to a temporary file ({@link receiveUpload}) that is removed after the
 * answer (for embed: after the new file has been sent). Errors are thrown and mapped by the
 * server's one error mapper (problem+json). With API keys configured, the upload routes need
 * a key: they use the server's disk and CPU.
 */
import { Hono, type Context } from 'hono';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import * as core from '@iscc-ts/core';
import { SDK_DEFAULTS, SDK_OPTION_NAMES, type SdkOptionsInput } from '@iscc-ts/sdk';
import { ServerError, SERVER_ERROR_CODES } from './problem.ts';
import { receiveUpload, MAX_UPLOAD_BYTES, type Upload } from './upload.ts';
import { requireApiKey } from './middleware.ts';
import { readBodyText } from './body.ts';

/** Largest JSON body of the code routes, in bytes. */
export const MAX_JSON_BYTES = 64 * 1024;
/** Longest ISCC string accepted by the code routes. */
export const MAX_CODE_CHARS = 1024;

/** Options of {@link apiRoutes}. */
export interface ApiRoutesOptions {
  /** API keys for the upload routes (none: open). */
  apiKeys?: string[];
  /** Largest upload in bytes (default {@link MAX_UPLOAD_BYTES}). */
  maxUploadBytes?: number;
  /** Where uploads are stored while processed (default the OS temp dir). */
  tmpRoot?: string;
  /** The sdk (injected by tests; loaded on first upload otherwise: it pulls in sharp etc.). */
  sdk?: () => Promise<typeof import('@iscc-ts/sdk')>;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

function invalid(message: string): ServerError {
  return new ServerError(SERVER_ERROR_CODES.INVALID_PARAMETER, message);
}

/** sdk options from query parameters (typed by the sdk's defaults; unknown sdk names are not options here). */
export function sdkOptionsFromQuery(query: URLSearchParams): SdkOptionsInput {
  const out: Record<string, unknown> = {};
  for (const name of SDK_OPTION_NAMES) {
    const raw = query.get(name);
    if (raw === null) continue;
    const def = (SDK_DEFAULTS as unknown as Record<string, unknown>)[name];
    const v = raw.trim().toLowerCase();
    if (typeof def === 'boolean') {
      if (TRUE.has(v)) out[name] = true;
      else if (FALSE.has(v)) out[name] = false;
      else throw invalid(`query parameter ${name}: expected true or false, got ${JSON.stringify(raw.slice(0, 40))}`);
    } else if (name === 'image_max_pixels' && (v === 'null' || v === 'none')) {
      out[name] = null;
    } else if (typeof def === 'number' || def === null) {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n)) throw invalid(`query parameter ${name}: expected a number, got ${JSON.stringify(raw.slice(0, 40))}`);
      out[name] = n;
    } else {
      out[name] = raw.trim();
    }
  }
  return out as SdkOptionsInput;
}

/** Read a small JSON object body (code routes). */
async function jsonBody(c: Context): Promise<Record<string, unknown>> {
  const text = await readBodyText(c, MAX_JSON_BYTES, (declared) => {
    throw new ServerError(SERVER_ERROR_CODES.BODY_TOO_LARGE, declared === null ? `JSON body exceeds ${MAX_JSON_BYTES} bytes` : `JSON body of ${declared} bytes exceeds ${MAX_JSON_BYTES} bytes`);
  });
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new ServerError(SERVER_ERROR_CODES.BAD_REQUEST, `request body is not valid JSON: ${(e as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new ServerError(SERVER_ERROR_CODES.BAD_REQUEST, 'request body must be a JSON object');
  return v as Record<string, unknown>;
}

/** The named string inputs of a code route, from the query (GET) or a JSON body (POST). */
async function codeInputs(c: Context, names: string[]): Promise<string[]> {
  const src: Record<string, unknown> = c.req.method === 'GET' ? Object.fromEntries(new URL(c.req.url).searchParams) : await jsonBody(c);
  return names.map((n) => {
    const v = src[n];
    if (typeof v !== 'string' || v.trim() === '') throw invalid(`${n}: expected an ISCC string${c.req.method === 'GET' ? ` (?${n}=ISCC:...)` : ` in the JSON body ({"${n}": "ISCC:..."})`}`);
    if (v.length > MAX_CODE_CHARS) throw invalid(`${n}: ${v.length} characters exceed ${MAX_CODE_CHARS}`);
    return v.trim();
  });
}

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** One unit described: type, length, hash, and what ISCC-IDs v1 carry. */
export function describeUnit(unit: string): Record<string, unknown> {
  const typeId = core.isccTypeId(unit);
  const [maintype = '', subtype = '', version = '', len = ''] = typeId.split('-');
  const fields = core.isccDecode(unit) as unknown as [number, number, number, number, Uint8Array];
  const body = fields[4];
  const out: Record<string, unknown> = {
    iscc: unit.startsWith('ISCC:') ? unit : `ISCC:${unit}`,
    type_id: typeId,
    explain: core.isccExplain(unit),
    maintype,
    subtype,
    version,
    bits: /^\d+$/.test(len) ? Number(len) : body.length * 8,
    hash_hex: hex(body),
  };
  return out;
}

/** `explain` of one code (any encoding). */
export function explainCode(input: string): Record<string, unknown> {
  const iscc = core.isccNormalize(input);
  return { iscc, type_id: core.isccTypeId(iscc), explain: core.isccExplain(iscc), units: core.isccDecompose(iscc).map(describeUnit) };
}

/** Per-unit comparison of two codes (NPH similarity; `compare` distances when lengths agree). */
export function compareCodes(a: string, b: string): Record<string, unknown> {
  const an = core.isccNormalize(a);
  const bn = core.isccNormalize(b);
  const units: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(core.isccNphCompare(an, bn))) {
    units[k] = { ...v, distance_bits: Math.round((1 - v.similarity) * v.common_prefix_bits) };
  }
  let compare: unknown;
  try {
    compare = core.isccCompare(an, bn);
  } catch {
    // Units of unequal lengths: the NPH figures cover them.
  }
  return { a: an, b: bn, units, ...(compare === undefined ? {} : { compare }) };
}

/** Validate a code; `strict` (default) wants the canonical `ISCC:` form, else any encoding. */
export function validateCode(input: string, strict = true): Record<string, unknown> {
  try {
    const ok = strict ? core.isccValidate(input.startsWith('ISCC:') ? input : `ISCC:${input}`, true) : core.isccValidateMf(input, true);
    if (!ok) return { iscc: input, valid: false, error: 'not a well-formed ISCC' };
    return { iscc: input, valid: true, type_id: core.isccTypeId(strict ? (input.startsWith('ISCC:') ? input : `ISCC:${input}`) : core.isccNormalize(input)) };
  } catch (e) {
    return { iscc: input, valid: false, error: (e as Error).message, code: (e as { code?: string }).code };
  }
}

/** Metadata fields of an embed request: multipart fields (a `metadata` JSON object merged), or the query. */
function embedFields(upload: Upload, query: URLSearchParams): Record<string, unknown> {
  const src: Record<string, string> = Object.keys(upload.fields).length > 0 ? upload.fields : Object.fromEntries([...query].filter(([k]) => k !== 'filename'));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(src)) {
    if (k === 'metadata') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(v);
      } catch (e) {
        throw invalid(`metadata: not valid JSON (${(e as Error).message})`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw invalid('metadata: expected a JSON object of fields');
      Object.assign(out, parsed);
    } else out[k] = v;
  }
  if (Object.keys(out).length === 0) throw invalid('no metadata fields to embed: send fields (name, description, meta, license, ...) as multipart fields or query parameters');
  return out;
}

/** Build the `/api/v1` sub-app. */
export function apiRoutes(options: ApiRoutesOptions = {}): Hono {
  const app = new Hono();
  const loadSdk = options.sdk ?? (() => import('@iscc-ts/sdk'));
  const guard = requireApiKey(options.apiKeys ?? []);
  const upload = (c: Context): Promise<Upload> => receiveUpload(c.req.raw, { maxBytes: options.maxUploadBytes ?? MAX_UPLOAD_BYTES, tmpRoot: options.tmpRoot });

  app.post('/iscc', guard, async (c) => {
    const query = new URL(c.req.url).searchParams;
    const opts = sdkOptionsFromQuery(query);
    const sdk = await loadSdk();
    const up = await upload(c);
    try {
      const field = (n: string): string | null => up.fields[n] ?? query.get(n);
      const metaText = field('meta');
      const result = await sdk.codeIscc(up.path, field('name'), field('description'), metaText, sdk.resolveOptions(opts));
      return c.json(result);
    } finally {
      await up.cleanup();
    }
  });

  app.post('/metadata/extract', guard, async (c) => {
    const opts = sdkOptionsFromQuery(new URL(c.req.url).searchParams);
    const sdk = await loadSdk();
    const up = await upload(c);
    try {
      return c.json(await sdk.extractMetadata(up.path, sdk.resolveOptions(opts)));
    } finally {
      await up.cleanup();
    }
  });

  app.post('/metadata/embed', guard, async (c) => {
    const query = new URL(c.req.url).searchParams;
    const sdk = await loadSdk();
    const up = await upload(c);
    let handedOver = false;
    try {
      const fields = embedFields(up, query);
      const written = await sdk.embedMetadata(up.path, fields, { outpath: `${up.path}.embedded` });
      if (!written) throw new ServerError(SERVER_ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, `cannot embed metadata into ${up.filename}: its media type has no metadata writer`);
      const stream = createReadStream(written);
      stream.on('close', () => void up.cleanup());
      handedOver = true;
      const name = up.filename.replace(/["\\\r\n]/g, '_');
      return new Response(Readable.toWeb(stream) as ReadableStream, {
        headers: {
          'content-type': 'application/octet-stream',
          'content-disposition': `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(up.filename)}`,
        },
      });
    } finally {
      if (!handedOver) await up.cleanup();
    }
  });

  const code = (path: string, names: string[], fn: (c: Context, values: string[]) => unknown): void => {
    const h = async (c: Context): Promise<Response> => c.json(fn(c, await codeInputs(c, names)) as object);
    app.get(path, h);
    app.post(path, h);
  };
  code('/explain', ['iscc'], (_c, [iscc]) => explainCode(iscc!));
  code('/decompose', ['iscc'], (_c, [iscc]) => {
    const n = core.isccNormalize(iscc!);
    return { iscc: n, units: core.isccDecompose(n).map((u) => ({ iscc: `ISCC:${u}`, type_id: core.isccTypeId(u) })) };
  });
  code('/compare', ['a', 'b'], (_c, [a, b]) => compareCodes(a!, b!));
  code('/validate', ['iscc'], (c, [iscc]) => {
    const strict = new URL(c.req.url).searchParams.get('strict');
    return validateCode(iscc!, !(strict !== null && FALSE.has(strict.toLowerCase())));
  });
  return app;
}
