/** Log file framing: round trip, torn tails accepted and cut, mid-log corruption detected. */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { encodeFrames, parseFrames } from './file-store.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

describe('log frames', () => {
  it('round-trip any records; any truncation is a torn tail keeping the whole frames before it', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 64 }), { maxLength: 8 }), fc.nat(), (recs, cut) => {
        const buf = encodeFrames(recs);
        const full = parseFrames(buf);
        if (full.records.length !== recs.length || full.valid !== buf.length || !full.tornTail) return false;
        const at = buf.length ? cut % buf.length : 0;
        const p = parseFrames(buf.subarray(0, at));
        return p.tornTail && p.records.every((r, i) => Buffer.from(r).equals(Buffer.from(recs[i]!))) && p.valid <= at;
      }),
      { numRuns: RUNS },
    );
  });

  it('a zero-filled or bad last frame is torn; a bad frame before good ones is corruption', () => {
    const recs = [new Uint8Array([1, 2, 3]), new Uint8Array([4, 5]), new Uint8Array([6])];
    const buf = encodeFrames(recs);
    const lastBad = buf.slice();
    lastBad[lastBad.length - 1]! ^= 1;
    expect(parseFrames(lastBad)).toMatchObject({ valid: buf.length - 9, tornTail: true });
    const zeros = new Uint8Array(buf.length + 20);
    zeros.set(buf);
    expect(parseFrames(zeros)).toMatchObject({ valid: buf.length, tornTail: true });
    const midBad = buf.slice();
    midBad[9]! ^= 1; // inside the first record
    expect(parseFrames(midBad)).toMatchObject({ valid: 0, tornTail: false });
    expect(() => encodeFrames([new Uint8Array(0)])).toThrow();
  });
});
