/**
 * `Code` and `Flake`: convenience objects over the codec (iscc-core `models.py`).
 *
 * A `Code` holds the header fields `[mt, st, vs, ln]` and the body bits of one ISCC
 * (unit or composite) and exposes every representation the reference does: base32,
 * `ISCC:` URI, bytes/hex/base32hex/uint, the body as bytes/hex/base32/bits/ints/uint, the
 * decoded header fields, and the multiformat forms (multicodec 0xCC01 + multibase f/b/v/z/u).
 * Properties are camelCase getters with the reference's snake_case names as aliases.
 * Python's `a ^ b` (Hamming distance of the bodies) is {@link Code.xor} / {@link Code.distance}
 * and `==` is {@link Code.equals}.
 *
 * `Flake` wraps a Flake digest (48-bit milliseconds + counter) with its integer, base32hex
 * string, ISCC and ISO-time forms; it orders by time.
 */
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { coreOpts } from './options.ts';
import { LN, MT, ST, ST_CC, ST_ID, ST_ISCC, VS, mtName, subtypeName, vsName } from './constants.ts';
import type { ST_ID_REALM } from './constants.ts';
import {
  decodeBase32,
  decodeBase32hex,
  decodeHeader,
  decodeLength,
  encodeBase32,
  encodeBase32hex,
  encodeBase64,
  encodeComponent,
  encodeHeader,
  encodeLength,
  encodeUnits,
  isccClean,
  isccExplain,
  isccTypeId,
} from './codec.ts';
import type { IsccTuple } from './codec.ts';
import { concatBytes, encodeBase58, toHex } from './_pyutil.ts';
import { uidFlakeV0 } from './code-flake.ts';
import { PyRandom } from './_pyrandom.ts';

/** Anything {@link Code} accepts: an ISCC string, ISCC bytes, a decoded tuple or a Code. */
export type IsccAny = string | Uint8Array | IsccTuple | Code;

function popcount8(x: number): number {
  x = x - ((x >> 1) & 0x55);
  x = (x & 0x33) + ((x >> 2) & 0x33);
  return (x + (x >> 4)) & 0x0f;
}

function isTuple(v: unknown): v is IsccTuple {
  return (
    Array.isArray(v) &&
    v.length === 5 &&
    v.slice(0, 4).every((x) => typeof x === 'number' && Number.isInteger(x)) &&
    v[4] instanceof Uint8Array
  );
}

function bytesToBigint(b: Uint8Array): bigint {
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/** Convenience class for the representations of one ISCC (iscc-core `Code`). */
export class Code {
  readonly #head: readonly [number, number, number, number];
  readonly #body: Uint8Array;

  /**
   * @param code - ISCC string (cleaned: `ISCC:` prefix and dashes allowed; not multiformat),
   *   ISCC bytes, a `[mt, st, vs, ln, body]` tuple, or another Code
   * @throws IsccError for other types or undecodable input
   * @example new Code('ISCC:AAAWN77F727NXSUS').typeId // 'META-NONE-V0-64'
   */
  constructor(code: IsccAny) {
    let fields: IsccTuple | undefined;
    if (code instanceof Code) fields = [...code.#head, code.hashBytes];
    else if (typeof code === 'string') fields = decodeHeader(decodeBase32(isccClean(code)));
    else if (code instanceof Uint8Array) fields = decodeHeader(code);
    else if (isTuple(code)) fields = code;
    else typeError('code', 'str, bytes, tuple or Code', code);
    if (fields === undefined) throw new IsccError(ISCC_ERROR_CODES.INVALID_TYPE, 'code: unsupported type');
    this.#head = Object.freeze([fields[0], fields[1], fields[2], fields[3]] as const);
    this.#body = fields[4].slice();
  }

  /** `Code("<base32>")`, the reference's `repr`. */
  repr(): string {
    return `Code("${this.code}")`;
  }

  /** The base32 code (Python `str(code)`). */
  toString(): string {
    return this.code;
  }

  /** Iterates `mt, st, vs, ln, hashBytes` (Python `tuple(code)`). */
  *[Symbol.iterator](): IterableIterator<number | Uint8Array> {
    yield* this.#head;
    yield this.hashBytes;
  }

  /** Standard base32 representation (header + body). */
  get code(): string {
    return encodeBase32(this.bytes);
  }
  /** `ISCC:` + upper-case base32. */
  get uri(): string {
    return `ISCC:${this.code.toUpperCase()}`;
  }
  /** Raw bytes (header + body). */
  get bytes(): Uint8Array {
    return concatBytes(this.headerBytes, this.#body);
  }
  /** Hex of the raw bytes. */
  get hex(): string {
    return toHex(this.bytes);
  }
  /** Base32hex of the raw bytes. */
  get base32hex(): string {
    return encodeBase32hex(this.bytes);
  }
  /** Unsigned integer of the raw bytes. */
  get uint(): bigint {
    return bytesToBigint(this.bytes);
  }
  /** Type-ID (`MAINTYPE-SUBTYPE-VERSION-LENGTH`), see isccTypeId. */
  get typeId(): string {
    return isccTypeId(this.code);
  }
  /** Human-readable form, see isccExplain. */
  get explain(): string {
    return isccExplain(this.code);
  }
  /** Body bytes (without header). */
  get hashBytes(): Uint8Array {
    return this.#body.slice();
  }
  /** Hex of the body. */
  get hashHex(): string {
    return toHex(this.#body);
  }
  /** Base32 of the body. */
  get hashBase32(): string {
    return encodeBase32(this.#body);
  }
  /** Base32hex of the body. */
  get hashBase32hex(): string {
    return encodeBase32hex(this.#body);
  }
  /** Body bits as a '0'/'1' string. */
  get hashBits(): string {
    let s = '';
    for (const b of this.#body) s += b.toString(2).padStart(8, '0');
    return s;
  }
  /** Body bits as a list of 0/1. */
  get hashInts(): number[] {
    return Array.from(this.hashBits, (c) => (c === '1' ? 1 : 0));
  }
  /**
   * Body as an unsigned integer.
   * @throws IsccError for an empty body (bitarray's `ba2int` rejects empty input)
   */
  get hashUint(): bigint {
    if (this.#body.length === 0) throw new IsccError(ISCC_ERROR_CODES.INVALID_CODE, 'non-empty bitarray expected');
    return bytesToBigint(this.#body);
  }
  /** Body bits as a frozen list of 0/1 (the reference returns a `frozenbitarray`). */
  get hashBa(): readonly number[] {
    return Object.freeze(this.hashInts);
  }
  /** Header bytes, re-encoded from the header fields. */
  get headerBytes(): Uint8Array {
    return encodeHeader(this.#head[0], this.#head[1], this.#head[2], this.#head[3]);
  }
  /** MainType (throws when not a known MainType, like `MT(x)`). */
  get maintype(): MT {
    mtName(this.#head[0]);
    return this.#head[0] as MT;
  }
  /** SubType (validated against the table for this MainType and Version). */
  get subtype(): ST | ST_CC | ST_ISCC | ST_ID | ST_ID_REALM {
    subtypeName(this.#head[0], this.#head[2], this.#head[1]);
    return this.#head[1] as ST | ST_CC | ST_ISCC | ST_ID;
  }
  /** Version (throws when not a known Version). */
  get version(): VS {
    vsName(this.#head[2]);
    return this.#head[2] as VS;
  }
  /** Body length in bits, as the header declares it. */
  get length(): LN {
    if (this.#head[0] === MT.ISCC) return decodeLength(this.#head[0], this.#head[3], this.#head[1]);
    return decodeLength(this.#head[0], this.#head[3]);
  }
  /** Multicodec bytes: 0xCC01 + header + body. */
  get mcBytes(): Uint8Array {
    return concatBytes(new Uint8Array([0xcc, 0x01]), this.bytes); // MC_PREFIX
  }
  /** Multiformat base16 (`f` + hex). */
  get mfBase16(): string {
    return 'f' + toHex(this.mcBytes);
  }
  /** Multiformat base32 (`b` + lower-case base32). */
  get mfBase32(): string {
    return 'b' + encodeBase32(this.mcBytes).toLowerCase();
  }
  /** Multiformat base32hex (`v` + lower-case base32hex). */
  get mfBase32hex(): string {
    return 'v' + encodeBase32hex(this.mcBytes).toLowerCase();
  }
  /** Multiformat base58btc (`z` + base58). */
  get mfBase58btc(): string {
    return 'z' + encodeBase58(this.mcBytes);
  }
  /** Multiformat base64url (`u` + base64url, no padding). */
  get mfBase64url(): string {
    return 'u' + encodeBase64(this.mcBytes);
  }

  // snake_case aliases (the reference's property names)
  /** Alias of {@link Code.typeId}. */
  get type_id(): string {
    return this.typeId;
  }
  /** Alias of {@link Code.hashBytes}. */
  get hash_bytes(): Uint8Array {
    return this.hashBytes;
  }
  /** Alias of {@link Code.hashHex}. */
  get hash_hex(): string {
    return this.hashHex;
  }
  /** Alias of {@link Code.hashBase32}. */
  get hash_base32(): string {
    return this.hashBase32;
  }
  /** Alias of {@link Code.hashBase32hex}. */
  get hash_base32hex(): string {
    return this.hashBase32hex;
  }
  /** Alias of {@link Code.hashBits}. */
  get hash_bits(): string {
    return this.hashBits;
  }
  /** Alias of {@link Code.hashInts}. */
  get hash_ints(): number[] {
    return this.hashInts;
  }
  /** Alias of {@link Code.hashUint}. */
  get hash_uint(): bigint {
    return this.hashUint;
  }
  /** Alias of {@link Code.hashBa}. */
  get hash_ba(): readonly number[] {
    return this.hashBa;
  }
  /** Alias of {@link Code.headerBytes}. */
  get header_bytes(): Uint8Array {
    return this.headerBytes;
  }
  /** Alias of {@link Code.mcBytes}. */
  get mc_bytes(): Uint8Array {
    return this.mcBytes;
  }
  /** Alias of {@link Code.mfBase16}. */
  get mf_base16(): string {
    return this.mfBase16;
  }
  /** Alias of {@link Code.mfBase32}. */
  get mf_base32(): string {
    return this.mfBase32;
  }
  /** Alias of {@link Code.mfBase32hex}. */
  get mf_base32hex(): string {
    return this.mfBase32hex;
  }
  /** Alias of {@link Code.mfBase58btc}. */
  get mf_base58btc(): string {
    return this.mfBase58btc;
  }
  /** Alias of {@link Code.mfBase64url}. */
  get mf_base64url(): string {
    return this.mfBase64url;
  }

  /**
   * Hamming distance of the bodies (Python `a ^ b`).
   * @throws IsccError when the bodies differ in length (bitarray `count_xor` does too)
   * @example Code.rnd(MT.META).xor(Code.rnd(MT.META)) // 0..64
   */
  xor(other: Code): number {
    if (!(other instanceof Code)) typeError('other', 'a Code', other);
    const a = this.#body;
    const b = other.#body;
    if (a.length !== b.length) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `bitarrays of equal length expected: ${a.length * 8} vs ${b.length * 8} bits`);
    }
    let d = 0;
    for (let i = 0; i < a.length; i++) d += popcount8(a[i]! ^ b[i]!);
    return d;
  }

  /** Alias of {@link Code.xor}: Hamming distance of the bodies. */
  distance(other: Code): number {
    return this.xor(other);
  }

  /** Equality by base32 code (Python `==`). */
  equals(other: Code): boolean {
    if (!(other instanceof Code)) typeError('other', 'a Code', other);
    return this.code === other.code;
  }

  /**
   * The generator behind {@link Code.rnd}: a CPython-compatible `random.Random(0)`, shared by
   * the class like the reference's `Code.rgen` (so results depend on earlier calls).
   * Not cryptographic: random codes are for tests and examples.
   */
  static rgen: PyRandom = new PyRandom(0);

  /**
   * Reset {@link Code.rgen} (the reference's `Code.rgen = random.Random(seed)`).
   * @example Code.seed(0); Code.rnd(MT.ISCC, null, 256).explain // same as the reference
   */
  static seed(seed: number | bigint = 0): void {
    Code.rgen = new PyRandom(seed);
  }

  /**
   * A syntactically correct random code, drawn exactly as the reference draws from its
   * `random.Random` (after `Code.seed(0)` the sequence equals iscc-core's).
   * @param mt - MainType (random when omitted; like the reference, a random MT.ISCC with
   *   `bits` 64 throws)
   * @param st - SubType (random when omitted); for MT.ISCC only ST_ISCC.WIDE may be given
   * @param bits - body bits (default 64); for MT.ISCC 128, 192, 256 or 320
   * @param data - body bytes (random when omitted)
   * @throws IsccError for an unsupported combination
   * @example Code.rnd(MT.CONTENT, ST_CC.TEXT, 256).typeId // 'CONTENT-TEXT-V0-256'
   */
  static rnd(mt?: number | null, st?: number | null, bits: number = 64, data?: Uint8Array | null): Code {
    const rg = Code.rgen;
    const mtv: number = mt ?? rg.choice(Object.values(MT));
    let stv: number;
    let units: readonly number[] = [];
    if (st === undefined || st === null) {
      if (mtv === MT.CONTENT) stv = rg.choice(Object.values(ST_CC));
      else if (mtv === MT.ISCC) {
        if (bits === 320) units = [MT.META, MT.SEMANTIC, MT.CONTENT];
        else if (bits === 256) units = [MT.META, rg.choice([MT.CONTENT, MT.SEMANTIC])];
        else if (bits === 192) units = [rg.choice([MT.META, MT.SEMANTIC, MT.CONTENT])];
        else if (bits === 128) units = [];
        else throw new IsccError(ISCC_ERROR_CODES.INVALID_BITS, `Unsupported bit length ${bits} for random ISCC-CODE.`);
        stv = bits === 128 ? ST_ISCC.SUM : rg.choice([0, 1, 2, 3, 4]);
      } else if (mtv === MT.ID) stv = rg.choice(Object.values(ST_ID));
      else stv = rg.choice(Object.values(ST));
    } else {
      stv = st;
      if (mtv === MT.ISCC) {
        if (st === ST_ISCC.WIDE) {
          units = [];
          bits = 256;
        } else {
          throw new IsccError(
            ISCC_ERROR_CODES.INVALID_ARGUMENT,
            'Custom subtype selection not supported for MT.ISCC except ST_ISCC.WIDE',
          );
        }
      }
    }
    const lnBits = bits || rg.choice(Object.values(LN));
    const lnCode = mtv === MT.ISCC ? encodeUnits(units) : encodeLength(mtv, bits);
    let body = data;
    if (body === undefined || body === null) {
      // getrandbits(ln_bits).to_bytes(ln_bits // 8, 'big')
      let v = rg.getrandbits(lnBits);
      body = new Uint8Array(Math.floor(lnBits / 8));
      for (let i = body.length - 1; i >= 0; i--) {
        body[i] = Number(v & 0xffn);
        v >>= 8n;
      }
    }
    return new Code([mtv, stv, VS.V0, lnCode, body]);
  }
}

/**
 * Set while {@link Flake.fromInt} / {@link Flake.fromString} construct: their digest is given,
 * so the constructor must not draw a new flake (which would advance the per-millisecond
 * counter and, like the reference's `cls()`, could even overflow it in a tight loop).
 */
let restoring = false;

/** Unique, lexicographically k-sortable identifier (iscc-core `Flake`). */
export class Flake {
  #flake: Uint8Array;
  #bits: number;

  /**
   * @param ts - UNIX time in seconds (default now)
   * @param bits - 64..256 in steps of 32 (default `coreOpts.flake_bits`)
   * @example new Flake().iscc // 'ISCC:OAA...'
   */
  constructor(ts?: number | null, bits: number = coreOpts.flake_bits) {
    this.#flake = restoring ? new Uint8Array(8) : uidFlakeV0(ts, bits);
    this.#bits = restoring ? 64 : bits;
  }

  /** A Flake holding a given 64-bit-form digest, without drawing a new one. */
  static #restore(digest: Uint8Array): Flake {
    restoring = true;
    try {
      const f = new Flake();
      f.#flake = digest;
      f.#bits = 64;
      return f;
    } finally {
      restoring = false;
    }
  }

  /** `Flake("<base32hex>")`, the reference's `repr`. */
  repr(): string {
    return `Flake("${this.toString()}")`;
  }

  /** base32hex of the digest (Python `str(flake)`). */
  toString(): string {
    return encodeBase32hex(this.#flake);
  }

  /** Flake-Code in canonical ISCC form. */
  get iscc(): string {
    return 'ISCC:' + encodeComponent(MT.FLAKE, ST.NONE, VS.V0, this.#bits, this.#flake);
  }

  /**
   * Time component as ISO 8601 UTC with milliseconds, without zone suffix
   * (`2022-02-14T09:15:25.189`).
   * @throws IsccError for years after 9999 (Python datetime's limit)
   */
  get time(): string {
    let ms = 0;
    for (let i = 0; i < 6 && i < this.#flake.length; i++) ms = ms * 256 + this.#flake[i]!;
    // Python computes `ms / 1000` as a float and `datetime.utcfromtimestamp` splits it like C's
    // modf, rounding the microseconds half-to-even (_PyTime_ROUND_HALF_EVEN); isoformat then
    // truncates to milliseconds. For large timestamps the float division loses the last
    // millisecond, and so must we.
    const t = ms / 1000;
    let secs = Math.trunc(t);
    let us = roundHalfEven((t - secs) * 1e6);
    if (us >= 1e6) {
      us -= 1e6;
      secs += 1;
    }
    const iso = new Date(secs * 1000 + Math.floor(us / 1000)).toISOString();
    if (!/^\d{4}-/.test(iso)) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `year out of range for ${ms} ms`);
    return iso.replace(/Z$/, '');
  }

  /** The digest as an unsigned integer (time-sortable, not self-descriptive). */
  get int(): bigint {
    return bytesToBigint(this.#flake);
  }

  /** The digest as base32hex (time-sortable, not self-descriptive). */
  get string(): string {
    return this.toString();
  }

  /** Equal digests. */
  equals(other: Flake): boolean {
    if (!(other instanceof Flake)) typeError('other', 'a Flake', other);
    const a = this.#flake;
    const b = other.#flake;
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  /** Python `<` (by integer value). */
  lt(other: Flake): boolean {
    return this.int < other.int;
  }

  /** Python `>` (by integer value). */
  gt(other: Flake): boolean {
    return this.int > other.int;
  }

  /** Comparator for `Array.prototype.sort` (by integer value). */
  static compare(a: Flake, b: Flake): number {
    const x = a.int;
    const y = b.int;
    return x < y ? -1 : x > y ? 1 : 0;
  }

  /**
   * Flake from its integer form (a 64-bit flake).
   * @throws IsccError when `num` is not an integer in 0..2^64-1
   */
  static fromInt(num: bigint | number): Flake {
    if (typeof num === 'number' && Number.isInteger(num)) num = BigInt(num);
    if (typeof num !== 'bigint') return typeError('num', 'an integer', num);
    if (num < 0n || num >= 1n << 64n) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `num: expected 0..2^64-1, got ${num}`);
    }
    const out = new Uint8Array(8);
    let v = num;
    for (let i = 7; i >= 0; i--) {
      out[i] = Number(v & 0xffn);
      v >>= 8n;
    }
    return Flake.#restore(out);
  }

  /**
   * Flake from its base32hex string form.
   * @throws IsccError for invalid base32hex
   */
  static fromString(code: string): Flake {
    return Flake.#restore(decodeBase32hex(code));
  }
}

/** Round half to even, as Python's `round()` and CPython's time conversions do. */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const d = x - f;
  if (d > 0.5) return f + 1;
  if (d < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}
