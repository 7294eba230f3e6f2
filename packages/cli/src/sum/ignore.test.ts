import { describe, expect, it } from 'vitest';
import { compileIgnorePattern, IgnorePatternError, IgnoreSpec, pyRepr } from './ignore.ts';

// Which of PATHS each single pattern matches, as Python pathspec 0.12.1
// (`PathSpec.from_lines(GitWildMatchPattern, [pattern]).match_file(path)`), the library iscc-sum uses.
const PATHS = ["a.log", "x/a.log", "debug", "debug/x", "x/debug/y", "root.txt", "x/root.txt", "a/b", "x/a/b", "a/b/c", "x", "q/x", "a/b", "a/q/r/b", "a/q/b/z", "top", "sub/f", "keep.log", "foo ", "#hash", "ac.txt", "bc.txt", "cc.txt", "bx", "ax", "a.md", "ab.md", "dir/a.txt", "dir/s/a.txt", "x[", "a]y", "]y", "n\u00e9e", "ne\u0301e", "m.pyc", "m.pyx", "mutants.out/", "q/mutants.out2/f", "sub/", "debug/"];
const CASES: [string, string[]][] = [
  ["*.log", ["a.log", "x/a.log", "keep.log"]],
  ["debug/", ["debug/x", "x/debug/y", "debug/"]],
  ["/root.txt", ["root.txt"]],
  ["a/b", ["a/b", "a/b/c", "a/b"]],
  ["**/x", ["x/a.log", "debug/x", "x/debug/y", "x/root.txt", "x/a/b", "x", "q/x"]],
  ["a/**/b", ["a/b", "a/b/c", "a/b", "a/q/r/b", "a/q/b/z"]],
  ["**/", ["x/a.log", "debug/x", "x/debug/y", "x/root.txt", "a/b", "x/a/b", "a/b/c", "q/x", "a/b", "a/q/r/b", "a/q/b/z", "sub/f", "dir/a.txt", "dir/s/a.txt", "mutants.out/", "q/mutants.out2/f", "sub/", "debug/"]],
  ["!keep.log", []],
  ["*", ["a.log", "x/a.log", "debug", "debug/x", "x/debug/y", "root.txt", "x/root.txt", "a/b", "x/a/b", "a/b/c", "x", "q/x", "a/b", "a/q/r/b", "a/q/b/z", "top", "sub/f", "keep.log", "foo ", "#hash", "ac.txt", "bc.txt", "cc.txt", "bx", "ax", "a.md", "ab.md", "dir/a.txt", "dir/s/a.txt", "x[", "a]y", "]y", "n\u00e9e", "ne\u0301e", "m.pyc", "m.pyx", "mutants.out/", "q/mutants.out2/f", "sub/", "debug/"]],
  ["!sub/", []],
  ["foo\\ ", ["foo "]],
  ["\\#hash", ["#hash"]],
  ["[ab]c.txt", ["ac.txt", "bc.txt"]],
  ["[!a]x", ["bx"]],
  ["?.md", ["a.md"]],
  ["dir/*.txt", ["dir/a.txt"]],
  ["**", ["a.log", "x/a.log", "debug", "debug/x", "x/debug/y", "root.txt", "x/root.txt", "a/b", "x/a/b", "a/b/c", "x", "q/x", "a/b", "a/q/r/b", "a/q/b/z", "top", "sub/f", "keep.log", "foo ", "#hash", "ac.txt", "bc.txt", "cc.txt", "bx", "ax", "a.md", "ab.md", "dir/a.txt", "dir/s/a.txt", "x[", "a]y", "]y", "n\u00e9e", "ne\u0301e", "m.pyc", "m.pyx", "mutants.out/", "q/mutants.out2/f", "sub/", "debug/"]],
  ["a/**", ["a/b", "a/b/c", "a/b", "a/q/r/b", "a/q/b/z"]],
  ["#comment", []],
  ["", []],
  ["  spaced  ", []],
  ["x[", ["x["]],
  ["[]]y", ["]y"]],
  ["n\u00e9e", ["n\u00e9e"]],
  ["*.py[cod]", ["m.pyc"]],
  ["**/mutants.out*/", ["mutants.out/", "q/mutants.out2/f"]],
];

describe('compileIgnorePattern', () => {
  it.each(CASES)('%j matches what pathspec matches', (pattern, expected) => {
    const spec = IgnoreSpec.fromText(pattern);
    expect(PATHS.filter((p) => spec.matches(p))).toEqual(expected);
  });

  it('treats comments, blank lines and a lone slash as no-ops', () => {
    expect(compileIgnorePattern('# x')).toBeNull();
    expect(compileIgnorePattern('   ')).toBeNull();
    expect(compileIgnorePattern('/')).toBeNull();
  });

  it('rejects what pathspec rejects, with its message', () => {
    expect(() => compileIgnorePattern('!')).toThrow(IgnorePatternError);
    expect(() => compileIgnorePattern('a\\')).toThrow("Invalid git pattern: 'a\\\\'");
  });
});

describe('IgnoreSpec', () => {
  it('lets the last matching pattern decide (negation re-includes)', () => {
    // pathspec: ['*', '!*/', '!*.txt', 'a.txt'] matches a.txt, c.bin and d only.
    const spec = IgnoreSpec.fromText('*\n!*/\n!*.txt\na.txt\n');
    expect(['a.txt', 'b.txt', 'c.bin', 'd/', 'd/e.txt', 'd'].filter((p) => spec.matches(p))).toEqual(['a.txt', 'c.bin', 'd']);
  });

  it('appends child patterns after the parent ones', () => {
    const parent = IgnoreSpec.fromText('*.log');
    const both = parent.concat(IgnoreSpec.fromText('!keep.log'));
    expect(parent.matches('keep.log')).toBe(true);
    expect(both.matches('keep.log')).toBe(false);
    expect(both.matches('x.log')).toBe(true);
  });

  it('accepts CRLF files and drops a leading ./ or / from paths', () => {
    const spec = IgnoreSpec.fromText('a.txt\r\nb.txt\r\n');
    expect(spec.matches('./a.txt')).toBe(true);
    expect(spec.matches('/b.txt')).toBe(true);
    expect(spec.matches('c.txt')).toBe(false);
  });
});

describe('pyRepr', () => {
  it('quotes like Python repr', () => {
    expect(pyRepr('a')).toBe("'a'");
    expect(pyRepr("it's")).toBe('"it\'s"');
    expect(pyRepr('a\nb\\')).toBe("'a\\nb\\\\'");
  });
});
