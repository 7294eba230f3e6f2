/**
 * OpenAPI 3.1 description of the hub routes, for the server's `/openapi.json` (DESIGN.md: one
 * OpenAPI document of every route). {@link hubOpenApi} returns `paths` under a prefix and the
 * `components.schemas` they reference (names prefixed `Hub`), to merge into one document.
 */
import { HUB_ERROR_CODES } from './errors.ts';
import { MAX_BODY_BYTES, MAX_JSON_DEPTH } from './routes.ts';

type Json = Record<string, unknown>;

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/HubProblem' } } },
});

const isccIdParam: Json = {
  name: 'iscc_id',
  in: 'path',
  required: true,
  description: 'ISCC-ID v1 (`ISCC:` + 16 base32 characters; the prefix may be left out)',
  schema: { type: 'string', examples: ['ISCC:MAIF3I4LNGBAAABK'] },
};

const octets = (description: string): Json => ({ description, content: { 'application/octet-stream': { schema: { type: 'string', contentMediaType: 'application/octet-stream' } } } });

/** `{paths, schemas}` of the hub routes mounted under `prefix` (default `/hub`). */
export function hubOpenApi(prefix = '/hub'): { paths: Json; schemas: Json } {
  const p = (path: string): string => `${prefix}${path}`;
  const paths: Json = {
    [p('/declaration')]: {
      post: {
        tags: ['hub'],
        summary: 'Declare a signed IsccNote; returns the IsccReceipt',
        parameters: [
          { name: 'X-Force-Declaration', in: 'header', required: false, description: '`true` or `1`: declare even when the datahash was declared before', schema: { type: 'string' } },
        ],
        requestBody: {
          required: true,
          description: `IsccNote (at most ${MAX_BODY_BYTES} bytes, nesting depth ${MAX_JSON_DEPTH})`,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/HubIsccNote' } } },
        },
        responses: {
          201: { description: 'IsccReceipt (W3C VC, eddsa-jcs-2022)', content: { 'application/json': { schema: { $ref: '#/components/schemas/HubIsccReceipt' } } } },
          400: problem('invalid JSON, nested too deep, or nonce reused'),
          401: problem('signature invalid'),
          403: problem('public key not on the allow-list'),
          409: problem('datahash already declared (`existing_iscc_id`, `existing_actor`)'),
          413: problem('body too large'),
          422: problem('note invalid (format, nonce addressed to another hub, timestamp outside +-10 minutes, limits)'),
        },
      },
    },
    [p('/declaration/{iscc_id}')]: {
      delete: {
        tags: ['hub'],
        summary: 'Delete a declaration with an IsccNoteDelete signed by the declaring key',
        parameters: [isccIdParam],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/HubIsccNoteDelete' } } } },
        responses: { 204: { description: 'deleted (a deletion entry is appended to the log)' }, 401: problem('signature invalid'), 403: problem('not signed by the declaring key'), 404: problem('no such declaration'), 422: problem('request invalid') },
      },
    },
    [p('/search')]: {
      get: {
        tags: ['hub'],
        summary: 'Find declarations by datahash (exact) or ISCC-CODE (similarity); exactly one of the two',
        parameters: [
          { name: 'datahash', in: 'query', schema: { type: 'string', pattern: '^1e20[0-9a-f]{64}$' } },
          { name: 'iscc_code', in: 'query', schema: { type: 'string' } },
          { name: 'count', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 10 } },
        ],
        responses: {
          200: { description: 'matches, best first', content: { 'application/json': { schema: { type: 'object', properties: { query: { type: 'object' }, results: { type: 'array', items: { $ref: '#/components/schemas/HubDeclaration' } } } } } } },
          422: problem('query invalid'),
        },
      },
    },
    [p('/health')]: { get: { tags: ['hub'], summary: 'Status and log size', responses: { 200: { description: 'status', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    [p('/.well-known/did.json')]: { get: { tags: ['hub'], summary: "The hub's did:web document", responses: { 200: { description: 'DID document', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    [p('/log/checkpoint')]: {
      get: { tags: ['hub-log'], summary: 'Latest signed checkpoint (C2SP tlog-checkpoint, signed note)', responses: { 200: { description: 'checkpoint', content: { 'text/plain': { schema: { type: 'string' } } } } } },
    },
    [p('/log/tile/{L}/{N}')]: {
      get: {
        tags: ['hub-log'],
        summary: 'Hash tile (C2SP tlog-tiles); N in thousands groups (x001/234), optionally `.p/{W}` for a partial tile',
        parameters: [
          { name: 'L', in: 'path', required: true, schema: { type: 'integer', minimum: 0, maximum: 63 } },
          { name: 'N', in: 'path', required: true, schema: { type: 'string' } },
        ],
        responses: { 200: octets('W (256 for a full tile) 32-byte hashes'), 404: problem('not published') },
      },
    },
    [p('/log/tile/entries/{N}')]: {
      get: {
        tags: ['hub-log'],
        summary: 'Entry bundle (uint16 length-prefixed log entries), optionally `.p/{W}`',
        parameters: [{ name: 'N', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { 200: octets('entry bundle'), 404: problem('not published') },
      },
    },
    [p('/{iscc_id}')]: {
      get: {
        tags: ['hub'],
        summary: 'Resolve an ISCC-ID to its declaration and expanded gateway',
        parameters: [isccIdParam],
        responses: {
          200: { description: 'declaration', content: { 'application/json': { schema: { $ref: '#/components/schemas/HubDeclaration' } } } },
          404: problem('unknown, deleted, or minted by a hub not followed (`hub_id`)'),
          422: problem('not an ISCC-ID v1'),
        },
      },
    },
  };
  const signature: Json = {
    type: 'object',
    required: ['version', 'pubkey', 'proof'],
    additionalProperties: false,
    properties: { version: { const: 'ISCC-SIG v1.0' }, controller: { type: 'string' }, keyid: { type: 'string' }, pubkey: { type: 'string' }, proof: { type: 'string' } },
  };
  const schemas: Json = {
    HubProblem: {
      type: 'object',
      required: ['type', 'title', 'status', 'detail', 'code'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        code: { type: 'string', description: 'stable error code', examples: Object.values(HUB_ERROR_CODES).slice(1, 4) },
        field: { type: 'string' },
        hub_code: { type: 'string', description: "iscc-hub's ErrorResponse code (note errors)" },
      },
    },
    HubIsccNote: {
      type: 'object',
      required: ['iscc_code', 'datahash', 'nonce', 'timestamp', 'signature'],
      additionalProperties: false,
      properties: {
        iscc_code: { type: 'string' },
        datahash: { type: 'string', pattern: '^1e20[0-9a-f]{64}$' },
        nonce: { type: 'string', pattern: '^[0-9a-f]{32}$' },
        timestamp: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$' },
        gateway: { type: 'string' },
        units: { type: 'array', items: { type: 'string' }, maxItems: 4 },
        metahash: { type: 'string', pattern: '^1e20[0-9a-f]{64}$' },
        signature,
      },
    },
    HubIsccNoteDelete: {
      type: 'object',
      required: ['$schema', 'iscc_id', 'timestamp', 'nonce', 'signature'],
      additionalProperties: false,
      properties: {
        $schema: { const: 'http://purl.org/iscc/schema/iscc-note-delete-0.8.0.json' },
        iscc_id: { type: 'string' },
        timestamp: { type: 'string' },
        nonce: { type: 'string', pattern: '^[0-9a-f]{32}$' },
        signature,
      },
    },
    HubIsccReceipt: {
      type: 'object',
      required: ['@context', 'type', 'issuer', 'credentialSubject', 'proof'],
      properties: {
        '@context': { type: 'array' },
        type: { type: 'array', items: { type: 'string' } },
        issuer: { type: 'string' },
        credentialSubject: {
          type: 'object',
          properties: { id: { type: 'string' }, declaration: { type: 'object', properties: { seq: { type: 'integer' }, iscc_id: { type: 'string' }, iscc_note: { $ref: '#/components/schemas/HubIsccNote' } } } },
        },
        evidence: {
          type: 'object',
          properties: { type: { const: 'IsccLogInclusionProof' }, checkpoint: { type: 'string' }, treeSize: { type: 'integer' }, leafIndex: { type: 'integer' }, inclusionProof: { type: 'array', items: { type: 'string' } } },
        },
        proof: { type: 'object' },
      },
    },
    HubDeclaration: {
      type: 'object',
      required: ['iscc_id', 'seq', 'hub_id', 'iscc_code', 'datahash', 'nonce', 'timestamp', 'pubkey', 'iscc_note', 'source'],
      properties: {
        iscc_id: { type: 'string' },
        seq: { type: 'integer' },
        hub_id: { type: 'integer' },
        iscc_code: { type: 'string' },
        datahash: { type: 'string' },
        nonce: { type: 'string' },
        timestamp: { type: 'string' },
        pubkey: { type: 'string' },
        controller: { type: 'string' },
        metahash: { type: 'string' },
        units: { type: 'array', items: { type: 'string' } },
        gateway: { type: 'string' },
        gateway_url: { type: 'string' },
        iscc_note: { $ref: '#/components/schemas/HubIsccNote' },
        source: { type: 'string' },
        distance: { type: 'number', description: 'search results only' },
      },
    },
  };
  return { paths, schemas };
}
