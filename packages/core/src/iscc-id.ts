/**
 * ISCC-ID: a globally unique, owned, short identifier (iscc-core `iscc_id.py`).
 *
 * v1 (current): header MT=ID, SubType = realm (0 test, 1 operational), VS=V1, length 0;
 * 64-bit body = 52-bit UTC microseconds since the epoch ‖ 12-bit HUB-ID (0..4095). One hub
 * can issue a million IDs per second until 2112; IDs sort by time as integers and in
 * base32hex. v1 has no uniqueness counter.
 *
 * v0 (legacy): body = SimHash over (first header byte ‖ first 7 body bytes) of each unit of
 * an ISCC-CODE except Instance (or of a lone Instance-Code), XOR the first 8 bytes of
 * SHA-256(wallet), plus an optional uvarint uniqueness counter (the length field counts its
 * bytes; see `encodeLength`).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { IsccError, ISCC_ERROR_CODES, describe, typeError } from './errors.ts';
import { MT, VS } from './constants.ts';
import { decodeBase32, decodeHeader, encodeComponent, isccClean, isccDecode, isccDecompose } from './codec.ts';
import { algSimhash } from './simhash.ts';
import { concatBytes, isAscii, toHex, uvarintDecode, uvarintEncode } from './_pyutil.ts';

/** Result of the ISCC-ID generators. */
export interface IsccIdResult {
  /** The ISCC-ID with `ISCC:` prefix. */
  iscc: string;
}

/** Exclusive upper bound of a v1 timestamp (52 bits of microseconds). */
export const ISCC_ID_MAX_TIMESTAMP: bigint = 1n << 52n;
/** Exclusive upper bound of a HUB-ID (12 bits). */
export const ISCC_ID_MAX_HUB_ID = 4096;

function toBigInt(name: string, v: unknown): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return typeError(name, 'an integer (number or bigint)', v);
}

let lastMicros = 0n;

/**
 * Current UTC time in microseconds, strictly increasing within this process: wall-clock
 * milliseconds plus the sub-millisecond part of the monotonic `performance.now()`, and never
 * less than the previous value + 1 (so two calls in the same microsecond still differ).
 */
function nowMicros(): bigint {
  const perf = (globalThis as { performance?: { now(): number } }).performance;
  const sub = perf ? Math.floor((perf.now() % 1) * 1000) : 0;
  let us = BigInt(Date.now()) * 1000n + BigInt(sub);
  if (us <= lastMicros) us = lastMicros + 1n;
  lastMicros = us;
  return us;
}

/**
 * Generate an ISCC-ID with the latest algorithm (v1).
 * @param timestamp - µs since 1970-01-01T00:00:00Z (< 2^52); default now
 * @param hubId - HUB-ID 0..4095 (default 0)
 * @param realmId - 0 (test, default) or 1 (operational)
 * @example genIsccId(1647312000000000, 42).iscc // 'ISCC:MAIF3I4LNGBAAABK'
 */
export function genIsccId(timestamp?: number | bigint | null, hubId: number = 0, realmId: number = 0): IsccIdResult {
  return genIsccIdV1(timestamp, hubId, realmId);
}

/**
 * Generate an ISCC-ID v1 from a microsecond timestamp and a HUB-ID.
 * @param timestamp - µs since the epoch, number or bigint, 0 <= t < 2^52; default now
 *   (strictly increasing within the process)
 * @param hubId - 0..4095 (default 0)
 * @param realmId - 0 (test, default) or 1 (operational)
 * @returns `{ iscc }`
 * @throws IsccError for a timestamp or HUB-ID out of range or an unknown realm
 * @example genIsccIdV1(1647312000000000, 42, 0).iscc // 'ISCC:MAIF3I4LNGBAAABK'
 */
export function genIsccIdV1(timestamp?: number | bigint | null, hubId: number = 0, realmId: number = 0): IsccIdResult {
  const ts = timestamp === undefined || timestamp === null ? nowMicros() : toBigInt('timestamp', timestamp);
  const hub = toBigInt('hubId', hubId);
  const realm = toBigInt('realmId', realmId);
  if (ts >= ISCC_ID_MAX_TIMESTAMP) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `timestamp: Timestamp overflow (${ts} >= 2^52)`);
  if (hub >= BigInt(ISCC_ID_MAX_HUB_ID)) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `hubId: HUB-ID overflow (${hub} >= 4096)`);
  if (realm !== 0n && realm !== 1n) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `realmId: Realm-ID must be 0 (test) or 1 (operational), got ${realm}`);
  }
  // The reference fails on negatives when packing the body into 8 unsigned bytes.
  if (ts < 0n || hub < 0n) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `timestamp/hubId: expected non-negative integers, got ${ts}, ${hub}`);
  }
  let body = (ts << 12n) | hub;
  const digest = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    digest[i] = Number(body & 0xffn);
    body >>= 8n;
  }
  return { iscc: 'ISCC:' + encodeComponent(MT.ID, Number(realm), VS.V1, 64, digest) };
}

/**
 * Generate a legacy ISCC-ID v0 from an ISCC-CODE (or sequence of units).
 * @param isccCode - ISCC-CODE or units
 * @param chainId - SubType (ST_ID: 0 private, 1 bitcoin, 2 ethereum, 3 polygon)
 * @param wallet - ASCII wallet address
 * @param uc - uniqueness counter (0 = none)
 * @example genIsccIdV0('ISCC:KACYPXW445FTYNJ3CYSXHAFJMA2HUWULUNRFE3BLHRSCXYH2M5AEGQY', 1, '1Bq568oLhi5HvdgC6rcBSGmu4G3FeAntCz').iscc // 'ISCC:MEAJUXE4PIVTH43C'
 */
export function genIsccIdV0(isccCode: string, chainId: number, wallet: string, uc: number | bigint = 0): IsccIdResult {
  const digest = softHashIsccIdV0(isccCode, wallet, uc);
  return { iscc: 'ISCC:' + encodeComponent(MT.ID, chainId, VS.V0, digest.length * 8, digest) };
}

/**
 * ISCC-ID v0 digest (without header, with counter) from an ISCC-CODE or units.
 * @throws IsccError when the input contains an ISCC-ID, has no similarity units, or the
 *   wallet is not ASCII
 */
export function softHashIsccIdV0(isccCode: string, wallet: string, uc: number | bigint = 0): Uint8Array {
  if (typeof wallet !== 'string') typeError('wallet', 'an ASCII string', wallet);
  if (!isAscii(wallet)) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `wallet: expected ASCII, got ${describe(wallet)}`);
  const ucv = toBigInt('uc', uc);
  const components = isccDecompose(isccCode);
  const decoded = components.map((c) => decodeBase32(c));
  const unpacked = decoded.map((d) => decodeHeader(d));
  const digests: Uint8Array[] = [];
  if (unpacked.length === 1 && unpacked[0]![0] === MT.INSTANCE) {
    digests.push(concatBytes(decoded[0]!.subarray(0, 1), unpacked[0]![4].subarray(0, 7)));
  } else {
    unpacked.forEach((unp, i) => {
      if (unp[0] === MT.INSTANCE) return;
      if (unp[0] === MT.ID) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, 'isccCode: Cannot create ISCC-ID from ISCC-ID');
      digests.push(concatBytes(decoded[i]!.subarray(0, 1), unp[4].subarray(0, 7)));
    });
  }
  const simhash = algSimhash(digests);
  const walletHash = sha256(new TextEncoder().encode(wallet)).subarray(0, 8);
  const n = Math.min(simhash.length, walletHash.length);
  const xored = new Uint8Array(n);
  for (let i = 0; i < n; i++) xored[i] = simhash[i]! ^ walletHash[i]!;
  return ucv !== 0n ? concatBytes(xored, uvarintEncode(ucv)) : xored;
}

/**
 * Increment the uniqueness counter of an ISCC-ID (v0 only).
 * @returns the incremented ISCC-ID without `ISCC:` prefix
 * @throws IsccError for a non-ID, an ISCC-ID v1 (timestamps, no counters) or another version
 */
export function isccIdIncr(isccId: string): string {
  const [mt, , vs] = decodeHeader(decodeBase32(isccClean(isccId)));
  if (mt !== MT.ID) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `isccId: MainType ${mt} is not ISCC-ID`);
  if (vs === VS.V1) {
    throw new IsccError(
      ISCC_ERROR_CODES.UNSUPPORTED,
      'isccId: ISCC-IDv1 does not support uniqueness counters (uses timestamps instead)',
    );
  }
  if (vs === VS.V0) return isccIdIncrV0(isccId);
  throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, `isccId: Unsupported ISCC-ID version ${vs}`);
}

/**
 * Increment the uniqueness counter of an ISCC-ID v0 (adds counter 1 when absent).
 * @returns the incremented ISCC-ID without `ISCC:` prefix
 * @example isccIdIncrV0('MEAAO5JRN22FN2M2') // 'MEAQO5JRN22FN2M2AE'
 */
export function isccIdIncrV0(isccId: string): string {
  const [mt, st, vs, , data] = decodeHeader(decodeBase32(isccClean(isccId)));
  if (mt !== MT.ID) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `isccId: MainType ${mt} is not ISCC-ID`);
  if (vs !== VS.V0) throw new IsccError(ISCC_ERROR_CODES.UNSUPPORTED, `isccId: Version ${vs} is not v0`);
  let body: Uint8Array;
  if (data.length === 8) body = concatBytes(data, uvarintEncode(1));
  else {
    const counter = uvarintDecode(data.subarray(8));
    body = concatBytes(data.subarray(0, 8), uvarintEncode(counter + 1n));
  }
  return encodeComponent(mt, st, vs, body.length * 8, body);
}

/**
 * Recover the similarity-preserving digest (hex) of an ISCC-ID v0 by XOR-ing its first 8
 * body bytes with SHA-256(wallet).
 * @example algSimhashFromIsccId('MEAAO5JRN22FN2M2', 'wallet') // 'efa1713e336b531c'
 */
export function algSimhashFromIsccId(isccId: string, wallet: string): string {
  if (typeof wallet !== 'string') typeError('wallet', 'an ASCII string', wallet);
  if (!isAscii(wallet)) throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `wallet: expected ASCII, got ${describe(wallet)}`);
  const walletHash = sha256(new TextEncoder().encode(wallet)).subarray(0, 8);
  const tuple = isccDecode(isccClean(isccId));
  const xd = tuple[4].subarray(0, 8);
  const n = Math.min(xd.length, 8);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = xd[i]! ^ walletHash[i]!;
  return toHex(out);
}
