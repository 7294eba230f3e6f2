/**
 * Golden-vector test: checks every public function and class against
 * `__vectors__/reference-1.3.0.json`, which iscc-core 1.3.0 (the Python reference) produced,
 * and checks that every input in `__vectors__/hostile.json` (inputs on which the reference
 * raises) makes ours throw `IsccError`. Provenance and conventions are in
 * `__vectors__/SOURCE.md`; the comparison logic is in tests/reference-harness.ts, shared with
 * the browser run. Tests are grouped per Python name, so a failure names function and case.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as core from './index.ts';
import { checkReferenceCase, useCore, vectorGroups, type VectorFile } from '../../../tests/reference-harness.ts';

useCore(core);

function loadVectors(url: URL): VectorFile {
  const path = fileURLToPath(url);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`golden vectors not found at ${path}: ${String(err)}`);
  }
  return vectorGroups(JSON.parse(text) as Record<string, unknown>);
}

function defineGroups(title: string, vectors: VectorFile, minCases: number): void {
  describe(title, () => {
    it('loaded a non-trivial vector set', () => {
      const n = Object.values(vectors).reduce((a, g) => a + Object.keys(g).length, 0);
      expect(n).toBeGreaterThan(minCases);
    });
    for (const [group, cases] of Object.entries(vectors)) {
      describe(group, () => {
        for (const [caseName, c] of Object.entries(cases)) {
          it(caseName, async () => {
            expect(await checkReferenceCase(group, caseName, c)).toBeUndefined();
          });
        }
      });
    }
  });
}

defineGroups('reference vectors (iscc-core 1.3.0)', loadVectors(new URL('./__vectors__/reference-1.3.0.json', import.meta.url)), 5000);
// Every hostile case is an input on which the reference raises: ours must throw IsccError.
defineGroups('hostile inputs (iscc-core 1.3.0 raises)', loadVectors(new URL('./__vectors__/hostile.json', import.meta.url)), 1000);
