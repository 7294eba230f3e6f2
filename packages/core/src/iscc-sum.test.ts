import { describe, it, expect } from 'vitest';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import fc from 'fast-check';
import { IsccError } from './errors.ts';
import { genDataCodeV0 } from './code-data.ts';
import { genInstanceCodeV0 } from './code-instance.ts';
import { genIsccCodeV0 } from './iscc-code.ts';
import { codeIsccSum, IsccSumHasher, IsccSumProcessor } from './iscc-sum.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

type Vectors = Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>>;
/** A vector file from $ISCC_CONFORMANCE_DIR (fails loudly, naming the path, when absent). */
const loadVectors = (file: string): Vectors => readConformanceJson<Vectors>(file);
const streamInput = (s: unknown): Uint8Array => {
  if (typeof s !== 'string' || !s.startsWith('stream:')) throw new Error(`not a stream input: ${String(s)}`);
  return fromHex(s.slice('stream:'.length));
};

describe('iscc-sum test_vectors.json code_iscc_sum', () => {
  const cases = Object.entries(loadVectors('iscc-sum/test_vectors.json')['code_iscc_sum']!);
  it('has the expected number of cases', () => expect(cases.length).toBe(12));
  it.each(cases)('%s', async (_name, c) => {
    const data = streamInput(c.inputs[0]);
    const [wide, addUnits] = c.inputs.slice(1) as [boolean, boolean];
    // toStrictEqual: same keys (no `units` key without addUnits), same values
    expect(codeIsccSum(data, wide, addUnits)).toStrictEqual(c.outputs);
    const h = new IsccSumHasher();
    for (let i = 0; i < data.length; i += 7) h.update(data.subarray(i, i + 7));
    expect(h.result(wide, addUnits)).toStrictEqual(c.outputs);
    const rs = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(data.slice());
        ctl.close();
      },
    });
    await expect(codeIsccSum(rs, wide, addUnits)).resolves.toStrictEqual(c.outputs);
  });
});

describe('codeIsccSum', () => {
  it('defaults to narrow with units, as iscc-sum', () => {
    const data = new TextEncoder().encode('Hello, ISCC!');
    const r = codeIsccSum(data);
    expect(r.iscc).toBe('ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY');
    expect(r.units).toHaveLength(2);
    expect(Object.keys(codeIsccSum(data, true, false))).toEqual(['iscc', 'datahash', 'filesize']);
  });

  it('equals composing the separate Data-Code and Instance-Code', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4000, size: 'max' }), fc.boolean(), (data, wide) => {
        const bits = wide ? 128 : 64;
        const d = genDataCodeV0(data, bits).iscc;
        const i = genInstanceCodeV0(data, bits);
        const r = codeIsccSum(data, wide, true);
        expect(r.iscc).toBe(genIsccCodeV0([d, i.iscc], wide).iscc);
        expect(r.datahash).toBe(i.datahash);
        expect(r.filesize).toBe(data.length);
        expect(r.units).toEqual([genDataCodeV0(data, 256).iscc, genInstanceCodeV0(data, 256).iscc]);
        expect(r.iscc.startsWith(wide ? 'ISCC:K4' : 'ISCC:KU')).toBe(true);
      }),
      { numRuns: Math.min(RUNS, 300) },
    );
  });

  it('IsccSumProcessor is the same class; push is update; result is repeatable', () => {
    expect(IsccSumProcessor).toBe(IsccSumHasher);
    const h = new IsccSumProcessor();
    h.push(new Uint8Array([0xff]));
    const r1 = h.result(true, true);
    expect(h.result(true, true)).toStrictEqual(r1);
    expect(r1.iscc).toBe('ISCC:K4AF5ZIQC4WCUBIKR56VZLT3AO5WXGOUJU3XXRMTNWGLP5O7SBYT3BA');
  });

  it('rejects bad arguments before reading', () => {
    let reads = 0;
    const reader = { read: () => (reads++ ? new Uint8Array(0) : new Uint8Array(1)) };
    expect(() => codeIsccSum(reader, 1 as unknown as boolean)).toThrow(IsccError);
    expect(() => codeIsccSum(reader, false, 'yes' as unknown as boolean)).toThrow(IsccError);
    expect(reads).toBe(0);
    expect(() => codeIsccSum('abc' as unknown as Uint8Array)).toThrow(IsccError);
    expect(() => new IsccSumHasher().update({} as Uint8Array)).toThrow(IsccError);
  });
});
