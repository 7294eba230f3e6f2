import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { buildId3v2, buildId3v2Frames, parseId3v2, readId3v2, riffChunks, wavId3, wavWithId3 } from './id3.ts';
import { SdkError } from './errors.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;

/** A minimal WAV: fmt + data (+ optional extra chunks). */
function wav(extra: Uint8Array[] = []): Uint8Array {
  const chunk = (id: string, body: Uint8Array): Uint8Array => {
    const b = new Uint8Array(8 + body.length + (body.length & 1));
    b.set(Array.from(id, (c) => c.charCodeAt(0)));
    new DataView(b.buffer).setUint32(4, body.length, true);
    b.set(body, 8);
    return b;
  };
  const parts = [chunk('fmt ', new Uint8Array(16).fill(1)), chunk('data', new Uint8Array(11).fill(7)), ...extra.map((e) => chunk('ID3 ', e))];
  const n = parts.reduce((s, p) => s + p.length, 4);
  const out = new Uint8Array(8 + n);
  out.set([0x52, 0x49, 0x46, 0x46]);
  new DataView(out.buffer).setUint32(4, n, true);
  out.set([0x57, 0x41, 0x56, 0x45], 8);
  let o = 12;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

describe('ID3v2 tags', () => {
  it('round-trips TIT2 and TXXX frames as TagLib property names, v2.3 (UTF-16) and v2.4 (UTF-8)', () => {
    for (const v of [3, 4] as const) {
      const tag = buildId3v2(v, buildId3v2Frames(v, [['TIT2', 'Hëllo'], ['TPE1', 'Artist']], [['ISCC:NAME', 'Nämé'], ['iscc:meta', 'x']]));
      expect(readId3v2(tag)?.version).toBe(v);
      const p = parseId3v2(tag);
      expect(p.get('TITLE')).toBe('Hëllo');
      expect(p.get('ARTIST')).toBe('Artist');
      expect(p.get('ISCC:NAME')).toBe('Nämé');
      expect(p.get('ISCC:META')).toBe('x'); // descriptions are upper-cased as TagLib keys
    }
  });
  it('property: any text survives build + parse', () => {
    fc.assert(fc.property(fc.constantFrom(3 as const, 4 as const), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !s.includes('\0')), (v, s) => {
      const p = parseId3v2(buildId3v2(v, buildId3v2Frames(v, [['TIT2', s]], [['ISCC:DESCRIPTION', s]])));
      expect(p.get('TITLE')).toBe(s);
      expect(p.get('ISCC:DESCRIPTION')).toBe(s);
    }), { numRuns: RUNS });
  });
  it('returns nothing for data that is not a tag and survives garbage', () => {
    expect(parseId3v2(new Uint8Array([1, 2, 3])).size).toBe(0);
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      const t = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 1, 0, ...b]);
      expect(parseId3v2(t)).toBeInstanceOf(Map);
    }), { numRuns: RUNS });
  });
});

describe('WAV ID3 chunk', () => {
  it('adds an ID3 chunk, replaces an existing one, keeps the audio and fixes the RIFF size', () => {
    const base = wav();
    expect(wavId3(base)).toBeNull();
    const t1 = buildId3v2(4, buildId3v2Frames(4, [['TIT2', 'one']], []));
    const w1 = wavWithId3(base, t1);
    expect(parseId3v2(wavId3(w1)!).get('TITLE')).toBe('one');
    const t2 = buildId3v2(4, buildId3v2Frames(4, [['TIT2', 'two!']], []));
    const w2 = wavWithId3(w1, t2);
    expect(riffChunks(w2).map((c) => c.id)).toEqual(['fmt ', 'data', 'ID3 ']);
    expect(parseId3v2(wavId3(w2)!).get('TITLE')).toBe('two!');
    expect(new DataView(w2.buffer).getUint32(4, true)).toBe(w2.length - 8);
    const data = riffChunks(w2).find((c) => c.id === 'data')!;
    expect(Array.from(w2.subarray(data.start, data.start + data.size))).toEqual(new Array(11).fill(7));
  });
  it('rejects a file that is not RIFF', () => {
    expect(() => wavWithId3(new Uint8Array(20), new Uint8Array(10))).toThrow(SdkError);
  });
});
