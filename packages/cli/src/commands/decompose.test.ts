/** `iscc decompose`: documented examples run; units as lines and JSON; invalid codes exit 2. */
import { describe, expect, it } from 'vitest';
import { runCli, splitCommandLine } from '../test-io.ts';
import spec from './decompose.ts';

describe('iscc decompose', () => {
  for (const ex of spec.examples) {
    it(`example: ${ex.command}`, async () => {
      const r = await runCli(splitCommandLine(ex.command));
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/ISCC:[GI]AA/);
    });
  }
  it('prints the units of a code, one per line; a unit is itself', async () => {
    const r = await runCli(['decompose', 'KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY', 'ISCC:AAAZXZ6OU74YAZIM']);
    expect(r.stdout).toBe('ISCC:AAAYPXW445FTYNJ3\nISCC:EAARMJLTQCUWAND2\nISCC:GAAVVC5DMJJGYKZ4\nISCC:IAAWIK7A7JTUAQ2D\nISCC:AAAZXZ6OU74YAZIM\n');
    const j = JSON.parse((await runCli(['decompose', '--json', 'ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY'])).stdout);
    expect(j.units.map((u: { type_id: string }) => u.type_id)).toEqual(['DATA-NONE-V0-64', 'INSTANCE-NONE-V0-64']);
  });
  it('an invalid code exits 2 with the reason', async () => {
    const r = await runCli(['decompose', 'ISCC:NOTACODE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^iscc decompose: .+\[ISCC_[A-Z_]+\]\n$/);
    expect((await runCli(['decompose'])).code).toBe(2);
  });
});
