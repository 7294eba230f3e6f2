/**
 * The server's HTTP API as the page uses it (same origin; DESIGN.md's surface table):
 * - `POST /api/v1/iscc` (multipart `file`): the full sdk's `code_iscc` of an upload;
 * - `POST /index/search`: ISCC-VDB search, answered in the spec's `{status, data, error}`;
 * - `GET /hub/health` (the hub id that nonces must carry) and `POST /hub/declaration`
 *   (IsccNote -> IsccReceipt; errors as RFC 9457 problem+json).
 * Every failure becomes an {@link ApiError} with a message a person can act on.
 */

/** A failed call: HTTP status (0 when the server was unreachable) and a readable message. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: number, message: string, readonly code?: string) {
    super(message);
  }
}

async function call(path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers: { accept: 'application/json, application/problem+json', ...(init.headers ?? {}) } });
  } catch (e) {
    throw new ApiError(0, `cannot reach the server (${(e as Error).message})`);
  }
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // keep the text
  }
  if (!res.ok) {
    const b = (body ?? {}) as { detail?: string; title?: string; message?: string; code?: string; error?: { code?: string; message?: string } };
    const message = b.error?.message ?? b.detail ?? b.message ?? b.title ?? (typeof body === 'string' && body ? body.slice(0, 200) : res.statusText);
    const hint = res.status === 404 ? ' (this server does not offer it)' : '';
    throw new ApiError(res.status, `${res.status} ${message}${hint}`, b.error?.code ?? b.code);
  }
  return { status: res.status, body };
}

/** One search hit. */
export interface SearchHit {
  iscc_id: string;
  distance: number;
}

/** Result of {@link searchIndex}. */
export interface SearchResult {
  hits: SearchHit[];
  instanceMatches: string[];
  unitMatches: Record<string, { keys: string[]; distances: number[] }>;
}

/** Similar entries of the server's index for one ISCC. */
export async function searchIndex(iscc: string, count: number): Promise<SearchResult> {
  const { body } = await call('/index/search', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ iscc_codes: [iscc], count }),
  });
  const env = body as { status?: string; data?: unknown; error?: { message?: string } };
  if (env.status !== 'success') throw new ApiError(200, env.error?.message ?? 'the index answered without success');
  const d = (Array.isArray(env.data) ? env.data[0] : env.data) as
    | { keys?: string[]; distances?: number[]; instance_matches?: string[]; unit_matches?: Record<string, { keys: string[]; distances: number[] }> }
    | undefined;
  const keys = d?.keys ?? [];
  const distances = d?.distances ?? [];
  return {
    hits: keys.map((k, i) => ({ iscc_id: k, distance: distances[i] ?? 1 })),
    instanceMatches: d?.instance_matches ?? [],
    unitMatches: d?.unit_matches ?? {},
  };
}

/** The hub's id (the first 12 bits of the nonces it accepts). */
export async function hubId(): Promise<number> {
  const { body } = await call('/hub/health', { method: 'GET' });
  const id = (body as { hub_id?: unknown }).hub_id;
  if (typeof id !== 'number') throw new ApiError(200, 'the hub did not say its hub_id');
  return id;
}

/** Declare a signed IsccNote; returns the hub's receipt. */
export async function declare(note: unknown): Promise<Record<string, unknown>> {
  const { body } = await call('/hub/declaration', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(note),
  });
  return body as Record<string, unknown>;
}

/** The server's full-sdk ISCC of an uploaded file (`name`/`description` override embedded ones). */
export async function serverIscc(file: File, fields: { name?: string; description?: string } = {}): Promise<Record<string, unknown>> {
  const form = new FormData();
  // Text fields first: the server reads them while it streams the file part to disk.
  if (fields.name?.trim()) form.append('name', fields.name.trim());
  if (fields.description?.trim()) form.append('description', fields.description.trim());
  form.append('file', file, file.name);
  const { body } = await call('/api/v1/iscc', { method: 'POST', body: form });
  return body as Record<string, unknown>;
}
