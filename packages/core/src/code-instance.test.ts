import { describe, it, expect, afterEach } from 'vitest';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import fc from 'fast-check';
import { join } from 'node:path';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { setBlake3 } from './blake3.ts';
import { IsccError } from './errors.ts';
import {
  InstanceHasher,
  InstanceHasherV0,
  genInstanceCode,
  genInstanceCodeV0,
  hashInstanceV0,
} from './code-instance.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

type Vectors = Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>>;
/** A vector file from $ISCC_CONFORMANCE_DIR (fails loudly, naming the path, when absent). */
const loadVectors = (file: string): Vectors => readConformanceJson<Vectors>(file);
const streamInput = (s: unknown): Uint8Array => {
  if (typeof s !== 'string' || !s.startsWith('stream:')) throw new Error(`not a stream input: ${String(s)}`);
  return fromHex(s.slice('stream:'.length));
};

afterEach(() => setBlake3(undefined));

describe('conformance vectors', () => {
  const core = loadVectors('data.json');
  const sum = loadVectors('iscc-sum/test_vectors.json');
  const cases = [
    ...Object.entries(core['gen_instance_code_v0']!).map(([n, c]) => ['data.json ' + n, c] as const),
    ...Object.entries(sum['gen_instance_code']!).map(([n, c]) => ['iscc-sum ' + n, c] as const),
  ];
  it('has the expected number of cases', () => expect(cases.length).toBe(6));
  it.each(cases)('%s', async (_name, c) => {
    const data = streamInput(c.inputs[0]);
    const bits = c.inputs[1] as number;
    expect(genInstanceCodeV0(data, bits)).toStrictEqual(c.outputs);
    expect(genInstanceCode(data, bits)).toStrictEqual(c.outputs);
    const pieces = (async function* () {
      for (let i = 0; i < data.length; i += 999) yield data.slice(i, i + 999);
    })();
    await expect(genInstanceCodeV0(pieces, bits)).resolves.toStrictEqual(c.outputs);
  });
});

describe('tests/test_code_instance.py', () => {
  it('test_hash_instance_v0_empty', () =>
    expect(hex(hashInstanceV0(new Uint8Array(0)))).toBe(
      'af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    ));
  it('test_hash_instance_v0_zero', () =>
    expect(hex(hashInstanceV0(new Uint8Array([0])))).toBe(
      '2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213',
    ));
  it('test_gen_instance_code_v0_empty_default', () =>
    expect(genInstanceCodeV0(new Uint8Array(0))).toStrictEqual({
      iscc: 'ISCC:IAA26E2JXH27TING',
      datahash: '1e20af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
      filesize: 0,
    }));
  it('test_gen_code_instance_v0_zero_default', () =>
    expect(genInstanceCodeV0(new Uint8Array([0]))).toStrictEqual({
      iscc: 'ISCC:IAAS2OW637YRWYPR',
      datahash: '1e202d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213',
      filesize: 1,
    }));
  it('test_gen_code_instance_v0_hello_world_128', () =>
    expect(genInstanceCodeV0(utf8('hello world'), 128)).toStrictEqual({
      iscc: 'ISCC:IAB5OSMB56TQUDEIBOGYYGMF2B25W',
      datahash: '1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24',
      filesize: 11,
    }));
  it('test_gen_code_instance_hello_world_256', () =>
    expect(genInstanceCode(utf8('hello world'), 256)).toStrictEqual({
      iscc: 'ISCC:IAD5OSMB56TQUDEIBOGYYGMF2B25XS7WPG4ZUX4ZCTS2V6LLQMNJ4JA',
      datahash: '1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24',
      filesize: 11,
    }));
  it('test_gen_instance_code_schema_conformance', () =>
    expect(genInstanceCodeV0(utf8('hello world'))).toStrictEqual({
      iscc: 'ISCC:IAA5OSMB56TQUDEI',
      datahash: '1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24',
      filesize: 11,
    }));
});

describe('InstanceHasherV0', () => {
  it('is aliased as InstanceHasher and has the multihash prefix', () => {
    expect(InstanceHasher).toBe(InstanceHasherV0);
    expect(Array.from(InstanceHasherV0.mhPrefix)).toEqual([0x1e, 0x20]);
  });

  it('gives the one-shot result for any split (incl. empty and 1-byte pushes)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000, size: 'max' }), fc.array(fc.nat(), { maxLength: 10 }), (data, cuts) => {
        const offsets = cuts.map((c) => c % (data.length + 1)).sort((a, b) => a - b);
        const h = new InstanceHasherV0();
        let prev = 0;
        for (const o of [...offsets, data.length]) {
          h.push(data.subarray(prev, o));
          prev = o;
        }
        expect(hex(h.digest())).toBe(hex(nobleBlake3(data)));
        expect(h.filesize).toBe(data.length);
      }),
      { numRuns: RUNS },
    );
    const data = utf8('hello world');
    const h = new InstanceHasherV0();
    for (let i = 0; i < data.length; i++) h.push(data.subarray(i, i + 1));
    expect(h.code()).toBe('IAA5OSMB56TQUDEI');
  });

  it('mirrors Python blake3 after digest(): repeatable, and pushes continue the hash', () => {
    const h = new InstanceHasherV0(utf8('hello '));
    const d1 = hex(h.digest());
    expect(hex(h.digest())).toBe(d1);
    expect(d1).toBe(hex(nobleBlake3(utf8('hello '))));
    h.push(utf8('world'));
    expect(h.multihash()).toBe('1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24');
    expect(h.filesize).toBe(11);
    // the returned digest is a copy
    h.digest().fill(0);
    expect(h.code()).toBe('IAA5OSMB56TQUDEI');
  });

  it('with a BLAKE3 that cannot clone, a push after digest() throws HASHER_FINALIZED', () => {
    setBlake3(() => {
      const inner = nobleBlake3.create({});
      return { update: (d: Uint8Array) => void inner.update(d), digest: () => inner.digest() };
    });
    const h = new InstanceHasherV0(utf8('hello world'));
    expect(h.code()).toBe('IAA5OSMB56TQUDEI');
    expect(h.multihash()).toBe('1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24');
    expect(() => h.push(utf8('!'))).toThrow(expect.objectContaining({ code: 'ISCC_HASHER_FINALIZED' }));
  });

  it('rejects bad input', () => {
    expect(() => new InstanceHasherV0().push('x' as unknown as Uint8Array)).toThrow(IsccError);
    expect(() => genInstanceCodeV0(null as unknown as Uint8Array)).toThrow(IsccError);
    expect(() => genInstanceCodeV0(new Uint8Array(1), 65)).toThrow(IsccError);
  });

  it('reads web ReadableStreams and cancels them on a bad piece', async () => {
    let cancelled = false;
    const rs = new ReadableStream<Uint8Array>({
      pull(ctl) {
        ctl.enqueue('not bytes' as unknown as Uint8Array);
      },
      cancel() {
        cancelled = true;
      },
    });
    await expect(genInstanceCodeV0(rs)).rejects.toThrow(IsccError);
    expect(cancelled).toBe(true);
    const ok = new ReadableStream<Uint8Array>({
      start(ctl) {
        ctl.enqueue(utf8('hello '));
        ctl.enqueue(utf8('world'));
        ctl.close();
      },
    });
    await expect(hashInstanceV0(ok)).resolves.toEqual(nobleBlake3(utf8('hello world')));
  });
});
