/**
 * Where the public conformance vectors live for tests: `$ISCC_CONFORMANCE_DIR`, default
 * `../shared/conformance` beside the repository. Missing vectors are an error, never a skip:
 * a conformance suite that silently runs nothing would hide every regression.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The conformance directory; throws naming the path tried when it does not exist. */
export function conformanceDir(): string {
  const dir = resolve(process.env.ISCC_CONFORMANCE_DIR ?? join(REPO_ROOT, '..', 'shared', 'conformance'));
  if (!existsSync(join(dir, 'data.json'))) {
    throw new Error(
      `conformance vectors not found: ${join(dir, 'data.json')} does not exist. ` +
        'Set ISCC_CONFORMANCE_DIR to the folder holding data.json (default ../shared/conformance).',
    );
  }
  return dir;
}

/** Read and parse a JSON file below the conformance directory. */
export function readConformanceJson<T = unknown>(relPath: string): T {
  return JSON.parse(readFileSync(join(conformanceDir(), relPath), 'utf8')) as T;
}

/** The samples directory beside the conformance directory (`../shared/samples`). */
export function samplesDir(): string {
  const dir = resolve(process.env.ISCC_SAMPLES_DIR ?? join(conformanceDir(), '..', 'samples'));
  if (!existsSync(dir)) throw new Error(`samples not found: ${dir} (set ISCC_SAMPLES_DIR)`);
  return dir;
}
