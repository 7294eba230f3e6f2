/**
 * JSON Canonicalization Scheme (RFC 8785), as iscc-core's `json_canonical`.
 *
 * iscc-core serialises metadata (Meta-Code `meta` objects, metahash, signatures) with the
 * Python `jcs` package and then checks that the result parses back to the input. We produce
 * the same bytes:
 *
 * 1. Walk the value. Accept only JSON data: `null`, booleans, finite numbers, bigints,
 *    well-formed strings, arrays and plain objects. Anything else (undefined, functions,
 *    symbols, NaN/Infinity, lone surrogates, class instances such as Date/Map/Uint8Array,
 *    sparse array holes, cycles) throws: Python would either fail to encode it or fail the
 *    round-trip check, and silently dropping it (as `JSON.stringify` does) would sign
 *    something other than what the caller passed.
 * 2. Numbers use the ECMAScript Number-to-String algorithm (RFC 8785 section 3.2.2.3), which
 *    is exactly what `JSON.stringify` does for a finite number (`-0` becomes `0`, `1.0`
 *    becomes `1`, `1e20` becomes `100000000000000000000`, `1e21` becomes `1e+21`).
 * 3. Bigints stand for Python ints beyond 2^53: Python's `jcs` writes ints with `int.__repr__`,
 *    i.e. all their decimal digits, so we do the same (note this is outside RFC 8785's I-JSON
 *    number range, exactly like the reference).
 * 4. Strings are escaped per RFC 8785 section 3.2.2.2: `"` and `\` and control characters
 *    below U+0020 are escaped (`\b \t \n \f \r` short forms, other controls as lowercase
 *    `\u00xx`), everything else is emitted literally. `JSON.stringify` on a well-formed
 *    string does exactly that.
 * 5. Object members are sorted by their keys as arrays of UTF-16 code units (JavaScript's
 *    default string comparison), no whitespace anywhere.
 * 6. Encode the text as UTF-8.
 */

import { IsccError, ISCC_ERROR_CODES, describe } from './errors.ts';

const encoder = new TextEncoder();

/** True when `s` holds an unpaired UTF-16 surrogate (not encodable as UTF-8). */
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const n = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (n >= 0xdc00 && n <= 0xdfff) {
        i++;
        continue;
      }
      return true;
    }
    if (c >= 0xdc00 && c <= 0xdfff) return true;
  }
  return false;
}

function fail(path: string, what: string, value: unknown): never {
  throw new IsccError(
    ISCC_ERROR_CODES.INVALID_ARGUMENT,
    `obj${path}: expected JSON data (null, boolean, finite number, bigint, string, array, plain object), ${what}, got ${describe(value)}`,
  );
}

function serializeString(s: string, path: string): string {
  if (hasLoneSurrogate(s)) fail(path, 'strings must be well-formed Unicode', s);
  return JSON.stringify(s);
}

/**
 * ES6 number text (RFC 8785 §3.2.2.3) plus iscc-core's round-trip check: `json.loads` of the
 * text must equal the input. Text without `.`/`e` reads back as a Python int, which must equal
 * the exact integer value of the input (so 2**53 + 1, or 2**64, whose float text differs from
 * the integer, are refused); text with an exponent reads back as a float, which for an integer
 * input must be exactly that integer.
 */
function serializeNumber(asFloat: number, exact: bigint, isInt: boolean, path: string, roundTrip: boolean): string {
  if (!Number.isFinite(asFloat)) fail(path, 'integers must be representable as a finite float', exact);
  const text = JSON.stringify(asFloat);
  if (!roundTrip) return text;
  if (/^-?\d+$/.test(text)) {
    if (isInt && BigInt(text) !== exact) fail(path, `the canonical text ${text} does not round-trip to the integer`, exact);
  } else if (isInt && (!Number.isInteger(asFloat) || BigInt(asFloat) !== exact)) {
    fail(path, `the canonical text ${text} does not round-trip to the integer`, exact);
  }
  return text;
}

function serialize(value: unknown, path: string, seen: Set<object>, roundTrip: boolean): string {
  switch (typeof value) {
    case 'string':
      return serializeString(value, path);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) fail(path, 'numbers must be finite', value);
      return serializeNumber(value, BigInt(Number.isInteger(value) ? value : 0), Number.isInteger(value), path, roundTrip);
    case 'bigint':
      // Python's jcs formats every int through float(); json_canonical then rejects any value
      // whose canonical text does not read back as the same number.
      return serializeNumber(Number(value), value, true, path, roundTrip);
    case 'object': {
      if (value === null) return 'null';
      if (seen.has(value)) fail(path, 'cyclic structures cannot be serialised', value);
      seen.add(value);
      let out: string;
      if (Array.isArray(value)) {
        const parts: string[] = [];
        for (let i = 0; i < value.length; i++) {
          if (!(i in value)) fail(`${path}[${i}]`, 'arrays must not have holes', undefined);
          parts.push(serialize(value[i], `${path}[${i}]`, seen, roundTrip));
        }
        out = `[${parts.join(',')}]`;
      } else {
        const proto: unknown = Object.getPrototypeOf(value);
        if (proto !== Object.prototype && proto !== null) fail(path, 'objects must be plain objects', value);
        if (Object.getOwnPropertySymbols(value).length > 0) fail(path, 'object keys must be strings', value);
        const rec = value as Record<string, unknown>;
        // Default sort compares UTF-16 code units, which is what RFC 8785 prescribes.
        const keys = Object.keys(rec).sort();
        const parts: string[] = [];
        for (const key of keys) {
          const sub = `${path}[${JSON.stringify(key)}]`;
          parts.push(`${serializeString(key, sub)}:${serialize(rec[key], sub, seen, roundTrip)}`);
        }
        out = `{${parts.join(',')}}`;
      }
      seen.delete(value);
      return out;
    }
    default:
      return fail(path, `${typeof value} is not JSON`, value);
  }
}

/**
 * RFC 8785 (JCS) canonical text of `obj`, as the Python `jcs` package writes it: numbers in
 * ES6 form, where integers (bigint, like Python ints) go through a float first, so 2n ** 70n is
 * written `1.1805916207174113e+21`.
 *
 * @param obj - JSON data: null, boolean, finite number, bigint, well-formed string, array or
 *   plain object (nested freely).
 * @returns The canonical JSON text.
 * @throws IsccError `ISCC_INVALID_ARGUMENT` when `obj` holds anything that is not JSON data
 *   (undefined, NaN/Infinity, lone surrogates, class instances, cycles, array holes).
 * @example jcsCanonicalize({ b: 1, a: [1e21, 0.5] }) // '{"a":[1e+21,0.5],"b":1}'
 */
export function jcsCanonicalize(obj: unknown): string {
  return serialize(obj, '', new Set(), false);
}

/**
 * Canonical, deterministic JSON serialisation (RFC 8785 JCS) as UTF-8 bytes; iscc-core's
 * `json_canonical`: the JCS text must read back as the same data, so integers whose float
 * text differs from their value (2n ** 53n + 1n, 2 ** 64 as digits, ...) are refused, as the
 * reference refuses them.
 *
 * @param obj - JSON data: null, boolean, finite number, bigint, well-formed string, array or
 *   plain object (nested freely).
 * @returns The canonical UTF-8 bytes.
 * @throws IsccError `ISCC_INVALID_ARGUMENT` when `obj` holds anything that is not JSON data
 *   (undefined, NaN/Infinity, lone surrogates, class instances, cycles, array holes) or a
 *   number that does not survive the round trip.
 * @example new TextDecoder().decode(jsonCanonical({ b: 1, a: 'x' })) // '{"a":"x","b":1}'
 */
export function jsonCanonical(obj: unknown): Uint8Array {
  return encoder.encode(serialize(obj, '', new Set(), true));
}
