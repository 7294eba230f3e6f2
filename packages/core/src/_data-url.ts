/**
 * Data-URL parsing and building exactly as iscc-core's dependency `data-url` 1.3.1
 * (`DataURL.from_url(...).data` and `DataURL.from_byte_data(...).url`), for Meta-Code `meta`.
 *
 * Parsing (steps of `from_url`):
 * 1. The whole string must match `data:[mime][;attr=value]*[;base64],data` where mime is
 *    `[a-z][a-z0-9-]+/[a-z][\w.+-]+` and data is one or more of `[\w.~%=/+-]`. `\w` is Python's
 *    Unicode word class (letters, numbers, underscore). Otherwise the URL is rejected.
 * 2. Base64 data is decoded with Python's lenient `base64.b64decode` (non-ASCII is an error,
 *    characters outside the alphabet are skipped, padding rules of `binascii.a2b_base64`).
 *    Percent-escapes in the data are NOT decoded (the library keeps them).
 *
 * Building: `data:<media type>;base64,<standard base64 with padding>`.
 */
import { base64 } from '@scure/base';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

/** `data_url.DATA_URL_RE` (fullmatch), with Python's Unicode `\w` spelled out. */
const DATA_URL_RE =
  /^data:(?<mime>[a-z][a-z0-9-]+\/[a-z][\p{L}\p{N}_.+-]+)?(?<params>(?:;[\p{L}\p{N}_.+-]+=[\p{L}\p{N}_.+%-]+)*)(?<encoded>;base64)?,(?<data>[\p{L}\p{N}_.~%=/+-]+)$/u;

/** Standard base64 alphabet value of each ASCII code, -1 for "not in the alphabet". */
const B64_VALUE = (() => {
  const t = new Int8Array(128).fill(-1);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[abc.charCodeAt(i)] = i;
  return t;
})();

function bad(msg: string): never {
  throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `meta: ${msg}`);
}

/**
 * Python `base64.b64decode(s)` (validate=False) on a str: CPython `binascii.a2b_base64` in
 * non-strict mode. Skips non-alphabet characters, stops at a complete pad sequence, and fails
 * on a dangling single character or missing padding.
 */
export function pyB64decode(s: string): Uint8Array {
  const out = new Uint8Array(Math.floor((s.length * 3) / 4) + 3);
  let n = 0;
  let quadPos = 0;
  let leftchar = 0;
  let pads = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch > 0x7f) bad('string argument should contain only ASCII characters');
    if (ch === 0x3d /* '=' */) {
      // A pad only counts once two data characters of the quad are in; a full quad ends input.
      if (quadPos >= 2 && quadPos + ++pads >= 4) return out.slice(0, n);
      continue;
    }
    const v = B64_VALUE[ch]!;
    if (v < 0) continue;
    pads = 0;
    switch (quadPos) {
      case 0:
        quadPos = 1;
        leftchar = v;
        break;
      case 1:
        quadPos = 2;
        out[n++] = (leftchar << 2) | (v >> 4);
        leftchar = v & 0x0f;
        break;
      case 2:
        quadPos = 3;
        out[n++] = ((leftchar << 4) | (v >> 2)) & 0xff;
        leftchar = v & 0x03;
        break;
      default:
        quadPos = 0;
        out[n++] = ((leftchar << 6) | v) & 0xff;
        leftchar = 0;
    }
  }
  if (quadPos === 1) bad('invalid base64 data: number of data characters cannot be 1 more than a multiple of 4');
  if (quadPos !== 0) bad('invalid base64 data: incorrect padding');
  return out.slice(0, n);
}

/**
 * The payload bytes of a base64 Data-URL, as iscc-core reads them.
 * @throws IsccError ISCC_INVALID_ARGUMENT when the string is not a Data-URL the reference
 *   accepts, is not base64 encoded (the reference then fails hashing a str), or its base64 is bad
 */
export function dataUrlPayload(url: string): Uint8Array {
  const m = DATA_URL_RE.exec(url);
  if (!m) bad(`expected a Data-URL string ("data:<media type>;base64,<data>"), got ${JSON.stringify(url.slice(0, 40))}`);
  if (m.groups!['encoded'] === undefined) bad('expected a base64 encoded Data-URL (";base64,")');
  return pyB64decode(m.groups!['data']!);
}

/** `DataURL.from_byte_data(mediaType, data).url`: `data:<mediaType>;base64,<base64>`. */
export function dataUrlFromBytes(mediaType: string, data: Uint8Array): string {
  return `data:${mediaType};base64,${base64.encode(data)}`;
}
