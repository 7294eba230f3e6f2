/**
 * Test-only helper: where the shared sample media live (`$ISCC_SAMPLES_DIR`, default
 * ../shared/samples next to the repository). Throws naming the path when they are absent.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
/** Absolute path of the shared samples directory. */
export const SAMPLES_DIR: string = process.env['ISCC_SAMPLES_DIR'] ?? resolve(repoRoot, '..', 'shared', 'samples');
if (!existsSync(resolve(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'))) {
  throw new Error(`sample media not found: ${SAMPLES_DIR}/EXPECTED-iscc-sdk.json (set ISCC_SAMPLES_DIR)`);
}
