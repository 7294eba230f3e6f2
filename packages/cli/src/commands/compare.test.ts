/**
 * `iscc compare`: documented examples run; files and codes give the same per-unit figures;
 * the verdict and exit status (0 similar, 1 not, 2 bad input); units of different lengths.
 */
import { describe, expect, it } from 'vitest';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec, { compareCodes } from './compare.ts';

const JPG = '../shared/samples/image/demo.jpg';
const PNG = '../shared/samples/image/demo.png';
const JPG_ISCC = 'ISCC:KECWRY3VY6R5SNV4YNBTBHR4T2HGP3HKVFO7TYUP2BKVFG724W63HVI';
const TEXT_ISCC = 'ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY';

describe('iscc compare', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('CONTENT_IMAGE_V0');
    });
  }
  it('files are coded first and compare as their codes do', async () => {
    const files = JSON.parse((await runCli(['compare', '--json', JPG, PNG])).stdout);
    const codes = JSON.parse((await runCli(['compare', '--json', files.a.iscc, files.b.iscc])).stdout);
    expect(files.a).toMatchObject({ file: true, iscc: JPG_ISCC });
    expect(codes.units).toEqual(files.units);
    expect(files.units.CONTENT_IMAGE_V0).toEqual({ similarity: 1, common_prefix_bits: 64, distance_bits: 0 });
    expect(files.units.INSTANCE_NONE_V0.similarity).toBe(0);
    expect(files.compare.content_dist).toBe(0);
    expect(files.similar).toBe(true);
  });
  it('not similar: exit 1 (different modes fall back to the Data-Code)', async () => {
    const r = await runCli(['compare', JPG_ISCC, TEXT_ISCC]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/not similar: data [\d.]+% < 80\.0% \(no common Content-Code\)\n$/);
    expect((await runCli(['compare', '--threshold', '0', JPG_ISCC, TEXT_ISCC])).code).toBe(0);
  });
  it('identical data is similar whatever the threshold', async () => {
    const r = await runCli(['compare', '--threshold', '1', JPG, JPG_ISCC]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('identical data');
  });
  it('units of different lengths compare over their common prefix', async () => {
    const c = await compareCodes('ISCC:GAAW2PRCRS5LNVZV', 'ISCC:GADW2PRCRS5LNVZVJKAFAVOJXLZZM3XAKDMPCHKBKIBTEY2BVSKGFCQ', 0.8);
    expect(c.units['DATA_NONE_V0']).toMatchObject({ similarity: 1, common_prefix_bits: 64 });
    expect(c).not.toHaveProperty('compare');
  });
  it('bad input exits 2', async () => {
    expect((await runCli(['compare', JPG])).code).toBe(2);
    const bad = await runCli(['compare', JPG, 'ISCC:NOPE']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'ISCC:NOPE' is neither a file nor a valid ISCC");
    expect((await runCli(['compare', '--threshold', '2', JPG, PNG])).code).toBe(2);
  });
});
