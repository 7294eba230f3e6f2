import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { blake3 } from './blake3.ts';
import { IsccError } from './errors.ts';
import { algCdcChunks, algCdcOffset, algCdcParams } from './cdc.ts';
import { xorshiftBytes as randomBytes } from '../../../tests/test-support.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

/** iscc-core tests' `static_bytes`: little-endian 4-byte counters 1, 2, 3, ... cut to n bytes. */
function staticBytes(n = 1024 * 1024): Uint8Array {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= n; i += 4) view.setUint32(i, i / 4 + 1, true);
  const rest = n % 4;
  for (let k = 0; k < rest; k++) out[n - rest + k] = ((Math.floor(n / 4) + 1) >>> (8 * k)) & 0xff;
  return out;
}

const bytesArb = (maxLength: number): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.integer(), fc.integer({ min: 0, max: maxLength })).map(([seed, n]) => randomBytes(seed, n));

const chunksOf = (data: Uint8Array, utf32 = false, avg?: number): Uint8Array[] => [...algCdcChunks(data, utf32, avg)];

describe('algCdcParams', () => {
  it('test_get_params', () => {
    expect(algCdcParams(1024)).toEqual([256, 8192, 640, 2047, 511]);
    expect(algCdcParams(8192)).toEqual([2048, 65536, 5120, 16383, 4095]);
  });
  it('rejects unusable sizes', () => {
    expect(() => algCdcParams(1)).toThrow(IsccError);
    expect(() => algCdcParams(1.5)).toThrow(IsccError);
    expect(() => algCdcParams(NaN)).toThrow(IsccError);
  });
});

describe('algCdcChunks (tests/test_cdc.py)', () => {
  it('empty data yields one empty chunk', () => {
    const c = chunksOf(new Uint8Array(0));
    expect(c.length).toBe(1);
    expect(c[0]!.length).toBe(0);
  });
  it('one byte', () => {
    expect(chunksOf(new Uint8Array([0])).map(hex)).toEqual(['00']);
  });
  it.each([255, 256, 257, 1024, 1025])('%i bytes stay one chunk', (n) => {
    const data = staticBytes(n);
    const c = chunksOf(data);
    expect(c.length).toBe(1);
    expect(hex(c[0]!)).toBe(hex(data));
  });
  it('two chunks', () => {
    const data = staticBytes(1024 + 309);
    expect(chunksOf(data).map(hex)).toEqual([hex(data.subarray(0, -1)), hex(data.subarray(-1))]);
  });
  it('max odd', () => {
    const hashes = chunksOf(staticBytes(8192)).map((c) => hex(blake3(c)));
    expect(hashes).toEqual([
      'bc0dcea65a2cc750bd1d9b46eb67b6ea54d1fd43088343ceafda3788ac515a31',
      'b6739322973cc1ec27dd70781823187b90159e9739da22d451b3f89b56dd591b',
      '00ff5f6d4895630c9bd76ab4138b3e156707a79589018055305746532bf59f8e',
      '9f261eb3c27561c11aac31475e3ca8d88cafceeb51bae7feb1e8e43794af9760',
      '67f7e7d1d8720581f1b7545a50c320f4814b1d6f7bccba0c911e0ea01788c8fb',
      '1fa982a3d9acfcaedab6e65030ccb2c651b2c2b0f918e9588b22832000c48261',
      '5fae55e1aee84705fc3dc6e831d4f7981677e03338343bd6a783c45e333a55fe',
    ]);
  });
  it('max even', () => {
    const hashes = chunksOf(staticBytes(8192 + 1000)).map((c) => hex(blake3(c)));
    expect(hashes).toEqual([
      'bc0dcea65a2cc750bd1d9b46eb67b6ea54d1fd43088343ceafda3788ac515a31',
      'b6739322973cc1ec27dd70781823187b90159e9739da22d451b3f89b56dd591b',
      '00ff5f6d4895630c9bd76ab4138b3e156707a79589018055305746532bf59f8e',
      '9f261eb3c27561c11aac31475e3ca8d88cafceeb51bae7feb1e8e43794af9760',
      '67f7e7d1d8720581f1b7545a50c320f4814b1d6f7bccba0c911e0ea01788c8fb',
      '1fa982a3d9acfcaedab6e65030ccb2c651b2c2b0f918e9588b22832000c48261',
      '25fd35033e2964b02bb5c593b14ff613db663494e709cda3cd388f4f53ec7aca',
      '2032f28cfcdad86090b60fa5cfd8cc44b972df47d5f7e3637001d8e03b8fbc07',
    ]);
  });
  it('utf32', () => {
    const hashes = chunksOf(staticBytes(8192 + 1000), true).map((c) => hex(blake3(c)));
    expect(hashes).toEqual([
      'bc0dcea65a2cc750bd1d9b46eb67b6ea54d1fd43088343ceafda3788ac515a31',
      '62066f8394ff7bb7afdd7081ffa0c39a0341f8bd4985ad318bf28ab238a2327f',
      'd6e1586e7c3265a237335f76ad3f20d4323c66dd8ec269aaf5bbafcb7179430b',
      'a1ff4a40219292bd44e5bd71c89f3d411bb984853ecf1f32bcc34da07438374e',
      'dab6f7b0b12d135fb459d88bf44a97f8ab46f3105f634937a5a1d9034ab572c8',
      'a3e94d7f29498a6572d7e95a496470444283c8f84cd3ce9e9935477c82cc91ef',
      '66ad20c3d28f25f526b5e1684f0d008e8e35b55bc4e35fc1643e4aab80948761',
      'b0c9b6ea63f1667d903a7fb8ff18c2b3233fbb378f327102c605d19cd26f37dd',
      'f249cbe070bba6b689251074ddb75aa3ddfc02caa357f2f8f714cfeb39523d96',
    ]);
  });
  it('utf32 data with a ragged end throws instead of looping forever', () => {
    expect(() => chunksOf(new Uint8Array(9), true)).toThrow(IsccError);
  });
  it('validates eagerly', () => {
    expect(() => algCdcChunks('abc' as unknown as Uint8Array, false)).toThrow(IsccError);
    expect(() => algCdcChunks(new Uint8Array(1), 1 as unknown as boolean)).toThrow(IsccError);
    expect(() => algCdcChunks(new Uint8Array(1), false, 0)).toThrow(IsccError);
  });
});

describe('algCdcChunks properties', () => {
  it('chunks concatenate to the input and respect min/max sizes', () => {
    fc.assert(
      fc.property(
        bytesArb(20_000),
        fc.constantFrom(16, 64, 256, 1024),
        (data, avg) => {
          const [mi, ma] = algCdcParams(avg);
          const c = chunksOf(data, false, avg);
          // Plain checks per chunk (thousands of them), one assertion per case.
          const bad: string[] = [];
          let pos = 0;
          c.forEach((x, i) => {
            // a subarray of the input at the running offset: no copy, nothing skipped
            if (x.buffer !== data.buffer || x.byteOffset !== data.byteOffset + pos) bad.push(`chunk ${i} offset`);
            if (x.length > ma) bad.push(`chunk ${i} longer than max`);
            if (i < c.length - 1 && x.length <= mi) bad.push(`chunk ${i} not longer than min`);
            pos += x.length;
          });
          expect(bad).toEqual([]);
          expect(pos).toBe(data.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a cut does not depend on the bytes after it (what makes streaming possible)', () => {
    let cuts = 0;
    fc.assert(
      fc.property(bytesArb(12_000), bytesArb(3000), (a, b) => {
        const p = algCdcParams(1024);
        const cut = algCdcOffset(a, ...p);
        expect(cut).toBeLessThanOrEqual(Math.min(p[1], a.length));
        if (cut < a.length) {
          cuts++;
          const joined = new Uint8Array(a.length + b.length);
          joined.set(a);
          joined.set(b, a.length);
          expect(algCdcOffset(joined, ...p)).toBe(cut);
        }
      }),
      { numRuns: Math.min(RUNS, 300) },
    );
    expect(cuts).toBeGreaterThan(50); // the property was exercised, not vacuous
  });
});
