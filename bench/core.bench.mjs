// Core generators: per-call latency on iscc-lib's benchmark inputs (crates/iscc-lib/benches),
// and Data-/Instance-Code throughput on one in-memory buffer against Node's SHA-256 (OpenSSL)
// measured on the same buffer in the same run. Uses the built package (npm run build).
import { createHash } from 'node:crypto';
import * as core from '@iscc-ts/core';
import { perCallUs, bestSeconds, table } from './_util.mjs';

const base = 'The quick brown fox jumps over the lazy dog. ';
const text1000 = base.repeat(Math.ceil(1000 / base.length)).slice(0, 1000);
const pixels = Array.from({ length: 1024 }, (_, i) => i % 256);
const cv = Array.from({ length: 300 }, (_, i) => i);
const frames = Array.from({ length: 10 }, (_, f) => Array.from({ length: 380 }, (_, i) => f * 380 + i));
const units = ['AAAYPXW445FTYNJ3', 'EAARMJLTQCUWAND2', 'GABVVC5DMJJGYKZ4ZBYVNYABFFYXG', 'IADWIK7A7JTUAQ2D6QARX7OBEIK3OOUAM42LOBLCZ4ZOGDLRHMDL6TQ'];

const calls = [
  ['genMetaCodeV0 (name + description)', () => core.genMetaCodeV0('Die Unendliche Geschichte', 'Von Michael Ende'), null],
  ['genTextCodeV0 (1,000 chars)', () => core.genTextCodeV0(text1000, 64), 300],
  ['genImageCodeV0 (1,024 px)', () => core.genImageCodeV0(pixels, 64), 650],
  ['genAudioCodeV0 (300 ints)', () => core.genAudioCodeV0(cv, 64), 100],
  ['genVideoCodeV0 (10 frames)', () => core.genVideoCodeV0(frames, 64), 10],
  ['genMixedCodeV0 (2 codes)', () => core.genMixedCodeV0(['EUA6GIKXN42IQV3S', 'EIAUKMOUIOYZCKA5'], 64), null],
  ['genIsccCodeV0 (4 units)', () => core.genIsccCodeV0(units), null],
];
const rows = calls.map(([name, fn, goal]) => {
  const us = perCallUs(fn);
  return [name, us.toFixed(1), goal === null ? '-' : `<= ${goal}`, goal === null ? '-' : us <= goal ? 'met' : 'MISSED'];
});
console.log('Per call (median after warm-up):\n');
table(['call', 'µs', 'goal µs', ''], rows);

const size = 64 * 2 ** 20;
const buf = new Uint8Array(size);
let x = 0x12345678;
for (let i = 0; i < size; i += 4) {
  x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
  buf[i] = x; buf[i + 1] = x >>> 8; buf[i + 2] = x >>> 16; buf[i + 3] = x >>> 24;
}
const mib = size / 2 ** 20;
const sha = await bestSeconds(() => createHash('sha256').update(buf).digest());
const data = await bestSeconds(() => core.genDataCodeV0(buf, 64));
const inst = await bestSeconds(() => core.genInstanceCodeV0(buf, 64));
console.log(`\nThroughput on one ${mib} MiB buffer in memory (best of 3):\n`);
table(
  ['what', 'MiB/s', 'ratio to Node sha256'],
  [
    ['Node crypto sha256 (reference)', (mib / sha).toFixed(0), '1.00'],
    ['genDataCodeV0', (mib / data).toFixed(0), (sha / data).toFixed(2)],
    ['genInstanceCodeV0 (BLAKE3: ' + (core.turbo() ? 'accelerated' : 'pure TS') + ')', (mib / inst).toFixed(0), (sha / inst).toFixed(2)],
  ],
);
