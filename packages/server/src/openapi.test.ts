/**
 * `/openapi.json` describes every mounted route, and nothing that is not mounted: the app's
 * route table (hono `app.routes`, sub-apps included) is compared with the document's `paths`
 * in both directions. Also: the document is well-formed OpenAPI 3.1 as far as we can check
 * without a validator (every `$ref` resolves, every operation has responses, path parameters
 * are declared).
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, configFromEnv } from './app.ts';
import { openApiDocument } from './openapi.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

const dir = mkdtempSync(join(tmpdir(), 'iscc-openapi-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `METHOD path` of every route of the app, with hono's `:param` written as OpenAPI `{param}`. */
function routeTable(withWeb: boolean): Set<string> {
  const web = join(dir, withWeb ? 'web' : 'none');
  if (withWeb) {
    mkdirSync(web, { recursive: true });
    writeFileSync(join(web, 'index.html'), '<!doctype html>');
  }
  const config = configFromEnv({ ISCC_LOG: 'off' });
  const { app } = createApp({ ...config, dataDir: join(dir, 'data'), service: { ...config.service, webDir: web } });
  const out = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    out.add(`${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z_]\w*)/g, '{$1}')}`);
  }
  return out;
}

function specOperations(spec: Json): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(spec.paths as Json)) for (const m of Object.keys(item)) if (METHODS.includes(m)) out.add(`${m} ${path}`);
  return out;
}

/** Whether the documented operation `op` is served by `route` (wildcards serve concrete paths). */
function serves(route: string, op: string): boolean {
  if (route === op) return true;
  const [rm, rp] = route.split(' ') as [string, string];
  const [om, op_] = op.split(' ') as [string, string];
  if (rm !== om || !rp.endsWith('/*')) return false;
  const prefix = rp.slice(0, -1);
  // The web page's catch-all serves `/` and `/{asset}`; other wildcards serve what lies below them.
  return prefix === '/' ? op_ === '/' || op_ === '/{asset}' : op_.startsWith(prefix) && op_.length > prefix.length;
}

describe('/openapi.json', () => {
  const spec = openApiDocument();
  for (const withWeb of [true, false]) {
    it(`lists every mounted route and no other (web page ${withWeb ? 'built' : 'missing'})`, () => {
      const routes = routeTable(withWeb);
      const ops = specOperations(spec);
      expect(routes.size).toBeGreaterThan(25);
      const undocumented = [...routes].filter((r) => ![...ops].some((o) => serves(r, o)));
      expect(undocumented).toEqual([]);
      // Documented operations without a route: only the web assets when the page is not built.
      const unserved = [...ops].filter((o) => ![...routes].some((r) => serves(r, o)));
      expect(unserved).toEqual(withWeb ? [] : ['get /{asset}']);
    });
  }

  it('covers the surface of DESIGN.md', () => {
    const ops = specOperations(spec);
    for (const op of ['post /api/v1/iscc', 'get /api/v1/explain', 'post /index/add', 'post /index/search', 'get /index/get/{id}', 'post /hub/declaration', 'get /hub/{iscc_id}', 'get /hub/search', 'get /hub/.well-known/did.json', 'get /health', 'get /docs', 'get /openapi.json', 'get /']) {
      expect(ops.has(op), op).toBe(true);
    }
  });

  it('is consistent: refs resolve, operations have responses, path parameters are declared', () => {
    expect(spec.openapi).toBe('3.1.0');
    const refs: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref' && typeof x === 'string') refs.push(x);
          else walk(x);
        }
      }
    };
    walk(spec);
    expect(refs.length).toBeGreaterThan(10);
    for (const r of refs) {
      expect(r.startsWith('#/components/schemas/'), r).toBe(true);
      expect(spec.components.schemas[r.split('/').pop()!], r).toBeDefined();
    }
    for (const [path, item] of Object.entries(spec.paths as Json)) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [m, op] of Object.entries(item as Json)) {
        if (!METHODS.includes(m)) continue;
        expect(Object.keys(op.responses ?? {}).length, `${m} ${path}`).toBeGreaterThan(0);
        const declared = [...(op.parameters ?? []), ...((item as Json).parameters ?? [])].filter((p: Json) => p.in === 'path').map((p: Json) => p.name);
        expect(declared.sort(), `${m} ${path}`).toEqual([...names].sort());
      }
    }
  });
});
