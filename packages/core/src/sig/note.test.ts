import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { IsccError } from '../errors.ts';
import { IsccNoteError } from './errors.ts';
import { keyGenerate } from './keys.ts';
import { signJson, SigType } from './signing.ts';
import {
  type IsccNote,
  ISCC_NOTE_SCHEMA,
  MAX_JSON_SIZE,
  TIMESTAMP_TOLERANCE_MS,
  buildIsccNote,
  datahashToInstanceCode,
  gatewayVariables,
  pyJsonDumpsLength,
  validateGateway,
  validateIsccNote,
  validateIsccNoteFormat,
  validateNonce,
  validateTimestamp,
} from './note.ts';

// --- conformance fixtures (fail loudly when missing) ---
function conformanceDir(): string {
  const dir = process.env.ISCC_CONFORMANCE_DIR ?? resolve(import.meta.dirname, '../../../../../shared/conformance');
  const probe = resolve(dir, 'crypto', 'iscc-hub_fixtures_test_data.json');
  if (!existsSync(probe)) throw new Error(`conformance data not found: ${probe} (set ISCC_CONFORMANCE_DIR)`);
  return dir;
}
function hubFixtureNotes(): IsccNote[] {
  const rows = JSON.parse(readFileSync(resolve(conformanceDir(), 'crypto', 'iscc-hub_fixtures_test_data.json'), 'utf8')) as {
    model: string;
    fields: { iscc_note?: IsccNote };
  }[];
  const notes = rows.filter((r) => r.model === 'iscc_hub.event').map((r) => r.fields.iscc_note!);
  if (notes.length !== 5) throw new Error(`expected 5 hub fixture notes, got ${notes.length}`);
  return notes;
}

const NOTES = hubFixtureNotes();
function without<T extends object>(obj: T, key: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  delete out[key];
  return out;
}
const FULL = NOTES[0]!; // has gateway, units, metahash
const at = (note: IsccNote, deltaMs = 0): number => Date.parse(note.timestamp) + deltaMs;

/** Run `fn`, expect an IsccNoteError and return it. */
async function rejection(p: Promise<unknown> | (() => unknown)): Promise<IsccNoteError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(e).toBeInstanceOf(IsccNoteError);
    return e as IsccNoteError;
  }
  throw new Error('expected an IsccNoteError, nothing was thrown');
}

describe('validateIsccNote on the iscc-hub fixture', () => {
  it('accepts every fixture note for hub 1 at its own time', async () => {
    for (const note of NOTES) {
      expect(await validateIsccNote(note, { hubId: 1, now: at(note, 5 * 60_000) })).toBe(note);
    }
  });

  it('refuses a forged note (content changed, signature kept) with ISCC_SIGNATURE_INVALID / 401', async () => {
    const forged = { ...FULL, metahash: `1e20${'ab'.repeat(32)}` };
    const e = await rejection(validateIsccNote(forged, { hubId: 1, now: at(FULL) }));
    expect([e.code, e.hubCode, e.status]).toEqual(['ISCC_SIGNATURE_INVALID', 'invalid_signature', 401]);
    // Re-signed by someone else but claiming the original pubkey.
    const mallory = await keyGenerate();
    const { signature: _s, ...body } = FULL;
    const resigned = await signJson(body, mallory);
    const spoof = { ...resigned, signature: { ...resigned.signature, pubkey: FULL.signature.pubkey } };
    expect((await rejection(validateIsccNote(spoof, { hubId: 1, now: at(FULL) }))).code).toBe('ISCC_SIGNATURE_INVALID');
    // Format-only validation does not look at the proof.
    expect(validateIsccNoteFormat(forged, { hubId: 1, now: at(FULL) })).toBe(forged);
  });

  it('refuses replays: another hub, and a nonce already used', async () => {
    const e = await rejection(validateIsccNote(FULL, { hubId: 2, now: at(FULL) }));
    expect([e.code, e.hubCode, e.field]).toEqual(['ISCC_NOTE_NONCE', 'nonce_mismatch', 'nonce']);
    const seen = new Set([FULL.nonce]);
    const r = await rejection(validateIsccNote(FULL, { hubId: 1, now: at(FULL), isNonceUsed: (n) => seen.has(n) }));
    expect([r.code, r.hubCode, r.status]).toEqual(['ISCC_NOTE_NONCE', 'nonce_reuse', 400]);
    await expect(validateIsccNote(NOTES[1], { hubId: 1, now: at(NOTES[1]!), isNonceUsed: async (n) => seen.has(n) })).resolves.toBeTruthy();
  });

  it('refuses stale and future notes outside the window, accepts its edges', async () => {
    for (const delta of [TIMESTAMP_TOLERANCE_MS + 1, -(TIMESTAMP_TOLERANCE_MS + 1), 86_400_000]) {
      const e = await rejection(validateIsccNote(FULL, { hubId: 1, now: at(FULL, delta) }));
      expect([e.code, e.hubCode, e.field]).toEqual(['ISCC_NOTE_TIMESTAMP', 'timestamp_out_of_range', 'timestamp']);
    }
    for (const delta of [TIMESTAMP_TOLERANCE_MS, -TIMESTAMP_TOLERANCE_MS]) {
      await expect(validateIsccNote(FULL, { hubId: 1, now: at(FULL, delta) })).resolves.toBe(FULL);
    }
    await expect(validateIsccNote(FULL, { now: at(FULL, 61_000), maxSkewMs: 60_000 })).rejects.toThrow(/tolerance/);
    await expect(validateIsccNote(FULL, { verifyTimestamp: false })).resolves.toBe(FULL);
    await expect(validateIsccNote(FULL, { now: new Date(at(FULL)) })).resolves.toBe(FULL);
  });

  it('refuses oversized notes with ISCC_LIMIT_EXCEEDED', async () => {
    const long = { ...FULL, gateway: `https://example.com/${'a'.repeat(2048)}` };
    const e = await rejection(() => validateIsccNoteFormat(long, { now: at(FULL) }));
    expect([e.code, e.hubCode, e.field]).toEqual(['ISCC_LIMIT_EXCEEDED', 'invalid_length', 'gateway']);
    const units = { ...FULL, units: [...FULL.units!, ...FULL.units!] };
    expect((await rejection(() => validateIsccNoteFormat(units, { now: at(FULL) }))).code).toBe('ISCC_LIMIT_EXCEEDED');
    const bigSig = { ...FULL, signature: { ...FULL.signature, keyid: 'k'.repeat(MAX_JSON_SIZE) } };
    const b = await rejection(() => validateIsccNoteFormat(bigSig, { now: at(FULL) }));
    expect([b.code, b.field]).toEqual(['ISCC_LIMIT_EXCEEDED', null]);
    // Deep nesting is cut off by the size limit, not by the stack.
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect((await rejection(() => validateIsccNoteFormat({ ...FULL, units: deep }))).code).toBe('ISCC_LIMIT_EXCEEDED');
  });

  it('measures size like Python json.dumps', () => {
    // Expected values from CPython 3.11 len(json.dumps(x)).
    expect(pyJsonDumpsLength({ a: 'é😀"\\\n\u007f\u0001' })).toBe(45);
    expect(pyJsonDumpsLength([1, 2.5, 1e16, 1e-5, 123456.789, true, null, [], {}])).toBe(54);
    expect(pyJsonDumpsLength({ k: [{ x: -0.0001 }] })).toBe(23);
    expect(pyJsonDumpsLength(NOTES.map((n) => n))).toBe(801 + 454 + 657 + 454 + 802 + 2 + 4 * 2);
  });
});

describe('validateIsccNoteFormat rules', () => {
  const now = at(FULL);
  const cases: [string, Record<string, unknown>, string, string, string | null][] = [
    ['not an object', [] as unknown as Record<string, unknown>, 'ISCC_NOTE_INVALID', 'invalid_type', null],
    ['unknown member', { ...FULL, extra: 'x' }, 'ISCC_NOTE_INVALID', 'validation_failed', null],
    ['missing datahash', without(FULL, 'datahash'), 'ISCC_NOTE_INVALID', 'validation_failed', 'datahash'],
    ['missing signature', without(FULL, 'signature'), 'ISCC_NOTE_INVALID', 'validation_failed', 'signature'],
    ['undefined member', { ...FULL, metahash: undefined }, 'ISCC_NOTE_INVALID', 'invalid_type', null],
    ['iscc_code not composite', { ...FULL, iscc_code: FULL.units![0] }, 'ISCC_NOTE_INVALID', 'invalid_iscc', 'iscc_code'],
    ['iscc_code garbage', { ...FULL, iscc_code: 'ISCC:XYZ' }, 'ISCC_NOTE_INVALID', 'invalid_iscc', 'iscc_code'],
    ['iscc_code number', { ...FULL, iscc_code: 5 }, 'ISCC_NOTE_INVALID', 'invalid_iscc', 'iscc_code'],
    ['datahash upper', { ...FULL, datahash: FULL.datahash.toUpperCase() }, 'ISCC_NOTE_INVALID', 'invalid_format', 'datahash'],
    ['datahash prefix', { ...FULL, datahash: `1e21${FULL.datahash.slice(4)}` }, 'ISCC_NOTE_INVALID', 'invalid_format', 'datahash'],
    ['datahash short', { ...FULL, datahash: FULL.datahash.slice(0, 66) }, 'ISCC_NOTE_INVALID', 'invalid_format', 'datahash'],
    ['datahash non-hex', { ...FULL, datahash: `${FULL.datahash.slice(0, 67)}g` }, 'ISCC_NOTE_INVALID', 'invalid_format', 'datahash'],
    ['nonce upper', { ...FULL, nonce: FULL.nonce.toUpperCase().replace('00', 'AB') }, 'ISCC_NOTE_NONCE', 'invalid_hex', 'nonce'],
    ['nonce 0x', { ...FULL, nonce: `0x${FULL.nonce.slice(2)}` }, 'ISCC_NOTE_NONCE', 'invalid_hex', 'nonce'],
    ['nonce short', { ...FULL, nonce: FULL.nonce.slice(1) }, 'ISCC_NOTE_NONCE', 'invalid_length', 'nonce'],
    ['nonce number', { ...FULL, nonce: 1 }, 'ISCC_NOTE_NONCE', 'invalid_format', 'nonce'],
    ['timestamp offset', { ...FULL, timestamp: '2025-08-19T09:21:53.432+00:00' }, 'ISCC_NOTE_TIMESTAMP', 'invalid_format', 'timestamp'],
    ['timestamp no ms', { ...FULL, timestamp: '2025-08-19T09:21:53Z' }, 'ISCC_NOTE_TIMESTAMP', 'invalid_format', 'timestamp'],
    ['timestamp us', { ...FULL, timestamp: '2025-08-19T09:21:53.432000Z' }, 'ISCC_NOTE_TIMESTAMP', 'invalid_format', 'timestamp'],
    ['timestamp compact', { ...FULL, timestamp: '20250819T092153.432Z' }, 'ISCC_NOTE_TIMESTAMP', 'invalid_format', 'timestamp'],
    ['timestamp feb 30', { ...FULL, timestamp: '2025-02-30T09:21:53.432Z' }, 'ISCC_NOTE_TIMESTAMP', 'invalid_format', 'timestamp'],
    ['gateway null', { ...FULL, gateway: null }, 'ISCC_NOTE_INVALID', 'validation_failed', 'gateway'],
    ['gateway blank', { ...FULL, gateway: '   ' }, 'ISCC_NOTE_INVALID', 'validation_failed', 'gateway'],
    ['gateway variable', { ...FULL, gateway: 'https://x.org/{foo}' }, 'ISCC_NOTE_INVALID', 'invalid_format', 'gateway'],
    ['gateway ftp', { ...FULL, gateway: 'ftp://x.org/' }, 'ISCC_NOTE_INVALID', 'invalid_format', 'gateway'],
    ['units empty', { ...FULL, units: [] }, 'ISCC_NOTE_INVALID', 'validation_failed', 'units'],
    ['units not list', { ...FULL, units: FULL.units![0] }, 'ISCC_NOTE_INVALID', 'invalid_format', 'units'],
    ['units other code', { ...FULL, units: FULL.units!.slice(1) }, 'ISCC_NOTE_INVALID', 'validation_failed', 'units'],
    ['units number', { ...FULL, units: [1] }, 'ISCC_NOTE_INVALID', 'invalid_format', 'units'],
    ['units no prefix', { ...FULL, units: FULL.units!.map((u) => u.slice(5)) }, 'ISCC_NOTE_INVALID', 'invalid_format', 'units'],
    ['units instance', { ...FULL, units: [...FULL.units!.slice(0, 3), datahashToInstanceCode(FULL.datahash)] }, 'ISCC_NOTE_INVALID', 'validation_failed', 'units'],
    ['metahash bad', { ...FULL, metahash: 'abc' }, 'ISCC_NOTE_INVALID', 'invalid_format', 'metahash'],
    ['signature string', { ...FULL, signature: 'z123' }, 'ISCC_SIGNATURE_INVALID', 'invalid_signature', null],
    ['signature no pubkey', { ...FULL, signature: without(FULL.signature, 'pubkey') }, 'ISCC_SIGNATURE_INVALID', 'invalid_signature', null],
    ['signature version', { ...FULL, signature: { ...FULL.signature, version: 'ISCC-SIG v2.0' } }, 'ISCC_SIGNATURE_INVALID', 'invalid_signature', null],
    ['signature extra', { ...FULL, signature: { ...FULL.signature, alg: 'x' } }, 'ISCC_SIGNATURE_INVALID', 'invalid_signature', null],
    ['signature empty keyid', { ...FULL, signature: { ...FULL.signature, keyid: '' } }, 'ISCC_NOTE_INVALID', 'validation_failed', 'keyid'],
    ['signature bad proof', { ...FULL, signature: { ...FULL.signature, proof: 'z0OIl' } }, 'ISCC_SIGNATURE_INVALID', 'invalid_signature', null],
  ];
  for (const [name, note, code, hubCode, field] of cases) {
    it(`refuses ${name}`, async () => {
      const e = await rejection(() => validateIsccNoteFormat(note, { hubId: 1, now }));
      expect([e.code, e.hubCode, e.field], e.message).toEqual([code, hubCode, field]);
      expect(e).toBeInstanceOf(IsccError);
    });
  }

  it('refuses a datahash that does not match the Instance-Code', async () => {
    const { units: _u, ...noUnits } = FULL;
    const e = await rejection(() => validateIsccNoteFormat({ ...noUnits, datahash: `1e20${'00'.repeat(32)}` }, { now }));
    expect([e.code, e.field]).toEqual(['ISCC_NOTE_INVALID', 'datahash']);
    expect(e.message).toMatch(/first 64 bits/);
  });

  it('checks hubId itself', () => {
    expect(() => validateIsccNoteFormat(FULL, { hubId: 4096, now })).toThrow(IsccError);
    expect(() => validateIsccNoteFormat(FULL, { hubId: 1.5, now })).toThrow(IsccError);
  });
});

describe('gateway templates', () => {
  it('accepts URLs and templates with the supported variables', () => {
    for (const g of [
      'https://example.com/metadata',
      'http://localhost:8000/x',
      'https://example.com/iscc_id/{iscc_id}/metadata',
      'https://gw.example/{+iscc_code}/{pubkey}{?datahash,controller}',
      'https://gw.example/{iscc_id:8}{/controller*}',
    ]) {
      expect(() => validateGateway(g), g).not.toThrow();
    }
    expect(gatewayVariables('https://x/{iscc_id}{?pubkey,iscc_id}')).toEqual(['iscc_id', 'pubkey']);
  });
  it('refuses bad syntax, other variables, schemes and hosts', () => {
    for (const g of [
      'https://x/{iscc_id',
      'https://x/iscc_id}',
      'https://x/}{iscc_id}',
      'https://x/{}',
      'https://x/{{iscc_id}}',
      'https://x/{iscc id}',
      'https://x/{name}',
      'https://x/{iscc_id,name}',
      'ftp://x/',
      'https://',
      'https:///path',
      'example.com/x',
      ' https://x/',
      'https://x/ ',
      'HTTPS://x/',
    ]) {
      const e = (() => {
        try {
          validateGateway(g);
        } catch (err) {
          return err as IsccNoteError;
        }
        return null;
      })();
      expect(e, g).toBeInstanceOf(IsccNoteError);
      expect(e!.hubCode).toBe('invalid_format');
    }
  });
});

describe('buildIsccNote', () => {
  it('builds, signs and validates a note that a hub accepts', async () => {
    const kp = await keyGenerate('did:web:example.com');
    const now = Date.parse('2025-08-19T09:21:53.432Z');
    const note = await buildIsccNote(
      { iscc_code: FULL.iscc_code, datahash: FULL.datahash, units: FULL.units, metahash: FULL.metahash, gateway: FULL.gateway },
      kp,
      { hubId: 7, now },
    );
    expect(note.nonce.slice(0, 3)).toBe('007');
    expect(note.timestamp).toBe('2025-08-19T09:21:53.432Z');
    expect(note.signature).toMatchObject({ version: 'ISCC-SIG v1.0', controller: 'did:web:example.com', pubkey: kp.public_key });
    await expect(validateIsccNote(note, { hubId: 7, now: now + 1000 })).resolves.toBe(note);
    const sv = await buildIsccNote({ iscc_code: FULL.iscc_code, datahash: FULL.datahash, nonce: FULL.nonce }, kp, { now, sigtype: SigType.SELF_VERIFYING });
    expect(Object.keys(sv.signature).sort()).toEqual(['proof', 'pubkey', 'version']);
    expect(sv.nonce).toBe(FULL.nonce);
  });

  it('refuses what a hub would refuse, and bad arguments', async () => {
    const kp = await keyGenerate();
    const base = { iscc_code: FULL.iscc_code, datahash: FULL.datahash };
    await expect(buildIsccNote(base, kp)).rejects.toThrow(/hubId/);
    await expect(buildIsccNote(base, kp, { hubId: 1, sigtype: SigType.PROOF_ONLY })).rejects.toThrow(IsccError);
    await expect(buildIsccNote({ ...base, units: FULL.units!.slice(1) }, kp, { hubId: 1 })).rejects.toBeInstanceOf(IsccNoteError);
    await expect(buildIsccNote({ ...base, gateway: 'https://x/{foo}' }, kp, { hubId: 1 })).rejects.toBeInstanceOf(IsccNoteError);
    await expect(buildIsccNote({ ...base, extra: 1 } as never, kp, { hubId: 1 })).rejects.toThrow(IsccError);
  });
});

describe('$schema (iscc-schema 0.8.0 notes)', () => {
  it('accepts the published IsccNote schema URI, signed like any member', async () => {
    expect(ISCC_NOTE_SCHEMA).toBe('http://purl.org/iscc/schema/iscc-note-0.8.0.json');
    const kp = await keyGenerate();
    const now = Date.parse('2025-08-19T09:21:53.432Z');
    const base = { iscc_code: FULL.iscc_code, datahash: FULL.datahash };
    const note = await buildIsccNote({ $schema: ISCC_NOTE_SCHEMA, ...base }, kp, { hubId: 3, now });
    expect(note.$schema).toBe(ISCC_NOTE_SCHEMA);
    await expect(validateIsccNote(note, { hubId: 3, now })).resolves.toBe(note);
    // The schema is covered by the signature: dropping it breaks the proof.
    const e = await rejection(validateIsccNote(without(note, '$schema'), { hubId: 3, now }));
    expect(e.code).toBe('ISCC_SIGNATURE_INVALID');
  });

  it('refuses any other $schema value with ISCC_NOTE_INVALID / invalid_format', async () => {
    const kp = await keyGenerate();
    const now = Date.parse('2025-08-19T09:21:53.432Z');
    const bad = [
      'http://purl.org/iscc/schema/iscc-note-delete-0.8.0.json',
      'http://purl.org/iscc/schema/iscc-note-0.9.0.json',
      'https://purl.org/iscc/schema/iscc-note-0.8.0.json',
      '',
      null,
      1,
    ];
    for (const value of bad) {
      const signed = await signJson({ $schema: value, iscc_code: FULL.iscc_code, datahash: FULL.datahash, nonce: FULL.nonce, timestamp: FULL.timestamp }, kp);
      const e = await rejection(validateIsccNote(signed, { now: at(FULL) }));
      expect(e.code).toBe('ISCC_NOTE_INVALID');
      expect(e.hubCode).toBe('invalid_format');
      expect(e.field).toBe('$schema');
    }
    await expect(buildIsccNote({ $schema: 'x', iscc_code: FULL.iscc_code, datahash: FULL.datahash }, kp, { hubId: 1, now })).rejects.toBeInstanceOf(
      IsccNoteError,
    );
  });
});

describe('messages match iscc-hub validators (its test cases)', () => {
  it('timestamps', () => {
    const cases: [unknown, string][] = [
      [12345, 'timestamp must be a string'],
      ['2024-01-01T12:00:00.000', "timestamp must end with 'Z'"],
      ['2024-01-01T12:00:00Z', 'timestamp must include millisecond precision'],
      ['2024-01-01T12:00:00.12Z', 'timestamp must have exactly 3 digits for milliseconds'],
      ['2024-01-01T12:00:00.1234Z', 'timestamp must have exactly 3 digits for milliseconds'],
      ['not-a-timestamp', "timestamp must end with 'Z'"],
      ['not-a-valid.123Z', 'timestamp must be RFC 3339 formatted'],
      ['2024-01-01T12:00:00.000+01:00', "timestamp must end with 'Z'"],
    ];
    for (const [ts, msg] of cases) expect(() => validateTimestamp(ts, { verifyTimestamp: false }), String(ts)).toThrow(msg);
    for (const ts of ['2024-01-01T12:00:00.000Z', '2024-12-31T23:59:59.999Z', '2024-02-29T00:00:00.000Z']) {
      expect(() => validateTimestamp(ts, { verifyTimestamp: false })).not.toThrow();
    }
    const ref = Date.parse('2025-08-04T12:30:00.000Z');
    expect(() => validateTimestamp('2025-08-04T12:35:00.000Z', { now: ref })).not.toThrow();
    expect(() => validateTimestamp('2025-08-04T12:41:00.000Z', { now: ref })).toThrow('timestamp is outside ±10 minute tolerance: 11.0 minutes');
    expect(() => validateTimestamp('2025-08-04T13:30:00.000Z', { now: ref, verifyTimestamp: false })).not.toThrow();
  });

  it('gateways', () => {
    for (const g of ['https://example.com', 'http://example.com', 'https://example.com:8080', 'https://example.com?key=value', 'https://api.example.com/{pubkey}/content/{iscc_code}']) {
      expect(() => validateGateway(g), g).not.toThrow();
    }
    const cases: [string, string][] = [
      ['https://example.com/{iscc_id', 'gateway has invalid URI template syntax'],
      ['https://example.com/iscc_id}', 'gateway has invalid URI template syntax'],
      ['https://example.com/{{iscc_id}', 'gateway has invalid URI template syntax'],
      ['https://example.com/{unknown}', 'gateway contains unsupported variables: unknown'],
      ['https://example.com/{wrong}/{bad}', 'gateway contains unsupported variables: bad, wrong'],
      ['https://example.com/{iscc_id}/{invalid}', 'gateway contains unsupported variables: invalid'],
      ['example.com', 'gateway must be a valid URL or URI template'],
      ['ftp://example.com', 'gateway must be a valid URL or URI template'],
      ['https://', 'gateway must be a valid URL or URI template'],
      [' https://example.com ', 'gateway must be a valid URL or URI template'],
    ];
    for (const [g, msg] of cases) expect(() => validateGateway(g), g).toThrow(msg);
  });

  it('nonces', () => {
    expect(() => validateNonce('000faa3f18c7b9407a48536a9b00c4cb', 0)).not.toThrow();
    expect(() => validateNonce('000faa3f18c7b9407a48536a9b00c4cb', 1)).toThrow('Nonce hub_id mismatch: expected 1, got 0');
    expect(() => validateNonce('000FAA3F18C7B9407A48536A9B00C4CB')).toThrow('nonce must be lowercase');
    expect(() => validateNonce('000faa')).toThrow('nonce must be exactly 32 characters');
    expect(() => validateNonce('000faa3f18c7b9407a48536a9b00c4cz')).toThrow('nonce must contain only hexadecimal characters');
    expect(() => validateNonce('000faa3f18c7b9407a48536a9b00c4cb', 4096)).toThrow(IsccError);
  });
});
