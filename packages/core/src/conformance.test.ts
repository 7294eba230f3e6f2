import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir, readConformanceJson } from '../../../tests/conformance-dir.ts';
import { ISCC_CORE_DATA_JSON, ISCC_SUM_DATA_JSON } from './_conformance-data.ts';
import {
  conformanceCases,
  conformanceSelftest,
  decodeVectorInput,
  jsonDeepEqual,
  runConformanceCase,
  type ConformanceData,
} from './conformance.ts';

const files = [
  { suite: 'iscc-core', data: readConformanceJson<ConformanceData>('data.json') },
  { suite: 'iscc-sum', data: readConformanceJson<ConformanceData>('iscc-sum/test_vectors.json') },
];
const cases = conformanceCases(files);

describe('conformance vectors from ISCC_CONFORMANCE_DIR', () => {
  it('has all 50 iscc-core and 19 iscc-sum cases', () => {
    expect(cases.filter((c) => c.suite === 'iscc-core')).toHaveLength(50);
    expect(cases.filter((c) => c.suite === 'iscc-sum')).toHaveLength(19);
  });
  for (const c of cases) {
    it(`${c.suite} ${c.func} ${c.name}`, () => {
      const r = runConformanceCase(c);
      expect(r.error).toBeUndefined();
      expect(r.got).toEqual(c.outputs);
      expect(r.passed).toBe(true);
    });
  }
});

describe('bundled vectors', () => {
  it('are byte-identical to the shared files', () => {
    const dir = conformanceDir();
    expect(ISCC_CORE_DATA_JSON).toBe(readFileSync(join(dir, 'data.json'), 'utf8'));
    expect(ISCC_SUM_DATA_JSON).toBe(readFileSync(join(dir, 'iscc-sum', 'test_vectors.json'), 'utf8'));
  });
  it('pass conformanceSelftest()', () => {
    expect(conformanceSelftest()).toBe(true);
  });
});

describe('harness', () => {
  it('strips the stream: prefix as a prefix, not a character set', () => {
    // Python's str.lstrip("stream:") would also eat a leading "a" or "e" of the hex.
    expect(decodeVectorInput('stream:ae01')).toEqual(new Uint8Array([0xae, 0x01]));
    expect(decodeVectorInput('stream:')).toEqual(new Uint8Array(0));
    expect(decodeVectorInput('ISCC:AAA')).toBe('ISCC:AAA');
  });
  it('compares whole objects and rejects extra keys', () => {
    expect(jsonDeepEqual({ a: 1, b: [1, 'x'] }, { b: [1, 'x'], a: 1 })).toBe(true);
    expect(jsonDeepEqual({ a: 1 }, { a: 1, units: [] })).toBe(false);
    expect(jsonDeepEqual([1, 2], [2, 1])).toBe(false);
  });
  it('reports a failing vector instead of throwing', () => {
    const r = runConformanceCase({ suite: 'x', func: 'gen_text_code_v0', name: 't', inputs: ['abc', 64], outputs: { iscc: 'nope' } });
    expect(r.passed).toBe(false);
  });
});
