import { describe, expect, it } from 'vitest';
import { dataCodeBits, groupSimilar, hammingDistance, renderSimilar } from './similar.ts';

describe('hammingDistance', () => {
  it('counts differing bits', () => {
    expect(hammingDistance(new Uint8Array([0, 255]), new Uint8Array([1, 0]))).toBe(9);
    expect(() => hammingDistance(new Uint8Array(1), new Uint8Array(2))).toThrow();
  });
});

describe('dataCodeBits', () => {
  it('takes the Data-Code bytes after the 2-byte header', () => {
    // ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY = SUM of "Hello, ISCC!": Data-Code GAAZT3PT7PO3RSCY...
    expect(Buffer.from(dataCodeBits('ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY', true)).toString('hex')).toBe('99edf3fbddb8c858');
    expect(dataCodeBits('ISCC:K4AJT3PT7PO3RSCYIBY4RQPWPKK32V2TCOJAIBMERREXN6K6QME5XRI', false)).toHaveLength(16);
  });
});

describe('groupSimilar', () => {
  // Narrow codes with chosen Data-Code bits: header KUA + 8 data bytes + 8 instance bytes.
  const code = (data: number[]) => {
    const bytes = new Uint8Array([0x55, 0x00, ...data, 0, 0, 0, 0, 0, 0, 0, 0]);
    const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let bits = '';
    for (const b of bytes) bits += b.toString(2).padStart(8, '0');
    let s = '';
    for (let i = 0; i < bits.length; i += 5) s += ALPHA[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
    return 'ISCC:' + s;
  };
  const A = { path: 'a', iscc: code([0, 0, 0, 0, 0, 0, 0, 0]) };
  const B = { path: 'b', iscc: code([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]) }; // 32 bits from A
  const C = { path: 'c', iscc: code([3, 0, 0, 0, 0, 0, 0, 0]) }; // 2 bits from A
  const D = { path: 'd', iscc: code([1, 0, 0, 0, 0, 0, 0, 0]) }; // 1 from A, 1 from C

  it('sorts members by distance and lets a member reappear as a reference of a later group only if unseen', () => {
    const groups = groupSimilar([A, B, C, D], 2, true);
    expect(groups.map((g) => [g.ref.path, g.members.map((m) => `${m.item.path}${m.distance}`)])).toEqual([
      ['a', ['d1', 'c2']],
      ['b', []],
    ]);
  });

  it('renders groups as iscc-sum (blank line between groups, none with -z)', () => {
    const groups = groupSimilar([A, B, D], 1, true);
    const id = (p: string) => p;
    expect(renderSimilar(groups, { tag: false, zero: false }, id)).toBe(`${A.iscc} *a\n  ~01 ${D.iscc} *d\n\n${B.iscc} *b\n`);
    expect(renderSimilar(groups, { tag: true, zero: true }, id)).toBe(
      `ISCC-SUM (a) = ${A.iscc}\0  ~01 ISCC-SUM (d) = ${D.iscc}\0ISCC-SUM (b) = ${B.iscc}\0`,
    );
  });
});
