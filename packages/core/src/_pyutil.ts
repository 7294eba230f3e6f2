/**
 * Internal helpers of the codec family that reproduce Python semantics exactly: byte
 * concatenation, Python slicing and `str.strip()`, hex, base58btc (Python `base58`) and the
 * `uvarint` package used by iscc-core for ISCC-ID v0 counters (including its quirks).
 * Not part of the public API (leading underscore module, not re-exported by index.ts).
 */
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';

const err = (msg: string): never => {
  throw new IsccError(ISCC_ERROR_CODES.INVALID_ENCODING, msg);
};

/** Concatenate byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Python slice `b[start:stop]` semantics (negative indices count from the end, clamped). */
export function pySlice(b: Uint8Array, start?: number, stop?: number): Uint8Array {
  const n = b.length;
  const norm = (i: number | undefined, dflt: number): number => {
    if (i === undefined) return dflt;
    if (i < 0) return Math.max(0, n + i);
    return Math.min(n, i);
  };
  const s = norm(start, 0);
  const e = norm(stop, n);
  return e > s ? b.slice(s, e) : new Uint8Array(0);
}

/** Lowercase hex of bytes. */
export function toHex(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

// Python `str.isspace()` characters; `str.strip()` removes exactly these (JS `trim` differs:
// it keeps \x1c-\x1f and \x85 and removes \ufeff).
export const PY_SPACE: ReadonlySet<number> = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x85, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
  0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000,
]);

/** Python `str.strip()` (no arguments). */
export function pyStrip(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && PY_SPACE.has(s.charCodeAt(a))) a++;
  while (b > a && PY_SPACE.has(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** Whether every UTF-16 unit of `s` is ASCII. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

const B58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const B58_REV = new Int8Array(128).fill(-1);
for (let i = 0; i < 58; i++) B58_REV[B58.charCodeAt(i)] = i;

/** base58btc encoding (Bitcoin alphabet), as Python `base58.b58encode`. */
export function encodeBase58(data: Uint8Array): string {
  let zeros = 0;
  while (zeros < data.length && data[zeros] === 0) zeros++;
  let n = 0n;
  for (let i = zeros; i < data.length; i++) n = (n << 8n) | BigInt(data[i]!);
  let out = '';
  while (n > 0n) {
    out = B58[Number(n % 58n)]! + out;
    n /= 58n;
  }
  return '1'.repeat(zeros) + out;
}

/** base58btc decoding as Python `base58.b58decode` (trailing whitespace stripped). */
export function decodeBase58(s: string): Uint8Array {
  let end = s.length;
  while (end > 0 && PY_SPACE.has(s.charCodeAt(end - 1))) end--;
  s = s.slice(0, end);
  if (!isAscii(s)) err('base58: string should contain only ASCII characters');
  let zeros = 0;
  while (zeros < s.length && s.charCodeAt(zeros) === 0x31) zeros++;
  let n = 0n;
  // 9 digits at a time keep the intermediate below 2^53.
  for (let i = zeros; i < s.length; i += 9) {
    let chunk = 0;
    let mul = 1;
    for (let j = i; j < Math.min(i + 9, s.length); j++) {
      const v = B58_REV[s.charCodeAt(j)]!;
      if (v < 0) return err(`Invalid character '${s[j]}'`);
      chunk = chunk * 58 + v;
      mul *= 58;
    }
    n = n * BigInt(mul) + BigInt(chunk);
  }
  const bytes: number[] = [];
  while (n > 0n) {
    bytes.push(Number(n & 0xffn));
    n >>= 8n;
  }
  bytes.reverse();
  return concatBytes(new Uint8Array(zeros), new Uint8Array(bytes));
}

/** Python uvarint (matheusmoreira/uvarint) `decode(buf).integer`, including its quirks. */
export function uvarintDecode(buf: Uint8Array): bigint {
  if (!buf.length) return err('no input bytes to decode');
  let n = 0n;
  let pos = 0n;
  let byte = 0;
  let i = 0;
  for (; i < buf.length; i++) {
    byte = buf[i]!;
    if (byte < 0x80) break;
    n |= BigInt(byte & 0x7f) << pos;
    pos += 7n;
    if (pos / 7n >= 9n) err('integer > 9 bytes');
  }
  // Like the reference, a buffer ending on a continuation byte still adds that last byte.
  return n | (BigInt(byte) << pos);
}

/** Python uvarint `encode(n)` (a negative value yields its low byte, as the reference). */
export function uvarintEncode(n: bigint | number): Uint8Array {
  let v = BigInt(n);
  const out: number[] = [];
  while (v >= 0x80n) {
    out.push(Number(v & 0xffn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v & 0xffn));
  return new Uint8Array(out);
}

