/**
 * ISCC-ID v1 minting: 52-bit UTC microseconds + 12-bit hub id, realm in the header SubType.
 *
 * Timestamps are strictly increasing and unique per hub: each mint takes max(clock, last + 1),
 * so concurrent declarations (serialised by the sequencer) and a wall clock that steps back
 * (NTP, VM resume) still get distinct, increasing IDs. The last timestamp is recovered from
 * the log on open, so this holds across restarts. Optionally (iscc-hub's TIMETRAVEL_BOUND_US)
 * a backward step larger than `maxBackwardUs` is refused instead of ratcheted through, which
 * keeps a badly wrong clock from burning timestamps far into the future.
 *
 * The clock is injectable (`() => bigint` microseconds) for tests.
 */
import { genIsccIdV1, isccDecode, isccValidate, MT, VS } from '@iscc-ts/core';
import { HUB_ERROR_CODES, HubError } from './errors.ts';

/** Largest hub id (12 bits). */
export const MAX_HUB_ID = 4095;
/** Exclusive upper bound of a v1 timestamp. */
export const MAX_TIMESTAMP_US = 1n << 52n;
/** iscc-hub's bound on a backward clock step (µs) when `maxBackwardUs` is set to it. */
export const TIMETRAVEL_BOUND_US = 100_000n;

/** A microsecond clock. */
export type MicroClock = () => bigint;

/** Wall clock in µs: Date.now() ms plus the sub-millisecond part of performance.now(). */
export const systemClock: MicroClock = () => {
  const sub = Math.floor((performance.now() % 1) * 1000);
  return BigInt(Date.now()) * 1000n + BigInt(sub);
};

/** Options of {@link IdMinter}. */
export interface IdMinterOptions {
  hubId: number;
  realmId?: number;
  clock?: MicroClock;
  /** Refuse (HUB_CLOCK_BACKWARDS) when the clock is this many µs behind the last ID; default: never refuse. */
  maxBackwardUs?: bigint | null;
}

/** A decoded ISCC-ID v1. */
export interface IsccIdV1 {
  iscc_id: string;
  timestamp: bigint;
  hub_id: number;
  realm_id: number;
  /** The 64-bit body as an unsigned integer (timestamp << 12 | hub id). */
  value: bigint;
}

/** Issues strictly increasing ISCC-IDs v1 for one hub. */
export class IdMinter {
  readonly hubId: number;
  readonly realmId: number;
  private readonly clock: MicroClock;
  private readonly maxBackwardUs: bigint | null;
  private last = 0n;

  constructor(options: IdMinterOptions) {
    if (!Number.isInteger(options.hubId) || options.hubId < 0 || options.hubId > MAX_HUB_ID) {
      throw new HubError(HUB_ERROR_CODES.INVALID_ARGUMENT, `hubId: expected an integer 0..${MAX_HUB_ID}, got ${String(options.hubId)}`);
    }
    const realm = options.realmId ?? 0;
    if (realm !== 0 && realm !== 1) throw new HubError(HUB_ERROR_CODES.INVALID_ARGUMENT, `realmId: expected 0 or 1, got ${String(realm)}`);
    this.hubId = options.hubId;
    this.realmId = realm;
    this.clock = options.clock ?? systemClock;
    this.maxBackwardUs = options.maxBackwardUs ?? null;
  }

  /** The last timestamp issued (or restored). */
  get lastTimestamp(): bigint {
    return this.last;
  }

  /** Raise the floor to a timestamp already in the log (on open and catch-up). */
  observe(timestamp: bigint): void {
    if (timestamp > this.last) this.last = timestamp;
  }

  /** Next timestamp: max(clock, last + 1). Does not take it; {@link mint} does. */
  peek(): bigint {
    const now = this.clock();
    if (this.maxBackwardUs !== null && now < this.last && this.last - now > this.maxBackwardUs) {
      throw new HubError(HUB_ERROR_CODES.CLOCK_BACKWARDS, `clock is ${this.last - now} µs behind the last ISCC-ID; refusing to mint`);
    }
    const ts = now > this.last ? now : this.last + 1n;
    if (ts >= MAX_TIMESTAMP_US) throw new HubError(HUB_ERROR_CODES.ID_EXHAUSTED, 'ISCC-ID v1 timestamp space exhausted');
    return ts;
  }

  /** Mint the next ISCC-ID (strictly greater than every earlier one). */
  mint(): IsccIdV1 {
    const ts = this.peek();
    this.last = ts;
    return this.encode(ts);
  }

  /** The ISCC-ID of this hub at timestamp `ts`. */
  encode(ts: bigint): IsccIdV1 {
    const iscc_id = genIsccIdV1(ts, this.hubId, this.realmId).iscc;
    return { iscc_id, timestamp: ts, hub_id: this.hubId, realm_id: this.realmId, value: (ts << 12n) | BigInt(this.hubId) };
  }
}

/**
 * Decode an ISCC-ID v1 (`ISCC:...` or bare base32).
 * @throws HubError HUB_INVALID_ISCC_ID when malformed or not MainType ID, version 1.
 */
export function decodeIsccIdV1(isccId: unknown, field = 'iscc_id'): IsccIdV1 {
  const bad = (why: string): never => {
    throw new HubError(HUB_ERROR_CODES.INVALID_ISCC_ID, `${field}: expected an ISCC-ID v1 ("ISCC:" + 16 base32 characters), ${why}`, { field });
  };
  if (typeof isccId !== 'string') return bad(`got ${typeof isccId}`);
  if (isccId.length > 64) return bad('got an over-long string');
  const s = isccId.startsWith('ISCC:') ? isccId : `ISCC:${isccId}`;
  let decoded: ReturnType<typeof isccDecode>;
  try {
    if (!isccValidate(s, true)) return bad(`got ${JSON.stringify(isccId)}`);
    decoded = isccDecode(s);
  } catch {
    return bad(`got ${JSON.stringify(isccId)}`);
  }
  const [mt, st, vs, , body] = decoded;
  if (mt !== MT.ID || vs !== VS.V1 || body.length !== 8) return bad(`got another ISCC type or version (${JSON.stringify(isccId)})`);
  let value = 0n;
  for (const b of body) value = (value << 8n) | BigInt(b);
  return { iscc_id: s, timestamp: value >> 12n, hub_id: Number(value & 0xfffn), realm_id: st, value };
}
