/**
 * RFC 6962 tree, proofs and tile formats: the cached tree against a naive recursive MTH, the
 * proofs against independent RFC 9162 verifiers (all sizes up to 70, random larger ones),
 * tampered proofs refused, and the tlog-tiles path and bundle codecs.
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import {
  EMPTY_ROOT,
  MerkleTree,
  TILE_WIDTH,
  decodeEntryBundle,
  encodeEntryBundle,
  formatTileIndex,
  leafHash,
  nodeHash,
  parseTileIndex,
  rootFromInclusionProof,
  verifyConsistency,
  verifyInclusion,
  entriesPath,
  tilePath,
} from './merkle.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;

function naiveRoot(leaves: Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return new Uint8Array(createHash('sha256').digest());
  if (leaves.length === 1) return leaves[0]!;
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(naiveRoot(leaves.slice(0, k)), naiveRoot(leaves.slice(k)));
}

function tree(n: number): { t: MerkleTree; leaves: Uint8Array[] } {
  const t = new MerkleTree();
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    const l = leafHash(new TextEncoder().encode(`record ${i}`));
    leaves.push(l);
    t.push(l);
  }
  return { t, leaves };
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('RFC 6962 hashing', () => {
  it('hashes leaves and nodes with domain separation; empty root is SHA-256("")', () => {
    expect(hex(EMPTY_ROOT)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    // RFC 6962 test vector: leaf hash of the empty record.
    expect(hex(leafHash(new Uint8Array(0)))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(hex(leafHash(new Uint8Array([0])))).toBe('96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7');
  });

  it('matches the naive MTH for every size up to 70 and every prefix', () => {
    const { t, leaves } = tree(70);
    for (let n = 0; n <= 70; n++) expect(hex(t.root(n))).toBe(hex(naiveRoot(leaves.slice(0, n))));
  });
});

describe('inclusion proofs', () => {
  it('verify for every leaf of every size up to 40, and fail when tampered', () => {
    const { t, leaves } = tree(40);
    for (let n = 1; n <= 40; n++) {
      const root = t.root(n);
      for (let i = 0; i < n; i++) {
        const p = t.inclusionProof(i, n);
        expect(verifyInclusion(leaves[i]!, i, n, p, root)).toBe(true);
        expect(verifyInclusion(leaves[(i + 1) % n]!, i, n, p, root)).toBe(n === 1);
        if (p.length) {
          const bad = p.map((x) => x.slice());
          bad[0]![0]! ^= 1;
          expect(verifyInclusion(leaves[i]!, i, n, bad, root)).toBe(false);
          expect(verifyInclusion(leaves[i]!, i, n, p.slice(1), root)).toBe(false);
        }
      }
    }
    expect(() => rootFromInclusionProof(leaves[0]!, 5, 5, [])).toThrow(RangeError);
  });

  it('verify on random sizes (property)', () => {
    const { t, leaves } = tree(1500);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1500 }), fc.nat(), (n, k) => {
        const i = k % n;
        return verifyInclusion(leaves[i]!, i, n, t.inclusionProof(i, n), t.root(n));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('consistency proofs', () => {
  it('verify between every pair of sizes up to 40, and fail for other roots', () => {
    const { t } = tree(40);
    for (let n = 1; n <= 40; n++) {
      for (let m = 1; m <= n; m++) {
        const p = t.consistencyProof(m, n);
        expect(verifyConsistency(m, n, t.root(m), t.root(n), p)).toBe(true);
        if (m < n) {
          expect(verifyConsistency(m, n, t.root(m - 1 || 1).map((x, j) => (j === 0 ? x ^ 1 : x)), t.root(n), p)).toBe(false);
          expect(verifyConsistency(m, n, t.root(m), t.root(n - 1), p)).toBe(false);
        }
      }
    }
  });

  it('a forked log (one leaf changed) fails consistency', () => {
    const { t } = tree(20);
    const fork = new MerkleTree();
    for (let i = 0; i < 30; i++) fork.push(leafHash(new TextEncoder().encode(i === 7 ? 'evil' : `record ${i}`)));
    expect(verifyConsistency(20, 30, t.root(20), fork.root(30), fork.consistencyProof(20, 30))).toBe(false);
  });

  it('verify on random sizes (property)', () => {
    const { t } = tree(1500);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1500 }), fc.integer({ min: 1, max: 1500 }), (a, b) => {
        const [m, n] = a <= b ? [a, b] : [b, a];
        return verifyConsistency(m, n, t.root(m), t.root(n), t.consistencyProof(m, n));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('tiles', () => {
  it('hash tiles hold the level-8L subtree hashes; partial and full widths as tlog-tiles', () => {
    const { t, leaves } = tree(600);
    const full = t.hashTile(0, 0, 0)!;
    expect(full.length).toBe(256 * 32);
    expect(hex(full.subarray(32 * 5, 32 * 6))).toBe(hex(leaves[5]!));
    expect(t.hashTile(0, 2, 0)).toBeNull(); // 600 - 512 = 88 leaves: no full tile 2
    expect(t.hashTile(0, 2, 88)!.length).toBe(88 * 32);
    expect(t.hashTile(0, 2, 89)).toBeNull();
    expect(t.hashTile(0, 2, 10)!.length).toBe(320);
    const l1 = t.hashTile(1, 0, 2)!; // two complete 256-leaf subtrees
    expect(hex(l1.subarray(0, 32))).toBe(hex(naiveRoot(leaves.slice(0, 256))));
    expect(hex(l1.subarray(32))).toBe(hex(naiveRoot(leaves.slice(256, 512))));
    expect(t.hashTile(1, 0, 3)).toBeNull();
    expect(t.hashTile(1, 0, 0)).toBeNull();
  });

  it('formats and parses tile indexes as the Go reference', () => {
    expect(formatTileIndex(0)).toBe('000');
    expect(formatTileIndex(1234067)).toBe('x001/x234/067');
    expect(tilePath(1, 5, 3)).toBe('tile/1/005.p/3');
    expect(entriesPath(1000)).toBe('tile/entries/x001/000');
    expect(parseTileIndex('x001/x234/067')).toEqual([1234067, 0]);
    expect(parseTileIndex('067.p/8')).toEqual([67, 8]);
    for (const bad of ['67', 'x067', '001/002', 'x1/002', '000.p/0', '000.p/256', '000.p/08', '000.p', 'abc', '', '000/', '0000']) {
      expect(parseTileIndex(bad)).toBeNull();
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), fc.integer({ min: 0, max: 255 }), (n, w) => {
        const p = formatTileIndex(n) + (w ? `.p/${w}` : '');
        const r = parseTileIndex(p);
        return r !== null && r[0] === n && r[1] === w;
      }),
      { numRuns: RUNS },
    );
  });

  it('entry bundles round-trip and refuse truncation', () => {
    const recs = [new Uint8Array([1, 2, 3]), new Uint8Array(0), new Uint8Array(300).fill(7)];
    const b = encodeEntryBundle(recs);
    expect(b.length).toBe(2 + 3 + 2 + 2 + 300);
    expect(decodeEntryBundle(b).map((x) => [...x])).toEqual(recs.map((x) => [...x]));
    expect(() => decodeEntryBundle(b.subarray(0, b.length - 1))).toThrow(RangeError);
    expect(() => decodeEntryBundle(new Uint8Array([0]))).toThrow(RangeError);
    expect(() => encodeEntryBundle([new Uint8Array(70000)])).toThrow(RangeError);
    expect(TILE_WIDTH).toBe(256);
  });
});
