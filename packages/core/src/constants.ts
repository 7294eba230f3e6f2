/**
 * ISCC header constants (ISO 24138:2024 §6, iscc-core `constants.py`).
 *
 * An ISCC header is four varnibble-encoded fields: MainType, SubType, Version, Length.
 * The Python reference models each field as an `IntEnum`; here each is an `as const`
 * object (so `MT.META === 0`) with a union type of its values, plus a reverse name table
 * because the reference prints enum *names* in `iscc_type_id`, `iscc_explain` and the
 * comparison keys (`"META-NONE-V0-64"`, `"content_dist"`, `"CONTENT_TEXT_V0"`).
 *
 * The SubType table depends on (MainType, Version): {@link SUBTYPE_MAP} mirrors the
 * reference's dict, and {@link subtypeName} resolves a SubType value to its name exactly as
 * `SUBTYPE_MAP[(mt, vs)](st).name` does (throwing where Python raises).
 */
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

/** MainTypes (4-bit header field). META 0000 ... FLAKE 0111. */
export const MT = {
  /** 0000: match on metadata similarity. */
  META: 0,
  /** 0001: match on semantic content similarity. */
  SEMANTIC: 1,
  /** 0010: match on perceptual content similarity. */
  CONTENT: 2,
  /** 0011: match on data similarity. */
  DATA: 3,
  /** 0100: match on data identity. */
  INSTANCE: 4,
  /** 0101: composite of two or more ISCC-UNITs with a common header (ISCC-CODE). */
  ISCC: 5,
  /** 0110: ISCC-ID. */
  ID: 6,
  /** 0111: Flake-Code (time-sortable unique identifier). */
  FLAKE: 7,
} as const;
/** A MainType value. */
export type MT = (typeof MT)[keyof typeof MT];

/** SubTypes for MainTypes without subtypes (META, DATA, INSTANCE, FLAKE). */
export const ST = {
  /** 0000 */
  NONE: 0,
} as const;
/** A value of {@link ST}. */
export type ST = (typeof ST)[keyof typeof ST];

/** SubTypes for MT.CONTENT and MT.SEMANTIC. */
export const ST_CC = {
  /** 0000: syntactic text similarity. */
  TEXT: 0,
  /** 0001: perceptual image similarity. */
  IMAGE: 1,
  /** 0010: audio chroma similarity. */
  AUDIO: 2,
  /** 0011: perceptual video similarity. */
  VIDEO: 3,
  /** 0100: similarity of content codes. */
  MIXED: 4,
} as const;
/** A value of {@link ST_CC}. */
export type ST_CC = (typeof ST_CC)[keyof typeof ST_CC];

/** SubTypes for MT.ISCC (ISCC-CODE). */
export const ST_ISCC = {
  TEXT: 0,
  IMAGE: 1,
  AUDIO: 2,
  VIDEO: 3,
  MIXED: 4,
  /** 0101: only Data- and Instance-Code. */
  SUM: 5,
  /** 0110: Meta, Data and Instance-Code (no content). */
  NONE: 6,
  /** 0111: 128-bit Data- and Instance-Code (iscc-core 1.2, not in ISO 24138:2024). */
  WIDE: 7,
} as const;
/** A value of {@link ST_ISCC}. */
export type ST_ISCC = (typeof ST_ISCC)[keyof typeof ST_ISCC];

/** SubTypes for MT.ID with version V0 (legacy chain IDs). */
export const ST_ID = {
  PRIVATE: 0,
  BITCOIN: 1,
  ETHEREUM: 2,
  POLYGON: 3,
} as const;
/** A value of {@link ST_ID}. */
export type ST_ID = (typeof ST_ID)[keyof typeof ST_ID];

/** SubTypes for MT.ID with version V1 (HUB network realms). */
export const ST_ID_REALM = {
  /** Test HUB network. */
  REALM_0: 0,
  /** First operational realm. */
  REALM_1: 1,
} as const;
/** A value of {@link ST_ID_REALM}. */
export type ST_ID_REALM = (typeof ST_ID_REALM)[keyof typeof ST_ID_REALM];

/** Versions. */
export const VS = {
  V0: 0,
  V1: 1,
} as const;
/** A value of {@link VS}. */
export type VS = (typeof VS)[keyof typeof VS];

/** Valid digest lengths in bits (the reference's `LN` enum). */
export const LN = {
  L32: 32,
  L64: 64,
  L72: 72,
  L80: 80,
  L96: 96,
  L128: 128,
  L160: 160,
  L192: 192,
  L224: 224,
  L256: 256,
  L320: 320,
} as const;
/** A value of {@link LN}. */
export type LN = (typeof LN)[keyof typeof LN];

/** Supported multibase prefixes. */
export const MULTIBASE = {
  base16: 'f',
  base32: 'b',
  base32hex: 'v',
  base58btc: 'z',
  base64url: 'u',
} as const;
/** A value of {@link MULTIBASE}. */
export type MULTIBASE = (typeof MULTIBASE)[keyof typeof MULTIBASE];

/**
 * The eight legal combinations of optional units in an ISCC-CODE; the index is the header's
 * length field (MT.ISCC) and each tuple is already sorted by MainType.
 */
export const UNITS: readonly (readonly MT[])[] = Object.freeze([
  Object.freeze([]),
  Object.freeze([MT.CONTENT]),
  Object.freeze([MT.SEMANTIC]),
  Object.freeze([MT.SEMANTIC, MT.CONTENT]),
  Object.freeze([MT.META]),
  Object.freeze([MT.META, MT.CONTENT]),
  Object.freeze([MT.META, MT.SEMANTIC]),
  Object.freeze([MT.META, MT.SEMANTIC, MT.CONTENT]),
] as (readonly MT[])[]);

/** Name tables of the SubType enums, keyed by the reference's enum class name. */
export type SubtypeEnum = typeof ST | typeof ST_CC | typeof ST_ISCC | typeof ST_ID | typeof ST_ID_REALM;

/**
 * SubType table for each legal (MainType, Version) pair, keyed `"<mt>,<vs>"` (a JS object
 * cannot key on tuples). A pair that is absent is an invalid MainType/Version combination.
 */
export const SUBTYPE_MAP: Readonly<Record<string, SubtypeEnum>> = Object.freeze({
  '0,0': ST,
  '1,0': ST_CC,
  '2,0': ST_CC,
  '3,0': ST,
  '4,0': ST,
  '5,0': ST_ISCC,
  '6,0': ST_ID,
  '6,1': ST_ID_REALM,
  '7,0': ST,
});

/** Multicodec prefix of the ISCC (0xCC01 as unsigned varint bytes). */
export const MC_PREFIX: Uint8Array = new Uint8Array([0xcc, 0x01]);

/** Valid 2-character ISCC prefixes (MA and ME are ambiguous between ID V0 and V1). */
export const PREFIXES: readonly string[] = Object.freeze([
  'AA', // META-NONE
  'CA', // SEMANTIC-TEXT
  'CE', // SEMANTIC-IMAGE
  'CI', // SEMANTIC-AUDIO
  'CM', // SEMANTIC-VIDEO
  'CQ', // SEMANTIC-MIXED
  'EA', // CONTENT-TEXT
  'EE', // CONTENT-IMAGE
  'EI', // CONTENT-AUDIO
  'EM', // CONTENT-VIDEO
  'EQ', // CONTENT-MIXED
  'GA', // DATA-NONE
  'IA', // INSTANCE-NONE
  'KA', // ISCC-TEXT
  'KE', // ISCC-IMAGE
  'KI', // ISCC-AUDIO
  'KM', // ISCC-VIDEO
  'KQ', // ISCC-MIXED
  'KU', // ISCC-SUM
  'KY', // ISCC-NONE
  'K4', // ISCC-WIDE
  'MA', // ID-PRIVATE-V0 / ID-REALM_0-V1
  'ME', // ID-BITCOIN-V0 / ID-REALM_1-V1
  'MI', // ID-ETHEREUM-V0
  'MM', // ID-POLYGON-V0
  'OA', // FLAKE-NONE
]);

/** Canonical ISCC string form. */
export const CANONICAL_REGEX: RegExp = /^ISCC:[A-Z2-7]{10,68}$/;

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const B32HEX = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

function translate(s: string, from: string, to: string): string {
  let out = '';
  for (const ch of s) {
    const i = from.indexOf(ch);
    out += i < 0 ? ch : to[i]!;
  }
  return out;
}

/**
 * Translate base32 characters to base32hex characters (Python `str.translate(b32_to_hex)`);
 * other characters pass through unchanged.
 * @example b32ToHex('AB7') // '01V'
 */
export function b32ToHex(s: string): string {
  return translate(s, B32, B32HEX);
}

/**
 * Translate base32hex characters to base32 characters (Python `str.translate(hex_to_b32)`);
 * other characters pass through unchanged.
 * @example hexToB32('01V') // 'AB7'
 */
export function hexToB32(s: string): string {
  return translate(s, B32HEX, B32);
}

function nameOf(table: Readonly<Record<string, number>>, value: number, enumName: string): string {
  for (const [k, v] of Object.entries(table)) if (v === value) return k;
  throw new IsccError(ISCC_ERROR_CODES.INVALID_HEADER, `${value} is not a valid ${enumName}`);
}

const ENUM_NAMES = new Map<SubtypeEnum, string>([
  [ST, 'ST'],
  [ST_CC, 'ST_CC'],
  [ST_ISCC, 'ST_ISCC'],
  [ST_ID, 'ST_ID'],
  [ST_ID_REALM, 'ST_ID_REALM'],
]);

/**
 * Name of a MainType value (`MT(v).name`).
 * @throws IsccError ISCC_INVALID_HEADER when `v` is not a MainType
 * @example mtName(2) // 'CONTENT'
 */
export function mtName(v: number): string {
  return nameOf(MT, v, 'MT');
}

/**
 * Name of a Version value (`VS(v).name`).
 * @throws IsccError ISCC_INVALID_HEADER when `v` is not a Version
 * @example vsName(1) // 'V1'
 */
export function vsName(v: number): string {
  return nameOf(VS, v, 'VS');
}

/**
 * The SubType table for a (MainType, Version) pair (`SUBTYPE_MAP[(mt, vs)]`).
 * @throws IsccError ISCC_INVALID_HEADER when the pair is not a legal combination
 * @example subtypeEnum(2, 0) === ST_CC // true
 */
export function subtypeEnum(mt: number, vs: number): SubtypeEnum {
  const e = SUBTYPE_MAP[`${mt},${vs}`];
  if (e === undefined) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_HEADER, `No SubType table for MainType ${mt} with Version ${vs}`);
  }
  return e;
}

/**
 * Name of a SubType value given its MainType and Version (`SUBTYPE_MAP[(mt, vs)](st).name`).
 * @throws IsccError ISCC_INVALID_HEADER for an illegal (mt, vs) pair or an unknown subtype
 * @example subtypeName(6, 1, 0) // 'REALM_0'
 */
export function subtypeName(mt: number, vs: number, st: number): string {
  const e = subtypeEnum(mt, vs);
  return nameOf(e, st, ENUM_NAMES.get(e)!);
}

/** Whether `v` is one of the {@link LN} values. */
export function isLN(v: number): v is LN {
  return Object.values(LN).includes(v as LN);
}
