/** IPFS CIDv1: the expectations of EXPECTED-iscc-sdk.json (demo.jpg and the synthetic files). */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ipfsCidv1, ipfsCidv1Base16 } from './ipfs.ts';
import { SAMPLES_DIR } from './_test-paths.ts';

const EXP = JSON.parse(readFileSync(join(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'), 'utf8'));
const J = EXP.files['image/demo.jpg'];
const I = EXP.synthetic.ipfs;
let dir: string;
const pattern = (n: number): Uint8Array => {
  const b = new Uint8Array(256 * n);
  for (let i = 0; i < b.length; i++) b[i] = i & 255;
  return b;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'iscc-ipfs-'));
  copyFileSync(join(SAMPLES_DIR, 'image/demo.jpg'), join(dir, 'img.jpg'));
  writeFileSync(join(dir, 'a.bin'), pattern(1024));
  const b = new Uint8Array(262145); b.set(pattern(1024));
  writeFileSync(join(dir, 'iscc_test_262145.bin'), b);
  writeFileSync(join(dir, 'c.bin'), pattern(2048));
  writeFileSync(join(dir, 'd.bin'), pattern(4096));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ipfsCidv1', () => {
  it('demo.jpg', async () => {
    expect(await ipfsCidv1(join(dir, 'img.jpg'))).toBe(J.ipfs_cidv1);
    expect(await ipfsCidv1(join(dir, 'img.jpg'), true)).toBe(J['ipfs_cidv1_wrap_as_img.jpg']);
    expect(await ipfsCidv1Base16(join(dir, 'img.jpg'))).toBe(J.ipfs_cidv1_base16);
  });
  it('chunk boundaries and multi-level DAGs', async () => {
    expect(await ipfsCidv1(join(dir, 'a.bin'))).toBe(I['bytes(range(256))*1024 (262144 B)']);
    expect(await ipfsCidv1(join(dir, 'iscc_test_262145.bin'))).toBe(I['+ one 0x00 byte (262145 B)']);
    expect(await ipfsCidv1(join(dir, 'iscc_test_262145.bin'), true)).toBe(I['262145 B wrapped as iscc_test_262145.bin']);
    expect(await ipfsCidv1(join(dir, 'c.bin'))).toBe(I['bytes(range(256))*2048']);
    expect(await ipfsCidv1(join(dir, 'd.bin'))).toBe(I['bytes(range(256))*4096']);
  });
  it('missing file', async () => {
    await expect(ipfsCidv1(join(dir, 'nope'))).rejects.toMatchObject({ code: 'ISCC_SDK_IO' });
  });
});
