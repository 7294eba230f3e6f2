#!/usr/bin/env python3
"""Generate the pinned Unicode 14.0.0 tables and golden test data of @iscc-ts/core.

iscc-core runs on CPython, whose `unicodedata` module (3.11: Unicode 14.0.0) decides how text is
normalised, lowercased and filtered before hashing. JavaScript engines ship other Unicode
versions, so iscc-ts carries its own tables, derived here from CPython itself: every property is
read back from the behaviour of the very operations iscc-core calls (`unicodedata.normalize`,
`unicodedata.category`, `str.lower`, `str.isspace`, `str.splitlines`), never from a second source.

Usage (from the repository root, with a Python whose unicodedata is 14.0.0, e.g. Python 3.11):

    python3 scripts/gen-unicode.py data     # writes packages/core/src/_unicode-data.ts
    python3 scripts/gen-unicode.py golden   # writes packages/core/src/__fixtures__/unicode-golden.json
    python3 scripts/gen-unicode.py          # both

Table layout (decoded once by `unicode.ts`):
- PROPS: one 32-bit word per code point, stored as a two-stage table (blocks of 128 code
  points, identical blocks shared). Bits 0-7 canonical combining class, 8-12 general category
  index into CATEGORIES, then the flags named in FLAGS below.
- NFD / NFKD: full (recursive, canonically ordered) decompositions of single code points;
  NFKD lists only entries that differ from NFD. Hangul syllables are left to the algorithm.
- LOWER: CPython's full lowercase mapping (`chr(cp).lower()`) where it differs from the input.
  U+03A3 is listed but resolved by the final-sigma rule at run time.
- COMPOSE: primary composites (first, second, composite), i.e. canonical pairs whose
  composite survives NFC (composition exclusions, singletons and non-starter decompositions drop
  out by construction).

All integer lists are written as a compact varint text (see `enc`): each number is split into
5-bit groups, big-endian; all groups but the last use the "more" alphabet.
"""

import hashlib
import json
import os
import random
import sys
import unicodedata as ud

assert ud.unidata_version == "14.0.0", f"need unicodedata 14.0.0 (Python 3.11), got {ud.unidata_version}"

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_TS = os.path.join(ROOT, "packages", "core", "src", "_unicode-data.ts")
GOLDEN_JSON = os.path.join(ROOT, "packages", "core", "src", "__fixtures__", "unicode-golden.json")

MAX_CP = 0x110000
SHIFT = 7
CATEGORIES = [
    "Cc", "Cf", "Cn", "Co", "Cs", "Ll", "Lm", "Lo", "Lt", "Lu", "Mc", "Me", "Mn", "Nd", "Nl",
    "No", "Pc", "Pd", "Pe", "Pf", "Pi", "Po", "Ps", "Sc", "Sk", "Sm", "So", "Zl", "Zp", "Zs",
]
FLAGS = {
    "CANON_DECOMP": 1 << 13,  # NFD changes the code point
    "COMPAT_DECOMP": 1 << 14,  # NFKD changes the code point
    "LOWER": 1 << 15,  # str.lower() changes the code point
    "CASE_IGNORABLE": 1 << 16,  # skipped by CPython's final-sigma context search
    "CASED": 1 << 17,  # cased and not case-ignorable: decides the final-sigma context
    "SPACE": 1 << 18,  # str.isspace() (also split() and strip() without arguments)
    "LINEBREAK": 1 << 19,  # a line boundary of str.splitlines()
    "COMPOSE_SECOND": 1 << 20,  # second code point of some primary composite
}
HANGUL_S = range(0xAC00, 0xAC00 + 11172)

# ---------------------------------------------------------------------------------------------
# compact integer text


MORE = "WXYZabcdefghijklmnopqrstuvwxyz+/"
LAST = "0123456789ABCDEFGHIJKLMNOPQRSTUV"


def enc(nums):
    out = []
    for n in nums:
        assert n >= 0, n
        groups = []
        while True:
            groups.append(n & 31)
            n >>= 5
            if not n:
                break
        groups.reverse()
        out.extend(MORE[g] for g in groups[:-1])
        out.append(LAST[groups[-1]])
    return "".join(out)


def zigzag(n):
    return n * 2 if n >= 0 else -n * 2 - 1


# ---------------------------------------------------------------------------------------------
# property derivation (all from CPython behaviour)


def sigma_context(c):
    """Classify c for CPython's final-sigma rule from how 'Σ' lowercases next to it.

    'cΣ' ends in 'ς' iff c is not case-ignorable and cased; 'AcΣ' ends in 'ς' iff c is
    case-ignorable or cased. Cased-ness of an ignorable code point never matters to the rule.
    """
    t1 = (c + "Σ").lower()[-1] == "ς"
    t2 = ("A" + c + "Σ").lower()[-1] == "ς"
    t3 = ("AΣ" + c).lower()[1] == "ς"  # ignorable or not cased: cross-check
    ignorable = t2 and not t1
    cased = t1
    assert t3 == (ignorable or not cased), hex(ord(c))
    return ignorable, cased


def is_linebreak(c):
    return len(("a" + c + "b").splitlines()) == 2


def derive():
    props = [0] * MAX_CP
    nfd, nfkd, lower, compose = {}, {}, {}, []
    second = set()
    for cp in range(MAX_CP):
        c = chr(cp)
        raw = ud.decomposition(c)
        if raw and not raw.startswith("<"):
            parts = [int(x, 16) for x in raw.split()]
            if len(parts) == 2 and ud.normalize("NFC", c) == c:
                assert ud.normalize("NFC", chr(parts[0]) + chr(parts[1])) == c, hex(cp)
                compose.append((parts[0], parts[1], cp))
                second.add(parts[1])
    for cp in range(MAX_CP):
        c = chr(cp)
        v = ud.combining(c) | (CATEGORIES.index(ud.category(c)) << 8)
        d = ud.normalize("NFD", c)
        k = ud.normalize("NFKD", c)
        if d != c:
            v |= FLAGS["CANON_DECOMP"]
            if cp not in HANGUL_S:
                nfd[cp] = [ord(x) for x in d]
        if k != c:
            v |= FLAGS["COMPAT_DECOMP"]
            if k != d:
                nfkd[cp] = [ord(x) for x in k]
        low = c.lower()
        if low != c:
            v |= FLAGS["LOWER"]
            lower[cp] = [ord(x) for x in low]
        ignorable, cased = sigma_context(c)
        if ignorable:
            v |= FLAGS["CASE_IGNORABLE"]
        if cased:
            v |= FLAGS["CASED"]
        if c.isspace():
            v |= FLAGS["SPACE"]
        if is_linebreak(c):
            v |= FLAGS["LINEBREAK"]
        if cp in second:
            v |= FLAGS["COMPOSE_SECOND"]
        props[cp] = v
    return props, nfd, nfkd, lower, compose


def build_trie(props):
    size = 1 << SHIFT
    blocks, stage1 = {}, []
    for i in range(0, MAX_CP, size):
        stage1.append(blocks.setdefault(tuple(props[i : i + size]), len(blocks)))
    stage2 = [x for b in blocks for x in b]
    palette = sorted(set(stage2))
    index = {v: i for i, v in enumerate(palette)}
    runs = []  # (palette index, run length - 1)
    i = 0
    while i < len(stage2):
        j = i
        while j < len(stage2) and stage2[j] == stage2[i]:
            j += 1
        runs += [index[stage2[i]], j - i - 1]
        i = j
    s1runs = []
    i = 0
    while i < len(stage1):
        j = i
        while j < len(stage1) and stage1[j] == stage1[i]:
            j += 1
        s1runs += [stage1[i], j - i - 1]
        i = j
    return stage1, stage2, palette, runs, s1runs


def enc_mapping(table):
    """[key delta, length, zigzag(value - key)...] per entry, keys ascending."""
    out, prev = [], 0
    for cp in sorted(table):
        seq = table[cp]
        out += [cp - prev, len(seq)] + [zigzag(x - cp) for x in seq]
        prev = cp
    return enc(out)


def write_data():
    props, nfd, nfkd, lower, compose = derive()
    stage1, stage2, palette, runs, s1runs = build_trie(props)
    comp = []
    prev = 0
    for a, b, c in sorted(compose, key=lambda t: t[2]):
        comp += [c - prev, zigzag(a - c), zigzag(b - c)]
        prev = c
    flags = "\n".join(f"export const F_{k} = 0x{v:x};" for k, v in FLAGS.items())
    body = f"""// GENERATED by scripts/gen-unicode.py from CPython {sys.version.split()[0]} unicodedata {ud.unidata_version}.
// Do not edit: change the script and regenerate (`python3 scripts/gen-unicode.py data`).
/**
 * Pinned Unicode {ud.unidata_version} data for @iscc-ts/core, as compact varint text that `unicode.ts`
 * decodes once. The layout is documented at the top of scripts/gen-unicode.py.
 */

/** Unicode version of these tables (the one Python 3.11's unicodedata uses). */
export const DATA_UNICODE_VERSION = '{ud.unidata_version}';
/** log2 of the block size of the two-stage property table. */
export const PROPS_SHIFT = {SHIFT};
/** Number of stage-1 entries (code points >> PROPS_SHIFT). */
export const PROPS_STAGE1_LENGTH = {len(stage1)};
/** Number of stage-2 entries (shared blocks * block size). */
export const PROPS_STAGE2_LENGTH = {len(stage2)};
/** General categories in index order (bits 8-12 of a property word). */
export const CATEGORIES: readonly string[] = {json.dumps(CATEGORIES).replace('"', "'")};
{flags}
/** Varint alphabets: continuation digits, then final digits (5 bits each). */
export const VARINT_MORE = '{MORE}';
export const VARINT_LAST = '{LAST}';
/** Distinct property words. */
export const PROPS_PALETTE = '{enc(palette)}';
/** Stage 1 as runs of (block index, repeat - 1). */
export const PROPS_STAGE1 = '{enc(s1runs)}';
/** Stage 2 as runs of (palette index, repeat - 1). */
export const PROPS_STAGE2 = '{enc(runs)}';
/** Full canonical decompositions: (key delta, length, zigzag(cp - key)...). */
export const NFD_DATA = '{enc_mapping(nfd)}';
/** Full compatibility decompositions where they differ from NFD; same layout. */
export const NFKD_DATA = '{enc_mapping(nfkd)}';
/** CPython str.lower() full mappings; same layout. */
export const LOWER_DATA = '{enc_mapping(lower)}';
/** Primary composites: (composite delta, zigzag(first - composite), zigzag(second - composite)). */
export const COMPOSE_DATA = '{enc(comp)}';
"""
    with open(DATA_TS, "w", encoding="utf-8") as f:
        f.write(body)
    print(f"wrote {DATA_TS}: {len(body)} bytes; {len(palette)} words, {len(stage2) >> SHIFT} blocks, "
          f"{len(nfd)} nfd, {len(nfkd)} nfkd, {len(lower)} lower, {len(compose)} compose")


# ---------------------------------------------------------------------------------------------
# Python oracle of the iscc-core 1.3.0 text functions (written from their documented behaviour)

NEWLINES = {"\n", "\x0b", "\x0c", "\r", "\x85", "\u2028", "\u2029"}
FILTER = {"C", "M", "P"}


def py_text_clean(text):
    text = ud.normalize("NFKC", text)
    text = "".join(c for c in text if ud.category(c)[0] != "C" or c in NEWLINES)
    kept, blank = [], 0
    for line in text.splitlines():
        if line.strip():
            kept.append(line)
            blank = 0
        elif blank < 1:
            kept.append("")
            blank += 1
    return "\n".join(kept).strip()


def py_text_remove_newlines(text):
    return " ".join(text.split())


def py_text_trim(text, nbytes):
    return text.encode("utf-8")[:nbytes].decode("utf-8", "ignore").strip()


def py_text_collapse(text):
    low = ud.normalize("NFD", text).lower()
    kept = "".join(c for c in low if not c.isspace() and ud.category(c)[0] not in FILTER)
    return ud.normalize("NFKC", kept)


# ---------------------------------------------------------------------------------------------
# golden data


def r(a, b):
    return [chr(c) for c in range(a, b + 1)]


POOLS = {
    "ascii": r(0x20, 0x7E),
    "latin": r(0xC0, 0x24F) + r(0x1E00, 0x1EFF) + list("ÄÖÜäöüßẞİıǅǈǋ"),
    "marks": r(0x300, 0x36F) + r(0x1AB0, 0x1ACE) + r(0x1DC0, 0x1DFF) + r(0x20D0, 0x20F0)
    + r(0x591, 0x5C7) + ["\u093c", "\u094d", "\u0f71", "\u0f72", "\u0f74", "\u0f80", "\u3099", "\u309a"],
    "greek": r(0x370, 0x3FF) + r(0x1F00, 0x1FFE) + ["Σ"] * 20 + ["\u0345", "'", "\u00ad", "."],
    "cyrillic": r(0x400, 0x52F) + r(0x1C80, 0x1C88),
    "cjk": r(0x4E00, 0x4E40) + r(0x3040, 0x30FF) + r(0xF900, 0xFAD9) + r(0x2F800, 0x2F830) + r(0x3300, 0x33FF),
    "hangul": r(0xAC00, 0xAC40) + r(0xD7A0, 0xD7A3) + r(0x1100, 0x1112) + r(0x1161, 0x1175) + r(0x11A8, 0x11C2)
    + r(0x3131, 0x318E) + r(0xFFA0, 0xFFDC),
    "emoji": r(0x1F300, 0x1F320) + r(0x1F600, 0x1F64F) + r(0x1F3FB, 0x1F3FF) + ["\u200d", "\ufe0f", "\u20e3"]
    + r(0x1F1E6, 0x1F1FF),
    "compat": r(0xFB00, 0xFB06) + r(0xFF01, 0xFF5E) + r(0xFF61, 0xFF9F) + ["\u00b2", "\u00b3", "\u00b9", "\u00bd",
    "\u00bc", "\u00aa", "\u00ba", "\u2122", "\u2026", "\u00a8", "\u00af", "\u00b4", "\u00b8", "\u02dc"]
    + r(0x2070, 0x209C) + r(0x2150, 0x2189) + r(0x2460, 0x24FF) + r(0x1D400, 0x1D420) + r(0x1D7CE, 0x1D7FF)
    + r(0x2100, 0x214F) + r(0xFE30, 0xFE6B) + r(0x3200, 0x32FF) + ["\u0344", "\u0f73", "\u0f77", "\u0f79", "\u1e9b"],
    "control": r(0x0, 0x1F) + r(0x7F, 0x9F),
    "space": [c for c in map(chr, range(0x3001)) if c.isspace()] + ["\u3000", "\u202f", "\u205f", "\u180e"],
    "zw": ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u034f", "\u061c", "\u2066", "\u2069"],
    "scripts": r(0x600, 0x660) + r(0x900, 0x97F) + r(0xE00, 0xE5B) + r(0xF40, 0xF8F) + r(0x5D0, 0x5EA)
    + r(0x1000, 0x1040) + r(0x10A0, 0x10FF) + r(0x13A0, 0x13F5) + r(0xAB70, 0xABBF) + r(0x10400, 0x1044F),
    # new in Unicode 14.0
    "u14": r(0x870, 0x89F) + r(0x1E290, 0x1E2AE) + r(0x1E7E0, 0x1E7FE) + r(0x10570, 0x105BC) + ["\u2c2f", "\u2c5f",
    "\ua7c0", "\ua7c1", "\ua7d0", "\ua7d1", "\ua7d6", "\ua7d7", "\ua7d8", "\ua7d9", "\u1dfa", "\U0001f6dd",
    "\U0001faf0", "\U0001fae0", "\u0c5d", "\u0cdd", "\u170d", "\u1715", "\u180f", "\u1ac1", "\u1ace"]
    + r(0x10780, 0x107BA) + r(0x1DF00, 0x1DF1E) + r(0x1AFF0, 0x1AFFE),
    # new in Unicode 15.0 / 15.1 / 16.0: unassigned (Cn) for Python 3.11
    "u15": r(0x1E030, 0x1E06D) + r(0x1E4D0, 0x1E4F9) + r(0x11F00, 0x11F59) + r(0x31350, 0x31360)
    + r(0x10EFD, 0x10EFF) + r(0x1D2C0, 0x1D2D3) + ["\u0cf3", "\U0001f6dc", "\U0001fa75", "\U0001fa76", "\U0001fa77",
    "\U0001fa87", "\u2ffc", "\u2fff", "\u31ef", "\U0002ebf0", "\u1c89", "\u1c8a", "\ua7cb", "\ua7dc",
    "\U000105c0", "\U00016d40", "\U0001cc00", "\u0897"],
    "special": ["\u0130", "\u1e9e", "\u212a", "\u212b", "\u2126", "\u03a3", "\u03c2", "\u0149", "\u01f0",
    "\u1f80", "\u1fbc", "\u00df", "\ufb00", "\u0390", "\u03d2", "\u03d3", "\u2160", "\u2169", "\u216f",
    "\ud800", "\udfff", "\ue000", "\uf8ff", "\ufffe", "\uffff", "\U0010ffff", "\U000e0001", "\U000e0041",
    "\U000e0100", "\U000f0000", "\ufffd", "\u0378", "\U0003fffd"],
}


def roundtrips(s):
    """Reject strings JSON cannot carry to JavaScript unchanged (adjacent lone surrogates)."""
    try:
        return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass") == s
    except UnicodeDecodeError:
        return False


def crafted():
    out = [
        "", " ", "\n", "\r\n", "\n\n\n", " \t\n ", "Hello World", "  Iñtërnâtiôn\nàlizætiøn☃💩 –  is a tric\t ky \u00a0 thing!\r",
        "  Hello  World ? ", "Hello\nWorld", "Hello\n    \n    \n    \n    \nWorld", " Hello World! ",
        "ΑΣ", "Σ", "ΣΑ", "ΑΣΑ", "ΑΣ.", "Α.Σ", "Α'Σ", "Α\u00adΣ", "ΑΣ\u0301", "Α\u0301Σ", "ΑΣ'Α", "ΑΣ'", "ΟΔΥΣΣΕΥΣ",
        "ΣΑΣ ΣΑΣ", "Α\u0345Σ", "\u0345Σ", "1Σ", "AΣ1", "ΑΣ\u0345", "ǅΣ", "ΑΣΣ", "ΑΣ\u200dΣ",
        "İstanbul", "İ\u0301", "\u0130\u0130", "ẞ", "ﬁ ﬂ ﬀ ﬃ", "Ⅻ", "①②③", "x²", "½", "ＡＢＣａｂｃ", "ｶﾞ", "ｶ\uff9e",
        "e\u0301", "e\u0301\u0327", "e\u0327\u0301", "a\u0323\u0302", "a\u0302\u0323", "\u1100\u1161\u11a8", "\uac00\u11a8",
        "\u1100\u1161", "\uac01\u11a8", "\u0f73", "\u0f77", "\u0344", "\u212b", "A\u030a", "\u00c5\u0301",
        "\u05d0\u05b7\u05bc", "\u05d0\u05bc\u05b7", "\u0915\u093c", "\u0958", "\u2adc", "\u2add\u0338",
        "a\u0308\u0301\u0323", "\u1e0b\u0323", "\u1e9b\u0323", "q\u0307\u0323", "\u01c4", "\u3099", "\u304b\u3099",
        "\uff76\uff9e", "\U0001d15e", "\U0001d15f", "\U0001f468\u200d\U0001f469\u200d\U0001f467", "\U0001f44d\U0001f3fd",
        "\U0001e030\U0001e031", "\u0430\U0001e08f", "\ud800", "a\udc00b", "\ud800\u0000x\u0000\udc00",
        "\x00\x01\x1f\x7f\x85\u2028\u2029", "a\x1cb\x1dc\x1ed\x1ff", "a\u2028b\u2029c\x85d\x0be\x0cf\rg\r\nh",
        "\u200b\u200c\u200d\ufeff", "\u00a0\u2000\u3000", "\t\x0b\x0c\x1c\x1d\x1e\x1f",
        "\n\n  \n\t\nText\n\n\n\nMore\n \n", "Line\u2028\u2028\u2028Next", "a\r\n\r\n\r\nb", "\u2c2f\u2c5f",
        "\U00010570\U00010597", "\ua7c0\ua7d0\ua7d6\ua7d8", "\u1c89\u1c8a", "\u0cf3", "\U0001f6dc",
        "a\u0313\u0301", "a\u0315\u0301", "\u0301a", "\u0301\u0301", "\u1161\u11a8", "\u00c0\u0300",
        "\u3200\u3000\ufdfa", "\u00b4", "\U0001d400\u03a3", "\u1f88\u0345\u03a3", "\u1e9b\u0323\u03a3",
    ]
    out.append("ü" * 128)
    out.append("驩" * 128)
    out.append("Iñtërnâtiônàlizætiøn☃💩" * 6)
    return out


def random_strings(n, seed=14):
    rnd = random.Random(seed)
    names = sorted(POOLS)
    out = []
    while len(out) < n:
        k = rnd.randint(1, 4)
        pools = [POOLS[rnd.choice(names)] for _ in range(k)]
        length = rnd.choice([0, 1, 2, 3, 5, 8, 13, 20, 32, 64])
        s = "".join(rnd.choice(rnd.choice(pools)) for _ in range(length))
        if roundtrips(s):
            out.append(s)
    return out


def cps(s):
    return ",".join(f"{ord(c):x}" for c in s)


def block_digests():
    """sha256 per 4096 code points over each code point's single-character results."""
    out = []
    for base in range(0, MAX_CP, 4096):
        h = hashlib.sha256()
        for cp in range(base, base + 4096):
            c = chr(cp)
            line = "|".join([
                f"{cp:x}", cps(ud.normalize("NFD", c)), cps(ud.normalize("NFC", c)), cps(ud.normalize("NFKD", c)),
                cps(ud.normalize("NFKC", c)), cps(c.lower()), ud.category(c), str(ud.combining(c)),
                "1" if c.isspace() else "0",
            ])
            h.update(line.encode("ascii") + b"\n")
        out.append(h.hexdigest()[:16])
    return out


TRIM_SIZES = [0, 1, 2, 3, 4, 5, 7, 13, 32, 64, 128, 1000, -1, -3]


def golden_case(s):
    case = {
        "s": s,
        "nfd": ud.normalize("NFD", s),
        "nfc": ud.normalize("NFC", s),
        "nfkd": ud.normalize("NFKD", s),
        "nfkc": ud.normalize("NFKC", s),
        "lower": s.lower(),
        "split": s.split(),
        "strip": s.strip(),
        "splitlines": s.splitlines(),
        "clean": py_text_clean(s),
        "remove_newlines": py_text_remove_newlines(s),
        "collapse": py_text_collapse(s),
    }
    # results equal to the input are left out to keep the file small
    case = {k: v for k, v in case.items() if k == "s" or v != s}
    trims = []
    for n in TRIM_SIZES:
        try:
            trims.append([n, py_text_trim(s, n)])
        except UnicodeEncodeError:
            trims.append([n, None])  # Python refuses lone surrogates: we throw
    case["trim"] = trims
    return case


def write_golden():
    strings = crafted() + random_strings(3000)
    cases = [golden_case(s) for s in strings]
    doc = {
        "generator": "scripts/gen-unicode.py golden",
        "python": sys.version.split()[0],
        "unidata_version": ud.unidata_version,
        "block_size": 4096,
        "block_digests": block_digests(),
        "cases": cases,
    }
    # UTF-8 text; lone surrogates (which UTF-8 cannot carry) become JSON escapes such as \ud800.
    with open(GOLDEN_JSON, "w", encoding="utf-8", errors="backslashreplace") as f:
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {GOLDEN_JSON}: {len(cases)} cases, {os.path.getsize(GOLDEN_JSON)} bytes")


if __name__ == "__main__":
    modes = sys.argv[1:] or ["data", "golden"]
    for mode in modes:
        {"data": write_data, "golden": write_golden}[mode]()
