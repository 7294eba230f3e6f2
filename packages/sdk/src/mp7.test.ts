import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readMp7Signature, SIGELEM_SIZE } from './mp7.ts';
import { SdkError } from './errors.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;

/** MSB-first bit writer (test oracle for the layout in mp7.ts's module comment). */
class Bits {
  bits: number[] = [];
  put(v: number, n: number): this {
    for (let i = n - 1; i >= 0; i--) this.bits.push(Math.floor(v / 2 ** i) % 2);
    return this;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.bits.length / 8));
    this.bits.forEach((b, i) => { if (b) out[i >> 3]! |= 0x80 >> (i & 7); });
    return out;
  }
}

interface F { time: number; conf: number; trits: number[] }

function build(frames: F[], unit: number, segments: number): Uint8Array {
  const w = new Bits();
  w.put(0, 129).put(frames.length, 32).put(unit, 16).put(1, 1).put(0xffffffff, 32).put(0, 32).put(segments, 32);
  for (let s = 0; s < segments; s++) w.put(0xabcdef, 4 * 32 + 1 + 5 * 243);
  w.put(1, 1);
  for (const f of frames) {
    w.put(1, 1).put(f.time, 32).put(f.conf, 8).put(0x5a5a5a5a, 40);
    for (let b = 0; b < SIGELEM_SIZE / 5; b++) {
      const t = f.trits.slice(b * 5, b * 5 + 5);
      w.put(t[0]! * 81 + t[1]! * 27 + t[2]! * 9 + t[3]! * 3 + t[4]!, 8);
    }
  }
  return w.bytes();
}

const frameArb = fc.record({
  time: fc.nat({ max: 0xffffffff }),
  conf: fc.nat({ max: 255 }),
  trits: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: SIGELEM_SIZE, maxLength: SIGELEM_SIZE }),
});

describe('readMp7Signature', () => {
  it('decodes times, confidences and ternary vectors (any frames, any segment count)', () => {
    fc.assert(fc.property(fc.array(frameArb, { maxLength: 4 }), fc.integer({ min: 1, max: 65535 }), fc.nat({ max: 3 }), (frames, unit, segs) => {
      const got = readMp7Signature(build(frames, unit, segs));
      expect(got.length).toBe(frames.length);
      got.forEach((g, i) => {
        expect(g.elapsed_num).toBe(frames[i]!.time);
        expect(g.elapsed_den).toBe(unit);
        expect(g.confidence).toBe(frames[i]!.conf);
        expect(Array.from(g.vector)).toEqual(frames[i]!.trits);
      });
    }), { numRuns: Math.min(RUNS, 200) });
  });
  it('rejects data shorter than the header or than the frames it announces', () => {
    expect(() => readMp7Signature(new Uint8Array(10))).toThrow(SdkError);
    const full = build([{ time: 1, conf: 2, trits: new Array(380).fill(1) }], 90000, 0);
    expect(readMp7Signature(full).length).toBe(1);
    try {
      readMp7Signature(full.subarray(0, full.length - 1));
      expect.unreachable();
    } catch (e) {
      expect((e as SdkError).code).toBe('ISCC_SDK_DECODE');
    }
  });
  it('survives random bytes: frames or ISCC_SDK_DECODE, nothing else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => {
      try {
        readMp7Signature(b);
      } catch (e) {
        expect(e).toBeInstanceOf(SdkError);
      }
    }), { numRuns: RUNS });
  });
});
