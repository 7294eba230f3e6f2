/**
 * What the hub writes into its log and what it accepts besides IsccNotes.
 *
 * - Log entries (the Merkle leaves, iscc-hub's ISCC-Log envelope): the JCS bytes of
 *   `{"$schema": LOG_ENTRY_SCHEMA, "iscc_id": ..., "note": <the signed note verbatim>}`. A
 *   declaration's note is an IsccNote; a deletion's note is an IsccNoteDelete that names the
 *   ISCC-ID it removes (the envelope carries that same ID).
 * - IsccNoteDelete (iscc-hub schema): exactly `$schema`, `iscc_id`, `timestamp`, `nonce`,
 *   `signature`; timestamp window and nonce (hub id) as for notes; ISCC-SIG v1.0 signature.
 * - Gateway expansion: RFC 6570 (levels 1-3 operators and the `:n` prefix modifier) over the
 *   variables iscc_id, iscc_code (both without "ISCC:", as iscc-hub/iscc-search expand them),
 *   pubkey, datahash, controller; undefined variables expand to nothing.
 */
import {
  ISCC_ERROR_CODES,
  HUB_ERROR_CODES as NOTE_HUB_CODES,
  IsccNoteError,
  jsonCanonical,
  validateNonce,
  validateSignatureStructure,
  validateTimestamp,
  verifyJson,
  type IsccNote,
  type IsccSignature,
} from '@iscc-ts/core';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import { decodeIsccIdV1 } from './minter.ts';

/** `$schema` of a log entry envelope. */
export const LOG_ENTRY_SCHEMA = 'http://purl.org/iscc/schema/iscc-log-entry-0.8.0.json';
/** `$schema` of an IsccNoteDelete. */
export const DELETE_SCHEMA = 'http://purl.org/iscc/schema/iscc-note-delete-0.8.0.json';
/** `$schema` newer IsccNotes may carry (read when following other hubs' logs). */
export const NOTE_SCHEMA = 'http://purl.org/iscc/schema/iscc-note-0.8.0.json';
/** Members of an IsccNoteDelete. */
export const DELETE_FIELDS: readonly string[] = Object.freeze(['$schema', 'iscc_id', 'timestamp', 'nonce', 'signature']);

/** A signed deletion request. */
export interface IsccNoteDelete {
  $schema: string;
  iscc_id: string;
  timestamp: string;
  nonce: string;
  signature: IsccSignature;
}

/** A parsed log entry. */
export type LogEntry =
  | { kind: 'declaration'; iscc_id: string; note: IsccNote }
  | { kind: 'deletion'; iscc_id: string; note: IsccNoteDelete }
  | { kind: 'unknown'; iscc_id: string | null; note: unknown };

/** JCS bytes of the log entry envelope. */
export function encodeLogEntry(isccId: string, note: IsccNote | IsccNoteDelete): Uint8Array {
  return jsonCanonical({ $schema: LOG_ENTRY_SCHEMA, iscc_id: isccId, note });
}

const dec = new TextDecoder('utf-8', { fatal: true });

/** Parse a log entry; `kind: 'unknown'` for anything that is not a declaration or deletion. */
export function decodeLogEntry(record: Uint8Array): LogEntry {
  let parsed: unknown;
  try {
    parsed = JSON.parse(dec.decode(record));
  } catch {
    return { kind: 'unknown', iscc_id: null, note: null };
  }
  if (!isObject(parsed) || parsed.$schema !== LOG_ENTRY_SCHEMA || typeof parsed.iscc_id !== 'string' || !isObject(parsed.note)) {
    return { kind: 'unknown', iscc_id: null, note: parsed };
  }
  const note = parsed.note;
  const isccId = parsed.iscc_id;
  if (note.$schema === DELETE_SCHEMA && note.iscc_id === isccId) return { kind: 'deletion', iscc_id: isccId, note: note as unknown as IsccNoteDelete };
  if ((note.$schema === undefined || note.$schema === NOTE_SCHEMA) && typeof note.iscc_code === 'string' && typeof note.datahash === 'string') {
    return { kind: 'declaration', iscc_id: isccId, note: note as unknown as IsccNote };
  }
  return { kind: 'unknown', iscc_id: isccId, note };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Options of {@link validateIsccNoteDelete}. */
export interface DeleteValidationOptions {
  hubId: number;
  now?: number;
  maxSkewMs?: number;
}

/**
 * Validate an IsccNoteDelete: members, `$schema`, ISCC-ID, timestamp window, nonce addressed
 * to this hub, signature structure and Ed25519 signature. Ownership and nonce reuse are the
 * sequencer's checks.
 * @throws HubError HUB_INVALID_DELETE / HUB_INVALID_ISCC_ID, or core's IsccNoteError for the
 *   timestamp, nonce and signature.
 */
export async function validateIsccNoteDelete(data: unknown, options: DeleteValidationOptions): Promise<IsccNoteDelete> {
  const bad = (msg: string, field: string | null = null): never => {
    throw new HubError(HUB_ERROR_CODES.INVALID_DELETE, msg, { field });
  };
  if (!isObject(data)) return bad('IsccNoteDelete must be a JSON object');
  const unknown = Object.keys(data).filter((k) => !DELETE_FIELDS.includes(k)).sort();
  if (unknown.length) bad(`Unknown fields not allowed: ${unknown.join(', ')}`);
  for (const f of DELETE_FIELDS) if (!Object.hasOwn(data, f)) bad(`Missing required field: ${f}`, f);
  if (data.$schema !== DELETE_SCHEMA) bad(`$schema must be ${DELETE_SCHEMA}`, '$schema');
  const id = decodeIsccIdV1(data.iscc_id);
  if (id.iscc_id !== data.iscc_id) bad('iscc_id must be canonical ("ISCC:" prefix, uppercase)', 'iscc_id');
  validateTimestamp(data.timestamp, { now: options.now, maxSkewMs: options.maxSkewMs });
  validateNonce(data.nonce, options.hubId);
  validateSignatureStructure(data.signature);
  let ok = false;
  try {
    ok = (await verifyJson(data, null, null, false)).signature_valid;
  } catch {
    ok = false;
  }
  if (!ok) throw new IsccNoteError(ISCC_ERROR_CODES.SIGNATURE_INVALID, NOTE_HUB_CODES.INVALID_SIGNATURE, null, 'Invalid signature', 401);
  return data as unknown as IsccNoteDelete;
}

// ---------------------------------------------------------------------------------------------
// RFC 6570 expansion (string values only).

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const RESERVED = /[:/?#[\]@!$&'()*+,;=]/;

function encodeValue(value: string, allowReserved: boolean): string {
  let out = '';
  for (const ch of value) {
    if (UNRESERVED.test(ch) || (allowReserved && RESERVED.test(ch))) out += ch;
    else for (const b of new TextEncoder().encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const OPERATORS: Record<string, { first: string; sep: string; named: boolean; ifemp: string; reserved: boolean }> = {
  '': { first: '', sep: ',', named: false, ifemp: '', reserved: false },
  '+': { first: '', sep: ',', named: false, ifemp: '', reserved: true },
  '#': { first: '#', sep: ',', named: false, ifemp: '', reserved: true },
  '.': { first: '.', sep: '.', named: false, ifemp: '', reserved: false },
  '/': { first: '/', sep: '/', named: false, ifemp: '', reserved: false },
  ';': { first: ';', sep: ';', named: true, ifemp: '', reserved: false },
  '?': { first: '?', sep: '&', named: true, ifemp: '=', reserved: false },
  '&': { first: '&', sep: '&', named: true, ifemp: '=', reserved: false },
};

/** Expand an RFC 6570 URI template with string variables (undefined ones are skipped). */
export function expandUriTemplate(template: string, vars: Record<string, string | undefined>): string {
  return template.replace(/\{([^{}]*)\}/g, (_m, expr: string) => {
    let op = '';
    if (expr && '+#./;?&'.includes(expr[0]!)) {
      op = expr[0]!;
      expr = expr.slice(1);
    }
    const o = OPERATORS[op]!;
    const parts: string[] = [];
    for (const spec of expr.split(',')) {
      const m = /^([^:*]+)(?::(\d+))?\*?$/.exec(spec);
      if (!m) continue;
      let value = vars[m[1]!];
      if (value === undefined) continue;
      if (m[2]) value = [...value].slice(0, Number(m[2])).join('');
      const enc = encodeValue(value, o.reserved);
      parts.push(o.named ? (enc ? `${m[1]}=${enc}` : `${m[1]}${o.ifemp}`) : enc);
    }
    return parts.length ? o.first + parts.join(o.sep) : '';
  });
}

/** The gateway URL of a declaration (the note's gateway expanded), or null without gateway. */
export function expandGateway(note: IsccNote, isccId: string): string | null {
  if (typeof note.gateway !== 'string') return null;
  return expandUriTemplate(note.gateway, {
    iscc_id: isccId.replace(/^ISCC:/, ''),
    iscc_code: note.iscc_code.replace(/^ISCC:/, ''),
    pubkey: note.signature.pubkey,
    datahash: note.datahash,
    controller: note.signature.controller,
  });
}
