// Shared helpers for benchmarks: timing with warm-up, medians, and tables.
import { spawnSync } from 'node:child_process';

/** Median of per-call time in microseconds for `fn`, after warm-up, over `rounds` rounds. */
export function perCallUs(fn, { warmup = 200, minMs = 300, rounds = 7 } = {}) {
  for (let i = 0; i < warmup; i++) fn();
  // Calibrate the number of calls per round to take about minMs / rounds.
  let n = 1;
  for (;;) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    if (ms > minMs / rounds) break;
    n *= 2;
  }
  const samples = [];
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    for (let i = 0; i < n; i++) fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e3 / n);
  }
  return median(samples);
}

/** Best of `rounds` wall times in seconds of an async or sync function. */
export async function bestSeconds(fn, rounds = 3) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    await fn();
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return best;
}

/** Best wall time in seconds of an external command, or null when it is not installed. */
export function commandSeconds(cmd, args, rounds = 3) {
  const probe = spawnSync('sh', ['-c', `command -v ${cmd}`]);
  if (probe.status !== 0) return null;
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = process.hrtime.bigint();
    const res = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    if (res.status !== 0) return null;
    best = Math.min(best, Number(process.hrtime.bigint() - t) / 1e9);
  }
  return best;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Print a Markdown table. */
export function table(headers, rows) {
  const out = [`| ${headers.join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`];
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
  console.log(out.join('\n'));
}

/** mulberry32: a small seeded PRNG, so every benchmark's data set is reproducible. */
export function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
/** RFC 4648 base32 without padding (ISCC bodies), without loading core into the load generator. */
export function base32(data) {
  let out = '';
  let buf = 0;
  let bits = 0;
  for (const x of data) {
    buf = ((buf << 8) | x) & 0xfff;
    bits += 8;
    while (bits >= 5) out += B32[(buf >>> (bits -= 5)) & 31];
  }
  if (bits > 0) out += B32[(buf << (5 - bits)) & 31];
  return out;
}
