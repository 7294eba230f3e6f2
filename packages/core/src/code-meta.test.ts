import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import { genMetaCode, genMetaCodeV0, softHashMetaV0, type MetaInput } from './code-meta.ts';
import { dataUrlPayload, dataUrlFromBytes, pyB64decode } from './_data-url.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const b64 = (s: string) => btoa(s);

type Case = { inputs: unknown[]; outputs: Record<string, unknown> };
const vectors = readConformanceJson<Record<string, Record<string, Case>>>('data.json');

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof IsccError) return e.code;
    throw e;
  }
  return undefined;
}

describe('genMetaCodeV0: conformance vectors (data.json)', () => {
  const cases = Object.entries(vectors['gen_meta_code_v0']!);
  it('has the 20 cases', () => expect(cases).toHaveLength(20));
  for (const [name, c] of cases) {
    it(name, () => {
      const [n, d, m, bits] = c.inputs as [string, string, MetaInput | null, number];
      expect(genMetaCodeV0(n, d, m, bits)).toStrictEqual(c.outputs);
      expect(genMetaCode(n, d, m, bits)).toStrictEqual(c.outputs);
    });
  }
});

describe('genMetaCodeV0: reference tests (test_code_meta.py)', () => {
  it('requires a name', () => {
    expect(code(() => genMetaCodeV0(null))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
    expect(code(() => genMetaCodeV0(' '))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
    expect(code(() => genMetaCodeV0('\u0000\n\t'))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
  });

  it('name only', () => {
    expect(genMetaCodeV0('Hello  World')).toStrictEqual({
      iscc: 'ISCC:AAAWN77F727NXSUS',
      name: 'Hello World',
      metahash: '1e2041f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76',
    });
  });

  it('name and description (description keeps one blank line)', () => {
    expect(genMetaCodeV0('Hello  World', '# Some\n\n\n description')).toStrictEqual({
      iscc: 'ISCC:AAAWN77F72MBZZK3',
      name: 'Hello World',
      description: '# Some\n\n description',
      metahash: '1e20bd06bd79a3df82b163e346e5a477062aed41c2a9cf1e5812cf8947e2e3555a38',
    });
  });

  it('meta as object', () => {
    expect(genMetaCodeV0('hello', null, { hello: 'metadata' })).toStrictEqual({
      iscc: 'ISCC:AAAWKLHFXMFCA2OC',
      name: 'hello',
      meta: 'data:application/json;base64,eyJoZWxsbyI6Im1ldGFkYXRhIn0=',
      metahash: '1e200c6f9a94eb08835a957ffc9a7c80cf3fb54d1c6a8f13a41a6573a57ba146b0d2',
    });
  });

  it('interleaves name and description hashes', () => {
    expect(genMetaCodeV0('Hello')).toStrictEqual({
      iscc: 'ISCC:AAAWKLHFXM75OAMK',
      metahash: '1e20fbc2b0516ee8744d293b980779178a3508850fdcfe965985782c39601b65794f',
      name: 'Hello',
    });
    expect(genMetaCodeV0('Hello', 'World')).toStrictEqual({
      description: 'World',
      iscc: 'ISCC:AAAWKLHFXNSF7NNE',
      metahash: '1e2041f8394111eb713a22165c46c90ab8f0fd9399c92028fd6d288944b23ff5bf76',
      name: 'Hello',
    });
  });

  it('rejects meta of other types (TypeError upstream)', () => {
    expect(code(() => genMetaCodeV0('Hello', '', new Uint8Array([1]) as unknown as MetaInput))).toBe(
      ISCC_ERROR_CODES.INVALID_TYPE,
    );
    expect(code(() => genMetaCodeV0('Hello', '', 50 as unknown as MetaInput, 64))).toBe(ISCC_ERROR_CODES.INVALID_TYPE);
    expect(code(() => genMetaCodeV0('Hello', '', [1] as unknown as MetaInput))).toBe(ISCC_ERROR_CODES.INVALID_TYPE);
    expect(code(() => genMetaCodeV0('Hello', 123 as unknown as string))).toBe(ISCC_ERROR_CODES.INVALID_TYPE);
    expect(code(() => genMetaCodeV0(42 as unknown as string))).toBe(ISCC_ERROR_CODES.INVALID_TYPE);
  });

  it('rejects a string that is not a Data-URL (AttributeError upstream)', () => {
    expect(code(() => genMetaCodeV0('Hello', '', 'hello world'))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
    // A Data-URL without ;base64 leaves a str payload that the reference cannot hash.
    expect(code(() => genMetaCodeV0('Hello', '', 'data:text/plain,hello'))).toBe(ISCC_ERROR_CODES.INVALID_ARGUMENT);
  });

  it('treats empty meta values as absent, like Python truthiness', () => {
    const plain = genMetaCodeV0('Hello', 'World');
    for (const m of [null, undefined, '', {}, [] as unknown as MetaInput]) {
      expect(genMetaCodeV0('Hello', 'World', m)).toStrictEqual(plain);
    }
  });

  it('uses application/ld+json when the object has @context', () => {
    const r = genMetaCodeV0('Hello', '', { '@context': 'object' });
    expect(r.meta).toBe('data:application/ld+json;base64,eyJAY29udGV4dCI6Im9iamVjdCJ9');
  });

  it('a Data-URL and the equivalent object give the same code and metahash', () => {
    const a = genMetaCodeV0('Hello', '', { some: 'object' });
    const b = genMetaCodeV0('Hello', '', a.meta!);
    expect(b).toStrictEqual(a);
  });
});

describe('META_TRIM_META limit (128000 bytes)', () => {
  it('accepts a payload exactly at the limit', () => {
    const durl = `data:application/octet-stream;base64,${b64('x'.repeat(128_000))}`;
    expect(genMetaCodeV0('Test', null, durl).iscc).toMatch(/^ISCC:AAA/);
  });

  it('rejects a Data-URL payload one byte over it', () => {
    const durl = `data:application/octet-stream;base64,${b64('x'.repeat(128_001))}`;
    expect(() => genMetaCodeV0('Test', null, durl)).toThrow(/META_TRIM_META/);
    expect(code(() => genMetaCodeV0('Test', null, durl))).toBe(ISCC_ERROR_CODES.LIMIT_EXCEEDED);
  });

  it('rejects an object whose canonical JSON is over it', () => {
    expect(code(() => genMetaCodeV0('Test', null, { key: 'v'.repeat(128_000) }))).toBe(
      ISCC_ERROR_CODES.LIMIT_EXCEEDED,
    );
  });
});

describe('softHashMetaV0', () => {
  it('matches the reference tests', () => {
    const empty = 'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262';
    expect(hex(softHashMetaV0(''))).toBe(empty);
    expect(hex(softHashMetaV0('', ''))).toBe(empty);
    expect(hex(softHashMetaV0('', new Uint8Array(0)))).toBe(empty);
    expect(hex(softHashMetaV0('', 'Hello'))).toBe(
      'af1349b9652ce5bbf5f9a1a63fd7018aa0404dea8746265c36dcc949d8a542f4',
    );
    const ma = softHashMetaV0('');
    const mb = softHashMetaV0('', 'hello');
    expect(mb.subarray(0, 4)).toEqual(ma.subarray(0, 4));
    expect(mb.subarray(8, 12)).toEqual(ma.subarray(4, 8));
  });

  it('hashes bytes per 4-byte n-gram and text per collapsed 3-code-point n-gram', () => {
    const t = new TextEncoder();
    // Text is collapsed first: case, spaces and punctuation do not matter.
    expect(softHashMetaV0('Hello', 'W o-r.l d!')).toEqual(softHashMetaV0('hello', 'world'));
    // Bytes are not collapsed.
    expect(softHashMetaV0('Hello', t.encode('World'))).not.toEqual(softHashMetaV0('Hello', t.encode('world')));
    expect(softHashMetaV0('x', t.encode('ab'))).toHaveLength(32);
  });

  it('rejects extra of other types (ValueError upstream)', () => {
    expect(code(() => softHashMetaV0('Hello', 123 as unknown as string))).toBe(ISCC_ERROR_CODES.INVALID_TYPE);
    expect(code(() => softHashMetaV0(null as unknown as string))).toBe(ISCC_ERROR_CODES.INVALID_TYPE);
  });
});

describe('Data-URL handling (data-url 1.3.1 semantics)', () => {
  const golden = JSON.parse(
    readFileSync(new URL('./__fixtures__/data-url-golden.json', import.meta.url), 'utf8'),
  ) as { cases: { url: string; payload: string | null }[] };

  it('decodes exactly what the Python library decodes, and fails where it fails', () => {
    expect(golden.cases.length).toBeGreaterThan(300);
    for (const { url, payload } of golden.cases) {
      let got: string;
      try {
        got = hex(dataUrlPayload(url));
      } catch (e) {
        expect(e).toBeInstanceOf(IsccError);
        got = 'fail';
      }
      // null (not a Data-URL), 'str' (not base64) and 'error' all make gen_meta_code fail.
      const want = payload === null || payload === 'str' || payload === 'error' ? 'fail' : payload;
      expect(got, url).toBe(want);
    }
  });

  it('builds standard padded base64 URLs', () => {
    expect(dataUrlFromBytes('application/json', new TextEncoder().encode('{"value":1}'))).toBe(
      'data:application/json;base64,eyJ2YWx1ZSI6MX0=',
    );
    expect(dataUrlFromBytes('application/json', new Uint8Array(0))).toBe('data:application/json;base64,');
  });

  it('pyB64decode round-trips any bytes', () => {
    for (let n = 0; n < 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n) & 0xff);
      const s = btoa(String.fromCharCode(...bytes));
      expect(pyB64decode(s)).toEqual(bytes);
    }
  });
});
