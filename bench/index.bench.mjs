#!/usr/bin/env node
// ISCC-VDB (@iscc-ts/index) benchmark: build rate, query latency p50/p99, recall@10 against
// exact search, resident memory per entry, embedded (LMDB) and on PostgreSQL.
//
// Data (seeded, reproducible): C random centres (default 10,000) of B bits (64, and a 256-bit
// variant), M members each (default 100) at Hamming distance 1..6 (uniform) from their centre,
// stored as DATA-NONE-V0 units; queries: Q members (default 1,000) with 2 more bits flipped.
// Times are wall clock with this process's CPU time (all its threads) in brackets: on a shared
// machine the CPU time is the steadier figure. PostgreSQL's CPU time is in the server, not here.
// Recall@10 = share of the exact top-10 (linear scan, ties by ISCC-ID) found in the approximate
// top-10, averaged over the queries.
// A second workload is the REST bench's (bench/server.bench.mjs): S random ISCC-SUM codes
// (Data 64 + Instance 64 bits, header 0x55 0x00; default 100,000) searched with members
// (`{isccCodes: c, count: 10}`, default thresholds): no near neighbours, so the plan scans or
// probes far, the worst case of multi-index hashing.
// ISCC strings are handed to the index as JSON.parse delivers them (flat strings, as from a REST
// body or a file); strings built by concatenation cost V8 a flatten on first read, which for
// 1M entries is a large share of the build (--concat-strings measures that way).
//
// Usage: node bench/index.bench.mjs [--centres 10000] [--members 100] [--queries 1000]
//        [--bits 64,256] [--pg-centres 10000] [--no-pg] [--sum 100000] [--concat-strings]
//        [--warmup 50]  (searches before the measured ones, per row)
// Needs a build (`npm run build`). PostgreSQL: ISCC_INDEX_URL, else a throw-away cluster from
// /usr/lib/postgresql/*/bin (as user postgres when root), else the PG rows are skipped.
import { execFileSync } from 'node:child_process';
import { chownSync, chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsccIndex, UnitKernel } from '@iscc-ts/index';
import { rng, base32, table } from './_util.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const CENTRES = Number(opt('centres', 10_000));
const MEMBERS = Number(opt('members', 100));
const QUERIES = Number(opt('queries', 1000));
const BITS = String(opt('bits', '64,256')).split(',').filter(Boolean).map(Number);
const PG_CENTRES = Number(opt('pg-centres', CENTRES));
const WITH_PG = !args.includes('--no-pg');
const SUM = Number(opt('sum', 100_000));
const WARMUP = Number(opt('warmup', 50));
const FLAT = !args.includes('--concat-strings');
/** Strings as JSON.parse returns them (flat), unless --concat-strings. */
const asInput = (x) => (FLAT ? JSON.parse(JSON.stringify(x)) : x);

function randomBytes(r, n) {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}
function flip(r, code, bits) {
  const out = code.slice();
  const done = new Set();
  while (done.size < bits) {
    const p = Math.floor(r() * out.length * 8);
    if (done.has(p)) continue;
    done.add(p);
    out[p >> 3] ^= 0x80 >> (p & 7);
  }
  return out;
}
/** DATA-NONE-V0 unit string: header MT 3, ST 0, V0, length (bits/32 - 1). */
function dataUnit(body) {
  const all = new Uint8Array(2 + body.length);
  all[0] = 0x30;
  all[1] = body.length / 4 - 1;
  all.set(body, 2);
  return 'ISCC:' + base32(all);
}

/** The seeded data set: codes (bodies) and queries. */
function dataset(bits, centres) {
  const r = rng(20240 + bits);
  const nbytes = bits / 8;
  const codes = [];
  for (let c = 0; c < centres; c++) {
    const centre = randomBytes(r, nbytes);
    for (let m = 0; m < MEMBERS; m++) codes.push(flip(r, centre, 1 + Math.floor(r() * 6)));
  }
  const queries = [];
  for (let q = 0; q < QUERIES; q++) queries.push(flip(r, codes[Math.floor(r() * codes.length)], 2));
  return { codes, queries };
}

const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const ms = (x) => x.toFixed(3);
/** CPU time (user + system, all threads of this process) in ms since `c0`. */
const cpuMs = (c0) => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const rate = (n, s) => `${Math.round(n / s).toLocaleString('en-US')}/s`;
const gc = () => globalThis.gc?.();
const rss = () => {
  gc();
  gc();
  return process.memoryUsage().rss;
};

function recallAt10(approx, exact) {
  let hit = 0;
  let total = 0;
  approx.forEach((a, i) => {
    const set = new Set(a);
    for (const k of exact[i]) {
      total++;
      if (set.has(k)) hit++;
    }
  });
  return total ? hit / total : 1;
}

/** Measure one IsccIndex (any backend): build, latency, recall, memory. */
async function measureIndex(label, open, codes, queries, opts = {}) {
  const units = asInput(codes.map((c) => [dataUnit(c)]));
  const qUnits = asInput(queries.map((q) => [dataUnit(q)]));
  return measureInputs(
    label,
    open,
    units.length,
    (i, n) => ({ units: units.slice(i, i + n) }),
    qUnits.map((q) => ({ units: q, count: 10 })),
    opts,
  );
}

/** Build an index from `batchAt(i, n)` inputs (n entries in all), then time `searches`. */
async function measureInputs(label, open, n, batchAt, searches, { batch = 100_000, exactQueries = QUERIES, dir = null } = {}) {
  const before = rss();
  const idx = await open();
  let t = process.hrtime.bigint();
  let c0 = process.cpuUsage();
  for (let i = 0; i < n; i += batch) await idx.add(batchAt(i, Math.min(batch, n - i)));
  const buildS = Number(process.hrtime.bigint() - t) / 1e9;
  const buildCpuS = cpuMs(c0) / 1000;
  // Warm-up (JIT, table build) outside the measured queries.
  for (let i = 0; i < Math.min(WARMUP, searches.length); i++) await idx.search(searches[i]);
  const lat = [];
  const cpu = [];
  const approx = [];
  for (const q of searches) {
    const t0 = process.hrtime.bigint();
    const q0 = process.cpuUsage();
    const m = await idx.search(q);
    cpu.push(cpuMs(q0));
    lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
    approx.push(m.keys);
  }
  const exact = [];
  const exLat = [];
  for (const q of searches.slice(0, exactQueries)) {
    const t0 = process.hrtime.bigint();
    exact.push((await idx.search({ ...q, exact: true })).keys);
    exLat.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const after = rss();
  const structBytes = idx.memoryBytes();
  let reopenS = null;
  let viewS = null;
  if (dir) {
    await idx.close();
    // Reopen in a fresh process (this one holds the whole data set, which would bill the
    // garbage collector's work on it to the reopen): as the writer (reads every entry and
    // rebuilds the kernels), and as a read-only view (nothing loaded at open; the first search
    // builds the kernel of its unit type).
    const script = `
      import { IsccIndex } from '@iscc-ts/index';
      const t0 = performance.now();
      const w = await IsccIndex.open(${JSON.stringify(dir)});
      const reopen = (performance.now() - t0) / 1000;
      await w.close();
      const t1 = performance.now();
      const v = await IsccIndex.open(${JSON.stringify(dir)}, { readOnly: true });
      const open = (performance.now() - t1) / 1000;
      await v.search(${JSON.stringify(searches[0])});
      const first = (performance.now() - t1) / 1000;
      await v.close();
      console.log(JSON.stringify({ reopen, open, first }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: new URL('..', import.meta.url).pathname }).toString();
    const r = JSON.parse(out.trim().split('\n').pop());
    reopenS = r.reopen;
    viewS = [r.open, r.first];
  } else await idx.close();
  return {
    label,
    n,
    build: `${rate(n, buildS)} (CPU ${rate(n, buildCpuS)})`,
    p50: `${ms(pct(lat, 50))} (CPU ${ms(pct(cpu, 50))})`,
    p99: `${ms(pct(lat, 99))} (CPU ${ms(pct(cpu, 99))})`,
    exactP50: ms(pct(exLat, 50)),
    recall: recallAt10(approx.slice(0, exact.length), exact).toFixed(4),
    memPerEntry: structBytes === null ? 'server' : `${Math.round(structBytes / n)} B (RSS ${Math.round((after - before) / n)} B)`,
    reopen: reopenS === null ? '-' : `${reopenS.toFixed(2)} s`,
    view: viewS === null ? '-' : `${viewS[0].toFixed(3)} s / ${viewS[1].toFixed(2)} s`,
  };
}

/** Kernel only (no strings, no storage): the search engine itself. */
function measureKernel(bits, codes, queries) {
  const before = rss();
  const k = new UnitKernel();
  let t = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  codes.forEach((c, i) => k.add(BigInt(i), c));
  k.buildTables();
  const buildS = Number(process.hrtime.bigint() - t) / 1e9;
  const buildCpuS = cpuMs(c0) / 1000;
  const after = rss();
  const structBytes = k.memoryBytes();
  for (let i = 0; i < 50; i++) k.search(queries[i % queries.length], 10);
  const lat = [];
  const cpu = [];
  const approx = [];
  for (const q of queries) {
    const t0 = process.hrtime.bigint();
    const q0 = process.cpuUsage();
    approx.push(k.search(q, 10).keys);
    cpu.push(cpuMs(q0));
    lat.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const exLat = [];
  const exact = [];
  for (const q of queries) {
    const t0 = process.hrtime.bigint();
    exact.push(k.search(q, 10, { exact: true }).keys);
    exLat.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return {
    label: `kernel ${bits}-bit`,
    n: codes.length,
    build: `${rate(codes.length, buildS)} (CPU ${rate(codes.length, buildCpuS)})`,
    p50: `${ms(pct(lat, 50))} (CPU ${ms(pct(cpu, 50))})`,
    p99: `${ms(pct(lat, 99))} (CPU ${ms(pct(cpu, 99))})`,
    exactP50: ms(pct(exLat, 50)),
    recall: recallAt10(approx, exact).toFixed(4),
    memPerEntry: `${Math.round(structBytes / codes.length)} B (RSS ${Math.round((after - before) / codes.length)} B)`,
    reopen: '-',
    view: '-',
  };
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** PostgreSQL: ISCC_INDEX_URL or a throw-away cluster; null with a reason when impossible. */
async function startPg() {
  if (process.env.ISCC_INDEX_URL) return { url: process.env.ISCC_INDEX_URL, stop() {} };
  const base = '/usr/lib/postgresql';
  const v = existsSync(base) ? readdirSync(base).sort((a, b) => b - a).find((x) => existsSync(join(base, x, 'bin', 'initdb'))) : null;
  if (!v) return { skip: 'no PostgreSQL binaries (apt-get install postgresql-15) and no ISCC_INDEX_URL' };
  const bin = join(base, v, 'bin');
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'iscc-bench-pg-'));
  const as = (cmd, a) =>
    root ? execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...a], { stdio: 'pipe' }) : execFileSync(join(bin, cmd), a, { stdio: 'pipe' });
  if (root) {
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  as('initdb', ['-D', join(dir, 'data'), '-A', 'trust', '-U', 'postgres', '-E', 'UTF8']);
  as('pg_ctl', ['-D', join(dir, 'data'), '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c shared_buffers=1GB`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        as('pg_ctl', ['-D', join(dir, 'data'), '-m', 'fast', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The REST bench's data: random ISCC-SUM codes (MT ISCC, ST SUM: Data 64 + Instance 64). */
function sumCodes(n) {
  const r = rng(42);
  const out = [];
  for (let i = 0; i < n; i++) {
    const b = new Uint8Array(18);
    b[0] = 0x55;
    b[1] = 0x00;
    for (let j = 2; j < 18; j++) b[j] = Math.floor(r() * 256);
    out.push('ISCC:' + base32(b));
  }
  return out;
}

const rows = [];
const tmp = mkdtempSync(join(tmpdir(), 'iscc-bench-index-'));
try {
  if (SUM > 0) {
    const codes = asInput(sumCodes(SUM));
    const r = rng(7);
    const searches = Array.from({ length: QUERIES }, () => ({ isccCodes: codes[Math.floor(r() * codes.length)], count: 10 }));
    const dir = join(tmp, 'sum');
    rows.push(
      await measureInputs(`embedded ISCC-SUM, member queries (LMDB)`, () => IsccIndex.open(dir), codes.length, (i, n) => ({ isccCodes: codes.slice(i, i + n) }), searches, {
        dir,
      }),
    );
  }
  for (const bits of BITS) {
    const { codes, queries } = dataset(bits, CENTRES);
    rows.push(measureKernel(bits, codes, queries));
    const dir = join(tmp, `lmdb${bits}`);
    rows.push(await measureIndex(`embedded ${bits}-bit (LMDB)`, () => IsccIndex.open(dir), codes, queries, { dir }));
  }
  if (WITH_PG) {
    const pg = await startPg();
    if (pg.skip) console.log(`PostgreSQL rows skipped: ${pg.skip}\n`);
    else {
      try {
        for (const bits of BITS) {
          const { codes, queries } = dataset(bits, PG_CENTRES);
          const u = new URL(pg.url);
          u.searchParams.set('iscc_table', `bench${bits}_${process.pid}`);
          rows.push(await measureIndex(`PostgreSQL ${bits}-bit`, () => IsccIndex.open(u.toString()), codes, queries, { batch: 50_000, exactQueries: 100 }));
        }
      } finally {
        pg.stop();
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
console.log(`load average at the end: ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(', ')} on ${(await import('node:os')).cpus().length} cores`);
console.log(
  `data: ${CENTRES.toLocaleString('en-US')} centres x ${MEMBERS} members at 1..6 bits (seeded), ${QUERIES} queries = members + 2 bits; count = 10; ` +
    `ISCC-SUM: ${SUM.toLocaleString('en-US')} random codes, ${QUERIES} member queries, count = 10; input strings ${FLAT ? 'flat (as from JSON)' : 'concatenated'}\n`,
);
table(
  ['what', 'codes', 'build', 'p50 ms', 'p99 ms', 'exact p50 ms', 'recall@10', 'memory/entry', 'reopen', 'view open / +1st search'],
  rows.map((r) => [r.label, r.n.toLocaleString('en-US'), r.build, r.p50, r.p99, r.exactP50, r.recall, r.memPerEntry, r.reopen, r.view]),
);
console.log('\ngoals (issue 7): embedded p50 < 1 ms with recall@10 >= 0.99, build >= 200k codes/s; PostgreSQL p50 < 10 ms');
