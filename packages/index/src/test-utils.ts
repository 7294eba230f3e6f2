/**
 * Helpers for this package's tests (not exported from the package): a seeded PRNG, unit
 * builders, and a throw-away PostgreSQL cluster (DESIGN.md: PostgreSQL refuses root, so
 * initdb/pg_ctl run as the `postgres` user via runuser in a temp directory on a free port).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SUPPORTED_UNIT_TYPES, encodeUnit, encodeBase32, writeHeader } from './codec.ts';

/** mulberry32: small deterministic PRNG. */
export function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomBytes(r: () => number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(r() * 256);
  return b;
}

/** Copy of `code` with `bits` distinct random bits flipped. */
export function flipBits(r: () => number, code: Uint8Array, bits: number): Uint8Array {
  const out = code.slice();
  const done = new Set<number>();
  while (done.size < bits) {
    const p = Math.floor(r() * out.length * 8);
    if (done.has(p)) continue;
    done.add(p);
    out[p >> 3]! ^= 0x80 >> (p & 7);
  }
  return out;
}

/** `ISCC:...` unit of `type` (e.g. `CONTENT-TEXT-V0`) with `body`. */
export function unit(type: string, body: Uint8Array): string {
  const typeId = SUPPORTED_UNIT_TYPES.get(type);
  if (typeId === undefined) throw new Error(`unknown type ${type}`);
  return encodeUnit({ typeId, bits: body.length * 8, body });
}

/** A 64-bit-unit ISCC-CODE (CONTENT-TEXT subtype) of meta, content, data, instance bodies (8 bytes each). */
export function isccCode(meta: Uint8Array, content: Uint8Array, data: Uint8Array, instance: Uint8Array): string {
  // MainType ISCC (5), SubType TEXT (0), V0, length field 5 = META + CONTENT (iscc-core UNITS[5]).
  const h = writeHeader(5, 0, 0, 5);
  const all = new Uint8Array(h.length + 32);
  all.set(h);
  all.set(meta.subarray(0, 8), h.length);
  all.set(content.subarray(0, 8), h.length + 8);
  all.set(data.subarray(0, 8), h.length + 16);
  all.set(instance.subarray(0, 8), h.length + 24);
  return 'ISCC:' + encodeBase32(all);
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Directory holding initdb/pg_ctl, or null (then PostgreSQL tests skip with a reason). */
export function findPgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(base, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

/** A running throw-away PostgreSQL cluster. */
export interface PgCluster {
  url: string;
  stop(): void;
}

/**
 * Start a PostgreSQL cluster for tests, or use `ISCC_INDEX_URL` when set. Returns null with
 * the reason when there are no binaries (the caller prints it and skips).
 */
export async function startPg(): Promise<PgCluster | { skip: string }> {
  if (process.env.ISCC_INDEX_URL) return { url: process.env.ISCC_INDEX_URL, stop: () => undefined };
  const bin = findPgBin();
  if (!bin) return { skip: 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql-15, or set ISCC_INDEX_URL)' };
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'iscc-pg-'));
  const data = join(dir, 'data');
  const as = (cmd: string, args: string[]): void => {
    if (root) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' });
    else execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  };
  if (root) {
    const pw = execFileSync('id', ['-u', 'postgres']).toString().trim();
    const gid = execFileSync('id', ['-g', 'postgres']).toString().trim();
    chownSync(dir, Number(pw), Number(gid));
    chmodSync(dir, 0o700);
  }
  const port = await freePort();
  as('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  as('pg_ctl', ['-D', data, '-w', '-l', join(dir, 'log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        as('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
