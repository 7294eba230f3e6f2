/**
 * IsccNote: the signed declaration an ISCC-HUB timestamps (iscc-hub `validators` and the
 * IsccNote/IsccSignature schemas), built and validated here so that a browser, the CLI and the
 * hub share one definition.
 *
 * An IsccNote is a JSON object with exactly these members:
 * - `iscc_code` (required): a canonical composite ISCC-CODE (MainType ISCC).
 * - `datahash` (required): `1e20` + 64 lowercase hex, the BLAKE3 multihash of the asset. Its first
 *   64 bits (128 for WIDE codes) must equal the Instance-Code body inside `iscc_code`.
 * - `nonce` (required): 32 lowercase hex (128 bits); the first 12 bits are the id of the hub the
 *   note is addressed to, so a note cannot be replayed at another hub.
 * - `timestamp` (required): RFC 3339 UTC with exactly millisecond precision and `Z`
 *   (`YYYY-MM-DDTHH:MM:SS.sssZ`), within +-10 minutes of the hub's clock.
 * - `gateway` (optional): an http(s) URL or RFC 6570 URI template using only the variables
 *   `iscc_id`, `iscc_code`, `pubkey`, `datahash`, `controller`.
 * - `units` (optional): 1..4 ISCC-UNITs (no Instance-Code, which `datahash` gives) that together
 *   with the Instance-Code of `datahash` reproduce `iscc_code` through genIsccCode.
 * - `metahash` (optional): `1e20` + 64 lowercase hex, BLAKE3 multihash of the seed metadata.
 * - `$schema` (optional): exactly {@link ISCC_NOTE_SCHEMA} (newer iscc-hub and iscc-search notes
 *   carry it; iscc-schema 0.8.0 publishes this URI as the only value). It is signed like any member.
 * - `signature` (required): ISCC-SIG v1.0 with `version`, `pubkey`, `proof` and optional
 *   `controller`, `keyid`; nothing else. The Ed25519 proof covers the JCS form of the note
 *   without `signature.proof`.
 * Optional members may be absent but never null, empty or blank. Limits against abuse: the
 * note's Python `json.dumps` form at most {@link MAX_JSON_SIZE} characters, top-level strings at
 * most {@link MAX_STRING_LENGTH} code points, at most {@link MAX_UNITS_ARRAY_SIZE} units.
 *
 * Validation runs the checks in iscc-hub's order (size, required members, iscc_code, datahash,
 * nonce, timestamp, optional members, signature structure, datahash/Instance-Code match,
 * signature) and throws {@link IsccNoteError} at the first failure. Where iscc-hub's Python is
 * looser than its published schema (e.g. `int(x, 16)` accepting `0x` prefixes, dateutil
 * accepting compact ISO dates, stray braces in templates), we follow the schema.
 */

import { ISCC_ERROR_CODES, type IsccErrorCode, argError, typeError } from '../errors.ts';
import { MT, ST, ST_ISCC, VS } from '../constants.ts';
import { encodeComponent, isccDecode, isccDecompose, isccValidate } from '../codec.ts';
import { genIsccCode } from '../iscc-code.ts';
import { jsonCanonical } from '../jcs.ts';
import { HUB_ERROR_CODES, type HubErrorCode, IsccNoteError } from './errors.ts';
import { type JsonObject, isPlainObject } from './json.ts';
import type { KeyPair } from './keys.ts';
import { MAX_HUB_ID, createNonce } from './nonce.ts';
import { type IsccSignature, ISCC_SIG_VERSION, SigType, signJson } from './signing.ts';
import { verifyJson } from './verifying.ts';

/** Multihash prefix of a 256-bit BLAKE3 digest (`datahash`, `metahash`). */
export const DATAHASH_PREFIX = '1e20';
/** Characters of a `datahash`/`metahash`: prefix + 64 hex. */
export const HASH_LENGTH = 68;
/** Characters of a nonce: 128 bits in hex. */
export const NONCE_LENGTH = 32;
/** Variables a gateway URI template may use. */
export const SUPPORTED_GATEWAY_VARIABLES: readonly string[] = Object.freeze(['iscc_id', 'iscc_code', 'pubkey', 'datahash', 'controller']);
/** URL schemes a gateway may use. */
export const SUPPORTED_URL_SCHEMES: readonly string[] = Object.freeze(['http', 'https']);
/** Accepted clock skew of a note timestamp, in minutes (either direction). */
export const TIMESTAMP_TOLERANCE_MINUTES = 10;
/** Accepted clock skew of a note timestamp, in milliseconds (either direction). */
export const TIMESTAMP_TOLERANCE_MS = TIMESTAMP_TOLERANCE_MINUTES * 60_000;
/** Most units a note may list. */
export const MAX_UNITS_ARRAY_SIZE = 4;
/** Most code points of a top-level string member. */
export const MAX_STRING_LENGTH = 2048;
/** Most characters of the note's Python `json.dumps` form (8 KiB). */
export const MAX_JSON_SIZE = 2048 * 4;
/** Signature format version a note must carry. */
export const SIGNATURE_VERSION = ISCC_SIG_VERSION;
export { MAX_HUB_ID };

/** Members an IsccNote must have. */
export const ISCC_NOTE_REQUIRED_FIELDS: readonly string[] = Object.freeze(['iscc_code', 'datahash', 'nonce', 'timestamp', 'signature']);
/** Members an IsccNote may have besides the required ones. */
export const ISCC_NOTE_OPTIONAL_FIELDS: readonly string[] = Object.freeze(['gateway', 'units', 'metahash', '$schema']);
/** The one `$schema` value an IsccNote may carry (iscc-schema 0.8.0, as iscc-hub writes it). */
export const ISCC_NOTE_SCHEMA = 'http://purl.org/iscc/schema/iscc-note-0.8.0.json';

/** A signed IsccNote. */
export interface IsccNote {
  $schema?: typeof ISCC_NOTE_SCHEMA;
  iscc_code: string;
  datahash: string;
  nonce: string;
  timestamp: string;
  gateway?: string;
  units?: string[];
  metahash?: string;
  signature: IsccSignature;
}

/** Options of {@link validateIsccNote} and {@link validateIsccNoteFormat}. */
export interface IsccNoteValidationOptions {
  /** This hub's id (0..4095): the nonce must be addressed to it. Default: not checked. */
  hubId?: number | null;
  /** The reference clock for the timestamp check (Date or ms since epoch). Default: now. */
  now?: Date | number;
  /** Accepted clock skew in ms, either direction. Default {@link TIMESTAMP_TOLERANCE_MS}. */
  maxSkewMs?: number;
  /** Check the timestamp against the clock. Default true. */
  verifyTimestamp?: boolean;
  /** Verify the Ed25519 signature ({@link validateIsccNote} only). Default true. */
  verifySignature?: boolean;
  /** Hub state: true when the nonce was used before (replay). Checked last, after the signature. */
  isNonceUsed?: (nonce: string) => boolean | Promise<boolean>;
}

function fail(code: IsccErrorCode, hubCode: HubErrorCode, field: string | null, message: string, status = 422): never {
  throw new IsccNoteError(code, hubCode, field, message, status);
}

function invalid(hubCode: HubErrorCode, field: string | null, message: string): never {
  return fail(ISCC_ERROR_CODES.NOTE_INVALID, hubCode, field, message);
}

function sigFail(message: string): never {
  return fail(ISCC_ERROR_CODES.SIGNATURE_INVALID, HUB_ERROR_CODES.INVALID_SIGNATURE, null, message, 401);
}

// ---------------------------------------------------------------------------------------------
// Size: Python's json.dumps(data) length (", " and ": " separators, non-ASCII as \uXXXX).

function pyStringLength(s: string): number {
  let n = 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x08 || c === 0x0c) n += 2;
    else if (c < 0x20 || c > 0x7e) n += 6; // ensure_ascii: everything outside space..~ (DEL too)
    else n += 1;
  }
  return n;
}

/** Python `repr(float)`: shortest round-trip digits, exponent form outside [1e-4, 1e16). */
function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  const [mant, expStr] = x.toExponential().split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const sign = exp < 0 ? '-' : '+';
    return `${mant}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const s = String(x);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/**
 * Length of Python's default `json.dumps(value)` (the measure of iscc-hub's 8 KiB limit): `, `
 * and `: ` separators, non-ASCII escaped as `\uXXXX`. Stops counting once past `limit` (so
 * deeply nested input cannot exhaust the stack) and returns a value above `limit` then.
 * JSON does not tell `1` from `1.0`: integer-valued safe numbers count as Python ints.
 */
export function pyJsonDumpsLength(value: unknown, limit = Number.MAX_SAFE_INTEGER): number {
  let total = 0;
  const walk = (v: unknown): void => {
    if (total > limit) return;
    if (v === null) total += 4;
    else if (typeof v === 'boolean') total += v ? 4 : 5;
    else if (typeof v === 'string') total += pyStringLength(v);
    else if (typeof v === 'bigint') total += v.toString().length;
    else if (typeof v === 'number') {
      // JSON cannot tell 1 from 1.0; an integer-valued number counts as a Python int.
      total += Number.isSafeInteger(v) ? String(v).length : pyFloatRepr(v).length;
    } else if (Array.isArray(v)) {
      total += 2 + Math.max(0, v.length - 1) * 2;
      for (const item of v) walk(item);
    } else if (typeof v === 'object') {
      const keys = Object.keys(v);
      total += 2 + Math.max(0, keys.length - 1) * 2;
      for (const k of keys) {
        total += pyStringLength(k) + 2;
        walk((v as JsonObject)[k]);
      }
    } else {
      total += 4; // not JSON at all; the canonical check below rejects it
    }
  };
  walk(value);
  return total;
}

function codePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
    }
    n++;
  }
  return n;
}

function validateInputSize(data: unknown): asserts data is JsonObject {
  if (!isPlainObject(data)) {
    const got = Array.isArray(data) ? 'list' : data === null ? 'null' : typeof data;
    invalid(HUB_ERROR_CODES.INVALID_TYPE, null, `Invalid input: expected JSON object, got ${got}`);
  }
  if (pyJsonDumpsLength(data, MAX_JSON_SIZE) > MAX_JSON_SIZE) {
    fail(ISCC_ERROR_CODES.LIMIT_EXCEEDED, HUB_ERROR_CODES.INVALID_LENGTH, null, `Input data exceeds maximum size of ${MAX_JSON_SIZE} bytes`);
  }
  try {
    jsonCanonical(data);
  } catch (err) {
    invalid(HUB_ERROR_CODES.INVALID_TYPE, null, `Invalid input: ${err instanceof Error ? err.message : String(err)}`);
  }
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string' && codePoints(value) > MAX_STRING_LENGTH) {
      fail(ISCC_ERROR_CODES.LIMIT_EXCEEDED, HUB_ERROR_CODES.INVALID_LENGTH, key, `Field '${key}' exceeds maximum string length of ${MAX_STRING_LENGTH}`);
    }
  }
  const allowed = new Set([...ISCC_NOTE_REQUIRED_FIELDS, ...ISCC_NOTE_OPTIONAL_FIELDS]);
  const unknown = Object.keys(data).filter((k) => !allowed.has(k)).sort();
  if (unknown.length) invalid(HUB_ERROR_CODES.VALIDATION_FAILED, null, `Unknown fields not allowed: ${unknown.join(', ')}`);
}

function validateRequiredFields(data: JsonObject): void {
  for (const field of ISCC_NOTE_REQUIRED_FIELDS) {
    if (!Object.hasOwn(data, field)) invalid(HUB_ERROR_CODES.VALIDATION_FAILED, field, `Missing required field: ${field}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Members.

/** Check `iscc_code`: a canonical, valid ISCC of MainType ISCC (a composite ISCC-CODE). */
export function validateIsccCode(isccCode: unknown): asserts isccCode is string {
  const field = 'iscc_code';
  if (typeof isccCode !== 'string') invalid(HUB_ERROR_CODES.INVALID_ISCC, field, `ISCC code must be a string, got ${typeOf(isccCode)}`);
  let ok = false;
  try {
    ok = isccValidate(isccCode, true);
  } catch {
    ok = false;
  }
  if (!ok) invalid(HUB_ERROR_CODES.INVALID_ISCC, field, 'Invalid ISCC code format');
  if (isccDecode(isccCode)[0] !== MT.ISCC) invalid(HUB_ERROR_CODES.INVALID_ISCC, field, 'ISCC code must be of MainType ISCC (composite)');
}

/** Check a `datahash`/`metahash`: `1e20` + 64 lowercase hex. */
export function validateMultihash(value: unknown, fieldName: string): asserts value is string {
  const bad = (msg: string): never => invalid(HUB_ERROR_CODES.INVALID_FORMAT, fieldName, msg);
  if (typeof value !== 'string') bad(`${fieldName} must be a string`);
  const v = value as string;
  if (v !== v.toLowerCase()) bad(`${fieldName} must be lowercase`);
  if (!v.startsWith(DATAHASH_PREFIX)) bad(`${fieldName} must start with '${DATAHASH_PREFIX}' (BLAKE3 multihash prefix)`);
  if (v.length !== HASH_LENGTH) bad(`${fieldName} must be exactly ${HASH_LENGTH} characters`);
  if (!/^[0-9a-f]+$/.test(v.slice(4))) bad(`${fieldName} must contain only hexadecimal characters`);
}

/**
 * Check a nonce: 32 lowercase hex; with `hubId`, its first 12 bits must equal it.
 * @throws IsccNoteError `ISCC_NOTE_NONCE` (hubCode `invalid_hex`, `invalid_length`,
 *   `invalid_format` or `nonce_mismatch`).
 */
export function validateNonce(nonce: unknown, hubId?: number | null): asserts nonce is string {
  const field = 'nonce';
  const code = ISCC_ERROR_CODES.NOTE_NONCE;
  if (typeof nonce !== 'string') fail(code, HUB_ERROR_CODES.INVALID_FORMAT, field, 'nonce must be a string');
  if (nonce !== nonce.toLowerCase()) fail(code, HUB_ERROR_CODES.INVALID_HEX, field, 'nonce must be lowercase');
  if (nonce.length !== NONCE_LENGTH) fail(code, HUB_ERROR_CODES.INVALID_LENGTH, field, `nonce must be exactly ${NONCE_LENGTH} characters`);
  if (!/^[0-9a-f]{32}$/.test(nonce)) fail(code, HUB_ERROR_CODES.INVALID_HEX, field, 'nonce must contain only hexadecimal characters');
  if (hubId !== undefined && hubId !== null) {
    checkHubId(hubId);
    const got = Number.parseInt(nonce.slice(0, 3), 16);
    if (got !== hubId) fail(code, HUB_ERROR_CODES.NONCE_MISMATCH, field, `Nonce hub_id mismatch: expected ${hubId}, got ${got}`);
  }
}

function checkHubId(hubId: unknown): asserts hubId is number {
  if (typeof hubId !== 'number' || !Number.isInteger(hubId)) typeError('hubId', 'integer 0..4095', hubId);
  if (hubId < 0 || hubId > MAX_HUB_ID) argError('hubId', `integer between 0 and ${MAX_HUB_ID}`, hubId);
}

const TIMESTAMP_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d+)Z$/;

/**
 * Parse a note timestamp (`YYYY-MM-DDTHH:MM:SS.sssZ`, a real UTC calendar time) to ms since
 * the epoch.
 * @throws IsccNoteError `ISCC_NOTE_TIMESTAMP` (hubCode `invalid_format`).
 */
export function parseNoteTimestamp(timestamp: unknown): number {
  const bad = (msg: string): never => fail(ISCC_ERROR_CODES.NOTE_TIMESTAMP, HUB_ERROR_CODES.INVALID_FORMAT, 'timestamp', msg);
  if (typeof timestamp !== 'string') bad('timestamp must be a string');
  const ts = timestamp as string;
  if (!ts.endsWith('Z')) bad("timestamp must end with 'Z' to indicate UTC");
  if (!ts.includes('.')) bad('timestamp must include millisecond precision');
  const m = TIMESTAMP_RE.exec(ts);
  if (!m) bad("timestamp must be RFC 3339 formatted (e.g., '2025-08-04T12:34:56.789Z')");
  const [, y, mo, d, h, mi, s, frac] = m!.map(Number) as number[];
  if (m![7]!.length !== 3) bad('timestamp must have exactly 3 digits for milliseconds');
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, frac!);
  const back = new Date(ms);
  // Date.UTC rolls over (Feb 30 -> Mar 2, 24:00 -> next day); a real date survives unchanged.
  if (
    y! < 1 ||
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo! - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  ) {
    bad("timestamp must be RFC 3339 formatted (e.g., '2025-08-04T12:34:56.789Z')");
  }
  return ms;
}

function toMs(now: Date | number | undefined): number {
  if (now === undefined) return Date.now();
  if (now instanceof Date) return now.getTime();
  if (typeof now === 'number' && Number.isFinite(now)) return now;
  return typeError('now', 'Date or milliseconds since epoch', now);
}

/**
 * Check a note timestamp's format and, unless `verifyTimestamp` is false, that it lies within
 * `maxSkewMs` of `now` (either direction: stale and future notes are both refused).
 * @throws IsccNoteError `ISCC_NOTE_TIMESTAMP` (hubCode `invalid_format` or `timestamp_out_of_range`).
 */
export function validateTimestamp(timestamp: unknown, options: IsccNoteValidationOptions = {}): asserts timestamp is string {
  const t = parseNoteTimestamp(timestamp);
  if (options.verifyTimestamp === false) return;
  const skew = options.maxSkewMs ?? TIMESTAMP_TOLERANCE_MS;
  if (typeof skew !== 'number' || !(skew >= 0)) argError('maxSkewMs', 'non-negative number', skew);
  const diff = Math.abs(t - toMs(options.now));
  if (diff > skew) {
    fail(
      ISCC_ERROR_CODES.NOTE_TIMESTAMP,
      HUB_ERROR_CODES.TIMESTAMP_OUT_OF_RANGE,
      'timestamp',
      `timestamp is outside ±${skew / 60_000} minute tolerance: ${(diff / 60_000).toFixed(1)} minutes`,
    );
  }
}

const VARNAME_RE = /^(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+(?:\.(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})+)*$/;

/**
 * Variable names of an RFC 6570 URI template (level 4 syntax: operators `+#./;?&`, modifiers
 * `:n` and `*`). Throws IsccNoteError (`invalid_format`) on template syntax errors.
 */
export function gatewayVariables(template: string): string[] {
  const bad = (): never => invalid(HUB_ERROR_CODES.INVALID_FORMAT, 'gateway', 'gateway has invalid URI template syntax');
  const names: string[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    const stray = template.indexOf('}', i);
    if (stray !== -1 && (open === -1 || stray < open)) bad();
    if (open === -1) break;
    const close = template.indexOf('}', open + 1);
    if (close === -1) bad();
    let expr = template.slice(open + 1, close);
    if (expr.includes('{')) bad();
    if (expr && '+#./;?&'.includes(expr[0]!)) expr = expr.slice(1);
    if (!expr) bad();
    for (const spec of expr.split(',')) {
      const name = spec.replace(/(?::[1-9]\d{0,3}|\*)$/, '');
      if (!VARNAME_RE.test(name)) bad();
      if (!names.includes(name)) names.push(name);
    }
    i = close + 1;
  }
  return names;
}

/**
 * Check a gateway: an http(s) URL with a host, or such a URL written as an RFC 6570 template
 * using only {@link SUPPORTED_GATEWAY_VARIABLES}.
 * @throws IsccNoteError `ISCC_NOTE_INVALID` (hubCode `invalid_format`).
 */
export function validateGateway(gateway: unknown): asserts gateway is string {
  const bad = (msg = 'gateway must be a valid URL or URI template'): never => invalid(HUB_ERROR_CODES.INVALID_FORMAT, 'gateway', msg);
  if (typeof gateway !== 'string') bad('gateway must be a string');
  const g = gateway as string;
  const unsupported = gatewayVariables(g)
    .filter((v) => !SUPPORTED_GATEWAY_VARIABLES.includes(v))
    .sort();
  if (unsupported.length) bad(`gateway contains unsupported variables: ${unsupported.join(', ')}`);
  if (g !== g.trim()) bad();
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(g);
  if (!m || !SUPPORTED_URL_SCHEMES.includes(m[1]!.toLowerCase()) || !m[2]) bad();
  // The published schema: lowercase scheme and no whitespace right after it.
  if (!/^https?:\/\/\S/.test(g)) bad();
}

/** Instance-Code ISCC-UNIT (`ISCC:...`, 256 bits) of a validated datahash. */
export function datahashToInstanceCode(datahash: string): string {
  validateMultihash(datahash, 'datahash');
  const digest = Uint8Array.from(datahash.slice(4).match(/../g)!, (h) => Number.parseInt(h, 16));
  return `ISCC:${encodeComponent(MT.INSTANCE, ST.NONE, VS.V0, 256, digest)}`;
}

const UNIT_RE = /^ISCC:[A-Z0-9]{16,68}$/;

/**
 * Check `units`: 1..4 ISCC-UNIT strings without Instance-Code which, with the Instance-Code of
 * `datahash`, rebuild `isccCode` exactly through genIsccCode.
 */
export function validateUnitsReconstruction(units: unknown, datahash: string, isccCode: string): asserts units is string[] {
  const field = 'units';
  if (!Array.isArray(units)) invalid(HUB_ERROR_CODES.INVALID_FORMAT, field, 'units must be a list');
  if (units.length > MAX_UNITS_ARRAY_SIZE) {
    fail(ISCC_ERROR_CODES.LIMIT_EXCEEDED, HUB_ERROR_CODES.INVALID_LENGTH, field, `units array exceeds maximum size of ${MAX_UNITS_ARRAY_SIZE}`);
  }
  units.forEach((unit: unknown, i: number) => {
    if (typeof unit !== 'string') invalid(HUB_ERROR_CODES.INVALID_FORMAT, field, `units[${i}] must be a string`);
    if (!UNIT_RE.test(unit)) invalid(HUB_ERROR_CODES.INVALID_FORMAT, field, `units[${i}] must be an ISCC-UNIT ("ISCC:" + base32)`);
  });
  let rebuilt: string;
  try {
    for (const [i, unit] of (units as string[]).entries()) {
      const mt = isccDecode(unit)[0];
      if (mt === MT.INSTANCE) {
        invalid(HUB_ERROR_CODES.VALIDATION_FAILED, field, `units[${i}] is an Instance-Code; it is derived from datahash and must not be listed`);
      }
    }
    rebuilt = genIsccCode([...(units as string[]), datahashToInstanceCode(datahash)]).iscc;
  } catch (err) {
    if (err instanceof IsccNoteError) throw err;
    return invalid(HUB_ERROR_CODES.INVALID_ISCC, field, `Invalid ISCC unit: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (rebuilt !== isccCode) {
    invalid(
      HUB_ERROR_CODES.VALIDATION_FAILED,
      field,
      'ISCC code reconstruction failed: units and datahash do not reconstruct to provided iscc_code',
    );
  }
}

function validateOptionalField(field: string, value: unknown, where = ''): void {
  if (value === null) invalid(HUB_ERROR_CODES.VALIDATION_FAILED, field, `Optional field '${field}'${where} must not be null`);
  if (typeof value === 'string' && !value.trim()) invalid(HUB_ERROR_CODES.VALIDATION_FAILED, field, `Optional field '${field}'${where} must not be empty`);
  if (Array.isArray(value) && value.length === 0) invalid(HUB_ERROR_CODES.VALIDATION_FAILED, field, `Optional field '${field}'${where} must not be empty`);
}

/**
 * Check `$schema`: exactly {@link ISCC_NOTE_SCHEMA}; a delete request's or another version's
 * schema is refused so that a note cannot be read as something it was not signed as.
 * @throws IsccNoteError `ISCC_NOTE_INVALID` (hubCode `invalid_format`, field `$schema`).
 */
export function validateNoteSchema(value: unknown): asserts value is typeof ISCC_NOTE_SCHEMA {
  if (value !== ISCC_NOTE_SCHEMA) {
    const got = typeof value === 'string' ? JSON.stringify(value.slice(0, 100)) : typeOf(value);
    invalid(HUB_ERROR_CODES.INVALID_FORMAT, '$schema', `$schema must be '${ISCC_NOTE_SCHEMA}', got ${got}`);
  }
}

function validateOptionalFields(data: JsonObject): void {
  if (Object.hasOwn(data, '$schema')) validateNoteSchema(data.$schema);
  if (Object.hasOwn(data, 'gateway')) {
    validateOptionalField('gateway', data.gateway);
    validateGateway(data.gateway);
  }
  if (Object.hasOwn(data, 'units')) {
    validateOptionalField('units', data.units);
    validateUnitsReconstruction(data.units, data.datahash as string, data.iscc_code as string);
  }
  if (Object.hasOwn(data, 'metahash')) {
    validateOptionalField('metahash', data.metahash);
    validateMultihash(data.metahash, 'metahash');
  }
}

const B58_RE = /^z[1-9A-HJ-NP-Za-km-z]+$/;

/**
 * Check the `signature` member's structure: `version` "ISCC-SIG v1.0", `pubkey` and `proof`
 * as z-base58btc strings, optional non-empty `controller`/`keyid` strings, nothing else.
 * @throws IsccNoteError `ISCC_SIGNATURE_INVALID` (status 401) or `ISCC_NOTE_INVALID`.
 */
export function validateSignatureStructure(signature: unknown): asserts signature is IsccSignature {
  if (!isPlainObject(signature)) sigFail('Signature must be a dictionary');
  const sig = signature as JsonObject;
  for (const f of ['version', 'proof', 'pubkey']) {
    if (!Object.hasOwn(sig, f)) sigFail(`Missing required field in signature: ${f}`);
  }
  if (sig.version !== SIGNATURE_VERSION) sigFail(`Invalid signature version: expected '${SIGNATURE_VERSION}', got '${String(sig.version)}'`);
  for (const f of ['controller', 'keyid']) {
    if (!Object.hasOwn(sig, f)) continue;
    validateOptionalField(f, sig[f], ' in signature');
    if (typeof sig[f] !== 'string') sigFail(`Field '${f}' in signature must be a string`);
  }
  const unknown = Object.keys(sig)
    .filter((k) => !['version', 'proof', 'pubkey', 'controller', 'keyid'].includes(k))
    .sort();
  if (unknown.length) sigFail(`Unknown fields in signature not allowed: ${unknown.join(', ')}`);
  for (const f of ['pubkey', 'proof']) {
    if (typeof sig[f] !== 'string' || !B58_RE.test(sig[f])) sigFail(`Field '${f}' in signature must be a z-base58btc string`);
  }
}

/**
 * Check that `datahash` matches the Instance-Code inside `isccCode`: first 64 bits, or 128 bits
 * for WIDE ISCC-CODEs.
 */
export function validateDatahashMatch(isccCode: string, datahash: string): void {
  let match: boolean;
  let bits: number;
  try {
    const data = Uint8Array.from(datahash.slice(4).match(/../g)!, (h) => Number.parseInt(h, 16));
    const st = isccDecode(isccCode)[1];
    const units = isccDecompose(isccCode);
    const instance = isccDecode(units[units.length - 1]!);
    if (instance[0] !== MT.INSTANCE) throw new Error('ISCC-CODE has no Instance-Code');
    const n = st === ST_ISCC.WIDE ? 16 : 8;
    bits = n * 8;
    match = instance[4].length >= n && instance[4].subarray(0, n).every((b, i) => b === data[i]);
  } catch (err) {
    return invalid(HUB_ERROR_CODES.INVALID_ISCC, 'iscc_code', `Invalid ISCC code: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!match) {
    invalid(
      HUB_ERROR_CODES.INVALID_FORMAT,
      'datahash',
      `datahash does not match ISCC Instance-Code: expected first ${bits} bits of datahash to match first ${bits} bits of Instance-Code`,
    );
  }
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v;
}

/**
 * Validate everything of an IsccNote except the Ed25519 signature itself (synchronous):
 * structure, limits, ISCC-CODE, hashes, nonce (and hub id), timestamp window, gateway, units,
 * signature structure, datahash/Instance-Code match.
 * @returns The note, typed.
 * @throws IsccNoteError at the first failure (see {@link validateIsccNote}).
 */
export function validateIsccNoteFormat(note: unknown, options: IsccNoteValidationOptions = {}): IsccNote {
  if (options.hubId !== undefined && options.hubId !== null) checkHubId(options.hubId);
  validateInputSize(note);
  validateRequiredFields(note);
  validateIsccCode(note.iscc_code);
  validateMultihash(note.datahash, 'datahash');
  validateNonce(note.nonce, options.hubId);
  validateTimestamp(note.timestamp, options);
  validateOptionalFields(note);
  validateSignatureStructure(note.signature);
  validateDatahashMatch(note.iscc_code as string, note.datahash as string);
  return note as unknown as IsccNote;
}

/**
 * Validate an IsccNote as an ISCC-HUB does before timestamping it (iscc-hub
 * `validate_iscc_note`): {@link validateIsccNoteFormat}, then the Ed25519 signature over the
 * JCS form without `signature.proof`, then (if given) `isNonceUsed` for replays.
 * @param note - the parsed note.
 * @param options - `hubId` (nonce addressee), `now`, `maxSkewMs` (default 600000),
 *   `verifyTimestamp`, `verifySignature`, `isNonceUsed`.
 * @returns The note, typed.
 * @throws IsccNoteError with codes `ISCC_NOTE_INVALID`, `ISCC_LIMIT_EXCEEDED`,
 *   `ISCC_NOTE_NONCE` (format, other hub, reuse), `ISCC_NOTE_TIMESTAMP` (format, stale,
 *   future), `ISCC_SIGNATURE_INVALID` (structure or forged).
 */
export async function validateIsccNote(note: unknown, options: IsccNoteValidationOptions = {}): Promise<IsccNote> {
  const valid = validateIsccNoteFormat(note, options);
  if (options.verifySignature !== false) {
    let ok = false;
    try {
      ok = (await verifyJson(valid, null, null, false)).signature_valid;
    } catch {
      ok = false;
    }
    if (!ok) sigFail('Invalid signature');
  }
  if (options.isNonceUsed && (await options.isNonceUsed(valid.nonce))) {
    fail(ISCC_ERROR_CODES.NOTE_NONCE, HUB_ERROR_CODES.NONCE_REUSE, 'nonce', `Nonce already used: ${valid.nonce}`, 400);
  }
  return valid;
}

/** What {@link buildIsccNote} needs; nonce and timestamp are made when absent. */
export interface IsccNoteInput {
  /** Optional; when given it must be {@link ISCC_NOTE_SCHEMA}. */
  $schema?: string;
  iscc_code: string;
  datahash: string;
  units?: string[];
  metahash?: string;
  gateway?: string;
  /** 32 lowercase hex; default: a fresh nonce for `options.hubId`. */
  nonce?: string;
  /** `YYYY-MM-DDTHH:MM:SS.sssZ`; default: `options.now` (or now). */
  timestamp?: string;
}

/** Options of {@link buildIsccNote}. */
export interface BuildIsccNoteOptions {
  /** Hub the note is addressed to (0..4095); needed when `input.nonce` is absent. */
  hubId?: number | null;
  /** Clock for the default timestamp and the window check. Default: now. */
  now?: Date | number;
  /** What the signature discloses: AUTO (default), SELF_VERIFYING or IDENTITY_BOUND (a hub needs the pubkey). */
  sigtype?: SigType;
}

/**
 * Build and sign an IsccNote, and validate the result as a hub would (without its own clock
 * or nonce store).
 * @param input - `iscc_code`, `datahash` and optional `units`, `metahash`, `gateway`, `nonce`, `timestamp`.
 * @param keypair - the declaring party's key pair.
 * @param options - `hubId`, `now`, `sigtype`.
 * @returns The signed note.
 * @throws IsccNoteError when the note would be refused; IsccError for bad arguments.
 */
export async function buildIsccNote(input: IsccNoteInput, keypair: KeyPair, options: BuildIsccNoteOptions = {}): Promise<IsccNote> {
  if (!isPlainObject(input)) typeError('input', 'object {iscc_code, datahash, ...}', input);
  const sigtype = options.sigtype ?? SigType.AUTO;
  if (sigtype === SigType.PROOF_ONLY) argError('sigtype', 'AUTO, SELF_VERIFYING or IDENTITY_BOUND (a note must carry its pubkey)', sigtype);
  const known = new Set([...ISCC_NOTE_REQUIRED_FIELDS, ...ISCC_NOTE_OPTIONAL_FIELDS]);
  for (const k of Object.keys(input)) {
    if (k === 'signature' || !known.has(k)) argError('input', 'only iscc_code, datahash, nonce, timestamp, gateway, units, metahash, $schema', k);
  }
  const hubId = options.hubId ?? null;
  if (hubId !== null) checkHubId(hubId);
  let nonce = input.nonce;
  if (nonce === undefined) {
    if (hubId === null) argError('options.hubId', 'the hub id (0..4095) when input.nonce is absent', hubId);
    nonce = createNonce(hubId);
  }
  const nowMs = toMs(options.now);
  const note: JsonObject = {
    iscc_code: input.iscc_code,
    datahash: input.datahash,
    nonce,
    timestamp: input.timestamp ?? new Date(nowMs).toISOString(),
  };
  for (const k of ['$schema', 'gateway', 'units', 'metahash'] as const) {
    if (input[k] !== undefined) note[k] = Array.isArray(input[k]) ? [...input[k]] : input[k];
  }
  const signed = await signJson(note, keypair, sigtype);
  return validateIsccNote(signed, { hubId, now: nowMs });
}
