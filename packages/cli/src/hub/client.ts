/**
 * A small HTTP client for an ISCC-HUB's routes (as @iscc-ts/hub and iscc-hub serve them under
 * a base URL such as `https://hub.example.com/hub`): health (for the hub id), declare,
 * resolve, search.
 *
 * A hub's refusal (4xx with problem+json or iscc-hub's `{error: {...}}`) becomes a
 * {@link HubRefusal} (exit 1: the hub answered "no"); an unreachable hub, a timeout, 5xx or a
 * body that is not JSON becomes an {@link InputError} (exit 2: trouble).
 */
import { InputError } from './io.ts';

/** Default per-request timeout in ms. */
export const HUB_TIMEOUT_MS = 30_000;

/** The hub answered with a 4xx: its stable code, status and message. */
export class HubRefusal extends Error {
  override readonly name = 'HubRefusal';
  readonly status: number;
  readonly code: string;
  readonly body: unknown;
  constructor(status: number, code: string, message: string, body: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** Where the hub is: `--hub URL`, else `$ISCC_HUB_ENDPOINT`. Trailing slashes are dropped. */
export function hubBaseUrl(option: unknown, env: NodeJS.ProcessEnv): string | null {
  const raw = typeof option === 'string' ? option : env.ISCC_HUB_ENDPOINT;
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError('ISCC_CLI_URL', `hub URL ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('ISCC_CLI_URL', `hub URL must be http(s), got ${raw}`);
  return raw.replace(/\/+$/, '');
}

/** Talks to one hub. */
export class HubClient {
  constructor(
    readonly base: string,
    private readonly fetchFn: typeof fetch = fetch,
    private readonly timeoutMs = HUB_TIMEOUT_MS,
  ) {}

  private async request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: unknown }> {
    const url = `${this.base}${path}`;
    let res: Response;
    try {
      res = await this.fetchFn(url, {
        method,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { message?: string } }).cause?.message;
      throw new InputError('ISCC_CLI_HUB_UNREACHABLE', `${method} ${url}: ${(e as Error).message}${cause ? ` (${cause})` : ''}`);
    }
    const text = await res.text();
    let json: unknown = null;
    if (text.length) {
      try {
        json = JSON.parse(text);
      } catch {
        throw new InputError('ISCC_CLI_HUB_RESPONSE', `${method} ${url}: HTTP ${res.status}, not JSON: ${text.slice(0, 200)}`);
      }
    }
    if (res.status >= 400 && res.status < 500) {
      const p = (json ?? {}) as { code?: string; detail?: string; title?: string; error?: { code?: string; message?: string } };
      const code = p.code ?? p.error?.code ?? `HTTP_${res.status}`;
      const message = p.detail ?? p.error?.message ?? p.title ?? `HTTP ${res.status}`;
      throw new HubRefusal(res.status, code, message, json);
    }
    if (res.status >= 500 || res.status < 200 || res.status >= 300) {
      const p = (json ?? {}) as { code?: string; detail?: string };
      throw new InputError('ISCC_CLI_HUB_RESPONSE', `${method} ${url}: HTTP ${res.status}${p.code ? ` [${p.code}]` : ''}${p.detail ? `: ${p.detail}` : ''}`);
    }
    return { status: res.status, json };
  }

  /** GET /health: status, hub_id, realm_id, ... */
  async health(): Promise<Record<string, unknown>> {
    return (await this.request('GET', '/health')).json as Record<string, unknown>;
  }

  /** The hub's id (0..4095), which a note's nonce must start with. */
  async hubId(): Promise<number> {
    const h = await this.health();
    const id = h.hub_id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 4095) {
      throw new InputError('ISCC_CLI_HUB_RESPONSE', `${this.base}/health gives no hub_id (0..4095); pass --hub-id`);
    }
    return id;
  }

  /** POST /declaration: the receipt. `force` declares a datahash that is declared already. */
  async declare(note: unknown, force = false): Promise<Record<string, unknown>> {
    return (await this.request('POST', '/declaration', note, force ? { 'x-force-declaration': 'true' } : {})).json as Record<string, unknown>;
  }

  /** GET /{iscc_id}: the declaration. */
  async resolve(isccId: string): Promise<Record<string, unknown>> {
    return (await this.request('GET', `/${encodeURIComponent(isccId)}`)).json as Record<string, unknown>;
  }

  /** GET /search?datahash= or ?iscc_code=&count= : `{query, results}`. */
  async search(query: { datahash?: string; iscc_code?: string; count?: number }): Promise<{ query: unknown; results: Record<string, unknown>[] }> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    return (await this.request('GET', `/search?${params}`)).json as { query: unknown; results: Record<string, unknown>[] };
  }
}
