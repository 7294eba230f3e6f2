import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { jcsCanonicalize, jsonCanonical } from './jcs.ts';
import { IsccError } from './errors.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
const dec = new TextDecoder();
const text = (v: unknown): string => dec.decode(jsonCanonical(v));

/** Whether every number in `v` reads back from its ES6 text as the same value (iscc-core's check). */
function roundTrips(v: unknown): boolean {
  if (typeof v === 'number') {
    const s = JSON.stringify(v);
    return !/^-?\d+$/.test(s) || BigInt(s) === BigInt(v);
  }
  if (Array.isArray(v)) return v.every(roundTrips);
  if (v && typeof v === 'object') return Object.values(v).every(roundTrips);
  return true;
}

function conformanceDir(): string {
  const dir = process.env.ISCC_CONFORMANCE_DIR ?? resolve(import.meta.dirname, '../../../../shared/conformance');
  if (!existsSync(resolve(dir, 'data.json'))) throw new Error(`conformance data not found: ${resolve(dir, 'data.json')}`);
  return dir;
}

/** Float from its IEEE-754 bit pattern (hex), as RFC 8785 Appendix B lists them. */
function f64(hex: string): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
}

describe('jsonCanonical: RFC 8785', () => {
  it('reproduces the section 3.2.2 example', () => {
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals": [null, true, false]}',
    );
    expect(text(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units (section 3.2.3 example)', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(text(input)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","ö":"Latin Small Letter O With Diaeresis",' +
        '"€":"Euro Sign","😀":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('serialises numbers per Appendix B', () => {
    const cases: [string, string][] = [
      ['0000000000000000', '0'],
      ['8000000000000000', '0'],
      ['0000000000000001', '5e-324'],
      ['8000000000000001', '-5e-324'],
      ['7fefffffffffffff', '1.7976931348623157e+308'],
      ['ffefffffffffffff', '-1.7976931348623157e+308'],
      ['4340000000000000', '9007199254740992'],
      ['c340000000000000', '-9007199254740992'],
      ['4430000000000000', '295147905179352830000'],
      ['44b52d02c7e14af5', '9.999999999999997e+22'],
      ['44b52d02c7e14af6', '1e+23'],
      ['44b52d02c7e14af7', '1.0000000000000001e+23'],
      ['444b1ae4d6e2ef4e', '999999999999999700000'],
      ['444b1ae4d6e2ef4f', '999999999999999900000'],
      ['444b1ae4d6e2ef50', '1e+21'],
      ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
      ['3eb0c6f7a0b5ed8d', '0.000001'],
      ['41b3de4355555553', '333333333.3333332'],
      ['41b3de4355555554', '333333333.33333325'],
      ['41b3de4355555555', '333333333.3333333'],
      ['41b3de4355555556', '333333333.3333334'],
      ['41b3de4355555557', '333333333.33333343'],
      ['becbf647612f3696', '-0.0000033333333333333333'],
    ];
    for (const [hex, want] of cases) expect(jcsCanonicalize(f64(hex)), hex).toBe(want);
    expect(text(1.0)).toBe('1');
    expect(text(1e20)).toBe('100000000000000000000');
  });

  it('rejects NaN and Infinity like RFC 8785 requires', () => {
    for (const v of [f64('7fffffffffffffff'), f64('7ff0000000000000'), -Infinity]) {
      expect(() => jsonCanonical({ v })).toThrow(IsccError);
    }
  });

  it('writes integers through a float, like Python jcs, and refuses those that do not round-trip', () => {
    // Python's jcs formats ints via float(); iscc-core's json_canonical then requires that the
    // text reads back as the same value.
    expect(jcsCanonicalize({ n: 2n ** 64n + 1n, m: -(10n ** 30n) })).toBe('{"m":-1e+30,"n":18446744073709552000}');
    expect(text({ big: 10n ** 20n, bigger: 2n ** 70n })).toBe('{"big":100000000000000000000,"bigger":1.1805916207174113e+21}');
    expect(text(10n ** 21n)).toBe('1e+21');
    for (const bad of [2n ** 53n + 1n, -(10n ** 30n), { x: 2n ** 64n }, 123456789012345680000, 2 ** 64, 34256273764979232]) {
      expect(() => jsonCanonical(bad)).toThrow(IsccError);
    }
  });

  it('escapes control characters with lowercase hex and keeps everything else literal', () => {
    expect(text('\u0000\u001f\u007f\b\t\n\f\r"\\/\u2028\ud83d\ude00')).toBe(
      '"\\u0000\\u001f\u007f\\b\\t\\n\\f\\r\\"\\\\/\u2028😀"',
    );
    expect(jsonCanonical('é')).toEqual(new Uint8Array([0x22, 0xc3, 0xa9, 0x22]));
  });

  it('refuses what is not JSON data instead of dropping it', () => {
    const bad: unknown[] = [
      undefined,
      { a: undefined },
      [undefined],
      () => 1,
      Symbol('x'),
      new Date(0),
      new Map(),
      new Uint8Array(2),
      '\ud800',
      { '\udc00': 1 },
      'a\udc00b',
      // eslint-disable-next-line no-sparse-arrays
      [1, , 2],
      { [Symbol('k')]: 1 },
    ];
    for (const v of bad) {
      expect(() => jsonCanonical(v)).toThrow(IsccError);
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => jsonCanonical(cyclic)).toThrow(/cyclic/);
    try {
      jsonCanonical({ a: [1, { b: NaN }] });
      expect.unreachable();
    } catch (e) {
      expect((e as IsccError).code).toBe('ISCC_INVALID_ARGUMENT');
      expect((e as IsccError).message).toContain('obj["a"][1]["b"]');
    }
  });

  it('accepts shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { x: 1 };
    expect(text([shared, shared])).toBe('[{"x":1},{"x":1}]');
    const bare = Object.create(null) as Record<string, unknown>;
    bare.b = 2;
    bare.a = 1;
    expect(text(bare)).toBe('{"a":1,"b":2}');
  });

  it('matches the JCS meta payloads of the iscc-core conformance vectors', () => {
    const data = JSON.parse(readFileSync(resolve(conformanceDir(), 'data.json'), 'utf8')) as {
      gen_meta_code_v0: Record<string, { inputs: unknown[]; outputs: { meta?: string } }>;
    };
    let checked = 0;
    for (const [name, tc] of Object.entries(data.gen_meta_code_v0)) {
      const meta = tc.inputs[2];
      if (meta === null || typeof meta !== 'object') continue;
      const url = tc.outputs.meta ?? '';
      const b64 = url.slice(url.indexOf(',') + 1);
      const want = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      expect(jsonCanonical(meta), name).toEqual(want);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(4);
  });
});

describe('jsonCanonical: properties', () => {
  const norm = (v: unknown): unknown => JSON.parse(JSON.stringify(v)); // folds -0 into 0 like JCS

  it('never throws on JSON data and round-trips through JSON.parse', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const out = jcsCanonicalize(v);
        expect(JSON.parse(out)).toEqual(norm(v));
        if (roundTrips(v)) expect(text(v)).toBe(out);
        else expect(() => jsonCanonical(v)).toThrow(IsccError);
      }),
      { numRuns: RUNS },
    );
  });

  it('is idempotent and has no whitespace outside strings', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const once = jcsCanonicalize(v);
        expect(jcsCanonicalize(JSON.parse(once))).toBe(once);
        expect(once.replace(/"(?:[^"\\]|\\.)*"/g, '')).not.toMatch(/\s/);
      }),
      { numRuns: RUNS },
    );
  });

  it('orders object members independently of insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ unit: 'binary' }), fc.integer()), (d) => {
        const reversed = Object.fromEntries(Object.entries(d).reverse());
        expect(text(reversed)).toBe(text(d));
        // Independent oracle: explicit code-unit comparison, members joined by hand.
        const units = (s: string): number[] => Array.from({ length: s.length }, (_, i) => s.charCodeAt(i));
        const cmp = (a: string, b: string): number => {
          const x = units(a);
          const y = units(b);
          for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
          return x.length - y.length;
        };
        const wellFormed = Object.keys(d).every((k) => !/[\uD800-\uDFFF]/.test(k.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/g, '')));
        if (!wellFormed) {
          expect(() => jsonCanonical(d)).toThrow(IsccError);
          return;
        }
        const members = Object.keys(d)
          .sort(cmp)
          .map((k) => `${JSON.stringify(k)}:${d[k]}`);
        expect(text(d)).toBe(`{${members.join(',')}}`);
      }),
      { numRuns: RUNS },
    );
  });
});
