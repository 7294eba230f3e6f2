/**
 * Test support shared by the packages' Node tests: a seeded PRNG, a free port, and a
 * throw-away PostgreSQL cluster (DESIGN.md: PostgreSQL refuses root, so initdb/pg_ctl run as
 * the `postgres` user via runuser in a temp directory on a free port, removed afterwards).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, chownSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * Deterministic pseudo-random bytes (xorshift32), cheap enough for properties over long inputs
 * (the Data-Code tests); `runs` > 0 repeats bytes at random, to vary the chunk sizes.
 */
export function xorshiftBytes(seed: number, n: number, runs = 0): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed | 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = runs > 0 && (x >>> 8) % runs !== 0 && i > 0 ? out[i - 1]! : x & 0xff;
  }
  return out;
}

/**
 * The `code` of the error that `f` rejects with; fails unless it is an instance of `cls`, and
 * when `f` resolves.
 */
export async function rejectionCode(f: () => Promise<unknown>, cls: abstract new (...args: never[]) => Error & { code: string }): Promise<string> {
  try {
    await f();
  } catch (e) {
    if (!(e instanceof cls)) throw new Error(`expected a ${cls.name}, got ${String(e)}`, { cause: e });
    return e.code;
  }
  throw new Error(`expected a ${cls.name}`);
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
 * Start a PostgreSQL cluster for tests, or use the database in the environment variable
 * `urlVar` (e.g. `ISCC_INDEX_URL`) when set. Returns the reason to skip when there are no
 * binaries (the caller prints it and skips; `npm run setup` installs them).
 */
export async function startPg(urlVar: string): Promise<PgCluster | { skip: string }> {
  const given = process.env[urlVar];
  if (given) return { url: given, stop: () => undefined };
  const bin = findPgBin();
  if (!bin) return { skip: `no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql-15, or set ${urlVar})` };
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
