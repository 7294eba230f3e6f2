/**
 * The ISCC codec (ISO 24138:2024 §6; iscc-core `codec.py`), bit-exact with iscc-core 1.3.0.
 *
 * An ISCC-UNIT is `header ‖ body`, written in RFC 4648 base32 without padding:
 *  1. the header is four varnibbles (MainType, SubType, Version, Length); a varnibble is
 *     1-4 nibbles with the unary prefixes 0 / 10 / 110 / 1110 carrying 3 / 6 / 9 / 12 data
 *     bits (values 0-7, 8-71, 72-583, 584-4679); an odd nibble count is padded with 0000;
 *  2. the Length field's meaning depends on the MainType (see {@link encodeLength}): 32-bit
 *     steps for units, a bitmask of optional units for ISCC-CODEs, counter bytes for ISCC-IDs;
 *  3. the body is the digest truncated to the unit's bit length.
 * Strings are parsed through {@link isccClean} (strip, optional `ISCC:` scheme, dashes) and
 * {@link normalizeMultiformat} (multibase f/b/v/z/u + multicodec 0xCC01).
 *
 * Where the reference has quirks they are kept on purpose (the hidden conformance set is
 * computed by it): base32 decoding follows CPython `b32decode` padding rules, base64 follows
 * the lenient `a2b_base64`, `decode_length` only accepts values of the `LN` enum,
 * truncated bodies decompose to shorter units, and `iscc_validate(strict=false)` still throws
 * where the reference lets an exception from the header decoder escape.
 */
import { IsccError, ISCC_ERROR_CODES, describe, typeError } from './errors.ts';
import {
  MT,
  ST,
  ST_ISCC,
  VS,
  UNITS,
  MULTIBASE,
  PREFIXES,
  CANONICAL_REGEX,
  b32ToHex,
  hexToB32,
  isLN,
  mtName,
  subtypeName,
  subtypeEnum,
  vsName,
} from './constants.ts';
import type { LN } from './constants.ts';
import { genIsccCodeV0 } from './iscc-code.ts';
import { concatBytes, decodeBase58, isAscii, pySlice, pyStrip, toHex, uvarintDecode } from './_pyutil.ts';

/** A decoded ISCC: `[maintype, subtype, version, length, tail]` (Python `IsccTuple`). */
export type IsccTuple = [mt: number, st: number, vs: number, ln: number, tail: Uint8Array];

/** Largest value a varnibble can hold. */
export const VARNIBBLE_MAX = 4679;

const err = (code: (typeof ISCC_ERROR_CODES)[keyof typeof ISCC_ERROR_CODES], msg: string): never => {
  throw new IsccError(code, msg);
};

function assertInt(name: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v)) typeError(name, 'an integer', v);
}

function assertBytes(name: string, v: unknown): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array)) typeError(name, 'a Uint8Array', v);
}

function assertString(name: string, v: unknown): asserts v is string {
  if (typeof v !== 'string') typeError(name, 'a string', v);
}

// ---------------------------------------------------------------------------------------
// Varnibbles and headers
// ---------------------------------------------------------------------------------------

/** Bits of `n` as a fixed-width '0'/'1' string. */
function bitsOf(n: number, width: number): string {
  return n.toString(2).padStart(width, '0');
}

/**
 * Encode an integer as a varnibble (1-4 nibbles).
 * @param n - integer 0..4679
 * @returns the bits as a '0'/'1' string (Python returns a `bitarray`)
 * @throws IsccError ISCC_INVALID_TYPE for a non-integer, ISCC_INVALID_ARGUMENT when out of range
 * @example encodeVarnibble(8) // '10000000'
 */
export function encodeVarnibble(n: number): string {
  assertInt('n', n);
  if (n >= 0 && n < 8) return bitsOf(n, 4);
  if (n >= 8 && n < 72) return '10' + bitsOf(n - 8, 6);
  if (n >= 72 && n < 584) return '110' + bitsOf(n - 72, 9);
  if (n >= 584 && n < 4680) return '1110' + bitsOf(n - 584, 12);
  return err(ISCC_ERROR_CODES.INVALID_ARGUMENT, `n: Value must be between 0 and 4679, got ${describe(n)}`);
}

/** Read one varnibble from a bit accessor; returns [value, bits consumed]. */
function readVarnibble(bit: (i: number) => number, start: number, total: number): [number, number] {
  const bits = total - start;
  if (bits < 4) return err(ISCC_ERROR_CODES.INVALID_HEADER, 'Input too short - minimum 4 bits required');
  const int = (from: number, to: number): number => {
    let v = 0;
    for (let i = from; i < to; i++) v = (v << 1) | bit(start + i);
    return v;
  };
  const b0 = bit(start);
  if (b0 === 0) return [int(0, 4), 4];
  const b1 = bit(start + 1);
  if (b1 === 0 && bits >= 8) return [int(2, 8) + 8, 8];
  const b2 = bit(start + 2);
  if (b1 === 1 && b2 === 0 && bits >= 12) return [int(3, 12) + 72, 12];
  const b3 = bit(start + 3);
  if (b1 === 1 && b2 === 1 && b3 === 0 && bits >= 16) return [int(4, 16) + 584, 16];
  if (bits < 16) {
    return err(ISCC_ERROR_CODES.INVALID_HEADER, `Input too short - got ${bits} bits but need more based on prefix`);
  }
  return err(
    ISCC_ERROR_CODES.INVALID_HEADER,
    `Invalid prefix pattern '${int(0, 4).toString(2).padStart(4, '0')}' - must be one of: 0, 10, 110, 1110`,
  );
}

/**
 * Read the first varnibble of a bit sequence.
 * @param b - bits as a '0'/'1' string or an array of 0/1 (Python takes a `bitarray`)
 * @returns `[value, remaining bits as a '0'/'1' string]`
 * @throws IsccError ISCC_INVALID_HEADER when too short or the prefix is 1111
 * @example decodeVarnibble('1000000111') // [9, '11']
 */
export function decodeVarnibble(b: string | ArrayLike<number | boolean>): [number, string] {
  let s: string;
  if (typeof b === 'string') {
    if (!/^[01]*$/.test(b)) typeError('b', "a string of '0'/'1'", b);
    s = b;
  } else if (b !== null && typeof b === 'object' && typeof (b as ArrayLike<unknown>).length === 'number') {
    s = '';
    for (let i = 0; i < b.length; i++) {
      const v = b[i];
      if (v === 0 || v === false) s += '0';
      else if (v === 1 || v === true) s += '1';
      else typeError('b', 'bits (0/1)', v);
    }
  } else {
    return typeError('b', 'a bit string or array of bits', b);
  }
  const [value, used] = readVarnibble((i) => (s.charCodeAt(i) === 0x31 ? 1 : 0), 0, s.length);
  return [value, s.slice(used)];
}

/**
 * Encode header fields as varnibbles, right-padded with zero bits to whole bytes (2-8 bytes).
 * The length must already be encoded with {@link encodeLength}.
 * @param mtype - MainType, @param stype - SubType, @param version - Version (default 0)
 * @param length - encoded length value (default 1 = 64 bits for units)
 * @throws IsccError when a field is not an integer in 0..4679
 * @example encodeHeader(MT.META, ST.NONE, VS.V0, 1) // Uint8Array [0x00, 0x01]
 */
export function encodeHeader(mtype: number, stype: number, version: number = 0, length: number = 1): Uint8Array {
  const bits =
    encodeVarnibble(mtype) + encodeVarnibble(stype) + encodeVarnibble(version) + encodeVarnibble(length);
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  for (let i = 0; i < bits.length; i++) if (bits.charCodeAt(i) === 0x31) out[i >> 3]! |= 0x80 >> (i & 7);
  return out;
}

/**
 * Decode the header of ISCC bytes and return it with the remaining bytes ("tail").
 * A 4-bit zero padding after an odd number of header nibbles is skipped. The tail is the
 * body of the first unit followed by any further units.
 * @param data - ISCC bytes
 * @returns `[mt, st, vs, ln, tail]`
 * @throws IsccError ISCC_INVALID_HEADER when the header cannot be read
 * @example decodeHeader(new Uint8Array([0x00, 0x01, 0xff])) // [0, 0, 0, 1, Uint8Array [0xff]]
 */
export function decodeHeader(data: Uint8Array): IsccTuple {
  assertBytes('data', data);
  const total = data.length * 8;
  const bit = (i: number): number => (data[i >> 3]! >> (7 - (i & 7))) & 1;
  const fields: number[] = [];
  let pos = 0;
  for (let k = 0; k < 4; k++) {
    const [v, used] = readVarnibble(bit, pos, total);
    fields.push(v);
    pos += used;
  }
  let rest = total - pos;
  // Strip 4-bit padding if the remainder is not byte aligned and starts with 0000.
  if (rest % 8 && rest >= 4 && bit(pos) === 0 && bit(pos + 1) === 0 && bit(pos + 2) === 0 && bit(pos + 3) === 0) {
    pos += 4;
    rest -= 4;
  }
  // bitarray.tobytes(): pack the remaining bits MSB-first, zero-filling the last byte.
  let tail: Uint8Array;
  if (pos % 8 === 0) {
    tail = data.slice(pos >> 3);
  } else {
    tail = new Uint8Array(Math.ceil(rest / 8));
    for (let i = 0; i < rest; i++) if (bit(pos + i)) tail[i >> 3]! |= 0x80 >> (i & 7);
  }
  return [fields[0]!, fields[1]!, fields[2]!, fields[3]!, tail];
}

// ---------------------------------------------------------------------------------------
// Units and lengths
// ---------------------------------------------------------------------------------------

/**
 * Encode a combination of optional ISCC-CODE units (sorted MainTypes) as its index in
 * {@link UNITS} (the length field of MT.ISCC headers).
 * @throws IsccError ISCC_INVALID_ARGUMENT for a combination not in UNITS
 * @example encodeUnits([MT.META, MT.CONTENT]) // 5
 */
export function encodeUnits(units: readonly number[]): number {
  if (!Array.isArray(units)) typeError('units', 'an array of MainTypes', units);
  const idx = UNITS.findIndex((u) => u.length === units.length && u.every((x, i) => x === units[i]));
  if (idx >= 0) return idx;
  for (const u of units) {
    if (typeof u !== 'number' || !Number.isInteger(u) || u < 0 || u > 7) {
      err(ISCC_ERROR_CODES.INVALID_ARGUMENT, `Invalid ISCC-UNIT ${String(u)} - must be of type MT`);
    }
  }
  const names = units.length ? units.map((u) => mtName(u)) : ['empty'];
  return err(ISCC_ERROR_CODES.INVALID_ARGUMENT, `Invalid ISCC-UNIT combination: ${names.join(', ')}`);
}

/**
 * Decode the length field of an ISCC-CODE header to its sorted optional MainTypes.
 * Negative indices count from the end like Python's tuple indexing.
 * @throws IsccError ISCC_INVALID_HEADER when `unitId` is not in -8..7
 * @example decodeUnits(7) // [0, 1, 2]
 */
export function decodeUnits(unitId: number): MT[] {
  assertInt('unitId', unitId);
  const i = unitId < 0 ? UNITS.length + unitId : unitId;
  const units = UNITS[i];
  if (i < 0 || units === undefined) {
    return err(ISCC_ERROR_CODES.INVALID_HEADER, `unitId: expected 0..7 (units of an ISCC-CODE), got ${unitId}`);
  }
  return [...units].sort((a, b) => a - b);
}

const UNIT_TYPES: readonly number[] = [MT.META, MT.SEMANTIC, MT.CONTENT, MT.DATA, MT.INSTANCE, MT.FLAKE];

/**
 * Encode a length to the header's length field; its meaning depends on the MainType:
 * units (META, SEMANTIC, CONTENT, DATA, INSTANCE, FLAKE): bits in 32-bit steps (32 -> 0,
 * 64 -> 1, ...); ISCC: the units bitmask 0..7 passed through; ID: 64..96 bits -> counter
 * bytes ((bits - 64) // 8).
 * @throws IsccError ISCC_INVALID_BITS for an invalid length or MainType
 * @example encodeLength(MT.META, 64) // 1
 */
export function encodeLength(mtype: number, length: number): number {
  assertInt('mtype', mtype);
  assertInt('length', length);
  const error = (): never => err(ISCC_ERROR_CODES.INVALID_BITS, `Invalid length ${length} for MainType ${mtype}`);
  if (UNIT_TYPES.includes(mtype)) {
    if (length >= 32 && length % 32 === 0) return length / 32 - 1;
    return error();
  }
  if (mtype === MT.ISCC) {
    if (length >= 0 && length <= 7) return length;
    return error();
  }
  if (mtype === MT.ID) {
    if (length >= 64 && length <= 96) return Math.floor((length - 64) / 8);
    return error();
  }
  return error();
}

function asLN(v: number): LN {
  if (!isLN(v)) err(ISCC_ERROR_CODES.INVALID_HEADER, `${v} is not a valid LN`);
  return v as LN;
}

/**
 * Decode a header length field to the body length in bits. Only values of {@link LN} are
 * valid results (as in the reference, e.g. a unit length field of 8 (288 bits) throws).
 * For MT.ISCC the subtype matters: WIDE is always 256 bits.
 * @throws IsccError ISCC_INVALID_HEADER for an invalid MainType or length
 * @example decodeLength(MT.ISCC, 3) // 256
 */
export function decodeLength(mtype: number, length: number, subtype?: number | null): LN {
  assertInt('mtype', mtype);
  assertInt('length', length);
  if (UNIT_TYPES.includes(mtype)) return asLN((length + 1) * 32);
  if (mtype === MT.ISCC) {
    if (subtype === ST_ISCC.WIDE) return 256;
    return asLN(decodeUnits(length).length * 64 + 128);
  }
  if (mtype === MT.ID) return asLN(length * 8 + 64);
  return err(ISCC_ERROR_CODES.INVALID_HEADER, `Invalid length ${length} for MainType ${mtype}`);
}

// ---------------------------------------------------------------------------------------
// Base encodings
// ---------------------------------------------------------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < 32; i++) B32_REV[B32.charCodeAt(i)] = i;

/**
 * RFC 4648 base32 (upper case) without padding.
 * @example encodeBase32(new TextEncoder().encode('foobar')) // 'MZXW6YTBOI'
 */
export function encodeBase32(data: Uint8Array): string {
  assertBytes('data', data);
  let out = '';
  let acc = 0;
  let nbits = 0;
  for (const byte of data) {
    acc = ((acc << 8) | byte) & 0xfff;
    nbits += 8;
    while (nbits >= 5) {
      nbits -= 5;
      out += B32[(acc >> nbits) & 31];
    }
  }
  if (nbits > 0) out += B32[(acc << (5 - nbits)) & 31];
  return out;
}

/**
 * RFC 4648 base32 decoding without padding, case-insensitive, with CPython `b32decode`
 * rules: the string is re-padded to a multiple of 8; trailing `=` count as padding; the
 * number of pad characters must be 0, 1, 3, 4 or 6 ("Incorrect padding"); any other
 * character fails ("Non-base32 digit found"); unused trailing bits are ignored.
 * @throws IsccError ISCC_INVALID_ENCODING
 * @example decodeBase32('my') // Uint8Array [0x66]
 */
export function decodeBase32(code: string): Uint8Array {
  assertString('code', code);
  if (!isAscii(code)) err(ISCC_ERROR_CODES.INVALID_ENCODING, 'string argument should contain only ASCII characters');
  const padded = code.length + ((8 - (code.length % 8)) % 8);
  let end = code.length;
  while (end > 0 && code.charCodeAt(end - 1) === 0x3d) end--;
  const padchars = padded - end;
  const nchars = end;
  const out = new Uint8Array(Math.floor((nchars * 5) / 8));
  let acc = 0;
  let nbits = 0;
  let o = 0;
  for (let i = 0; i < nchars; i++) {
    let c = code.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) c -= 0x20; // casefold
    const v = B32_REV[c]!;
    if (v < 0) return err(ISCC_ERROR_CODES.INVALID_ENCODING, 'Non-base32 digit found');
    acc = ((acc << 5) | v) & 0xfff;
    nbits += 5;
    if (nbits >= 8) {
      nbits -= 8;
      if (o < out.length) out[o++] = (acc >> nbits) & 0xff;
    }
  }
  if (![0, 1, 3, 4, 6].includes(padchars)) err(ISCC_ERROR_CODES.INVALID_ENCODING, 'Incorrect padding');
  return out;
}

/**
 * RFC 4648 base64url without padding.
 * @example encodeBase64(new Uint8Array([0xfb, 0xff])) // '-_8'
 */
export function encodeBase64(data: Uint8Array): string {
  assertBytes('data', data);
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  let i = 0;
  for (; i + 2 < data.length; i += 3) {
    const n = (data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!;
    out += A[n >> 18]! + A[(n >> 12) & 63]! + A[(n >> 6) & 63]! + A[n & 63]!;
  }
  const rem = data.length - i;
  if (rem === 1) {
    const n = data[i]! << 16;
    out += A[n >> 18]! + A[(n >> 12) & 63]!;
  } else if (rem === 2) {
    const n = (data[i]! << 16) | (data[i + 1]! << 8);
    out += A[n >> 18]! + A[(n >> 12) & 63]! + A[(n >> 6) & 63]!;
  }
  return out;
}

const B64_REV = new Int8Array(128).fill(-1);
{
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) B64_REV[A.charCodeAt(i)] = i;
  // url-safe alphabet is translated to the standard one first; both are accepted
  B64_REV[0x2d] = 62;
  B64_REV[0x5f] = 63;
}

/**
 * base64url decoding without padding, as the reference (`urlsafe_b64decode` after
 * appending `4 - len % 4` pad characters): lenient like CPython `a2b_base64` in non-strict
 * mode: characters outside the alphabet are skipped, decoding stops at a complete pad
 * sequence, and both `-_` and `+/` are accepted.
 * @throws IsccError ISCC_INVALID_ENCODING ("Incorrect padding", or one data character too many)
 * @example decodeBase64('zAE') // Uint8Array [0xcc, 0x01]
 */
export function decodeBase64(code: string): Uint8Array {
  assertString('code', code);
  if (!isAscii(code)) err(ISCC_ERROR_CODES.INVALID_ENCODING, 'string argument should contain only ASCII characters');
  const s = code + '='.repeat(4 - (code.length % 4));
  const out: number[] = [];
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3d) {
      if (quad >= 2 && quad + ++pads >= 4) return new Uint8Array(out);
      continue;
    }
    const v = B64_REV[c]!;
    if (v < 0) continue;
    switch (quad) {
      case 0:
        quad = 1;
        left = v;
        break;
      case 1:
        quad = 2;
        out.push(((left << 2) | (v >> 4)) & 0xff);
        left = v & 0x0f;
        break;
      case 2:
        quad = 3;
        out.push(((left << 4) | (v >> 2)) & 0xff);
        left = v & 0x03;
        break;
      default:
        quad = 0;
        out.push(((left << 6) | v) & 0xff);
        left = 0;
    }
  }
  if (quad === 1) {
    return err(
      ISCC_ERROR_CODES.INVALID_ENCODING,
      `Invalid base64-encoded string: number of data characters (${Math.floor(out.length / 3) * 4 + 1}) cannot be 1 more than a multiple of 4`,
    );
  }
  if (quad !== 0) return err(ISCC_ERROR_CODES.INVALID_ENCODING, 'Incorrect padding');
  return new Uint8Array(out);
}

/**
 * RFC 4648 base32hex without padding.
 * @example encodeBase32hex(new TextEncoder().encode('hello world')) // 'D1IMOR3F41RMUSJCCG'
 */
export function encodeBase32hex(data: Uint8Array): string {
  return b32ToHex(encodeBase32(data));
}

/**
 * RFC 4648 base32hex decoding without padding, case-insensitive.
 * @throws IsccError ISCC_INVALID_ENCODING
 * @example decodeBase32hex('d1imor3f41rmusjccg') // bytes of 'hello world'
 */
export function decodeBase32hex(code: string): Uint8Array {
  assertString('code', code);
  // Python `str.upper()` is a full Unicode mapping (e.g. 'ß' -> 'SS'); so is toUpperCase.
  return decodeBase32(hexToB32(code.toUpperCase()));
}

/** Python `bytes.fromhex`: pairs of hex digits, ASCII whitespace allowed between pairs. */
function pyFromHex(s: string): Uint8Array {
  const out: number[] = [];
  const hv = (c: number): number =>
    c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
  const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);
  let i = 0;
  while (i < s.length) {
    if (isSpace(s.charCodeAt(i))) {
      while (i < s.length && isSpace(s.charCodeAt(i))) i++;
      if (i >= s.length) break;
    }
    const hi = hv(s.charCodeAt(i));
    const lo = i + 1 < s.length ? hv(s.charCodeAt(i + 1)) : -1;
    if (hi < 0 || lo < 0) {
      return err(
        ISCC_ERROR_CODES.INVALID_ENCODING,
        `non-hexadecimal number found in fromhex() arg at position ${hi < 0 ? i : i + 1}`,
      );
    }
    out.push((hi << 4) | lo);
    i += 2;
  }
  return new Uint8Array(out);
}

const MULTIBASE_PREFIXES: readonly string[] = Object.values(MULTIBASE);

/**
 * Normalize a multiformat ISCC (multibase f/b/v/z/u + multicodec 0xCC01) to plain base32.
 * Input that is not multiformat is returned cleaned ({@link isccClean}) but otherwise as is.
 * @throws IsccError when the multibase payload is malformed or lacks the 0xCC01 prefix
 * @example normalizeMultiformat('fcc0120016c017dac75fe4613') // 'EAAWYAL5VR274RQT'
 */
export function normalizeMultiformat(isccCode: string): string {
  const code = isccClean(isccCode);
  const prefix = code[0];
  if (prefix === undefined) return err(ISCC_ERROR_CODES.INVALID_CODE, 'isccCode: expected an ISCC, got an empty code');
  if (MULTIBASE_PREFIXES.includes(prefix)) {
    const rest = code.slice(1);
    let decoded: Uint8Array;
    if (prefix === MULTIBASE.base16) decoded = pyFromHex(rest);
    else if (prefix === MULTIBASE.base32) decoded = decodeBase32(rest);
    else if (prefix === MULTIBASE.base32hex) decoded = decodeBase32hex(rest);
    else if (prefix === MULTIBASE.base58btc) decoded = decodeBase58(rest);
    else decoded = decodeBase64(rest);
    // 0xCC01 = MC_PREFIX (compared by value: the exported array is mutable)
    if (!(decoded[0] === 0xcc && decoded[1] === 0x01)) {
      err(ISCC_ERROR_CODES.INVALID_CODE, `Malformed multiformat codec: ${toHex(decoded.slice(0, 2))}`);
    }
    return encodeBase32(decoded.subarray(2));
  }
  return code;
}

// ---------------------------------------------------------------------------------------
// Components and composite handling
// ---------------------------------------------------------------------------------------

/**
 * Encode an ISCC-UNIT (header + body) as base32, without the `ISCC:` prefix. The digest is
 * truncated to `bitLength` bits (a shorter digest is encoded as is, like the reference).
 * @param mtype - MainType (not MT.ISCC), @param stype - SubType, @param version - Version
 * @param bitLength - unit length in bits (multiple of 32; 64..96 for MT.ID)
 * @param digest - hash digest
 * @throws IsccError for MT.ISCC, an unknown MainType or an invalid length
 * @example encodeComponent(MT.META, ST.NONE, VS.V0, 64, new Uint8Array(8)) // 'AAAQAAAAAAAAAAAA'
 */
export function encodeComponent(
  mtype: number,
  stype: number,
  version: number,
  bitLength: number,
  digest: Uint8Array,
): string {
  assertInt('mtype', mtype);
  assertBytes('digest', digest);
  let encodedLength: number;
  if (mtype === MT.ISCC) return err(ISCC_ERROR_CODES.INVALID_ARGUMENT, `mtype: ${mtype} (ISCC) is not a unit`);
  if (mtype >= 0 && mtype <= 7) encodedLength = encodeLength(mtype, bitLength);
  else return err(ISCC_ERROR_CODES.INVALID_ARGUMENT, `mtype: Illegal MainType ${mtype}`);
  const nbytes = Math.floor(bitLength / 8);
  const header = encodeHeader(mtype, stype, version, encodedLength);
  return encodeBase32(concatBytes(header, digest.subarray(0, nbytes)));
}

/**
 * Decompose an ISCC-CODE or any sequence of ISCC-UNITs (optionally dash separated, any
 * supported multiformat) into a list of ISCC-UNITs (base32, no `ISCC:` prefix).
 * An ISCC-CODE expands to 64-bit units (WIDE: 128-bit Data + Instance) and ends the scan.
 * @throws IsccError for undecodable input
 * @example isccDecompose('ISCC:KUADMCHNLCHTI2NHWM35NJE3FPWYS') // ['GAATMCHNLCHTI2NH', 'IAA3GN6WUSNSX3MJ']
 */
export function isccDecompose(isccCode: string): string[] {
  // Canonical input is one unit (which is its own decomposition) or one ISCC-CODE.
  const canonical = canonicalTuple(isccCode);
  if (canonical) {
    if (canonical[0] !== MT.ISCC) return [isccCode.startsWith('ISCC:') ? isccCode.slice(5) : isccCode];
    return codeUnits(canonical);
  }
  const normalized = normalizeMultiformat(isccCode);
  const components: string[] = [];
  let raw = decodeBase32(normalized);
  while (raw.length) {
    const fields = decodeHeader(raw);
    const [mt, st, vs, ln, body] = fields;
    if (mt !== MT.ISCC) {
      const lnBits = decodeLength(mt, ln);
      const n = lnBits / 8;
      components.push(encodeComponent(mt, st, vs, lnBits, body.subarray(0, n)));
      raw = body.subarray(Math.min(n, body.length));
      continue;
    }
    components.push(...codeUnits(fields));
    break;
  }
  return components;
}

/** The units of a decoded ISCC-CODE: 64-bit units and Data + Instance (WIDE: 128-bit Data + Instance). */
function codeUnits([, st, vs, ln, body]: IsccTuple): string[] {
  const mainTypes = decodeUnits(ln);
  if (st === ST_ISCC.WIDE) {
    return [encodeComponent(MT.DATA, ST.NONE, vs, 128, pySlice(body, 0, 16)), encodeComponent(MT.INSTANCE, ST.NONE, vs, 128, pySlice(body, 16, 32))];
  }
  const components = mainTypes.map((mtype, idx) => encodeComponent(mtype, mtype === MT.META ? ST.NONE : st, vs, 64, pySlice(body, idx * 8)));
  components.push(encodeComponent(MT.DATA, ST.NONE, vs, 64, pySlice(body, -16, -8)));
  components.push(encodeComponent(MT.INSTANCE, ST.NONE, vs, 64, pySlice(body, -8)));
  return components;
}

/**
 * The decoded header and body of `iscc` when it is already in the form {@link isccNormalize}
 * returns (`ISCC:` optional), else null. Canonical input is the common case (codes written by
 * this library or the reference), and the full normalization decomposes and recomposes it
 * through strings only to produce the same characters again (~30 µs for a 4-unit code). This
 * check reaches the same answer from one decode:
 *  1. only `[A-Z2-7]` after an optional `ISCC:` (so isccClean and normalizeMultiformat change
 *     nothing: no whitespace, dash, lower case or multibase prefix) and a known prefix;
 *  2. canonical base32: a length that `encodeBase32` produces and zero unused trailing bits;
 *  3. the bytes are exactly what the recomposition writes: for a unit, its own header
 *     re-encoded and a body of the header's length; for an ISCC-CODE, the header that
 *     `genIsccCodeV0` writes (Version 0; SubType SUM or NONE when there is no Semantic or
 *     Content unit; WIDE with length field 0) and 64 bits per unit (WIDE: 256 bits).
 * Anything else, including input the full path rejects, returns null and takes the full path,
 * so results, errors and messages are unchanged (codec.test.ts checks both paths agree).
 */
function canonicalTuple(iscc: string): IsccTuple | null {
  if (typeof iscc !== 'string') return null;
  const start = iscc.startsWith('ISCC:') ? 5 : 0;
  const len = iscc.length - start;
  const rem = len % 8;
  if (len < 2 || rem === 1 || rem === 3 || rem === 6) return null;
  for (let i = start; i < iscc.length; i++) {
    const c = iscc.charCodeAt(i);
    if (!((c >= 0x41 && c <= 0x5a) || (c >= 0x32 && c <= 0x37))) return null;
  }
  if (!PREFIX_SET.has(iscc.slice(start, start + 2))) return null;
  // Base32, with the unused low bits of the last character required to be zero.
  const bytes = new Uint8Array((len * 5) >> 3);
  let acc = 0;
  let nbits = 0;
  let o = 0;
  for (let i = start; i < iscc.length; i++) {
    acc = ((acc << 5) | B32_REV[iscc.charCodeAt(i)]!) & 0xfff;
    nbits += 5;
    if (nbits >= 8) {
      nbits -= 8;
      bytes[o++] = (acc >> nbits) & 0xff;
    }
  }
  if ((acc & ((1 << nbits) - 1)) !== 0) return null;
  let tuple: IsccTuple;
  let header: Uint8Array;
  try {
    tuple = decodeHeader(bytes);
    const [mt, st, vs, ln, body] = tuple;
    if (mt === MT.ISCC) {
      const units = decodeUnits(ln);
      if (st === ST_ISCC.WIDE) {
        if (body.length !== 32) return null;
        header = encodeHeader(MT.ISCC, ST_ISCC.WIDE, VS.V0, 0);
      } else {
        if (body.length !== (units.length + 2) * 8) return null;
        const hasContent = units.includes(MT.SEMANTIC) || units.includes(MT.CONTENT);
        header = encodeHeader(MT.ISCC, hasContent ? st : units.length === 0 ? ST_ISCC.SUM : ST_ISCC.NONE, VS.V0, ln);
      }
    } else {
      const bits = decodeLength(mt, ln);
      if (body.length * 8 !== bits) return null;
      header = encodeHeader(mt, st, vs, encodeLength(mt, bits));
    }
  } catch {
    return null;
  }
  if (header.length + tuple[4].length !== bytes.length) return null;
  for (let i = 0; i < header.length; i++) if (header[i] !== bytes[i]) return null;
  return tuple;
}

const PREFIX_SET: ReadonlySet<string> = new Set(PREFIXES);

/**
 * Normalize an ISCC to its canonical form `ISCC:<base32>`; a sequence of units is composed
 * into a single ISCC-CODE (WIDE is kept WIDE). Input already in that form is recognised
 * without decomposing and recomposing it (same result; see `canonicalTuple`).
 * @throws IsccError for an invalid prefix or undecodable input
 * @example isccNormalize('GAAW2PRCRS5LNVZV-IAAUVACQKXE3V44W') // 'ISCC:KUAG2PRCRS5LNVZVJKAFAVOJXLZZM'
 */
export function isccNormalize(isccCode: string): string {
  if (canonicalTuple(isccCode)) return isccCode.startsWith('ISCC:') ? isccCode : `ISCC:${isccCode}`;
  const code = normalizeMultiformat(isccCode);
  const prefix = code.toUpperCase().slice(0, 2);
  if (!PREFIXES.includes(prefix)) err(ISCC_ERROR_CODES.INVALID_CODE, `ISCC starts with invalid prefix ${prefix}`);
  const cleaned = isccClean(code);
  const header = decodeHeader(decodeBase32(cleaned));
  const isWide = header[0] === MT.ISCC && header[1] === ST_ISCC.WIDE;
  const decomposed = isccDecompose(code);
  let recomposed: string;
  if (decomposed.length >= 2) recomposed = genIsccCodeV0(decomposed, isWide).iscc;
  else if (decomposed.length === 1) recomposed = decomposed[0]!;
  else return err(ISCC_ERROR_CODES.INVALID_CODE, `isccCode: nothing to normalize in ${describe(isccCode)}`);
  return recomposed.startsWith('ISCC:') ? recomposed : `ISCC:${recomposed}`;
}

/**
 * Decode an ISCC (any accepted form) to `[mt, st, vs, ln, tail]` after normalization.
 * @example isccDecode('ISCC:AAAQCAAAAABAAAAA') // [0, 0, 0, 1, Uint8Array [1,0,0,0,2,0,0,0]]
 */
export function isccDecode(iscc: string): IsccTuple {
  return canonicalTuple(iscc) ?? decodeHeader(decodeBase32(isccClean(isccNormalize(iscc))));
}

/**
 * Human-readable form of an ISCC: `<type-id>-<hex body>`; ISCC-ID v0 with a counter as
 * `<type-id>-<hex64>-<counter>`; ISCC-ID v1 as `ID-REALM_<realm>-V1-64-<µs>-<hub-id>`.
 * @example isccExplain('AAAQCAAAAABAAAAA') // 'META-NONE-V0-64-0100000002000000'
 */
export function isccExplain(iscc: string): string {
  // Decoded once; the type-id's errors are the ones isccTypeId would throw.
  const fields = isccDecode(iscc);
  const tid = typeIdOf(fields[0], fields[1], fields[2], fields[3]);
  const tail = fields[4];
  if (fields[0] === MT.ID) {
    if (fields[2] === VS.V1) {
      let v = 0n;
      for (const b of tail) v = (v << 8n) | BigInt(b);
      return `ID-REALM_${fields[1]}-V1-64-${v >> 12n}-${v & 0xfffn}`;
    }
    const counter = tail.subarray(8);
    if (counter.length) return `${tid}-${toHex(tail.subarray(0, 8))}-${uvarintDecode(counter)}`;
  }
  return `${tid}-${toHex(tail)}`;
}

/**
 * Type-ID of an ISCC header, usable as an index name: `MAINTYPE-SUBTYPE-VERSION-LENGTH`,
 * where LENGTH is the bit length for units and the unit letters + `DI` for ISCC-CODEs.
 * @example isccTypeId('AAAQCAAAAABAAAAA') // 'META-NONE-V0-64'
 */
export function isccTypeId(iscc: string): string {
  const [mt, st, vs, ln] = isccDecode(iscc);
  return typeIdOf(mt, st, vs, ln);
}

/**
 * Type-ids by header fields. Only legal headers get here without throwing (a MainType, a
 * Version with a SubType table, a SubType of it, a length the MainType allows), so the map
 * stays small: a few hundred entries at most.
 */
const TYPE_IDS = new Map<number, string>();

/** The type-id of header fields (see {@link isccTypeId}), memoized: the names are looked up by value. */
function typeIdOf(mt: number, st: number, vs: number, ln: number): string {
  // Every field is a varnibble (< 4680), so the key is exact and below 2^53.
  const key = ((mt * 4680 + vs) * 4680 + st) * 4680 + ln;
  let tid = TYPE_IDS.get(key);
  if (tid === undefined) {
    const mname = mtName(mt);
    const sname = subtypeName(mt, vs, st);
    let length: string;
    if (mt === MT.ISCC) length = decodeUnits(ln).map((t) => mtName(t)[0]).join('') + 'DI';
    else length = String(decodeLength(mt, ln));
    tid = `${mname}-${sname}-${vsName(vs)}-${length}`;
    TYPE_IDS.set(key, tid);
  }
  return tid;
}

/**
 * Validate that a string is a strictly well-formed canonical ISCC (`ISCC:` + base32 upper,
 * known prefix, legal MainType/Version, body length matching the header).
 * @param strict - throw instead of returning false (default true). As in the reference,
 *   header decoding errors after the prefix check throw even when `strict` is false.
 * @example isccValidate('ISCC:AAAQCAAAAABAAAAA') // true
 */
export function isccValidate(iscc: string, strict: boolean = true): boolean {
  assertString('iscc', iscc);
  const fail = (msg: string): false => {
    if (strict) err(ISCC_ERROR_CODES.INVALID_CODE, msg);
    return false;
  };
  if (!CANONICAL_REGEX.test(iscc)) return fail('ISCC string does not match ^ISCC:[A-Z2-7]{10,68}$');
  try {
    decodeBase32(iscc.split(':')[1]!);
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
  const cleaned = isccClean(iscc);
  const prefix = cleaned.slice(0, 2);
  if (!PREFIXES.includes(prefix)) return fail(`Header starts with invalid sequence ${prefix}`);
  const [m, s, v, l, t] = decodeHeader(decodeBase32(cleaned));
  try {
    subtypeEnum(m, v);
  } catch {
    return fail(`Invalid version ${v} for MainType ${mtName(m)}`);
  }
  const expected = decodeLength(m, l, s) / 8;
  if (expected !== t.length) return fail(`Header expects ${expected} but got ${t.length} bytes`);
  return true;
}

/**
 * Validate an ISCC in any supported encoding (canonical or multiformat).
 * @param strict - throw instead of returning false (default true)
 * @example isccValidateMf('vpg0i00b2jtnrtm1c0v6g') // true
 */
export function isccValidateMf(iscc: string, strict: boolean = true): boolean {
  try {
    const normalized = normalizeMultiformat(iscc);
    return isccValidate(`ISCC:${normalized}`, strict);
  } catch (e) {
    if (strict) throw e;
    return false;
  }
}

/**
 * Clean an ISCC string: strip surrounding whitespace, an optional `ISCC:` scheme (any
 * case) and dashes (dashes are kept in a bare multiformat string).
 * @throws IsccError for another scheme, more than one colon, or an empty bare string
 * @example isccClean('ISCC: SOME-CODE') // 'SOMECODE'
 */
export function isccClean(iscc: string): string {
  assertString('iscc', iscc);
  const split = pyStrip(iscc)
    .split(':')
    .map((p) => pyStrip(p));
  if (split.length === 1) {
    const code = split[0]!;
    if (code.length === 0) return err(ISCC_ERROR_CODES.INVALID_CODE, 'iscc: expected an ISCC, got an empty string');
    return MULTIBASE_PREFIXES.includes(code[0]!) ? code : code.replaceAll('-', '');
  }
  if (split.length === 2) {
    const [scheme, code] = split as [string, string];
    if (scheme.toLowerCase() !== 'iscc') err(ISCC_ERROR_CODES.INVALID_CODE, `Invalid scheme: ${scheme}`);
    return code.replaceAll('-', '');
  }
  return err(ISCC_ERROR_CODES.INVALID_CODE, `Malformed ISCC string: ${describe(iscc)}`);
}
