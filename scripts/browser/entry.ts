// Browser bundle entry for the conformance run: the same code runs in Node and in Chromium,
// and the two result lists must be identical.
import { conformanceRun, type ConformanceData } from '../../packages/core/src/index.ts';

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
