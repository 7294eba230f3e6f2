/**
 * `.isccignore` patterns: gitignore-style ("git wildmatch") patterns compiled to regular
 * expressions with the same meaning as Python pathspec 0.12 `GitWildMatchPattern`, which
 * iscc-sum's TREEWALK-IGNORE layer uses.
 *
 * Steps for one line:
 * 1. Trim whitespace (keep a trailing escaped space `\ `); `#...`, blank lines and a lone `/`
 *    are no-ops.
 * 2. A leading `!` negates (a match re-includes the path).
 * 3. Split on `/`; collapse repeated `**` segments; a leading `/` anchors at the root; a single
 *    segment (optionally with a trailing `/`) matches at any depth (`**` prepended); a trailing
 *    `/` means "everything under this directory" (`**` appended).
 * 4. Segments become regex pieces: `**` any number of directories, `*` one segment, other
 *    segments are globs (`*`, `?`, `[...]`, `\x`) that never match `/`. A pattern whose last
 *    segment is not `**` also matches everything below a directory of that name.
 * A set of patterns ({@link IgnoreSpec}) decides by the LAST pattern that matches, as git does.
 * Paths are matched relative to the root of the walk, with `/` separators.
 */

/** One compiled pattern: `include` true ignores matching paths, false re-includes them. */
export interface IgnorePattern {
  /** The pattern line as written. */
  source: string;
  /** The compiled matcher. */
  regex: RegExp;
  /** true: a match ignores the path; false (a `!` pattern): a match un-ignores it. */
  include: boolean;
}

/** Thrown for lines pathspec rejects (a lone `!`, a trailing unpaired backslash). */
export class IgnorePatternError extends Error {
  override readonly name = 'IgnorePatternError';
}

/** Python's `.` (any character but `\n`); JavaScript's `.` also stops at `\r`, U+2028 and U+2029. */
const ANY = '[^\\n]';
/** Python's `$` without MULTILINE: the end, or just before a final `\n`. */
const END = '\\n?$';

/** Characters with a meaning in a JavaScript regex outside a class (the `u` flag rejects other escapes). */
const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/;

function escapeChar(ch: string): string {
  return REGEX_SYNTAX.test(ch) ? '\\' + ch : ch;
}

/** Python's `repr()` of a short string, for error messages that match pathspec's. */
export function pyRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === q) out += '\\' + q;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return q + out + q;
}

/**
 * Translate one path-segment glob into a regex fragment (no `/` is ever matched).
 * @throws IgnorePatternError for a trailing lone backslash
 */
function translateSegmentGlob(seg: string, line: string): string {
  // Work on code points so that `?` and brackets see whole characters, as in Python.
  const p = Array.from(seg);
  const end = p.length;
  let out = '';
  let escape = false;
  let i = 0;
  while (i < end) {
    const ch = p[i++]!;
    if (escape) {
      escape = false;
      out += escapeChar(ch);
    } else if (ch === '\\') {
      escape = true;
    } else if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      // Find the end of the bracket expression; `]` right after `[`, `[!` or `[^` is literal.
      let j = i;
      if (j < end && (p[j] === '!' || p[j] === '^')) j++;
      if (j < end && p[j] === ']') j++;
      while (j < end && p[j] !== ']') j++;
      if (j < end) {
        j++;
        let expr = '[';
        if (p[i] === '!' || p[i] === '^') {
          expr += '^';
          i++;
        }
        // The body is used as a regex class; a backslash in it is a literal backslash.
        // (JavaScript also needs a `]` or `[` inside the class escaped; the last `]` closes it.)
        const body = p.slice(i, j - 1);
        expr += body.map((c) => (c === '\\' ? '\\\\' : c === '[' || c === ']' ? '\\' + c : c)).join('') + ']';
        out += expr;
        i = j;
      } else {
        out += '\\[';
      }
    } else {
      out += escapeChar(ch);
    }
  }
  if (escape) throw new IgnorePatternError(`Invalid git pattern: ${pyRepr(line)}`);
  return out;
}

/** Python `str.strip()` whitespace (JavaScript's trim is close enough for pattern lines). */
const trimPy = (s: string) => s.trim();

/**
 * Compile one `.isccignore` line.
 * @returns the pattern, or null for comments, blank lines and a lone `/`
 * @throws IgnorePatternError for invalid patterns (as pathspec does)
 */
export function compileIgnorePattern(line: string): IgnorePattern | null {
  let pattern = line.endsWith('\\ ') ? line.trimStart() : trimPy(line);
  if (pattern.startsWith('#') || pattern === '/' || pattern === '') return null;
  let include = true;
  if (pattern.startsWith('!')) {
    include = false;
    pattern = pattern.slice(1);
  }
  let override: string | null = null;
  const segs = pattern.split('/');
  const isDirPattern = segs[segs.length - 1] === '';
  // Collapse runs of `**` segments into one.
  for (let i = segs.length - 1; i > 0; i--) {
    if (segs[i - 1] === '**' && segs[i] === '**') segs.splice(i, 1);
  }
  // `**/` matches everything except the files directly in the root.
  if (segs.length === 2 && segs[0] === '**' && segs[1] === '') override = `^${ANY}+/${ANY}*`;
  if (segs[0] === '') {
    // Leading slash: anchored at the root.
    segs.shift();
  } else if (segs.length === 1 || (segs.length === 2 && segs[1] === '')) {
    // A bare name (or `name/`) matches at any depth.
    if (segs[0] !== '**') segs.unshift('**');
  }
  if (segs.length === 0) throw new IgnorePatternError(`Invalid git pattern: ${pyRepr(line)}`);
  if (segs[segs.length - 1] === '' && segs.length > 1) segs[segs.length - 1] = '**';

  let source: string;
  if (override !== null) {
    source = override;
  } else {
    let out = '^';
    let needSlash = false;
    const last = segs.length - 1;
    segs.forEach((seg, i) => {
      if (seg === '**') {
        if (i === 0 && i === last) out += `[^/]+(?:/${ANY}*)?`;
        else if (i === 0) {
          out += `(?:${ANY}+/)?`;
          needSlash = false;
        } else if (i === last) out += `/${ANY}*`;
        else {
          out += `(?:/${ANY}+)?`;
          needSlash = true;
        }
      } else {
        if (needSlash) out += '/';
        out += seg === '*' ? '[^/]+' : translateSegmentGlob(seg, line);
        if (i === last) out += `(?:/${ANY}*)?`;
        needSlash = true;
      }
    });
    source = out;
  }
  void isDirPattern; // only pathspec's GitIgnoreSpec variant uses it (a named group)
  // Python's `$` also matches just before a final `\n`.
  return { source: line, regex: new RegExp(source + END, 'u'), include };
}

/**
 * An ordered set of ignore patterns (pathspec `PathSpec`); a later pattern overrides an
 * earlier one, and a child directory's `.isccignore` patterns come after its parents'.
 */
export class IgnoreSpec {
  readonly patterns: readonly IgnorePattern[];

  constructor(patterns: readonly IgnorePattern[]) {
    this.patterns = patterns;
  }

  /** Parse the text of an ignore file (any line ending). */
  static fromText(text: string): IgnoreSpec {
    const pats: IgnorePattern[] = [];
    for (const line of text.split(/\r\n|\r|\n/)) {
      const p = compileIgnorePattern(line);
      if (p) pats.push(p);
    }
    return new IgnoreSpec(pats);
  }

  /** This spec followed by `other` (pathspec `spec + spec`). */
  concat(other: IgnoreSpec): IgnoreSpec {
    return new IgnoreSpec([...this.patterns, ...other.patterns]);
  }

  /**
   * Whether `path` (relative, `/`-separated) is ignored: the last matching pattern decides.
   * A leading `/` or `./` is dropped first, as pathspec does.
   */
  matches(path: string): boolean {
    let p = path;
    if (p.startsWith('/')) p = p.slice(1);
    else if (p.startsWith('./')) p = p.slice(2);
    let matched = false;
    for (const pat of this.patterns) if (pat.regex.test(p)) matched = pat.include;
    return matched;
  }
}
