// TypeDoc plugin for `npm run docs` (typedoc.json): names each entry-point module after its
// package (`core/src` -> `@iscc-ts/core`, read from packages/<dir>/package.json) and shows the
// package's README.md, when it has one, on the module's page.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Converter, MinimalSourceFile, ReflectionKind } from 'typedoc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module)) return;
    const m = /^([\w-]+)\/src$/.exec(reflection.name);
    if (!m) return;
    const dir = join(root, 'packages', m[1]);
    const pkgFile = join(dir, 'package.json');
    if (!existsSync(pkgFile)) return;
    reflection.name = JSON.parse(readFileSync(pkgFile, 'utf8')).name;
    const readme = join(dir, 'README.md');
    if (existsSync(readme)) {
      const file = new MinimalSourceFile(readFileSync(readme, 'utf8'), readme);
      reflection.readme = context.converter.parseRawComment(file, context.project.files).content;
    }
  });
}
