/**
 * Helpers for this package's tests (not exported): signed notes with valid ISCC-CODEs; the
 * seeded PRNG, free port and throw-away PostgreSQL cluster come from tests/test-support.ts.
 */
import { MT, ST, VS, buildIsccNote, encodeComponent, genIsccCode, datahashToInstanceCode, createNonce, signJson, type IsccNote, type KeyPair } from '@iscc-ts/core';

export { rng, randomBytes, freePort } from '../../../tests/test-support.ts';
import { randomBytes, startPg as startTestPg, type PgCluster } from '../../../tests/test-support.ts';

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

/** A throw-away PostgreSQL cluster, `ISCC_HUB_URL` when set, or the reason to skip. */
export function startPg(): Promise<PgCluster | { skip: string }> {
  return startTestPg('ISCC_HUB_URL');
}
