import { describe, expect, it } from 'vitest';
import { parseChecksumLine } from './check.ts';

describe('parseChecksumLine', () => {
  it('parses GNU and BSD lines; a trailing slash marks a tree checksum', () => {
    expect(parseChecksumLine('ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY *a b.txt')).toEqual({
      iscc: 'ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY',
      name: 'a b.txt',
      tree: false,
    });
    expect(parseChecksumLine('ISCC-SUM (dir (1)/) = ISCC:K4AX')).toEqual({ iscc: 'ISCC:K4AX', name: 'dir (1)/', tree: true });
  });

  it('rejects other lines', () => {
    for (const bad of ['ISCC:abc *x', 'ISCC:ABC x', 'ISCC:ABC *', 'ISCC-SUM (x) = ISCC:ab', 'sha256 *x', ' ISCC:ABC *x']) {
      expect(parseChecksumLine(bad)).toBeNull();
    }
  });

  it('accepts names with characters JavaScript regex dots would refuse', () => {
    expect(parseChecksumLine('ISCC:ABC *a\u2028b')?.name).toBe('a\u2028b');
  });
});
