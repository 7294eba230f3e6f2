/**
 * Helpers for this package's tests (not exported from the package): unit builders; the seeded
 * PRNG, free port and throw-away PostgreSQL cluster come from tests/test-support.ts.
 */
import { SUPPORTED_UNIT_TYPES, encodeUnit, encodeBase32, writeHeader } from './codec.ts';

export { rng, randomBytes, freePort, findPgBin, type PgCluster } from '../../../tests/test-support.ts';
import { startPg as startTestPg, type PgCluster } from '../../../tests/test-support.ts';

/** A throw-away PostgreSQL cluster, `ISCC_INDEX_URL` when set, or the reason to skip. */
export function startPg(): Promise<PgCluster | { skip: string }> {
  return startTestPg('ISCC_INDEX_URL');
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

