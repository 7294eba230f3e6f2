// Browser bundle entry for the conformance runs: the same code runs in Node and in Chromium,
// and the two result lists must be identical.
import * as core from '../../packages/core/src/index.ts';
import { conformanceRun, type ConformanceData } from '../../packages/core/src/index.ts';
import { checkReferenceCase, useCore, vectorGroups } from '../../tests/reference-harness.ts';

useCore(core);

/** The public conformance vectors (data.json, iscc-sum), or the bundled copies when none are given. */
export function run(files?: { suite: string; data: ConformanceData }[]) {
  return conformanceRun(files).map((r) => ({
    suite: r.suite,
    func: r.func,
    name: r.name,
    passed: r.passed,
    got: r.got ?? null,
    error: r.error ?? null,
  }));
}

/** The golden vectors of iscc-core 1.3.0 (parsed JSON of __vectors__/*.json). */
export async function runReference(suite: string, file: Record<string, unknown>) {
  const out: { suite: string; func: string; name: string; passed: boolean; got: null; error: string | null }[] = [];
  for (const [group, cases] of Object.entries(vectorGroups(file))) {
    for (const [name, c] of Object.entries(cases)) {
      const message = await checkReferenceCase(group, name, c);
      out.push({ suite, func: group, name, passed: message === undefined, got: null, error: message ?? null });
    }
  }
  return out;
}

export { runCryptoChecks } from '../../tests/crypto-checks.ts';
