/**
 * Flake-Code tests: the intent of iscc-core tests/test_code_flake.py plus uniqueness and
 * ordering within one millisecond.
 */
import { describe, it, expect } from 'vitest';
import { IsccError } from './errors.ts';
import { decodeBase32 } from './codec.ts';
import { Code, Flake } from './models.ts';
import { genFlakeCode, genFlakeCodeV0, uidFlakeV0 } from './code-flake.ts';

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('Flake-Code', () => {
  it('generates 64-bit codes by default', () => {
    for (const f of [genFlakeCode(), genFlakeCodeV0()]) {
      expect(f.iscc).toHaveLength(21);
      expect(f.iscc.startsWith('ISCC:OAA')).toBe(true);
      expect(new Code(f.iscc).typeId).toBe('FLAKE-NONE-V0-64');
    }
    expect(new Code(genFlakeCode(128).iscc).typeId).toBe('FLAKE-NONE-V0-128');
    expect(new Code(genFlakeCodeV0(256).iscc).length).toBe(256);
  });
  it('puts 48-bit milliseconds first (test_uid_flake_v0)', () => {
    expect(hex(uidFlakeV0(0)).startsWith('000000000000')).toBe(true);
    expect(hex(uidFlakeV0(1644789890.9664667)).startsWith('017ef51dff96')).toBe(true);
    expect(uidFlakeV0(0, 96)).toHaveLength(12);
  });
  it('counts up within a millisecond, so codes are unique and ordered', () => {
    const ts = 1700000000.123;
    const flakes = Array.from({ length: 500 }, () => BigInt('0x' + hex(uidFlakeV0(ts, 128))));
    for (let i = 1; i < flakes.length; i++) expect(flakes[i]! - flakes[i - 1]!).toBe(1n);
    const live = Array.from({ length: 2000 }, () => genFlakeCode(128).iscc);
    expect(new Set(live).size).toBe(live.length);
    const ints = live.map((s) => BigInt('0x' + hex(decodeBase32(s.slice(5)).slice(2))));
    for (let i = 1; i < ints.length; i++) expect(ints[i]! > ints[i - 1]!).toBe(true);
  });
  it('rejects bit lengths outside 64..256 or not divisible by 32 (test_uid_flake_v0_raises)', () => {
    for (const bits of [31, 32, 257, 65, 288]) expect(() => uidFlakeV0(null, bits)).toThrow(IsccError);
    expect(() => uidFlakeV0(-1)).toThrow(IsccError);
    expect(() => uidFlakeV0(2 ** 48)).toThrow(IsccError);
    expect(() => uidFlakeV0(Number.NaN)).toThrow(IsccError);
    expect(() => genFlakeCode(100)).toThrow(IsccError);
  });
});

describe('Flake counters', () => {
  it('start in the lower half of their range, so a millisecond never overflows them', () => {
    // Distinct milliseconds far in the past: each is the first flake of its millisecond.
    for (let i = 0; i < 256; i++) {
      const d = uidFlakeV0(1_000_000 + i / 1000 + 0.0004);
      expect(d[6]! & 0x80).toBe(0);
      // ...and the next one of the same millisecond continues from there.
      const e = uidFlakeV0(1_000_000 + i / 1000 + 0.0004);
      expect(((e[6]! << 8) | e[7]!) - ((d[6]! << 8) | d[7]!)).toBe(1);
    }
  });

  it('are not used by Flake.fromString / Flake.fromInt (a tight loop never overflows)', () => {
    for (let i = 0; i < 100_000; i++) {
      expect(Flake.fromString('0000000000000').int).toBe(0n);
      expect(Flake.fromInt(i).int).toBe(BigInt(i));
    }
  });
});
