/**
 * The small slice of the ISCC codec the index needs, kept private to this package.
 *
 * Why private: the index stores and compares raw unit bodies and rebuilds strings at high
 * rates (a million units per second), so it works on bytes and 12-bit type ids directly.
 * It follows iscc-core 1.3.0's codec (`decode_header`, `iscc_decompose`, `encode_component`)
 * for the inputs the index accepts: base32 units, ISCC-CODEs and ISCC-IDv1, with an optional
 * `ISCC:` prefix and dashes; multiformat inputs (`f`, `b`, `v`, `z`, `u` prefixes) go through
 * `@iscc-ts/core`'s `normalizeMultiformat`. A test checks it against core's `isccDecompose`.
 *
 * Steps for a string: clean (strip scheme, dashes, whitespace) -> RFC 4648 base32 decode ->
 * read the varnibble header (MainType, SubType, Version, Length) -> cut the body -> repeat
 * for concatenated units; an ISCC-CODE body is split into its 64-bit dynamic units plus Data
 * and Instance (128-bit each for the WIDE subtype).
 */
import { normalizeMultiformat } from '@iscc-ts/core';
import { INDEX_ERROR_CODES, IsccIndexError, describeValue } from './errors.ts';

/** MainTypes used here (iscc-core `MT`). */
export const MT = { META: 0, SEMANTIC: 1, CONTENT: 2, DATA: 3, INSTANCE: 4, ISCC: 5, ID: 6, FLAKE: 7 } as const;
const MT_NAMES = ['META', 'SEMANTIC', 'CONTENT', 'DATA', 'INSTANCE', 'ISCC', 'ID', 'FLAKE'];
const ST_CC_NAMES = ['TEXT', 'IMAGE', 'AUDIO', 'VIDEO', 'MIXED'];
/** ISCC-CODE SubType WIDE: 128-bit Data + 128-bit Instance. */
const ST_ISCC_WIDE = 7;
/** Optional units of an ISCC-CODE by its Length field (iscc-core `UNITS`), sorted. */
const ISCC_UNITS: readonly (readonly number[])[] = [[], [2], [1], [1, 2], [0], [0, 2], [0, 1], [0, 1, 2]];

/** The unit types this index accepts (MainType-SubType-Version), name -> 12-bit type id. */
export const SUPPORTED_UNIT_TYPES: ReadonlyMap<string, number> = new Map([
  ['META-NONE-V0', 0x000],
  ['SEMANTIC-TEXT-V0', 0x100],
  ['SEMANTIC-IMAGE-V0', 0x110],
  ['CONTENT-TEXT-V0', 0x200],
  ['CONTENT-IMAGE-V0', 0x210],
  ['CONTENT-AUDIO-V0', 0x220],
  ['CONTENT-VIDEO-V0', 0x230],
  ['CONTENT-MIXED-V0', 0x240],
  ['DATA-NONE-V0', 0x300],
  ['INSTANCE-NONE-V0', 0x400],
]);
const TYPE_NAME_BY_ID = new Map([...SUPPORTED_UNIT_TYPES].map(([n, id]) => [id, n]));

/** The 12-bit type id of INSTANCE-NONE-V0 (the exact/prefix store). */
export const INSTANCE_TYPE_ID = 0x400;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32_LOOKUP = (() => {
  const t = new Int8Array(128).fill(-1);
  for (let i = 0; i < 32; i++) {
    t[B32.charCodeAt(i)] = i;
    t[B32.toLowerCase().charCodeAt(i)] = i;
  }
  return t;
})();

let slabBuf = new ArrayBuffer(0);
let slabOff = 0;
/**
 * A fresh Uint8Array view carved from a shared 64 KiB block: decoding a million units must not
 * allocate a million ArrayBuffers (each one is costly to create and to collect).
 */
function slab(n: number): Uint8Array {
  if (n > 4096) return new Uint8Array(n);
  if (slabOff + n > slabBuf.byteLength) {
    slabBuf = new ArrayBuffer(65536);
    slabOff = 0;
  }
  const v = new Uint8Array(slabBuf, slabOff, n);
  slabOff += (n + 7) & ~7;
  return v;
}

/** RFC 4648 base32 without padding (what ISCC strings use). */
export function encodeBase32(data: Uint8Array): string {
  let out = '';
  let buf = 0;
  let bits = 0;
  for (let i = 0; i < data.length; i++) {
    buf = ((buf << 8) | data[i]!) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(buf >>> bits) & 31];
    }
  }
  if (bits > 0) out += B32[(buf << (5 - bits)) & 31];
  return out;
}

/** RFC 4648 base32 decoding without padding, case-insensitive; throws on foreign characters. */
export function decodeBase32(code: string, name = 'iscc'): Uint8Array {
  const out = slab(Math.floor((code.length * 5) / 8));
  let buf = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < code.length; i++) {
    const c = code.charCodeAt(i);
    const v = c < 128 ? B32_LOOKUP[c]! : -1;
    if (v < 0) {
      throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: invalid base32 character ${JSON.stringify(code[i])} in ${describeValue(code)}`);
    }
    buf = ((buf << 5) | v) & 0xfff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buf >>> bits) & 0xff;
    }
  }
  return out;
}

/** Strip the `ISCC:` scheme, dashes and surrounding whitespace. */
export function cleanIscc(iscc: unknown, name = 'iscc'): string {
  if (typeof iscc !== 'string') {
    throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: expected an ISCC string, got ${describeValue(iscc)}`);
  }
  // Fast path for the canonical form `ISCC:<base32>` (no dashes, no spaces).
  if (iscc.length > 5 && iscc.startsWith('ISCC:') && iscc.indexOf('-') < 0 && iscc.indexOf(' ') < 0 && iscc.charCodeAt(iscc.length - 1) > 32) {
    return iscc.slice(5);
  }
  let s = iscc.trim();
  const colon = s.indexOf(':');
  if (colon >= 0) {
    if (s.slice(0, colon).trim().toLowerCase() !== 'iscc') {
      throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: expected scheme "ISCC:", got ${describeValue(iscc)}`);
    }
    s = s.slice(colon + 1).trim();
  }
  s = s.replace(/-/g, '');
  if (s.length === 0) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: empty ISCC string`);
  // Multibase prefixes (as iscc-core's normalize_multiformat: the first character decides).
  if ('fbvzu'.includes(s[0]!) && colon < 0) {
    try {
      s = normalizeMultiformat(s).replace(/^ISCC:/, '');
    } catch (e) {
      throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: ${(e as Error).message}`, { cause: e });
    }
  }
  return s;
}

/** A decoded header and where its body starts. */
export interface Header {
  mt: number;
  st: number;
  vs: number;
  ln: number;
  /** Byte offset of the body (headers are padded to whole bytes). */
  bodyOffset: number;
}

/** Read the varnibble header at `offset`; throws INDEX_INVALID_CODE when it is truncated. */
export function readHeader(data: Uint8Array, offset = 0, name = 'iscc'): Header {
  let nib = offset * 2;
  const end = data.length * 2;
  const nibble = (): number => {
    if (nib >= end) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: truncated ISCC header`);
    const b = data[nib >> 1]!;
    const v = nib & 1 ? b & 15 : b >> 4;
    nib++;
    return v;
  };
  const values: number[] = [];
  for (let i = 0; i < 4; i++) {
    const n0 = nibble();
    if ((n0 & 8) === 0) values.push(n0);
    else if ((n0 & 4) === 0) values.push((((n0 & 3) << 4) | nibble()) + 8);
    else if ((n0 & 2) === 0) values.push((((n0 & 1) << 8) | (nibble() << 4) | nibble()) + 72);
    else if ((n0 & 1) === 0) values.push(((nibble() << 8) | (nibble() << 4) | nibble()) + 584);
    else throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: invalid varnibble prefix 1111 in header`);
  }
  // An odd number of nibbles is padded with a zero nibble.
  if (nib & 1) nib++;
  return { mt: values[0]!, st: values[1]!, vs: values[2]!, ln: values[3]!, bodyOffset: nib >> 1 };
}

/** Encode a header for small values (all the index writes: every field < 8). */
export function writeHeader(mt: number, st: number, vs: number, ln: number): Uint8Array {
  const nibbles: number[] = [];
  for (const v of [mt, st, vs, ln]) {
    if (v < 8) nibbles.push(v);
    else if (v < 72) {
      const x = v - 8;
      nibbles.push(8 | (x >> 4), x & 15);
    } else throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `header value ${v} too large`);
  }
  if (nibbles.length & 1) nibbles.push(0);
  const out = new Uint8Array(nibbles.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = (nibbles[2 * i]! << 4) | nibbles[2 * i + 1]!;
  return out;
}

/** One decoded ISCC-UNIT. */
export interface Unit {
  /** 12-bit type id: MainType << 8 | SubType << 4 | Version. */
  typeId: number;
  /** Length of the body in bits (multiple of 32). */
  bits: number;
  /** The body (bits / 8 bytes). */
  body: Uint8Array;
  /** Header + body as decoded (when the unit came as a unit string; saves re-encoding). */
  raw?: Uint8Array;
}

/** Name of a 12-bit type id, e.g. `CONTENT-TEXT-V0` (also for types the index refuses). */
export function unitTypeName(typeId: number): string {
  const known = TYPE_NAME_BY_ID.get(typeId);
  if (known) return known;
  const mt = typeId >> 8;
  const st = (typeId >> 4) & 15;
  const vs = typeId & 15;
  const mtName = MT_NAMES[mt] ?? `MT${mt}`;
  const stName = mt === MT.SEMANTIC || mt === MT.CONTENT ? (ST_CC_NAMES[st] ?? `ST${st}`) : st === 0 ? 'NONE' : `ST${st}`;
  return `${mtName}-${stName}-V${vs}`;
}

function unitFrom(mt: number, st: number, vs: number, body: Uint8Array): Unit {
  return { typeId: (mt << 8) | (st << 4) | vs, bits: body.length * 8, body };
}

/**
 * Decompose an ISCC-CODE, a single unit, or a concatenation of units into units (iscc-core
 * `iscc_decompose` semantics, on bytes). Throws INDEX_INVALID_CODE on malformed input.
 */
export function decomposeIscc(iscc: unknown, name = 'iscc'): Unit[] {
  return decomposeBytes(decodeIscc(iscc, name), iscc, name);
}

/** The bytes of an ISCC string (scheme, dashes and whitespace removed, base32 decoded). */
export function decodeIscc(iscc: unknown, name = 'iscc'): Uint8Array {
  return decodeBase32(cleanIscc(iscc, name), name);
}

/** {@link decomposeIscc} of bytes already decoded from the string `iscc` (for messages). */
export function decomposeBytes(raw: Uint8Array, iscc: unknown, name = 'iscc'): Unit[] {
  // Fast path: one unit with a 2-byte header (every field < 8), the common case.
  const b0 = raw[0]!;
  const b1 = raw[1]!;
  if (raw.length >= 10 && ((b0 | b1) & 0x88) === 0) {
    const mt = b0 >> 4;
    if (mt !== MT.ISCC && mt !== MT.ID && raw.length === 2 + ((b1 & 7) + 1) * 4) {
      return [{ typeId: (mt << 8) | ((b0 & 15) << 4) | (b1 >> 4), bits: (raw.length - 2) * 8, body: raw.subarray(2), raw }];
    }
  }
  const units: Unit[] = [];
  let pos = 0;
  while (pos < raw.length) {
    const h = readHeader(raw, pos, name);
    const body = raw.subarray(h.bodyOffset);
    if (h.mt === MT.ISCC) {
      const wide = h.st === ST_ISCC_WIDE;
      const dyn = ISCC_UNITS[h.ln];
      if (!dyn) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: invalid ISCC-CODE length field ${h.ln}`);
      const need = wide ? 32 : dyn.length * 8 + 16;
      if (body.length < need) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: ISCC-CODE body has ${body.length} bytes, expected ${need}`);
      if (wide) {
        units.push(unitFrom(MT.DATA, 0, h.vs, body.slice(0, 16)), unitFrom(MT.INSTANCE, 0, h.vs, body.slice(16, 32)));
      } else {
        dyn.forEach((mt, i) => units.push(unitFrom(mt, mt === MT.META ? 0 : h.st, h.vs, body.slice(i * 8, i * 8 + 8))));
        const d = dyn.length * 8;
        units.push(unitFrom(MT.DATA, 0, h.vs, body.slice(d, d + 8)), unitFrom(MT.INSTANCE, 0, h.vs, body.slice(d + 8, d + 16)));
      }
      pos = h.bodyOffset + need;
      // Like iscc-core, an ISCC-CODE ends the sequence.
      break;
    }
    if (h.mt === MT.ID) {
      throw new IsccIndexError(INDEX_ERROR_CODES.UNSUPPORTED_UNIT_TYPE, `${name}: an ISCC-ID is not an indexable unit (${describeValue(iscc)})`);
    }
    const bits = (h.ln + 1) * 32;
    const nbytes = bits / 8;
    if (body.length < nbytes) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: unit body has ${body.length} bytes, header says ${nbytes}`);
    // Views, not copies: `raw` was decoded for this call alone.
    const u = unitFrom(h.mt, h.st, h.vs, body.subarray(0, nbytes));
    if (h.ln < 8 && h.mt < 8 && h.st < 8 && h.vs < 8) u.raw = raw.subarray(pos, h.bodyOffset + nbytes);
    units.push(u);
    pos = h.bodyOffset + nbytes;
  }
  if (units.length === 0) throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_CODE, `${name}: no units in ${describeValue(iscc)}`);
  return units;
}

/** Encode a unit as `ISCC:<base32>` (header with the length field for `bits`). */
export function encodeUnit(u: Unit): string {
  const mt = u.typeId >> 8;
  const h = writeHeader(mt, (u.typeId >> 4) & 15, u.typeId & 15, u.bits / 32 - 1);
  const all = new Uint8Array(h.length + u.body.length);
  all.set(h);
  all.set(u.body, h.length);
  return 'ISCC:' + encodeBase32(all);
}

/** Raw bytes (header + body) of a unit, the stored form. */
export function unitBytes(u: Unit): Uint8Array {
  const h = writeHeader(u.typeId >> 8, (u.typeId >> 4) & 15, u.typeId & 15, u.bits / 32 - 1);
  const all = new Uint8Array(h.length + u.body.length);
  all.set(h);
  all.set(u.body, h.length);
  return all;
}

/** Parse concatenated raw unit bytes (the stored form) back into units. */
export function parseUnitBytes(raw: Uint8Array): Unit[] {
  const units: Unit[] = [];
  let pos = 0;
  while (pos < raw.length) {
    const h = readHeader(raw, pos, 'stored unit');
    const nbytes = (h.ln + 1) * 4;
    units.push(unitFrom(h.mt, h.st, h.vs, raw.slice(h.bodyOffset, h.bodyOffset + nbytes)));
    pos = h.bodyOffset + nbytes;
  }
  return units;
}

/** Header bytes of an ISCC-IDv1 of `realm` with a 64-bit body: MT.ID, realm, V1, length 0. */
function idHeader(realm: number): [number, number] {
  return [(MT.ID << 4) | realm, 0x10];
}

/** Encode a 64-bit key as `ISCC:<ISCC-IDv1>` of `realm` (0 or 1). */
const ID_SCRATCH = new Uint8Array(10);
const ID_VIEW = new DataView(ID_SCRATCH.buffer);
export function encodeIsccId(key: bigint, realm: number): string {
  const [h0, h1] = idHeader(realm);
  ID_SCRATCH[0] = h0;
  ID_SCRATCH[1] = h1;
  ID_VIEW.setBigUint64(2, BigInt.asUintN(64, key));
  return 'ISCC:' + encodeBase32(ID_SCRATCH);
}

/** Decode an ISCC-IDv1 string to its 64-bit key; throws INDEX_INVALID_ISCC_ID (wrong realm too). */
export function decodeIsccId(iscc: unknown, realm: number, name = 'iscc_id'): bigint {
  let raw: Uint8Array;
  try {
    raw = decodeBase32(cleanIscc(iscc, name), name);
  } catch (e) {
    throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ISCC_ID, (e as Error).message);
  }
  if (raw.length !== 10) {
    throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ISCC_ID, `${name}: expected an ISCC-IDv1 (2-byte header + 64-bit body), got ${describeValue(iscc)}`);
  }
  const h = readHeader(raw, 0, name);
  if (h.mt !== MT.ID || h.vs !== 1 || h.ln !== 0 || h.bodyOffset !== 2) {
    throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ISCC_ID, `${name}: expected an ISCC-IDv1 (MainType ID, version 1), got ${describeValue(iscc)}`);
  }
  if (h.st !== realm) {
    throw new IsccIndexError(INDEX_ERROR_CODES.INVALID_ISCC_ID, `${name}: ISCC-ID of realm ${h.st} given to an index of realm ${realm}: ${describeValue(iscc)}`);
  }
  return new DataView(raw.buffer, raw.byteOffset).getBigUint64(2);
}
