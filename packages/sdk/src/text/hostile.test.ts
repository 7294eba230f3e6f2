/**
 * Hostile documents: zip bombs (docx/epub), encrypted PDFs, malformed XML, huge plain text.
 * Each must end in a clear SdkError code or a result - never a crash or an unbounded
 * allocation. The bombs are built from repeated full-flush deflate blocks, so the test
 * itself never holds the inflated data.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, openSync, closeSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { constants, deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { SdkError } from '../errors.ts';
import { codeText } from '../main.ts';
import {
  TEXT_MAX_IN_MEMORY_BYTES, TEXT_XML_MAX_DEPTH, TEXT_ZIP_MAX_ENTRY, textExtract, textMetaEmbed, xmlToText,
} from './index.ts';
import { parseXml } from './xml.ts';
import { ZipArchive } from './zip.ts';

const dir = mkdtempSync(join(tmpdir(), 'iscc-text-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SdkError) return e.code;
    throw e;
  }
  return 'OK';
}

function u16(n: number): Buffer { const b = Buffer.alloc(2); b.writeUInt16LE(n); return b; }
function u32(n: number): Buffer { const b = Buffer.alloc(4); b.writeUInt32LE(n >>> 0); return b; }

/** A zip from (name, method, raw data, declared size) entries, written by hand. */
function rawZip(entries: { name: string; method: number; raw: Buffer; size: number }[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let off = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const common = [u16(20), u16(0), u16(e.method), u16(0), u16(0x21), u32(0), u32(e.raw.length), u32(e.size), u16(name.length), u16(0)];
    const local = Buffer.concat([u32(0x04034b50), ...common, name, e.raw]);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), ...common, u16(0), u16(0), u16(0), u32(0), u32(off), name]));
    parts.push(local);
    off += local.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(entries.length), u16(entries.length), u32(cd.length), u32(off), u16(0)]);
  return Buffer.concat([...parts, cd, eocd]);
}

/** Raw deflate data that inflates to `mib` MiB of zeros (about 1 KiB per MiB). */
function zeroBomb(mib: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(1 << 20), { finishFlush: constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array.from({ length: mib }, () => block), Buffer.from([0x03, 0x00])]);
}

const stored = (name: string, s: string): { name: string; method: number; raw: Buffer; size: number } =>
  ({ name, method: 0, raw: Buffer.from(s), size: Buffer.byteLength(s) });

describe('zip bombs', () => {
  it('a docx whose document.xml inflates past TEXT_ZIP_MAX_ENTRY fails with LIMIT_EXCEEDED', async () => {
    const mib = TEXT_ZIP_MAX_ENTRY / (1 << 20) + 8;
    const bomb = zeroBomb(mib);
    const p = join(dir, 'bomb.docx');
    writeFileSync(p, rawZip([
      stored('[Content_Types].xml', '<Types/>'),
      // The declared size lies (1 KiB): the limit is enforced while inflating.
      { name: 'word/document.xml', method: 8, raw: bomb, size: 1024 },
    ]));
    console.log(`zip bomb: ${bomb.length} bytes compressed -> ${mib} MiB`);
    const t0 = Date.now();
    expect(await codeOf(textExtract(p))).toBe('ISCC_SDK_LIMIT_EXCEEDED');
    console.log(`bomb refused in ${Date.now() - t0} ms`);
  });

  it('an epub whose entries together exceed the container budget fails with LIMIT_EXCEEDED', () => {
    const one = zeroBomb(2);
    const data = rawZip([
      stored('mimetype', 'application/epub+zip'),
      { name: 'a.xhtml', method: 8, raw: one, size: 10 },
      { name: 'b.xhtml', method: 8, raw: one, size: 10 },
    ]);
    const zip = new ZipArchive(data, 'small.epub', { maxEntry: 3 << 20, maxTotal: 3 << 20 });
    expect(zip.read('a.xhtml').length).toBe(2 << 20);
    expect(() => zip.read('b.xhtml')).toThrow(expect.objectContaining({ code: 'ISCC_SDK_LIMIT_EXCEEDED' }));
  });

  it('truncated, encrypted-entry and non-zip containers fail with DECODE', async () => {
    const good = rawZip([stored('mimetype', 'application/epub+zip')]);
    for (const [name, bytes] of [
      ['trunc.epub', good.subarray(0, good.length - 10)],
      ['junk.docx', Buffer.from('PK\x03\x04 this is not a zip at all')],
    ] as const) {
      const p = join(dir, name);
      writeFileSync(p, bytes);
      expect(await codeOf(textExtract(p))).toBe('ISCC_SDK_DECODE');
    }
    const enc = rawZip([{ name: 'word/document.xml', method: 0, raw: Buffer.from('<x/>'), size: 4 }]);
    enc.writeUInt16LE(1, 6); // general purpose flag bit 0 (encrypted), local header
    enc.writeUInt16LE(1, enc.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 8); // and central
    expect(() => new ZipArchive(enc, 'enc.docx').read('word/document.xml')).toThrow(/encrypted/);
  });
});

// --- an encrypted PDF (standard security handler, RC4 40-bit, user password "secret") ---
const PAD = Buffer.from('28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A', 'hex');
function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let k = 0, i = 0, j = 0; k < data.length; k++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}
function encryptedPdf(): Buffer {
  const pad = (pw: string): Buffer => Buffer.concat([Buffer.from(pw, 'latin1'), PAD]).subarray(0, 32);
  const md5 = (...b: Buffer[]): Buffer => createHash('md5').update(Buffer.concat(b)).digest();
  const id = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
  const O = rc4(md5(pad('owner')).subarray(0, 5), pad('secret'));
  const P = -44;
  const key = md5(pad('secret'), O, u32(P), id).subarray(0, 5);
  const U = rc4(key, PAD);
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>',
    `<< /Filter /Standard /V 1 /R 2 /O <${O.toString('hex')}> /U <${U.toString('hex')}> /P ${P} >>`,
  ];
  let body = '%PDF-1.4\n';
  const offs: number[] = [];
  objs.forEach((o, k) => {
    offs.push(Buffer.byteLength(body, 'latin1'));
    body += `${k + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(body, 'latin1');
  body += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offs.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R /Encrypt 4 0 R /ID [<${id.toString('hex')}> <${id.toString('hex')}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

describe('encrypted and damaged PDFs', () => {
  it('a PDF that needs a password: DECODE naming encryption, for text and for embedding', async () => {
    const p = join(dir, 'locked.pdf');
    writeFileSync(p, encryptedPdf());
    await expect(textExtract(p)).rejects.toThrow(/encrypted PDF/);
    expect(await codeOf(codeText(p, { create_thumb: false }))).toBe('ISCC_SDK_DECODE');
    expect(await codeOf(textMetaEmbed(p, { name: 'x' }))).toBe('ISCC_SDK_DECODE');
  });

  it('a truncated PDF: DECODE', async () => {
    const p = join(dir, 'broken.pdf');
    writeFileSync(p, '%PDF-1.4\n1 0 obj\n<< /Type /Catalog');
    expect(await codeOf(textExtract(p))).toBe('ISCC_SDK_DECODE');
  });
});

describe('malformed XML', () => {
  it('the XML parser names what is wrong and where', () => {
    const bad = [
      '<a><b></a>', '<a>', '<a></a><b></b>', '<a x="1></a>', '<a>&bogus;</a>', 'text<a/>',
      '<!DOCTYPE a [<!ENTITY x "xx">]><a>&x;</a>', '<a><!-- open</a>', '<a b="1" c></a>',
    ];
    for (const s of bad) expect(() => parseXml(s, 'part.xml')).toThrow(expect.objectContaining({ code: 'ISCC_SDK_DECODE', message: expect.stringMatching(/part\.xml: malformed XML at offset \d+/) }));
    const deep = '<a>'.repeat(TEXT_XML_MAX_DEPTH + 1) + '</a>'.repeat(TEXT_XML_MAX_DEPTH + 1);
    expect(() => parseXml(deep)).toThrow(/TEXT_XML_MAX_DEPTH/);
    const ok = '<a>'.repeat(TEXT_XML_MAX_DEPTH - 1) + 'x' + '</a>'.repeat(TEXT_XML_MAX_DEPTH - 1);
    expect(xmlToText(ok)).toBe('x');
  });

  it('malformed .xml files, docx/pptx parts and OPFs fail with DECODE', async () => {
    const x = join(dir, 'bad.xml');
    writeFileSync(x, '<?xml version="1.0"?><note><title>t</note>');
    expect(await codeOf(textExtract(x))).toBe('ISCC_SDK_DECODE');
    const d = join(dir, 'bad.docx');
    writeFileSync(d, rawZip([stored('[Content_Types].xml', '<Types/>'), stored('word/document.xml', '<w:document><w:body><w:p><w:t>x</w:p></w:body></w:document>')]));
    await expect(textExtract(d)).rejects.toThrow(/bad\.docx: .*malformed XML/);
    const e = join(dir, 'bad.epub');
    writeFileSync(e, rawZip([stored('mimetype', 'application/epub+zip'), stored('META-INF/container.xml', '<container><rootfiles><rootfile full-path="p.opf"/></rootfiles>')]));
    expect(await codeOf(textExtract(e))).toBe('ISCC_SDK_DECODE');
  });
});

describe('large plain text', () => {
  it(`over TEXT_MAX_IN_MEMORY_BYTES: streamed; text_keep/granular refused before reading`, async () => {
    const p = join(dir, 'huge.txt');
    const fd = openSync(p, 'w');
    ftruncateSync(fd, TEXT_MAX_IN_MEMORY_BYTES + 1); // sparse: no disk, no memory
    closeSync(fd);
    const t0 = Date.now();
    expect(await codeOf(codeText(p, { text_keep: true }))).toBe('ISCC_SDK_LIMIT_EXCEEDED');
    expect(await codeOf(codeText(p, { granular: true }))).toBe('ISCC_SDK_LIMIT_EXCEEDED');
    expect(await codeOf(textExtract(p))).toBe('ISCC_SDK_LIMIT_EXCEEDED');
    expect(Date.now() - t0).toBeLessThan(2000);
  });
});
