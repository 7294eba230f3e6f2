import { describe, expect, it } from 'vitest';
import { xxh32 } from './xxh32.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('xxh32', () => {
  it('matches published digests', () => {
    expect(xxh32(new Uint8Array(0))).toBe(0x02cc5d05);
    expect(xxh32(enc('abc'))).toBe(0x32d153ff);
    expect(xxh32(enc('Nobody inspects the spammish repetition'))).toBe(0xe2293b2f);
  });
  it('hashes a sub-range like a copy of it', () => {
    const d = enc('xxNobody inspects the spammish repetitionyy');
    expect(xxh32(d, 0, 2, d.length - 2)).toBe(0xe2293b2f);
  });
});
