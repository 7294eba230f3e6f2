/**
 * Helpers for this package's tests (not exported): signed notes with valid ISCC-CODEs, a
 * seeded PRNG, a free port, a throw-away PostgreSQL cluster (as @iscc-ts/index's tests: initdb
 * and pg_ctl as the postgres user through runuser, on a free port, removed afterwards).
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MT, ST, VS, buildIsccNote, encodeComponent, genIsccCode, datahashToInstanceCode, createNonce, signJson, type IsccNote, type KeyPair } from '@iscc-ts/core';

/** mulberry32. */
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

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A content description: datahash and ISCC-CODE (META, CONTENT-TEXT, DATA and the datahash's INSTANCE). */
export function content(r: () => number, base?: { meta: Uint8Array; text: Uint8Array; data: Uint8Array }): {
  datahash: string;
  iscc_code: string;
  units: string[];
  parts: { meta: Uint8Array; text: Uint8Array; data: Uint8Array };
} {
  const parts = base ?? { meta: randomBytes(r, 8), text: randomBytes(r, 8), data: randomBytes(r, 8) };
  const datahash = '1e20' + hex(randomBytes(r, 32));
  const units = [
    'ISCC:' + encodeComponent(MT.META, ST.NONE, VS.V0, 64, parts.meta),
    'ISCC:' + encodeComponent(MT.CONTENT, 0, VS.V0, 64, parts.text),
    'ISCC:' + encodeComponent(MT.DATA, ST.NONE, VS.V0, 64, parts.data),
  ];
  const iscc_code = genIsccCode([...units, datahashToInstanceCode(datahash)]).iscc;
  return { datahash, iscc_code, units, parts };
}

/** A signed IsccNote addressed to `hubId`. */
export async function note(
  kp: KeyPair,
  hubId: number,
  r: () => number,
  extra: { gateway?: string; now?: number; datahash?: string; iscc_code?: string } = {},
): Promise<IsccNote> {
  const c = content(r);
  return buildIsccNote(
    { iscc_code: extra.iscc_code ?? c.iscc_code, datahash: extra.datahash ?? c.datahash, ...(extra.gateway ? { gateway: extra.gateway } : {}) },
    kp,
    { hubId, now: extra.now },
  );
}

/** A signed IsccNoteDelete. */
export async function deleteNote(kp: KeyPair, hubId: number, isccId: string, now = Date.now()): Promise<Record<string, unknown>> {
  return signJson(
    {
      $schema: 'http://purl.org/iscc/schema/iscc-note-delete-0.8.0.json',
      iscc_id: isccId,
      timestamp: new Date(now).toISOString(),
      nonce: createNonce(hubId),
    },
    kp,
  ) as Promise<Record<string, unknown>>;
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

function findPgBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  for (const v of readdirSync(base).sort((a, b) => Number(b) - Number(a))) {
    const bin = join(base, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

/** A throw-away PostgreSQL cluster, `ISCC_HUB_URL` when set, or the reason to skip. */
export async function startPg(): Promise<{ url: string; stop(): void } | { skip: string }> {
  if (process.env.ISCC_HUB_URL) return { url: process.env.ISCC_HUB_URL, stop: () => undefined };
  const bin = findPgBin();
  if (!bin) return { skip: 'no PostgreSQL binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql-15, or set ISCC_HUB_URL)' };
  const root = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'iscc-hub-pg-'));
  const data = join(dir, 'data');
  const as = (cmd: string, args: string[]): void => {
    if (root) execFileSync('runuser', ['-u', 'postgres', '--', join(bin, cmd), ...args], { stdio: 'pipe' });
    else execFileSync(join(bin, cmd), args, { stdio: 'pipe' });
  };
  if (root) {
    chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString().trim()), Number(execFileSync('id', ['-g', 'postgres']).toString().trim()));
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
