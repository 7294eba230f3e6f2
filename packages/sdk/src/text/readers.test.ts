/**
 * The text readers one by one (HTML, RTF, XML, encodings, office parts, CFB), the streamed
 * Text-Code against the in-memory one, and metadata embedding round trips (pdf, docx, epub).
 */
import { mkdtempSync, rmSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { genTextCodeV0, textClean, textCollapse } from '@iscc-ts/core';
import { SAMPLES_DIR } from '../_test-paths.ts';
import { embedMetadata, extractMetadata } from '../main.ts';
import {
  collapseClean, decodeTextBytes, htmlMeta, htmlToText, rtfToText, textCodeOf, textCodeStream, textExtract, textMetaEmbed, textMetaExtract, xmlToText,
} from './index.ts';
import { CfbFile } from './cfb.ts';
import { ZipArchive } from './zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'iscc-text-readers-'));
const made: string[] = [dir];
afterAll(() => { for (const d of made) rmSync(d, { recursive: true, force: true }); });
const sample = (name: string): string => join(SAMPLES_DIR, 'text', name);
const runs = process.env['ISCC_SLOW'] ? 100_000 : 1000;

describe('htmlToText', () => {
  it('drops head, scripts, styles and comments; blocks become lines; entities decoded', () => {
    const html = `<!DOCTYPE html><html><head><title>T</title><style>p{color:red}</style>
      <script>var x = "<p>no</p>";</script></head><body><h1>Head&shy;line</h1><!-- c -->
      <p>One   <b>bold</b>
      word &amp; &lt;more&gt; &#x263A; &eacute;</p><div>Two<br>Three</div>
      <table><tr><td>a</td><td>b</td></tr></table><script>alert(1)</script><pre>  keep
   spaces</pre><img alt="Cover"></body></html>`;
    expect(htmlToText(html)).toBe('Head\u00adline\nOne bold word & <more> \u263a \u00e9\nTwo\nThree\na\tb\nkeep\nspaces');
  });

  it('survives broken markup without throwing', () => {
    fc.assert(fc.property(fc.string(), (s) => {
      expect(typeof htmlToText(`<p>${s}<div <script`)).toBe('string');
    }), { numRuns: runs });
    expect(htmlToText('a < b and <p>c')).toBe('a < b and\nc');
  });

  it('htmlMeta reads title, author, description, keywords and lang', () => {
    expect(htmlMeta(`<html lang="de"><head><title> A &amp; B </title><meta name="author" content="Ann">
      <meta name="description" content="About"><meta name="keywords" content="x, y"></head><body></body></html>`))
      .toEqual({ name: 'A & B', creator: 'Ann', description: 'About', keywords: 'x, y', language: 'de' });
  });
});

describe('decodeTextBytes', () => {
  it('BOMs, declared charsets, UTF-8, windows-1252 fallback', () => {
    expect(decodeTextBytes(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))).toBe('A');
    expect(decodeTextBytes(Uint8Array.of(0xff, 0xfe, 0x41, 0x00))).toBe('A');
    expect(decodeTextBytes(new TextEncoder().encode('Grüße'))).toBe('Grüße');
    expect(decodeTextBytes(Uint8Array.of(0x47, 0x72, 0xfc, 0xdf, 0x65, 0x80))).toBe('Grüße€');
    const latin = Buffer.from('<meta charset="iso-8859-15"><p>\xa4</p>', 'latin1');
    expect(decodeTextBytes(latin, true)).toContain('\u20ac');
  });
});

describe('rtfToText', () => {
  it('skips destinations, decodes code page bytes and \\u escapes, keeps paragraphs', () => {
    const rtf = String.raw`{\rtf1\ansi\ansicpg1252\uc1{\fonttbl{\f0 Arial;}}{\*\generator Me;}{\info{\title Secret}}
{\pntext\pard 1.\tab}Hello \'e4\'f6 W\u246?rld \'80\par
{\field{\*\fldinst HYPERLINK "x"}{\fldrslt Link}}\tab end\line next\par
{\*\unknown skip me}\emdash\~x\{y\}\\}`;
    expect(rtfToText(Buffer.from(rtf, 'latin1'))).toBe('Hello äö Wörld €\nLink\tend\nnext\n\u2014\u00a0x{y}\\');
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
      expect(typeof rtfToText(Buffer.concat([Buffer.from('{\\rtf1 '), b]))).toBe('string');
    }), { numRuns: runs });
  });
});

describe('xmlToText', () => {
  it('character data in document order, CDATA and entities, lines trimmed', () => {
    expect(xmlToText('<?xml version="1.0"?>\n<a>\n  <t>Title &amp; co</t>\n  <b>one <i>two</i> three</b><c><![CDATA[<raw>]]></c>\n</a>'))
      .toBe('Title & co\none two three<raw>');
  });
});

describe('zip and compound-file readers', () => {
  it('rewrite keeps unchanged entries byte-identical and replaces others', () => {
    const zip = new ZipArchive(readFileSync(sample('demo.epub')), 'demo.epub');
    const out = new ZipArchive(zip.rewrite(new Map([['mimetype', Buffer.from('application/epub+zip')]]), new Map([['extra.txt', Buffer.from('hi')]])), 'copy');
    expect(out.entries.map((e) => e.name)).toEqual([...zip.entries.map((e) => e.name), 'extra.txt']);
    expect(out.entries[0]!.method).toBe(0);
    for (const e of zip.entries) expect(out.read(e.name).equals(zip.read(e.name))).toBe(true);
    expect(out.readText('extra.txt')).toBe('hi');
  });

  it('CFB: reads the streams of the samples; rejects non-CFB and truncated files', () => {
    const cfb = new CfbFile(readFileSync(sample('demo.ppt')), 'demo.ppt');
    expect(cfb.stream('PowerPoint Document')!.length).toBeGreaterThan(1000);
    expect(cfb.stream('nope')).toBeUndefined();
    expect(() => new CfbFile(Buffer.from('not ole'), 'x.ppt')).toThrow(expect.objectContaining({ code: 'ISCC_SDK_DECODE' }));
    const cut = readFileSync(sample('demo.ppt')).subarray(0, 2048);
    expect(() => new CfbFile(cut, 'cut.ppt').stream('PowerPoint Document')).toThrow(expect.objectContaining({ code: 'ISCC_SDK_DECODE' }));
  });
});

describe('streamed Text-Code', () => {
  it('equals genTextCodeV0(textClean(text)) on the samples, read in tiny pieces', async () => {
    for (const f of ['demo.txt', 'demo.md', 'demo.json']) {
      const want = genTextCodeV0(textClean(await textExtract(sample(f))));
      for (const readBytes of [7, 64, 4096]) {
        expect(await textCodeStream(sample(f), 64, readBytes)).toEqual(want);
      }
    }
  });

  it('equals the in-memory code on random text (lines, marks, sigma, CJK, CRLF, no newlines)', async () => {
    const alphabet = ['a', 'Z', ' ', '\n', '\r\n', '\r', 'Σ', 'σ', 'e\u0301', '\u0301', 'ﬁ', '日本', '😀', '1', '.', '\t', '\u2028', 'Å'];
    await fc.assert(fc.asyncProperty(fc.array(fc.constantFrom(...alphabet), { maxLength: 300 }), fc.integer({ min: 4, max: 64 }), fc.constantFrom(32, 64, 256), async (parts, readBytes, bits) => {
      const text = parts.join('');
      const p = join(dir, 'r.txt');
      writeFileSync(p, text);
      expect(await textCodeStream(p, bits, readBytes)).toEqual(genTextCodeV0(textClean(text), bits));
    }), { numRuns: runs });
  });

  it('collapseClean == textCollapse(textClean(.)) and textCodeOf == genTextCodeV0(textClean(.))', async () => {
    const alphabet = ['a', 'Z', ' ', '  ', '\n', '\r\n', 'Σ', 'σ', 'e\u0301', ' \u0301', '\u0301', 'ﬁ', '日本', '😀', '1', '.', '$', '~', '_', '\t', '\u00a0', 'Å', 'İ', '\u0000', '\ufeff', 'ß', '²'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }), (parts) => {
      const t = parts.join('');
      expect(collapseClean(t)).toBe(textCollapse(textClean(t)));
      expect(textCodeOf(t)).toEqual(genTextCodeV0(textClean(t)));
    }), { numRuns: runs });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 100 }), (t) => {
      if (/[\ud800-\udfff]/.test(t)) return; // lone surrogates cannot be UTF-8 encoded (Python raises)
      expect(collapseClean(t)).toBe(textCollapse(textClean(t)));
    }), { numRuns: runs });
    for (const f of ['demo.md', 'demo.epub', 'demo.pdf']) {
      const raw = await textExtract(sample(f));
      expect(textCodeOf(raw, 256)).toEqual(genTextCodeV0(textClean(raw), 256));
    }
  });

  it('short and empty texts hash as one window', async () => {
    for (const t of ['', 'ab', 'abcdefghijkl', 'abcdefghijklm']) {
      const p = join(dir, 's.txt');
      writeFileSync(p, t);
      expect(await textCodeStream(p, 64, 5)).toEqual(genTextCodeV0(textClean(t)));
    }
  });
});

describe('metadata embedding round trips (pdf, docx, epub)', () => {
  it('iscc-sdk test_text_meta_embed_pdf: name + description written, read back exactly', async () => {
    const meta = { name: 'testname', description: 'testdescription' };
    const out = (await textMetaEmbed(sample('demo.pdf'), meta))!;
    made.push(dirname(out));
    expect(basename(out)).toBe('demo.pdf');
    expect(await textMetaExtract(out)).toEqual(meta);
    // The text is untouched.
    expect(await textExtract(out)).toBe(await textExtract(sample('demo.pdf')));
  });

  it('docx and epub: name, description and creator round-trip; the text is unchanged', async () => {
    const meta = { name: 'Neuer Titel – ü', description: 'Eine Beschreibung', creator: 'Ann Author, Bob Writer' };
    for (const f of ['demo.docx', 'demo.epub']) {
      const out = (await embedMetadata(sample(f), meta))!;
      made.push(dirname(out));
      const got = await extractMetadata(out);
      for (const [k, v] of Object.entries(meta)) expect(got[k]).toBe(v);
      expect(await textExtract(out)).toBe(await textExtract(sample(f)));
    }
  });

  it('other text formats cannot carry embedded metadata', async () => {
    expect(await textMetaEmbed(sample('demo.odt'), { name: 'x' })).toBeUndefined();
    expect(await textMetaEmbed(sample('demo.txt'), { name: 'x' })).toBeUndefined();
  });
});
