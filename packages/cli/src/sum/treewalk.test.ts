import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IgnorePatternError } from './ignore.ts';
import { compareNames, listdir, treewalkIgnore, treewalkIscc } from './treewalk.ts';

describe('compareNames', () => {
  it('orders by NFC UTF-8 bytes, then by the raw bytes', () => {
    const names = ['f.txt', '\u00e9.txt', 'e\u0301.txt', 'B', 'a', '_', 'Z', '\u{1F600}', '\uFFFD'];
    // NFD "e\u0301" has the same NFC key as "\u00e9" and wins the tie (0x65 < 0xC3);
    // U+FFFD (EF BF BD) sorts before U+1F600 (F0 ...) in UTF-8 though not in UTF-16.
    expect([...names].sort(compareNames)).toEqual(['B', 'Z', '_', 'a', 'f.txt', 'e\u0301.txt', '\u00e9.txt', '\uFFFD', '\u{1F600}']);
  });
});

describe('treewalk', () => {
  let root: string;
  const put = (rel: string, data = rel) => {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), data);
  };
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'treewalk-'));
    put('z.txt');
    put('.aignore');
    put('.isccignore', 'skip*\n/top.txt\n');
    put('top.txt');
    put('skipme');
    put('a/top.txt');
    put('a/.isccignore', '# patterns here are relative to the ROOT (as iscc-sum)\na/b/\nc.txt\n');
    put('a/c.txt');
    put('a/d.txt');
    put('a/b/x.txt');
    put('x.iscc.json');
    put('m/n/deep.txt');
    symlinkSync(join(root, 'z.txt'), join(root, 'link'));
    symlinkSync(join(root, 'a'), join(root, 'linkdir'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('lists without symlinks', () => {
    expect(listdir(root).map((e) => e.name)).toEqual(['.aignore', '.isccignore', 'a', 'm', 'skipme', 'top.txt', 'x.iscc.json', 'z.txt']);
  });

  it('yields ignore files first, then files, then subdirectories; honours cascading .isccignore', () => {
    const rels = [...treewalkIscc(root)].map((e) => e.rel);
    expect(rels).toEqual(['.aignore', '.isccignore', 'z.txt', 'a/.isccignore', 'a/d.txt', 'a/top.txt', 'm/n/deep.txt']);
  });

  it('yields absolute paths under the real root, and keeps sidecars without the ISCC layer', () => {
    const all = [...treewalkIgnore(root, '.none')];
    expect(all.map((e) => e.rel)).toContain('x.iscc.json');
    for (const e of all) expect(e.path).toBe(join(root, e.rel));
  });

  it('throws for an invalid pattern', () => {
    const bad = mkdtempSync(join(tmpdir(), 'treewalk-bad-'));
    writeFileSync(join(bad, '.isccignore'), '!\n');
    expect(() => [...treewalkIscc(bad)]).toThrow(IgnorePatternError);
    rmSync(bad, { recursive: true });
  });
});
