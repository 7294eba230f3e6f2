import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { IsccError } from './errors.ts';
import { cidv1FromTokenId, cidv1Hex, cidv1ToTokenId, IPFS_MAX_SIZE, multiHashBlake3 } from './cid.ts';

const RUNS = process.env['ISCC_SLOW'] ? 100_000 : 1000;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** iscc-core tests' `static_bytes` (n a multiple of 4). */
function staticBytes(n: number): Uint8Array {
  const out = new Uint8Array(n + 4);
  const view = new DataView(out.buffer);
  for (let i = 0; i < n; i += 4) view.setUint32(i, i / 4 + 1, true);
  return out.subarray(0, n);
}

const HELLO_CID = 'f01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9';
const MAX_CID = 'f01551220dd8186a3d57826d3179717fbcaef8e4c24c5380f0ee7d869f41f727015fe17ab';
const MAX_TOKEN = 100189992059221005740937582782800178391670948768450295424002582041064650971051n;

describe('cidv1Hex (tests/test_utils.py)', () => {
  it('test_cidv1_hex_bytes', () => expect(cidv1Hex(utf8('hello world'))).toBe(HELLO_CID));
  it('test_cidv1_hex_stream (reader, iterable, async)', async () => {
    const data = utf8('hello world');
    let pos = 0;
    expect(cidv1Hex({ read: (n: number) => data.subarray(pos, (pos += Math.min(n, 4))) })).toBe(HELLO_CID);
    expect(cidv1Hex([data.subarray(0, 5), data.subarray(5)])).toBe(HELLO_CID);
    await expect(cidv1Hex((async function* () { yield data; })())).resolves.toBe(HELLO_CID);
  });
  it('test_hash_ipfs_cidv1_max', () => expect(cidv1Hex(staticBytes(IPFS_MAX_SIZE))).toBe(MAX_CID));
  it('test_hash_ipfs_cidv1_raises', async () => {
    const big = new Uint8Array(IPFS_MAX_SIZE + 4);
    big.set(staticBytes(IPFS_MAX_SIZE + 4));
    expect(() => cidv1Hex(big.subarray(0, IPFS_MAX_SIZE + 1))).toThrow(
      expect.objectContaining({ code: 'ISCC_LIMIT_EXCEEDED' }),
    );
    await expect(
      cidv1Hex((async function* () { yield big.subarray(0, 200_000); yield big.subarray(200_000, 262_145); })()),
    ).rejects.toThrow(IsccError);
  });
});

describe('cidv1ToTokenId / cidv1FromTokenId', () => {
  it('test_cidv1_to_token_id', () => {
    const id = cidv1ToTokenId(MAX_CID);
    expect(id).toBe(MAX_TOKEN);
    expect(id <= 2n ** 256n - 1n).toBe(true);
    expect(cidv1ToTokenId(HELLO_CID)).toBe(
      83814198383102558219731078260892729932246618004265700685467928187377105751529n,
    );
  });
  it('test_cidv1_to_token_id_raises', () => {
    expect(() => cidv1ToTokenId('bafkrei...')).toThrow(IsccError);
    expect(() => cidv1ToTokenId('f02551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')).toThrow(
      IsccError,
    );
    expect(() => cidv1ToTokenId('f01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcd')).toThrow(
      IsccError,
    );
    expect(() => cidv1ToTokenId('f0155122')).toThrow(IsccError); // odd hex
    expect(() => cidv1ToTokenId('fzz')).toThrow(IsccError);
    expect(() => cidv1ToTokenId(42 as unknown as string)).toThrow(IsccError);
  });
  it('accepts what Python bytes.fromhex accepts (uppercase, whitespace between pairs)', () => {
    expect(cidv1ToTokenId('f' + HELLO_CID.slice(1).toUpperCase())).toBe(cidv1ToTokenId(HELLO_CID));
    expect(cidv1ToTokenId('f01 55 12 20\n' + HELLO_CID.slice(9))).toBe(cidv1ToTokenId(HELLO_CID));
  });
  it('test_cidv1_from_token_id', () => {
    expect(cidv1FromTokenId(MAX_TOKEN)).toBe(MAX_CID);
    expect(cidv1FromTokenId(0)).toBe('f01551220' + '0'.repeat(64));
  });
  it('rejects ids outside uint256', () => {
    expect(() => cidv1FromTokenId(-1n)).toThrow(IsccError);
    expect(() => cidv1FromTokenId(2n ** 256n)).toThrow(IsccError);
    expect(() => cidv1FromTokenId(1.5)).toThrow(IsccError);
    expect(() => cidv1FromTokenId('1' as unknown as bigint)).toThrow(IsccError);
  });
  it('round-trips every uint256', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (id) => {
        expect(cidv1ToTokenId(cidv1FromTokenId(id))).toBe(id);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('multiHashBlake3', () => {
  it('test_multi_hash_blake3', () => {
    expect(multiHashBlake3(new Uint8Array(0))).toBe(
      '1e20af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262',
    );
    expect(multiHashBlake3(utf8('hello world'))).toBe(
      '1e20d74981efa70a0c880b8d8c1985d075dbcbf679b99a5f9914e5aaf96b831a9e24',
    );
    expect(() => multiHashBlake3('x' as unknown as Uint8Array)).toThrow(IsccError);
  });
});
