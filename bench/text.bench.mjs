// Text mode of the sdk: PDF text extraction in pages per second (pdftotext -raw on the sample
// and on a 180-page PDF built from it with pdf-lib), extraction time per sample format, the
// Text-Code in MB/s on a large text (in memory: iscc-core's textClean + genTextCodeV0 and the
// sdk's textCodeOf; streamed from a file: textCodeStream on one thread and on worker threads,
// checked equal, with peak RSS), and the cross-format Hamming matrix of one document saved as
// docx, odt, html, xhtml, rtf, doc, txt, pptx, ppt and a PDF typeset from the same text.
// Uses the built packages (npm run build). Options: --big-mib N (streamed file size, default
// 512; 2048 for the 2 GB check), --matrix-md FILE (also write the matrix as Markdown).
import { mkdtempSync, readFileSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import * as core from '@iscc-ts/core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { bestSeconds, table } from './_util.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const text = await import(join(here, '..', 'packages', 'sdk', 'dist', 'text', 'index.js'));
const samples = process.env.ISCC_SAMPLES_DIR ?? join(here, '..', '..', 'shared', 'samples');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : process.argv[i + 1];
};
const bigMiB = Number(arg('--big-mib', '512'));
const matrixMd = arg('--matrix-md', null);
const tmp = mkdtempSync(join(tmpdir(), 'iscc-text-bench-'));
const sample = (f) => join(samples, 'text', f);

// --- PDF extraction ---------------------------------------------------------------------
const src = await PDFDocument.load(readFileSync(sample('demo.pdf')));
const big = await PDFDocument.create();
for (let r = 0; r < 20; r++) for (const p of await big.copyPages(src, src.getPageIndices())) big.addPage(p);
const bigPdf = join(tmp, 'big.pdf');
writeFileSync(bigPdf, await big.save());
const pdfRows = [];
for (const [label, file, pages] of [['demo.pdf (9 pages)', sample('demo.pdf'), 9], ['demo.pdf x20 (180 pages)', bigPdf, 180]]) {
  const s = await bestSeconds(() => text.textExtract(file), 5);
  pdfRows.push([label, (s * 1000).toFixed(0), (pages / s).toFixed(0)]);
}
table(['PDF (pdftotext -raw, whole textExtract)', 'ms', 'pages/s'], pdfRows);
console.log('');

// --- extraction per format --------------------------------------------------------------
const fmtRows = [];
for (const f of ['demo.docx', 'demo.odt', 'demo.epub', 'demo.html', 'demo.xhtml', 'demo.xml', 'demo.rtf', 'demo.pptx', 'demo.xlsx', 'demo.ppt', 'demo.doc', 'demo.xls', 'demo.txt']) {
  const s = await bestSeconds(() => text.textExtract(sample(f)), 5);
  fmtRows.push([f, (s * 1000).toFixed(1)]);
}
table(['textExtract', 'ms (best of 5)'], fmtRows);
console.log('');

// --- Text-Code throughput -----------------------------------------------------------------
const base = readFileSync(sample('demo.md'), 'utf8') + '\n' + readFileSync(sample('demo.txt'), 'utf8') + '\nGrüße, Σίσυφος, 日本語のテキスト.\n';
let doc = '';
for (let i = 0; doc.length < 32 * 2 ** 20; i++) doc += `${i} ${base}`;
const mb = Buffer.byteLength(doc) / 1e6;
const sMem = await bestSeconds(() => core.genTextCodeV0(core.textClean(doc)), 3);
const bigFile = join(tmp, 'big.txt');
const fd = openSync(bigFile, 'w');
const block = Buffer.from(doc);
let written = 0;
while (written < bigMiB * 2 ** 20) written += writeSync(fd, block);
closeSync(fd);
const sOf = await bestSeconds(() => text.textCodeOf(doc), 1);
// Peak RSS of the whole process (main thread and workers share it), sampled every 20 ms.
async function streamed(file, threads) {
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = process.hrtime.bigint();
  const r = await text.textCodeStream(file, 64, undefined, threads);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  return { r, s, peak: Math.max(peak, process.memoryUsage().rss) };
}
// One thread vs the worker pool on the in-memory text: all three must agree.
const midFile = join(tmp, 'mid.txt');
writeFileSync(midFile, doc);
const one = await streamed(midFile, 1);
const pool = await streamed(midFile, undefined);
const ref = core.genTextCodeV0(core.textClean(doc));
if (one.r.iscc !== ref.iscc || pool.r.iscc !== ref.iscc || pool.r.characters !== ref.characters) {
  throw new Error(`streamed Text-Code differs: ${one.r.iscc} / ${pool.r.iscc} vs ${ref.iscc}`);
}
// The big file in a fresh process, so that its peak RSS is the streaming's own.
const child = spawnSync(process.execPath, ['--input-type=module', '-e', `
  const text = await import(${JSON.stringify(join(here, '..', 'packages', 'sdk', 'dist', 'text', 'index.js'))});
  let peak = 0;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
  const t0 = process.hrtime.bigint();
  const r = await text.textCodeStream(${JSON.stringify(bigFile)});
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  clearInterval(timer);
  console.log(JSON.stringify({ r, s, peak: Math.max(peak, process.memoryUsage().rss) }));
`], { encoding: 'utf8' });
if (child.status !== 0) throw new Error(child.stderr);
const bigRun = JSON.parse(child.stdout);
const cores = (await import('node:os')).availableParallelism();
const threads = Math.min(8, Math.max(1, cores - 1));
const poolLabel = threads > 1 ? `${threads} worker threads` : `default threads (1 on ${cores} cores: in-process)`;
table(['Text-Code', 'input', 'seconds', 'MB/s', 'peak RSS'], [
  ['in memory: textClean + genTextCodeV0 (iscc-core path)', `${mb.toFixed(1)} MB string`, sMem.toFixed(2), (mb / sMem).toFixed(1), '-'],
  ['in memory: textCodeOf (sdk path, same code)', `${mb.toFixed(1)} MB string`, sOf.toFixed(2), (mb / sOf).toFixed(1), '-'],
  ['streamed file, 1 thread', `${mb.toFixed(1)} MB file`, one.s.toFixed(2), (mb / one.s).toFixed(1), `${(one.peak / 2 ** 20).toFixed(0)} MiB`],
  [`streamed file, ${poolLabel}`, `${mb.toFixed(1)} MB file`, pool.s.toFixed(2), (mb / pool.s).toFixed(1), `${(pool.peak / 2 ** 20).toFixed(0)} MiB`],
  [`streamed file, ${poolLabel} (own process)`, `${(written / 1e6).toFixed(0)} MB file`, bigRun.s.toFixed(1), (written / 1e6 / bigRun.s).toFixed(1), `${(bigRun.peak / 2 ** 20).toFixed(0)} MiB`],
]);
console.log(`\nall paths agree on the ${mb.toFixed(1)} MB text: ${ref.iscc}; big file ${bigRun.r.iscc}, characters ${bigRun.r.characters}`);
console.log('');

// --- cross-format matrix ------------------------------------------------------------------
// The sample PDF is a different document (the Bitcoin paper), so the demo text is typeset
// into a PDF here (pdf-lib, Helvetica, wrapped lines) and read back with pdftotext.
const demoText = core.textClean(await text.textExtract(sample('demo.docx')));
const pdf = await PDFDocument.create();
const font = await pdf.embedFont(StandardFonts.Helvetica);
let page = pdf.addPage([595, 842]);
let y = 800;
for (const para of demoText.split('\n')) {
  const words = para.split(' ');
  let line = '';
  const flush = () => {
    if (y < 50) { page = pdf.addPage([595, 842]); y = 800; }
    page.drawText(line, { x: 50, y, size: 11, font });
    y -= 14;
    line = '';
  };
  for (const w of words) {
    if (font.widthOfTextAtSize(line ? `${line} ${w}` : w, 11) > 495) flush();
    line = line ? `${line} ${w}` : w;
  }
  if (line) flush();
  y -= 6;
}
const typeset = join(tmp, 'demo-typeset.pdf');
writeFileSync(typeset, await pdf.save());
const files = [['docx', sample('demo.docx')], ['odt', sample('demo.odt')], ['html', sample('demo.html')], ['pdf*', typeset],
  ['xhtml', sample('demo.xhtml')], ['rtf', sample('demo.rtf')], ['doc', sample('demo.doc')], ['txt', sample('demo.txt')],
  ['pptx', sample('demo.pptx')], ['ppt', sample('demo.ppt')], ['xml', sample('demo.xml')]];
const codes = [];
for (const [label, file] of files) codes.push([label, core.genTextCodeV0(core.textClean(await text.textExtract(file)))]);
const lines = [];
lines.push('| Text-Code (64 bit) | characters | ' + codes.map(([l]) => l).join(' | ') + ' |');
lines.push('|---|---|' + codes.map(() => '---').join('|') + '|');
for (const [l, c] of codes) lines.push(`| ${l} \`${c.iscc}\` | ${c.characters} | ` + codes.map(([, d]) => core.isccDistance(c.iscc, d.iscc)).join(' | ') + ' |');
console.log(lines.join('\n'));
console.log('\n*pdf: the demo text typeset into a PDF with pdf-lib (the sample demo.pdf is another document).');
if (matrixMd) {
  writeFileSync(matrixMd, `# Text-Codes of one document in many formats

The iscc-samples demo document ("ISCC Test Document") as each of its sample formats, extracted
with \`@iscc-ts/sdk\` text mode (no Java), cleaned with \`textClean\`, Text-Code at 64 bits.
Cells: Hamming distance in bits. Generated by \`node bench/text.bench.mjs --matrix-md docs/text-matrix.md\`.

${lines.join('\n')}

\\*pdf: the sample \`demo.pdf\` is a different document (the Bitcoin paper), so the demo text was
typeset into a PDF with pdf-lib (Helvetica 11 pt, wrapped lines) and read back with pdftotext.
The xml sample carries the title in the body (one extra word), hence 1 bit. Spreadsheets
(\`demo.xlsx\`, \`demo.xls\`) hold a short excerpt of the document, not the same text.

Against iscc-sdk 0.9.5 (Tika) on the samples: demo.docx \`ISCC:EAAQMBEYQF6457DP\` 0 bits,
demo.epub \`ISCC:EAATXFXMTH3IQYPW\` 0 bits, demo.pdf \`ISCC:EAAWGQF2UTQVQ737\` 0 bits (full
ISCC-CODEs of demo.pdf and demo.epub with its cover part equal too).
`);
}
rmSync(tmp, { recursive: true, force: true });
