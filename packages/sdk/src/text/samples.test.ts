/**
 * Text mode against iscc-sdk 0.9.5 on the shared samples (EXPECTED-iscc-sdk.json): text
 * starts, Text-Codes (docx and epub bit-exact, pdf within 1 bit of 64), characters, granular
 * features of demo.docx, full ISCC-CODEs, EPUB container parts, and the cross-format matrix
 * of the same document. Every distance and `characters` is printed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genTextCodeV0, isccDecompose, isccDistance, textClean } from '@iscc-ts/core';
import { SAMPLES_DIR } from '../_test-paths.ts';
import { codeIscc, codeText } from '../main.ts';
import { resolveOptions } from '../options.ts';
import { codeTextFile, textChunks, textExtract, textFeatures, textMetaExtract } from './index.ts';

const EXPECTED = JSON.parse(readFileSync(join(SAMPLES_DIR, 'EXPECTED-iscc-sdk.json'), 'utf8')) as {
  files: Record<string, Record<string, unknown>>;
  synthetic: Record<string, Record<string, unknown>>;
};
const F = EXPECTED.files;
const sample = (name: string): string => join(SAMPLES_DIR, 'text', name);
/** The Text-Code unit (second unit) of an ISCC-CODE with Meta, Text, Data, Instance. */
const textUnit = (iscc: string): string => `ISCC:${isccDecompose(iscc)[1]}`;

const WANT = {
  'demo.docx': (F['text/demo.docx']!['code_text'] as { iscc: string; characters: number }),
  'demo.epub': { iscc: textUnit((F['text/demo.epub']!['code_iscc_process_container'] as { iscc: string }).iscc),
    characters: (F['text/demo.epub']!['code_iscc_process_container'] as { characters: number }).characters },
  'demo.pdf': { iscc: textUnit((F['text/demo.pdf']!['code_iscc'] as { iscc: string }).iscc),
    characters: (F['text/demo.pdf']!['code_iscc'] as { characters: number }).characters },
};

describe('Text-Codes of the samples vs iscc-sdk', () => {
  for (const [file, want] of Object.entries(WANT)) {
    it(`${file}: distance and characters`, async () => {
      const r = await codeText(sample(file), { extract_meta: false, create_thumb: false });
      const d = isccDistance(r.iscc, want.iscc);
      console.log(`${file}: ${r.iscc} vs iscc-sdk ${want.iscc}: Hamming ${d}/64, characters ${String(r['characters'])} (iscc-sdk ${want.characters})`);
      expect(d).toBeLessThanOrEqual(file === 'demo.pdf' ? 1 : 0);
      if (file !== 'demo.epub') expect(r['characters']).toBe(want.characters);
      // The EPUB text is Tika-like but not identical (Tika gives 227623 characters).
      else expect(Math.abs((r['characters'] as number) - want.characters)).toBeLessThan(100);
    });
  }

  it('text_starts_with / text_keep_starts_with hold', async () => {
    for (const [key, v] of Object.entries(F)) {
      if (!key.startsWith('text/')) continue;
      const start = (v['text_starts_with'] ?? v['text_keep_starts_with']) as string | undefined;
      if (!start) continue;
      const r = await codeText(join(SAMPLES_DIR, key), { text_keep: true, extract_meta: false, create_thumb: false });
      console.log(`${key}: text starts ${JSON.stringify((r['text'] as string).slice(0, 40))}`);
      expect((r['text'] as string).startsWith(start)).toBe(true);
      expect((await textExtract(join(SAMPLES_DIR, key))).trim().startsWith(start)).toBe(true);
    }
  });

  it('the Text-Code at every bit length (32..256)', async () => {
    const text = textClean(await textExtract(sample('demo.docx')));
    const seen = new Set<string>();
    for (let bits = 32; bits <= 256; bits += 32) {
      const r = await codeTextFile(sample('demo.docx'), resolveOptions({ bits, extract_meta: false, create_thumb: false }));
      expect(r.iscc).toBe(genTextCodeV0(text, bits).iscc);
      seen.add(r.iscc);
    }
    expect(seen.size).toBe(8);
  });
});

describe('thumbnails', () => {
  it('pdf (first page) and epub (cover) get a WebP data URL; other formats none', async () => {
    for (const f of ['demo.pdf', 'demo.epub']) {
      const r = await codeText(sample(f), { extract_meta: false });
      expect(String(r['thumbnail'])).toMatch(/^data:image\/webp;base64,/);
    }
    expect((await codeText(sample('demo.docx'), { extract_meta: false }))['thumbnail']).toBeUndefined();
  });
});

describe('metadata of the samples (iscc-sdk text_meta_extract)', () => {
  it('pdf, docx and epub give iscc-sdk fields (plus language where the format states one)', async () => {
    expect(await textMetaExtract(sample('demo.pdf'))).toEqual({ name: 'title from metadata' });
    expect(await textMetaExtract(sample('demo.docx'))).toEqual({ creator: 'titusz', name: 'title from metadata' });
    expect(await textMetaExtract(sample('demo.epub'))).toEqual({
      name: 'title from metadata',
      creator: 'Charles Madison Curry, Erle Elsworth Clippinger',
      rights: 'Public domain in the USA.',
      language: 'en',
    });
    expect(await textMetaExtract(sample('demo.odt'))).toEqual({ name: 'title from metadata', creator: 'titusz' });
    expect(await textMetaExtract(sample('demo.html'))).toEqual({ name: 'title from metadata' });
    expect(await textMetaExtract(sample('demo.xhtml'))).toEqual({ name: 'title from metadata' });
  });

  it('doc, xls, ppt (OLE SummaryInformation) and rtf (\\info) document properties', async () => {
    for (const f of ['demo.doc', 'demo.xls', 'demo.rtf']) expect(await textMetaExtract(sample(f))).toEqual({ name: 'title from metadata', creator: 'titusz' });
    expect(await textMetaExtract(sample('demo.ppt'))).toEqual({ name: 'title from metadata', creator: 'titusz', keywords: 'tag', description: 'comment' });
    expect(await textMetaExtract(sample('demo.pptx'))).toEqual({ name: 'title from metadata', creator: 'titusz', keywords: 'tag', description: 'comment' });
  });
});

describe('granular text features (demo.docx)', () => {
  const g = F['text/demo.docx']!['granular_features_on_cleaned_text'] as { offsets: number[]; sizes: number[]; simprints: string[] };

  it('offsets, sizes and simprints match iscc-sdk on the cleaned text', async () => {
    const r = await codeText(sample('demo.docx'), { granular: true, extract_meta: false, create_thumb: false });
    const f = (r['features'] as ReturnType<typeof textFeatures>[])[0]!;
    console.log(`demo.docx features: offsets ${JSON.stringify(f.offsets)} sizes ${JSON.stringify(f.sizes)}`);
    expect(f).toEqual({ maintype: 'content', subtype: 'text', version: 0, byte_offsets: false, simprints: g.simprints, offsets: g.offsets, sizes: g.sizes });
  });

  it('byte_offsets counts UTF-8 bytes, and chunks re-join to the text', async () => {
    const text = textClean(await textExtract(sample('demo.docx')));
    const chunks = [...textChunks(text, 128)];
    expect(chunks.join('')).toBe(text);
    console.log(`demo.docx: ${chunks.length} chunks at avg 128 (iscc-sdk: ${String(F['text/demo.docx']!['text_chunks_avg128_count'])} on Tika's raw text)`);
    const fb = textFeatures('Grüße aus Köln. '.repeat(200), { byte_offsets: true });
    const fc = textFeatures('Grüße aus Köln. '.repeat(200));
    expect(fb.simprints).toEqual(fc.simprints);
    expect(fb.sizes.reduce((a, b) => a + b, 0)).toBe(new TextEncoder().encode('Grüße aus Köln. '.repeat(200)).length);
    expect(fc.sizes.reduce((a, b) => a + b, 0)).toBe(16 * 200);
  });

  it('iscc-sdk text_features_stable: robust to case, marks, punctuation, whitespace', () => {
    const s = EXPECTED.synthetic['text_features_stable'] as { inputs: string[]; simprint: string };
    for (const input of s.inputs) expect(textFeatures(input).simprints[0]).toBe(s.simprint);
  });
});

describe('codeIscc on text samples', () => {
  it('demo.pdf: the full ISCC-CODE and fields of iscc-sdk', async () => {
    const want = F['text/demo.pdf']!['code_iscc'] as Record<string, unknown>;
    const r = await codeIscc(sample('demo.pdf'), undefined, undefined, undefined, { create_thumb: false });
    console.log(`demo.pdf ISCC-CODE ${r.iscc} (iscc-sdk ${String(want['iscc'])}): Hamming ${isccDistance(r.iscc, want['iscc'] as string)}`);
    for (const k of ['@type', 'mediatype', 'mode', 'name', 'characters', 'filesize', 'datahash', 'metahash', 'iscc']) expect(r[k]).toEqual(want[k]);
  });

  it('demo.epub with process_container: the ISCC-CODE and the cover image part', async () => {
    const want = F['text/demo.epub']!['code_iscc_process_container'] as Record<string, unknown> & { parts: Record<string, unknown>[] };
    const r = await codeIscc(sample('demo.epub'), undefined, undefined, undefined, { process_container: true, create_thumb: false });
    console.log(`demo.epub ISCC-CODE ${r.iscc} (iscc-sdk ${String(want['iscc'])}), characters ${String(r['characters'])}`);
    for (const k of ['iscc', 'name', 'creator', 'rights', 'filesize', 'datahash', 'metahash']) expect(r[k]).toEqual(want[k]);
    const parts = r['parts'] as Record<string, unknown>[];
    expect(parts).toHaveLength(1);
    for (const [k, v] of Object.entries(want.parts[0]!)) expect(parts[0]![k]).toEqual(v);
    const plain = await codeIscc(sample('demo.epub'), undefined, undefined, undefined, { create_thumb: false });
    expect(plain['parts']).toBeUndefined();
  });

  it('mobi and sqlite are unsupported: ISCC-SUM fallback with their media type', async () => {
    for (const f of ['demo.mobi', 'demo.sqlite']) {
      const r = await codeIscc(sample(f));
      expect(r['mode']).toBeUndefined();
      expect(r.iscc.startsWith('ISCC:KU')).toBe(true);
      console.log(`${f}: fallback ${r.iscc} (${r.mediatype})`);
    }
  });
});

describe('the same document in every format', () => {
  it('all text samples of the demo document are within a few bits of the docx Text-Code', async () => {
    const ref = WANT['demo.docx'].iscc;
    const rows: string[] = [];
    for (const f of ['demo.docx', 'demo.doc', 'demo.odt', 'demo.rtf', 'demo.html', 'demo.xhtml', 'demo.txt', 'demo.xml', 'demo.pptx', 'demo.ppt', 'demo.xlsx', 'demo.xls']) {
      const r = await codeTextFile(sample(f), resolveOptions({ extract_meta: false, create_thumb: false }));
      const d = isccDistance(r.iscc, ref);
      rows.push(`${f}: ${r.iscc} characters ${r.characters} distance-to-docx ${d}`);
      // Spreadsheets hold a different, shorter extract of the document.
      if (!f.startsWith('demo.xls')) expect(d).toBeLessThanOrEqual(2);
    }
    console.log(rows.join('\n'));
  });
});
