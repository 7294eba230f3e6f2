/**
 * ISCC Flake-Code: a unique, time-sortable identifier (iscc-core `code_flake.py`).
 *
 * Digest = 48-bit big-endian milliseconds since the UNIX epoch ‖ (bits/8 − 6) bytes of a
 * per-millisecond counter. The first flake of a millisecond starts the counter at a random
 * value; later flakes of the same millisecond increment it, so flakes from one process are
 * unique and sort by time in integer and base32hex form. 64 bits suit database keys, 128
 * bits are UUID-sized and k-sortable across machines.
 */
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';
import { coreOpts } from './options.ts';
import { MT, ST, VS } from './constants.ts';
import { encodeComponent } from './codec.ts';

/** Result of {@link genFlakeCodeV0}. */
export interface FlakeCodeResult {
  /** The Flake-Code with `ISCC:` prefix. */
  iscc: string;
}

/**
 * Counters per millisecond (the reference's module-level `Counter`). The reference keeps
 * every millisecond forever; we keep the most recent ones only, so a long-running process
 * does not grow without bound. Reusing a timestamp older than the window starts a fresh
 * random counter, which keeps flakes unique with the same probability as a new millisecond.
 * Counters are kept per millisecond AND digest length: the reference shares one counter across
 * lengths, so a 64-bit flake after a 128-bit one in the same millisecond overflows its 2-byte
 * counter and raises; flakes of different lengths can never collide, so separate counters are
 * safe and remove that spurious failure.
 * The first counter of a millisecond is drawn from the LOWER HALF of the counter's range (one
 * random bit fewer than the reference draws): the reference raises when the counter runs past
 * its bytes, which a start near the top makes possible after a handful of flakes in one
 * millisecond (a 64-bit flake has a 2-byte counter). Starting below half leaves room for at
 * least 2^(8n-1) flakes per millisecond (32,768 for 64 bits), more than a process can make.
 */
const COUNTERS = new Map<string, bigint>();
/** How many milliseconds' counters are kept. */
export const FLAKE_COUNTER_WINDOW = 4096;

function randomBigint(nbytes: number): bigint {
  const b = new Uint8Array(nbytes);
  crypto.getRandomValues(b);
  let v = 0n;
  for (const x of b) v = (v << 8n) | BigInt(x);
  return v;
}

/**
 * Time- and randomness-based Flake digest.
 * @param ts - UNIX time in seconds (float); default now
 * @param bits - digest length, 64..256 in steps of 32 (default `coreOpts.flake_bits`)
 * @returns digest of bits/8 bytes
 * @throws IsccError ISCC_INVALID_BITS for an invalid `bits`; ISCC_INVALID_ARGUMENT when the
 *   milliseconds do not fit 48 bits or the counter overflows its bytes (as the reference)
 * @example uidFlakeV0(0) // Uint8Array starting with six zero bytes
 */
export function uidFlakeV0(ts?: number | null, bits: number = coreOpts.flake_bits): Uint8Array {
  if (typeof bits !== 'number' || !Number.isInteger(bits)) typeError('bits', 'an integer', bits);
  if (!(bits >= 64 && bits <= 256)) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_BITS, `bits: ${bits} bits for flake outside 64 - 256 bits`);
  }
  if (bits % 32) throw new IsccError(ISCC_ERROR_CODES.INVALID_BITS, `bits: ${bits} bits for flake is not divisible by 32`);
  if (ts !== undefined && ts !== null && (typeof ts !== 'number' || !Number.isFinite(ts))) {
    typeError('ts', 'a finite number of seconds', ts);
  }
  const nbytesRnd = bits / 8 - 6;
  const seconds = ts ?? Date.now() / 1000;
  // Python int(ts * 1000) truncates toward zero.
  const ms = Math.trunc(seconds * 1000);
  if (ms < 0 || ms >= 2 ** 48) {
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `ts: milliseconds ${ms} do not fit 48 bits`);
  }
  const key = `${ms}/${nbytesRnd}`;
  let counter = COUNTERS.get(key) ?? 0n;
  if (counter === 0n) {
    counter = randomBigint(nbytesRnd) >> 1n; // the lower half: see COUNTERS
    COUNTERS.set(key, counter);
    if (COUNTERS.size > FLAKE_COUNTER_WINDOW) COUNTERS.delete(COUNTERS.keys().next().value!);
  }
  if (counter >= 1n << BigInt(8 * nbytesRnd)) {
    // More than 2^(8*n) - start flakes in one millisecond: the reference's int.to_bytes overflows too.
    throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `counter ${counter} does not fit ${nbytesRnd} bytes`);
  }
  COUNTERS.set(key, counter + 1n);
  const out = new Uint8Array(6 + nbytesRnd);
  let t = ms;
  for (let i = 5; i >= 0; i--) {
    out[i] = t % 256;
    t = Math.floor(t / 256);
  }
  let c = counter;
  for (let i = out.length - 1; i >= 6; i--) {
    out[i] = Number(c & 0xffn);
    c >>= 8n;
  }
  return out;
}

/**
 * Create an ISCC Flake-Code with algorithm v0.
 * @param bits - 64..256 in steps of 32 (default `coreOpts.flake_bits`)
 * @example genFlakeCodeV0().iscc // 'ISCC:OAA...' (21 characters)
 */
export function genFlakeCodeV0(bits: number = coreOpts.flake_bits): FlakeCodeResult {
  const digest = uidFlakeV0(undefined, bits);
  return { iscc: 'ISCC:' + encodeComponent(MT.FLAKE, ST.NONE, VS.V0, bits, digest) };
}

/**
 * Create an ISCC Flake-Code with the latest algorithm (v0).
 * @example genFlakeCode(128).iscc.startsWith('ISCC:OAB') // true
 */
export function genFlakeCode(bits: number = coreOpts.flake_bits): FlakeCodeResult {
  return genFlakeCodeV0(bits);
}
