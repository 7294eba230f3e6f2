/**
 * The server's one OpenAPI 3.1 document (`/openapi.json`), describing every mounted route:
 * the web page, docs, health, `/api/v1` (written here), `/index` (written here from the
 * ISCC-VDB routes of index-routes.ts; the index package exports no fragment) and `/hub`
 * (the hub package's `hubOpenApi` fragment, merged: its `paths` and `Hub*` schemas).
 * A test compares the app's route table with `paths`, so a new route without a description
 * fails the build.
 */
import { SDK_DEFAULTS, SDK_OPTION_NAMES } from '@iscc-ts/sdk';
import { hubOpenApi } from '@iscc-ts/hub';
import { MAX_BATCH, MAX_SEARCH_COUNT, MAX_BODY_BYTES as INDEX_MAX_BODY_BYTES } from './index-routes.ts';
import { MAX_UPLOAD_BYTES } from './upload.ts';
import { MAX_JSON_BYTES } from './api-routes.ts';

type Json = Record<string, unknown>;

/** Version of the HTTP API document. */
export const API_VERSION = '0.1.0';

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});
const json = (description: string, schema: Json = { type: 'object' }): Json => ({ description, content: { 'application/json': { schema } } });
const envelope = (description: string, data: Json = {}): Json => json(description, {
  allOf: [{ $ref: '#/components/schemas/IndexEnvelope' }, { type: 'object', properties: { data } }],
});
const indexError = (description: string): Json => json(description, { $ref: '#/components/schemas/IndexEnvelope' });
const common = {
  '429': problem('rate limit exceeded (see Retry-After)'),
};

function sdkQueryParameters(): Json[] {
  return SDK_OPTION_NAMES.map((name) => {
    const def = (SDK_DEFAULTS as unknown as Record<string, unknown>)[name];
    const schema: Json =
      typeof def === 'boolean'
        ? { type: 'boolean', default: def }
        : typeof def === 'number'
          ? { type: Number.isInteger(def) && name !== 'video_scene_limit' ? 'integer' : 'number', default: def }
          : name === 'image_max_pixels'
            ? { type: ['integer', 'null'], default: def }
            : { type: 'string', enum: ['JPEG', 'WEBP', 'AVIF'], default: def };
    return { name, in: 'query', required: false, description: `sdk option \`${name}\``, schema };
  });
}

const uploadBody = (extra: Json = {}): Json => ({
  required: true,
  description: `The file, as the raw body (name in \`Content-Disposition: attachment; filename=...\`, \`X-Filename\` or \`?filename=\`) or as multipart/form-data with one file part. At most ${MAX_UPLOAD_BYTES} bytes by default (the server's --max-upload).`,
  content: {
    'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } },
    'multipart/form-data': {
      schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' }, ...extra } },
    },
  },
});
const filenameParam: Json = { name: 'filename', in: 'query', required: false, description: 'file name of a raw upload (the extension helps media type detection)', schema: { type: 'string' } };
const keyed: Json[] = [{ ApiKey: [] }, { Bearer: [] }, {}];

function codeRoute(summary: string, params: [string, string][], result: Json, extraQuery: Json[] = []): Json {
  const op = (method: 'get' | 'post'): Json => ({
    tags: ['api'],
    summary,
    ...(method === 'get'
      ? { parameters: [...params.map(([n, d]) => ({ name: n, in: 'query', required: true, description: d, schema: { type: 'string' } })), ...extraQuery] }
      : {
          parameters: extraQuery,
          requestBody: {
            required: true,
            description: `JSON object, at most ${MAX_JSON_BYTES} bytes`,
            content: { 'application/json': { schema: { type: 'object', required: params.map(([n]) => n), properties: Object.fromEntries(params.map(([n, d]) => [n, { type: 'string', description: d }])) } } },
          },
        }),
    responses: { 200: json('result', result), 400: problem('missing or malformed input'), 422: problem('invalid ISCC (stable `code` from core)'), ...common },
  });
  return { get: op('get'), post: op('post') };
}

function apiPaths(): Json {
  const sdkParams = sdkQueryParameters();
  const uploadErrors = {
    400: problem('malformed request or sdk option'),
    401: problem('API key required'),
    413: problem('upload too large'),
    415: problem('media type not supported'),
    422: problem('the file cannot be decoded'),
    501: problem('an external tool the sdk needs for this kind of file is not installed'),
    ...common,
  };
  return {
    '/api/v1/iscc': {
      post: {
        tags: ['api'],
        summary: 'Generate the ISCC of an uploaded file (sdk code_iscc)',
        security: keyed,
        parameters: [
          filenameParam,
          { name: 'name', in: 'query', required: false, description: 'title for the Meta-Code (instead of embedded metadata)', schema: { type: 'string' } },
          { name: 'description', in: 'query', required: false, schema: { type: 'string' } },
          { name: 'meta', in: 'query', required: false, description: 'JSON or data-URL metadata for the Meta-Code', schema: { type: 'string' } },
          ...sdkParams,
        ],
        requestBody: uploadBody({ name: { type: 'string' }, description: { type: 'string' }, meta: { type: 'string' } }),
        responses: { 200: json('IsccMeta', { $ref: '#/components/schemas/IsccMeta' }), ...uploadErrors },
      },
    },
    '/api/v1/explain': codeRoute('Explain an ISCC: its units, types, lengths and hashes', [['iscc', 'ISCC in any encoding']], { $ref: '#/components/schemas/Explained' }),
    '/api/v1/decompose': codeRoute('Split an ISCC-CODE into its ISCC-UNITs', [['iscc', 'ISCC in any encoding']], {
      type: 'object',
      properties: { iscc: { type: 'string' }, units: { type: 'array', items: { type: 'object', properties: { iscc: { type: 'string' }, type_id: { type: 'string' } } } } },
    }),
    '/api/v1/compare': codeRoute('Compare two ISCCs unit by unit (NPH similarity)', [['a', 'first ISCC'], ['b', 'second ISCC']], {
      type: 'object',
      properties: { a: { type: 'string' }, b: { type: 'string' }, units: { type: 'object', additionalProperties: { type: 'object' } }, compare: { type: 'object' } },
    }),
    '/api/v1/validate': codeRoute(
      'Whether a string is a well-formed ISCC (200 either way)',
      [['iscc', 'the string to check']],
      { type: 'object', properties: { iscc: { type: 'string' }, valid: { type: 'boolean' }, type_id: { type: 'string' }, error: { type: 'string' }, code: { type: 'string' } } },
      [{ name: 'strict', in: 'query', required: false, description: 'false: accept any multiformat encoding', schema: { type: 'boolean', default: true } }],
    ),
    '/api/v1/metadata/extract': {
      post: {
        tags: ['api'],
        summary: 'Metadata embedded in an uploaded file (sdk extract_metadata)',
        security: keyed,
        parameters: [filenameParam, ...sdkParams],
        requestBody: uploadBody(),
        responses: { 200: json('metadata fields'), ...uploadErrors },
      },
    },
    '/api/v1/metadata/embed': {
      post: {
        tags: ['api'],
        summary: 'Write metadata into an uploaded file; answers the new file',
        description: 'Fields as multipart fields (a `metadata` field may hold a JSON object of fields) or, for a raw upload, as query parameters.',
        security: keyed,
        parameters: [filenameParam],
        requestBody: uploadBody({ metadata: { type: 'string', description: 'JSON object of fields' }, name: { type: 'string' }, description: { type: 'string' } }),
        responses: {
          200: { description: 'the file with the metadata', content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } },
          ...uploadErrors,
        },
      },
    },
  };
}

function indexPaths(): Json {
  const idParam: Json = { name: 'id', in: 'path', required: true, description: 'ISCC-ID', schema: { type: 'string' } };
  const body = (props: Json, required: string[] = []): Json => ({
    required: true,
    description: `JSON object, at most ${INDEX_MAX_BODY_BYTES} bytes, at most ${MAX_BATCH} items per list`,
    content: { 'application/json': { schema: { type: 'object', additionalProperties: false, required, properties: props } } },
  });
  const strOrList = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
  const errors = { 400: indexError('invalid JSON'), 413: indexError('limit exceeded'), 422: indexError('invalid input'), ...common };
  const write = { 401: indexError('API key required'), ...errors };
  return {
    '/index/add': {
      post: {
        tags: ['index'],
        summary: 'Add entries (ISCC-CODEs, units, simprints); returns their ISCC-IDs',
        security: keyed,
        requestBody: body({ iscc_ids: strOrList, iscc_codes: strOrList, units: { type: 'array' }, simprints: {} }),
        responses: { 200: envelope('added', { type: 'object', properties: { iscc_ids: { type: 'array', items: { type: 'string' } } } }), 409: indexError('duplicate ISCC-ID'), ...write },
      },
    },
    '/index/get/{id}': { get: { tags: ['index'], summary: 'One entry by ISCC-ID', parameters: [idParam], responses: { 200: envelope('entry'), 404: indexError('no such entry'), ...errors } } },
    '/index/get': {
      post: { tags: ['index'], summary: 'Entries by ISCC-IDs (null for missing ones)', requestBody: body({ iscc_ids: strOrList }, ['iscc_ids']), responses: { 200: envelope('entries'), ...errors } },
    },
    '/index/search': {
      post: {
        tags: ['index'],
        summary: 'Similarity search by ISCC-CODEs, units or simprints',
        requestBody: body({
          iscc_codes: strOrList,
          units: { type: 'array' },
          simprints: {},
          count: { type: 'integer', minimum: 1, maximum: MAX_SEARCH_COUNT },
          exact: { type: 'boolean' },
          max_distance: { type: 'integer' },
        }),
        responses: { 200: envelope('matches, best first'), ...errors },
      },
    },
    '/index/remove/{id}': { delete: { tags: ['index'], summary: 'Remove one entry', security: keyed, parameters: [idParam], responses: { 200: envelope('removed count'), ...write } } },
    '/index/remove': { post: { tags: ['index'], summary: 'Remove entries by ISCC-IDs', security: keyed, requestBody: body({ iscc_ids: strOrList }, ['iscc_ids']), responses: { 200: envelope('removed count'), ...write } } },
    '/index/info': { get: { tags: ['index'], summary: 'Size and unit types of the index', responses: { 200: envelope('info'), ...common } } },
    '/index/save': { post: { tags: ['index'], summary: 'Persist the index now', security: keyed, responses: { 200: envelope('saved'), ...write } } },
  };
}

function servicePaths(): Json {
  return {
    '/': { get: { tags: ['web'], summary: 'The web page (static files of packages/web)', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } } },
    '/{asset}': {
      get: {
        tags: ['web'],
        summary: "The web page's assets",
        parameters: [{ name: 'asset', in: 'path', required: true, description: 'file below the web directory', schema: { type: 'string' } }],
        responses: { 200: { description: 'the file' }, 404: problem('no such file') },
      },
    },
    '/docs': { get: { tags: ['service'], summary: 'This API documentation as an HTML page (self-contained)', responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } } } },
    '/openapi.json': { get: { tags: ['service'], summary: 'This OpenAPI 3.1 document', responses: { 200: json('OpenAPI document') } } },
    '/health': {
      get: {
        tags: ['service'],
        summary: 'Liveness and readiness',
        responses: { 200: json('live and ready', { $ref: '#/components/schemas/Health' }), 503: json('live but not ready (stores failing, or shutting down)', { $ref: '#/components/schemas/Health' }) },
      },
    },
  };
}

const schemas: Json = {
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details with a stable `code`',
    required: ['type', 'title', 'status', 'detail', 'code'],
    properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string', examples: ['ISCC_INVALID_CODE', 'SERVER_BODY_TOO_LARGE'] } },
  },
  IndexEnvelope: {
    type: 'object',
    description: 'ISCC-VDB response envelope',
    required: ['status', 'data', 'error'],
    properties: {
      status: { type: 'string', enum: ['success', 'error'] },
      data: {},
      error: { oneOf: [{ type: 'null' }, { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } }] },
    },
  },
  IsccMeta: {
    type: 'object',
    description: 'iscc-sdk IsccMeta (fields present depend on the file and options)',
    required: ['iscc'],
    properties: {
      iscc: { type: 'string' },
      name: { type: 'string' },
      description: { type: 'string' },
      mediatype: { type: 'string' },
      mode: { type: 'string' },
      filename: { type: 'string' },
      filesize: { type: 'integer' },
      metahash: { type: 'string' },
      datahash: { type: 'string' },
      units: { type: 'array', items: { type: 'string' } },
      thumbnail: { type: 'string' },
      generator: { type: 'string' },
    },
  },
  Explained: {
    type: 'object',
    properties: {
      iscc: { type: 'string' },
      type_id: { type: 'string' },
      explain: { type: 'string' },
      units: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            iscc: { type: 'string' },
            type_id: { type: 'string' },
            explain: { type: 'string' },
            maintype: { type: 'string' },
            subtype: { type: 'string' },
            version: { type: 'string' },
            bits: { type: 'integer' },
            hash_hex: { type: 'string' },
          },
        },
      },
    },
  },
  Health: {
    type: 'object',
    properties: {
      status: { type: 'string', enum: ['ok', 'unavailable'] },
      live: { type: 'boolean' },
      ready: { type: 'boolean' },
      checks: { type: 'object', additionalProperties: { type: 'string' } },
      version: { type: 'string' },
      uptime_s: { type: 'number' },
    },
  },
};

/** The whole document (hub fragment merged). */
export function openApiDocument(): Json {
  const hub = hubOpenApi('/hub');
  return {
    openapi: '3.1.0',
    info: {
      title: 'iscc-ts',
      version: API_VERSION,
      description: 'International Standard Content Codes (ISO 24138): generate from uploads, explain and compare codes, the ISCC-VDB index and an ISCC-HUB. Errors are application/problem+json with a stable `code` (the `/index` routes answer in the ISCC-VDB envelope).',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [
      { name: 'api', description: 'generate, explain, compare, validate, metadata' },
      { name: 'index', description: 'ISCC-VDB similarity index' },
      { name: 'hub', description: 'ISCC-HUB declarations and discovery' },
      { name: 'hub-log', description: "the hub's transparency log" },
      { name: 'service', description: 'health and documentation' },
      { name: 'web', description: 'the web page' },
    ],
    paths: { ...servicePaths(), ...apiPaths(), ...indexPaths(), ...hub.paths },
    components: {
      schemas: { ...schemas, ...hub.schemas },
      securitySchemes: {
        ApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'one of ISCC_API_KEYS (needed only when the server has keys configured)' },
        Bearer: { type: 'http', scheme: 'bearer' },
      },
    },
  };
}
