/** The OpenAPI fragment names every route the app serves and resolves its references. */
import { describe, it, expect } from 'vitest';
import { hubOpenApi } from './openapi.ts';
import { Hub } from './hub.ts';
import { createHubApp } from './routes.ts';

describe('hubOpenApi', () => {
  it('covers the app routes and every $ref resolves', async () => {
    const { paths, schemas } = hubOpenApi('/hub');
    const hub = await Hub.open({ hubId: 1 });
    const app = createHubApp({ hub });
    const routes = app.routes.map((r) => `${r.method} ${r.path}`);
    const documented = Object.entries(paths).flatMap(([p, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${p}`));
    const norm = (s: string): string => s.replace(/^(\w+) \/hub/, '$1 ').replace(/\{(\w+)\}/g, ':$1').replace(/ $/, ' /');
    for (const r of routes) {
      const route = r.replace('/log/tile/*', '/log/tile/:L/:N');
      expect(documented.map(norm)).toContain(route);
    }
    const refs = JSON.stringify({ paths, schemas }).match(/#\/components\/schemas\/\w+/g)!;
    for (const ref of refs) expect(Object.keys(schemas)).toContain(ref.split('/').pop());
    await hub.close();
  });
});
