/**
 * CIP-0003 registration entries: the JSON value of an `iscc` stream item, whose keys are the
 * ISCC units it registers (shared/specs/cip-0003-registration.md).
 *
 * {@link validateCip3Entry} checks, in this order, and throws {@link Cip3Error} with a stable
 * code at the first failure:
 * 1. the value is a JSON object whose members are the known ones (`version`, `title`, `extra`,
 *    `tophash`, `meta`) or application fields prefixed with `_`;
 * 2. `version` (optional) is a string `1.x` (1.0 is assumed when absent);
 * 3. `title` (required) and `extra` (optional) are strings of at most 128 UTF-8 bytes (title
 *    not blank);
 * 4. `tophash` (optional) is the Instance datahash: 64 lowercase hex (the CIP's form), or the
 *    same digest as an iscc-core `datahash` multihash (`1e20` + 64 hex);
 * 5. `meta` (optional) is a non-empty list of objects with `schema` and `mediatype` (an IANA
 *    `type/subtype`) and `data` (any JSON) or `url` (absolute http(s)/ipfs/... URL) or both;
 *    nothing else but `_` fields;
 * 6. with `keys` (the stream item's keys: units or an ISCC-CODE): title + extra must encode to
 *    the Meta-Code among them (core genMetaCodeV0 at the key's bit length) and, when both are
 *    present, the tophash must start with the Instance-Code's digest.
 */
import { MT, genMetaCodeV0, isccDecode, isccDecompose, isccNormalize } from '@iscc-ts/core';

/** Stable error codes of CIP-0003 entry validation. Never rename one. */
export const CIP3_ERROR_CODES = {
  /** Not a JSON object, an unknown member (not `_`-prefixed), or a member of the wrong type. */
  INVALID_ENTRY: 'CIP3_INVALID_ENTRY',
  /** `version` is not a `1.x` string. */
  INVALID_VERSION: 'CIP3_INVALID_VERSION',
  /** `title` missing, not a string, blank, or over 128 UTF-8 bytes. */
  INVALID_TITLE: 'CIP3_INVALID_TITLE',
  /** `extra` not a string or over 128 UTF-8 bytes. */
  INVALID_EXTRA: 'CIP3_INVALID_EXTRA',
  /** `tophash` is not 64 lowercase hex (or a `1e20` BLAKE3 multihash of that). */
  INVALID_TOPHASH: 'CIP3_INVALID_TOPHASH',
  /** `meta` is empty, or an entry lacks schema/mediatype/data-or-url or has bad values. */
  INVALID_META: 'CIP3_INVALID_META',
  /** The `keys` given are not ISCCs, or contain no Meta-Code. */
  INVALID_KEYS: 'CIP3_INVALID_KEYS',
  /** title + extra do not encode to the Meta-Code of the keys. */
  META_CODE_MISMATCH: 'CIP3_META_CODE_MISMATCH',
  /** tophash does not match the Instance-Code of the keys. */
  TOPHASH_MISMATCH: 'CIP3_TOPHASH_MISMATCH',
} as const;

export type Cip3ErrorCode = (typeof CIP3_ERROR_CODES)[keyof typeof CIP3_ERROR_CODES];

/** A CIP-0003 entry was refused: stable `code`, the member at fault, HTTP status 422. */
export class Cip3Error extends Error {
  readonly code: Cip3ErrorCode;
  readonly field: string | null;
  readonly status = 422;
  constructor(code: Cip3ErrorCode, field: string | null, message: string) {
    super(message);
    this.name = 'Cip3Error';
    this.code = code;
    this.field = field;
  }
}

/** Most UTF-8 bytes of `title` and of `extra`. */
export const CIP3_MAX_FIELD_BYTES = 128;
/** Members CIP-0003 defines at the top level (others must start with `_`). */
export const CIP3_FIELDS: readonly string[] = Object.freeze(['version', 'title', 'extra', 'tophash', 'meta']);
/** Members of a metadata entry (others must start with `_`). */
export const CIP3_META_FIELDS: readonly string[] = Object.freeze(['schema', 'mediatype', 'data', 'url']);

/** One metadata entry of `meta`. */
export interface Cip3Meta {
  schema: string;
  mediatype: string;
  data?: unknown;
  url?: string;
  [custom: `_${string}`]: unknown;
}

/** A validated CIP-0003 entry. */
export interface Cip3Entry {
  version?: string;
  title: string;
  extra?: string;
  tophash?: string;
  meta?: Cip3Meta[];
  [custom: `_${string}`]: unknown;
}

/** Options of {@link validateCip3Entry}. */
export interface Cip3Options {
  /**
   * The stream item's keys: ISCC units and/or ISCC-CODEs (`ISCC:` optional). With them the
   * entry is checked against the Meta-Code (required among them) and the Instance-Code.
   */
  keys?: string | readonly string[];
}

const utf8 = new TextEncoder();
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v);
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function fail(code: Cip3ErrorCode, field: string | null, message: string): never {
  throw new Cip3Error(code, field, message);
}

function checkMembers(obj: Record<string, unknown>, known: readonly string[], where: string): void {
  const unknown = Object.keys(obj)
    .filter((k) => !known.includes(k) && !k.startsWith('_'))
    .sort();
  if (unknown.length) {
    fail(CIP3_ERROR_CODES.INVALID_ENTRY, unknown[0]!, `unknown ${where}member(s) ${unknown.join(', ')}: custom members must start with '_'`);
  }
  for (const k of Object.keys(obj)) if (k === '_') fail(CIP3_ERROR_CODES.INVALID_ENTRY, k, `custom member '_' needs a name after the underscore`);
}

function checkShortText(value: unknown, field: 'title' | 'extra', code: Cip3ErrorCode): void {
  if (typeof value !== 'string') fail(code, field, `${field} must be a string, got ${typeName(value)}`);
  const n = utf8.encode(value).length;
  if (n > CIP3_MAX_FIELD_BYTES) fail(code, field, `${field} must be at most ${CIP3_MAX_FIELD_BYTES} UTF-8 bytes, got ${n}`);
}

/** Normalise a tophash to 64 lowercase hex (accepting the `1e20` multihash form). */
function tophashDigest(value: unknown): string {
  const bad = (): never =>
    fail(CIP3_ERROR_CODES.INVALID_TOPHASH, 'tophash', `tophash must be 64 lowercase hex (or '1e20' + 64 hex), got ${typeof value === 'string' ? JSON.stringify(value.slice(0, 80)) : typeName(value)}`);
  if (typeof value !== 'string') return bad();
  if (/^[0-9a-f]{64}$/.test(value)) return value;
  if (/^1e20[0-9a-f]{64}$/.test(value)) return value.slice(4);
  return bad();
}

const MEDIATYPE_RE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}(?:\s*;.*)?$/i;

function checkMeta(value: unknown): void {
  const field = 'meta';
  if (!Array.isArray(value)) fail(CIP3_ERROR_CODES.INVALID_META, field, `meta must be a list, got ${typeName(value)}`);
  if (value.length === 0) fail(CIP3_ERROR_CODES.INVALID_META, field, 'meta must hold at least one entry when given');
  value.forEach((m: unknown, i: number) => {
    const at = `meta[${i}]`;
    if (!isObject(m)) fail(CIP3_ERROR_CODES.INVALID_META, at, `${at} must be an object, got ${typeName(m)}`);
    const unknown = Object.keys(m).filter((k) => !CIP3_META_FIELDS.includes(k) && !k.startsWith('_'));
    if (unknown.length) fail(CIP3_ERROR_CODES.INVALID_META, at, `${at} has unknown member(s) ${unknown.sort().join(', ')}`);
    for (const k of ['schema', 'mediatype'] as const) {
      if (typeof m[k] !== 'string' || !(m[k] as string).trim()) fail(CIP3_ERROR_CODES.INVALID_META, `${at}.${k}`, `${at}.${k} must be a non-empty string`);
    }
    if (!MEDIATYPE_RE.test(m.mediatype as string)) {
      fail(CIP3_ERROR_CODES.INVALID_META, `${at}.mediatype`, `${at}.mediatype must be an IANA media type (type/subtype), got ${JSON.stringify(m.mediatype)}`);
    }
    const hasData = Object.hasOwn(m, 'data');
    const hasUrl = Object.hasOwn(m, 'url');
    if (!hasData && !hasUrl) fail(CIP3_ERROR_CODES.INVALID_META, at, `${at} needs 'data' or 'url'`);
    if (hasData && (m.data === null || m.data === undefined)) fail(CIP3_ERROR_CODES.INVALID_META, `${at}.data`, `${at}.data must not be null`);
    if (hasUrl) {
      const url = m.url;
      let ok = false;
      if (typeof url === 'string' && url === url.trim() && /^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(url)) {
        try {
          new URL(url);
          ok = true;
        } catch {
          ok = false;
        }
      }
      if (!ok) fail(CIP3_ERROR_CODES.INVALID_META, `${at}.url`, `${at}.url must be an absolute URL, got ${typeof url === 'string' ? JSON.stringify(url.slice(0, 80)) : typeName(url)}`);
    }
  });
}

/** The Meta-Code and Instance-Code units among the keys (each key decomposed). */
function unitsOfKeys(keys: string | readonly string[]): { meta?: string; instance?: string } {
  const list = typeof keys === 'string' ? [keys] : keys;
  const out: { meta?: string; instance?: string } = {};
  for (const key of list) {
    let units: string[];
    try {
      if (typeof key !== 'string') throw new TypeError(`not a string: ${typeName(key)}`);
      units = isccDecompose(isccNormalize(key.trim()));
    } catch (err) {
      return fail(CIP3_ERROR_CODES.INVALID_KEYS, null, `key ${JSON.stringify(String(key).slice(0, 80))} is not an ISCC: ${err instanceof Error ? err.message : String(err)}`);
    }
    for (const u of units) {
      const mt = isccDecode(u)[0];
      if (mt === MT.META) out.meta ??= u;
      if (mt === MT.INSTANCE) out.instance ??= u;
    }
  }
  return out;
}

/**
 * Validate a CIP-0003 registration entry (the stream item's JSON value).
 * @param entry - the parsed JSON value.
 * @param options - `keys`: the stream item's ISCC keys, to check title/extra against the
 *   Meta-Code and tophash against the Instance-Code.
 * @returns The entry, typed (the same object).
 * @throws Cip3Error with a {@link CIP3_ERROR_CODES} code at the first failure.
 */
export function validateCip3Entry(entry: unknown, options: Cip3Options = {}): Cip3Entry {
  if (!isObject(entry)) fail(CIP3_ERROR_CODES.INVALID_ENTRY, null, `a CIP-0003 entry must be a JSON object, got ${typeName(entry)}`);
  checkMembers(entry, CIP3_FIELDS, '');
  if (Object.hasOwn(entry, 'version')) {
    const v = entry.version;
    if (typeof v !== 'string' || !/^1\.\d+$/.test(v)) fail(CIP3_ERROR_CODES.INVALID_VERSION, 'version', `version must be a '1.x' string, got ${JSON.stringify(v)}`);
  }
  if (!Object.hasOwn(entry, 'title')) fail(CIP3_ERROR_CODES.INVALID_TITLE, 'title', 'title is required');
  checkShortText(entry.title, 'title', CIP3_ERROR_CODES.INVALID_TITLE);
  if (!(entry.title as string).trim()) fail(CIP3_ERROR_CODES.INVALID_TITLE, 'title', 'title must not be blank');
  if (Object.hasOwn(entry, 'extra')) checkShortText(entry.extra, 'extra', CIP3_ERROR_CODES.INVALID_EXTRA);
  const digest = Object.hasOwn(entry, 'tophash') ? tophashDigest(entry.tophash) : null;
  if (Object.hasOwn(entry, 'meta')) checkMeta(entry.meta);
  if (options.keys !== undefined) {
    const { meta, instance } = unitsOfKeys(options.keys);
    if (!meta) fail(CIP3_ERROR_CODES.INVALID_KEYS, null, 'the keys hold no Meta-Code to check title and extra against');
    const given = isccDecode(meta);
    const bits = given[4].length * 8;
    const expected = genMetaCodeV0(entry.title as string, (entry.extra as string | undefined) ?? null, null, bits).iscc;
    const got = `ISCC:${meta.replace(/^ISCC:/, '')}`;
    if (expected !== got) {
      fail(CIP3_ERROR_CODES.META_CODE_MISMATCH, 'title', `title and extra encode to ${expected}, the keys give ${got}`);
    }
    if (instance && digest !== null) {
      const body = hex(isccDecode(instance)[4]);
      if (!digest.startsWith(body)) {
        fail(CIP3_ERROR_CODES.TOPHASH_MISMATCH, 'tophash', `tophash ${digest.slice(0, 16)}... does not start with the Instance-Code digest ${body}`);
      }
    }
  }
  return entry as unknown as Cip3Entry;
}
