import { describe, it, expect } from 'vitest';
import { readConformanceJson } from '../../../tests/conformance-dir.ts';
import fc from 'fast-check';
import { join } from 'node:path';
import { IsccError } from './errors.ts';
import { DataHasher, DataHasherV0, genDataCode, genDataCodeV0, softHashDataV0 } from './code-data.ts';
import { xorshiftBytes as randomBytes } from '../../../tests/test-support.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/** iscc-core tests' `static_bytes`: little-endian 4-byte counters 1, 2, 3, ... (n a multiple of 4). */
function staticBytes(n = 1024 * 1024): Uint8Array {
  const out = new Uint8Array(n);
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= n; i += 4) view.setUint32(i, i / 4 + 1, true);
  return out;
}

type Vectors = Record<string, Record<string, { inputs: unknown[]; outputs: Record<string, unknown> }>>;
/** A vector file from $ISCC_CONFORMANCE_DIR (fails loudly, naming the path, when absent). */
const loadVectors = (file: string): Vectors => readConformanceJson<Vectors>(file);
const streamInput = (s: unknown): Uint8Array => {
  if (typeof s !== 'string' || !s.startsWith('stream:')) throw new Error(`not a stream input: ${String(s)}`);
  return fromHex(s.slice('stream:'.length));
};

const STATIC = staticBytes();
const STATIC_DIGEST = 'e5b3daf1118cf09cb5c5ac323a9f68ca04465f9e3942297ebd1e6360f5bb98df';

describe('conformance vectors', () => {
  const core = loadVectors('data.json');
  const sum = loadVectors('iscc-sum/test_vectors.json');
  const cases = [
    ...Object.entries(core['gen_data_code_v0']!).map(([n, c]) => ['data.json ' + n, c] as const),
    ...Object.entries(sum['gen_data_code']!).map(([n, c]) => ['iscc-sum ' + n, c] as const),
  ];
  it('has the expected number of cases', () => expect(cases.length).toBe(8));
  it.each(cases)('%s', async (_name, c) => {
    const data = streamInput(c.inputs[0]);
    const bits = c.inputs[1] as number;
    expect(genDataCodeV0(data, bits)).toStrictEqual(c.outputs);
    expect(genDataCode(data, bits)).toStrictEqual(c.outputs);
    // the same through an async stream
    const rs = new ReadableStream<Uint8Array>({
      start(ctl) {
        for (let i = 0; i < data.length; i += 1000) ctl.enqueue(data.slice(i, i + 1000));
        ctl.close();
      },
    });
    await expect(genDataCodeV0(rs, bits)).resolves.toStrictEqual(c.outputs);
  });
});

describe('tests/test_code_data.py', () => {
  it('test_hash_data_v0', () => expect(hex(softHashDataV0(STATIC))).toBe(STATIC_DIGEST));
  it('test_hash_data_v0_empty', () =>
    expect(hex(softHashDataV0(new Uint8Array(0)))).toBe(
      '25f0bab671f506e1c532f892d9d7917a252e7a520832f5963a8cd4e9a7e312b5',
    ));
  it('test_hash_data_v0_zero', () =>
    expect(hex(softHashDataV0(new Uint8Array([0])))).toBe(
      '770f8fd225ec1e5abb95e406afaddef303defe2f0d03b74c388f7b42ef96c7af',
    ));
  it('test_gen_code_data_v0_default', () => {
    expect(genDataCodeV0(STATIC)).toStrictEqual({ iscc: 'ISCC:GAA6LM626EIYZ4E4' });
    expect(genDataCode(STATIC)).toStrictEqual({ iscc: 'ISCC:GAA6LM626EIYZ4E4' });
  });
  it('test_DataHasherV0_single_shot', () => expect(hex(new DataHasherV0(STATIC).digest())).toBe(STATIC_DIGEST));
  it('test_DataHasherV0_stream_push', () => {
    const h = new DataHasherV0();
    for (let i = 0; i < STATIC.length; i += 2048) h.push(STATIC.subarray(i, i + 2048));
    expect(hex(h.digest())).toBe(STATIC_DIGEST);
  });
  it('test_DataHasherV0_mixed', () => {
    const h = new DataHasherV0(STATIC.subarray(0, 2048));
    for (let i = 2048; i < STATIC.length; i += 2048) h.push(STATIC.subarray(i, i + 2048));
    expect(hex(h.digest())).toBe(STATIC_DIGEST);
  });
  it('test_hash_data_1mib_robust (small edits keep the digest; data from Python random.seed(1))', () => {
    // Python's random.Random(1) draws (position, byte) pairs; recorded from CPython 3.11 below.
    const edits = PY_EDITS;
    const ba = Array.from(STATIC);
    for (let k = 0; k < 9; k++) {
      ba.splice(edits[k]![0], 0, edits[k]![1]);
      expect(hex(softHashDataV0(Uint8Array.from(ba)))).toBe(STATIC_DIGEST);
    }
    ba.splice(edits[9]![0], 0, edits[9]![1]);
    expect(hex(softHashDataV0(Uint8Array.from(ba)))).not.toBe(STATIC_DIGEST);
  });
  it('test_DataHasher', () => {
    expect(DataHasher).toBe(DataHasherV0);
    expect(hex(new DataHasher(STATIC).digest())).toBe(hex(softHashDataV0(STATIC)));
  });
  it('test_gen_data_code_schema_conformance', () =>
    expect(genDataCodeV0(new Uint8Array([0xff]))).toStrictEqual({ iscc: 'ISCC:GAAV5ZIQC4WCUBIK' }));
});

describe('DataHasherV0 streaming contract', () => {
  /** Split `data` at the given cut fractions, with extra empty pieces. */
  function split(data: Uint8Array, cuts: number[], empties: number[]): Uint8Array[] {
    const offsets = [...new Set(cuts.map((c) => Math.floor(c * data.length)))].sort((a, b) => a - b);
    const parts: Uint8Array[] = [];
    let prev = 0;
    for (const o of [...offsets, data.length]) {
      parts.push(data.subarray(prev, o));
      prev = o;
    }
    for (const e of empties) parts.splice(e % (parts.length + 1), 0, new Uint8Array(0));
    return parts;
  }

  it('gives the one-shot digest for any split (incl. empty pushes)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: 0, max: 40_000 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 3 }),
        (seed, n, cuts, empties) => {
          const data = randomBytes(seed, n);
          const h = new DataHasherV0();
          for (const p of split(data, cuts, empties)) h.push(p);
          expect(hex(h.digest())).toBe(hex(softHashDataV0(data)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('gives the one-shot digest with 1-byte pushes and with pushes of every small size', () => {
    const data = randomBytes(7, 20_000);
    const expected = hex(softHashDataV0(data));
    const h = new DataHasherV0();
    for (let i = 0; i < data.length; i++) h.push(data.subarray(i, i + 1));
    expect(hex(h.digest())).toBe(expected);
    for (const step of [3, 255, 256, 257, 1023, 8191, 8192, 8193]) {
      const g = new DataHasherV0();
      for (let i = 0; i < data.length; i += step) g.push(data.subarray(i, i + step));
      expect(hex(g.digest())).toBe(expected);
    }
  });

  it('does not keep a reference to pushed buffers', () => {
    const data = randomBytes(3, 5000);
    const buf = new Uint8Array(1000);
    const h = new DataHasherV0();
    for (let i = 0; i < data.length; i += 1000) {
      buf.set(data.subarray(i, i + 1000));
      h.push(buf);
      buf.fill(0xaa); // the caller reuses its buffer
    }
    expect(hex(h.digest())).toBe(hex(softHashDataV0(data)));
  });

  it('mirrors iscc-core after digest(): repeatable, and later pushes extend the features', () => {
    const a = randomBytes(11, 3000);
    const b = randomBytes(12, 3000);
    const h = new DataHasherV0(a);
    const d1 = hex(h.digest());
    expect(hex(h.digest())).toBe(d1);
    expect(h.tail).toBeNull();
    h.push(b);
    // Same as Python: features of a (tail finalised) followed by the chunks of b on their own.
    const expected = new DataHasherV0(a);
    expected.digest();
    const fb = new DataHasherV0(b);
    fb.digest();
    h.digest();
    expect(h.chunkFeatures).toEqual([...expected.chunkFeatures, ...fb.chunkFeatures]);
    expect(h.chunkSizes.reduce((x, y) => x + y, 0)).toBe(6000);
  });

  it('code() defaults to 64 bits and takes other lengths', () => {
    const h = new DataHasherV0(STATIC);
    expect(h.code()).toBe('GAA6LM626EIYZ4E4');
    expect(h.code(256).startsWith('GAD')).toBe(true);
  });
});

describe('input shapes and errors', () => {
  const data = randomBytes(5, 10_000);
  const expected = genDataCodeV0(data);
  const pieces = [data.subarray(0, 3000), data.subarray(3000, 3000), data.subarray(3000)];

  it('sync iterables and readers give the result directly', () => {
    expect(genDataCodeV0(pieces)).toStrictEqual(expected);
    expect(genDataCodeV0((function* () { yield* pieces; })())).toStrictEqual(expected);
    let pos = 0;
    const reader = { read: (n: number) => data.subarray(pos, (pos += Math.min(n, 777))) };
    expect(genDataCodeV0(reader)).toStrictEqual(expected);
  });

  it('async iterables give a Promise', async () => {
    const result = genDataCodeV0((async function* () { yield* pieces; })());
    expect(result).toBeInstanceOf(Promise);
    await expect(result).resolves.toStrictEqual(expected);
    await expect(softHashDataV0((async function* () { yield* pieces; })())).resolves.toEqual(softHashDataV0(data));
  });

  it('rejects bad inputs', async () => {
    expect(() => genDataCodeV0('abc' as unknown as Uint8Array)).toThrow(IsccError);
    expect(() => genDataCodeV0(42 as unknown as Uint8Array)).toThrow(IsccError);
    expect(() => genDataCodeV0([new Uint8Array(1), 'x' as unknown as Uint8Array])).toThrow(IsccError);
    expect(() => genDataCodeV0(data, 63)).toThrow(IsccError);
    expect(() => new DataHasherV0().push([1, 2] as unknown as Uint8Array)).toThrow(IsccError);
    expect(() => genDataCodeV0({ read: () => Promise.resolve(new Uint8Array(1)) } as never)).toThrow(IsccError);
    await expect(genDataCodeV0((async function* () { yield 'x' as unknown as Uint8Array; })())).rejects.toThrow(IsccError);
  });
});

// Recorded from CPython 3.11: random.seed(1); [(randint(0, 1048576), randint(0, 256)) for _ in range(10)] (position drawn first)
const PY_EDITS: [number, number][] = [
  [281782, 32], [534918, 60], [1039002, 230], [990370, 194], [440307, 48],
  [1023109, 14], [817488, 221], [4416, 228], [558535, 117], [214385, 162],
];
