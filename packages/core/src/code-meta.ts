/**
 * ISCC Meta-Code (iscc-core 1.3.0 `code_meta`): a similarity hash of a title, an optional
 * description and optional structured metadata, plus a BLAKE3 `metahash` of the metadata.
 *
 * `genMetaCodeV0` steps:
 * 1. `name`: {@link textClean}, {@link textRemoveNewlines}, {@link textTrim} to
 *    `coreOpts.meta_trim_name` UTF-8 bytes; it must not be empty afterwards.
 * 2. `description`: {@link textClean}, {@link textTrim} to `coreOpts.meta_trim_description`.
 * 3. With `meta` (a JSON object or a Data-URL string; empty values count as absent, like
 *    Python's truthiness): the payload is the JCS canonical JSON of the object or the decoded
 *    Data-URL bytes, at most `coreOpts.meta_trim_meta` bytes. The digest is
 *    `softHashMetaV0(name, payload)`; `metahash` hashes the payload; `meta` in the result is the
 *    given Data-URL, or a base64 Data-URL of the canonical JSON (media type
 *    `application/ld+json` when the object has an `@context` key, else `application/json`).
 * 4. Without `meta`: the digest is `softHashMetaV0(name, description)` and `metahash` hashes
 *    the UTF-8 of `name + " " + description` (just `name` without description).
 * 5. Encode a META unit of `bits` bits; the result has `iscc`, `name`, `description` (only
 *    when non-empty), `meta` (only when given) and `metahash` (`1e20` + BLAKE3 hex).
 *
 * `softHashMetaV0(name, extra)`: SimHash over the BLAKE3 digests of the 3-code-point n-grams of
 * the collapsed name. With a non-empty `extra` (text: collapsed, 3-code-point n-grams; bytes:
 * 4-byte n-grams) a second SimHash is made the same way and the first 16 bytes of both are
 * interleaved in 4-byte chunks (name, extra, name, extra, ...).
 */
import { base16 } from '@scure/base';
import { blake3 } from './blake3.ts';
import { encodeComponent } from './codec.ts';
import { MT, ST, VS } from './constants.ts';
import { dataUrlFromBytes, dataUrlPayload } from './_data-url.ts';
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { jsonCanonical } from './jcs.ts';
import { coreOpts } from './options.ts';
import { algSimhash } from './simhash.ts';
import { textClean, textCollapse, textRemoveNewlines, textTrim } from './text.ts';

/** Metadata accepted by {@link genMetaCodeV0}: a JSON object or a base64 Data-URL string. */
export type MetaInput = Record<string, unknown> | string;

/** Result of {@link genMetaCodeV0}; keys as in the reference, optional ones only when set. */
export interface MetaCodeResult {
  /** The Meta-Code, `ISCC:` prefixed. */
  iscc: string;
  /** The normalised name. */
  name: string;
  /** The normalised description, only when non-empty. */
  description?: string;
  /** The metadata as a Data-URL, only when `meta` was given. */
  meta?: string;
  /** Multihash (`1e20` + BLAKE3) hex of the hashed payload. */
  metahash: string;
}

const utf8 = new TextEncoder();

/**
 * Create an ISCC Meta-Code with the latest algorithm (alias of {@link genMetaCodeV0}).
 * @param name - title of the work
 * @param description - optional description
 * @param meta - optional JSON object or Data-URL string
 * @param bits - code length in bits (default 64)
 */
export function genMetaCode(
  name: string | null | undefined,
  description?: string | null,
  meta?: MetaInput | null,
  bits: number = coreOpts.meta_bits,
): MetaCodeResult {
  return genMetaCodeV0(name, description, meta, bits);
}

/** Python truthiness of a `meta` value: None, "", {}, [], 0 and False mean "no metadata". */
function isPyFalsy(v: unknown): boolean {
  if (v === null || v === undefined || v === '' || v === false || v === 0) return true;
  if (typeof v === 'number' && Number.isNaN(v)) return false;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** `iscc_core.multi_hash_blake3`: hex of the multihash `0x1e 0x20 || blake3(data)`. */
function multiHashBlake3Hex(data: Uint8Array): string {
  return '1e20' + base16.encode(blake3(data)).toLowerCase();
}

/**
 * Create an ISCC Meta-Code with algorithm v0.
 * @param name - title of the work (required; must be non-empty after normalisation)
 * @param description - optional description for disambiguation
 * @param meta - optional metadata: a JSON object (canonicalised with JCS) or a base64 Data-URL
 * @param bits - code length in bits: a multiple of 32 up to 256 (default 64)
 * @returns `{ iscc, name, description?, meta?, metahash }`
 * @throws IsccError ISCC_INVALID_ARGUMENT for an empty name or an unreadable Data-URL,
 *   ISCC_LIMIT_EXCEEDED when the metadata payload exceeds `coreOpts.meta_trim_meta` bytes,
 *   ISCC_INVALID_TYPE for arguments of the wrong type
 * @example genMetaCodeV0('Hello  World') // { iscc: 'ISCC:AAAWN77F727NXSUS', name: 'Hello World', metahash: '1e2041f8...' }
 */
export function genMetaCodeV0(
  name: string | null | undefined,
  description?: string | null,
  meta?: MetaInput | null,
  bits: number = coreOpts.meta_bits,
): MetaCodeResult {
  // 1. Normalise the name.
  if (name === null || name === undefined) name = '';
  if (typeof name !== 'string') typeError('name', 'a string', name);
  name = textTrim(textRemoveNewlines(textClean(name)), coreOpts.meta_trim_name);
  if (!name) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      'name: Meta-Code requires a non-empty name element (after normalization)',
    );
  }

  // 2. Normalise the description.
  if (description === null || description === undefined) description = '';
  if (typeof description !== 'string') typeError('description', 'a string', description);
  description = textTrim(textClean(description), coreOpts.meta_trim_description);

  // 3./4. Digest, metahash and the output metadata value.
  let digest: Uint8Array;
  let metahash: string;
  let metaValue: string | undefined;
  if (!isPyFalsy(meta)) {
    let payload: Uint8Array;
    if (typeof meta === 'string') {
      payload = dataUrlPayload(meta);
    } else if (isPlainObject(meta)) {
      payload = jsonCanonical(meta);
    } else {
      return typeError('meta', 'a Data-URL string or a JSON object', meta);
    }
    const limit = coreOpts.meta_trim_meta;
    if (limit && payload.length > limit) {
      throw new IsccError(
        ISCC_ERROR_CODES.LIMIT_EXCEEDED,
        `meta: payload size (${payload.length} bytes) exceeds META_TRIM_META (${limit} bytes)`,
      );
    }
    digest = softHashMetaV0(name, payload);
    metahash = multiHashBlake3Hex(payload);
    if (typeof meta === 'string') {
      metaValue = meta;
    } else {
      const mediaType = Object.prototype.hasOwnProperty.call(meta, '@context')
        ? 'application/ld+json'
        : 'application/json';
      metaValue = dataUrlFromBytes(mediaType, payload);
    }
  } else {
    // Both parts are already stripped, so " ".join(...).strip() only drops the lone separator.
    const text = description ? `${name} ${description}` : name;
    digest = softHashMetaV0(name, description);
    metahash = multiHashBlake3Hex(utf8.encode(text));
  }

  // 5. Encode and assemble in the reference's key order.
  const code = encodeComponent(MT.META, ST.NONE, VS.V0, bits, digest);
  return {
    iscc: 'ISCC:' + code,
    name,
    ...(description ? { description } : {}),
    ...(metaValue ? { meta: metaValue } : {}),
    metahash,
  };
}

/**
 * SimHash over the BLAKE3 digests of the UTF-8 n-grams of `text` (`width` code points each;
 * a shorter text gives one n-gram, the whole text). Hashes slices of one UTF-8 encoding.
 */
function simhashTextNgrams(text: string, width: number): Uint8Array {
  const bytes = utf8.encode(text);
  // Byte offset of each code point start (collapsed text holds no lone surrogates).
  const offsets: number[] = [];
  let pos = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    offsets.push(pos);
    if (c < 0x80) pos += 1;
    else if (c < 0x800) pos += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pos += 4;
        i++;
      } else pos += 3;
    } else pos += 3;
  }
  offsets.push(pos);
  const n = offsets.length - 1;
  const count = Math.max(n - width + 1, 1);
  const digests = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) digests[i] = blake3(bytes.subarray(offsets[i]!, offsets[Math.min(i + width, n)]!));
  return algSimhash(digests);
}

/** SimHash over the BLAKE3 digests of the `width`-byte n-grams of `data`. */
function simhashByteNgrams(data: Uint8Array, width: number): Uint8Array {
  const count = Math.max(data.length - width + 1, 1);
  const digests = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) digests[i] = blake3(data.subarray(i, i + width));
  return algSimhash(digests);
}

/** Collapsed text that still holds a lone surrogate cannot be UTF-8 encoded (Python raises). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function collapseForHash(text: string, what: string): string {
  const c = textCollapse(text);
  if (LONE_SURROGATE.test(c)) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `${what}: contains a lone surrogate (not UTF-8 encodable)`);
  }
  return c;
}

/**
 * 256-bit similarity hash of metadata (iscc-core `soft_hash_meta_v0`).
 * @param name - title (collapsed before hashing)
 * @param extra - optional description text (collapsed) or metadata bytes (hashed bytewise);
 *   `null`, `undefined`, `''` and empty bytes mean "name only"
 * @returns 32-byte digest
 * @throws IsccError ISCC_INVALID_TYPE when `name` is not a string or `extra` is neither a
 *   string nor bytes (ValueError upstream)
 * @example softHashMetaV0('') // BLAKE3 of the empty string ('af1349b9...')
 */
export function softHashMetaV0(name: string, extra?: string | Uint8Array | null): Uint8Array {
  if (typeof name !== 'string') typeError('name', 'a string', name);
  const nameHash = simhashTextNgrams(collapseForHash(name, 'name'), coreOpts.meta_ngram_size_text);
  if (extra === null || extra === undefined || extra === '' || (extra instanceof Uint8Array && extra.length === 0)) {
    return nameHash;
  }
  let extraHash: Uint8Array;
  if (extra instanceof Uint8Array) {
    extraHash = simhashByteNgrams(extra, coreOpts.meta_ngram_size_bytes);
  } else if (typeof extra === 'string') {
    extraHash = simhashTextNgrams(collapseForHash(extra, 'extra'), coreOpts.meta_ngram_size_text);
  } else {
    return typeError('extra', 'a string or Uint8Array', extra);
  }
  // Interleave the first 16 bytes of both in 4-byte chunks.
  const out = new Uint8Array(32);
  for (let k = 0; k < 4; k++) {
    out.set(nameHash.subarray(4 * k, 4 * k + 4), 8 * k);
    out.set(extraHash.subarray(4 * k, 4 * k + 4), 8 * k + 4);
  }
  return out;
}
