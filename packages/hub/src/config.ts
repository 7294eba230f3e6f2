/**
 * Hub settings from the environment, for the server and the CLI (DESIGN.md: defaults that
 * work, `ISCC_*` variables override):
 *
 *   ISCC_HUB_ID               hub id 0..4095 (default 0)
 *   ISCC_HUB_REALM            0 (test, default) or 1 (operational)
 *   ISCC_HUB_URL              postgres://... for PostgreSQL; default the embedded store in
 *                             <ISCC_DATA_DIR>/hub
 *   ISCC_HUB_SECKEY           the hub's Ed25519 secret key (z3u2...); default the key file in
 *                             <ISCC_DATA_DIR>/hub (created on first start)
 *   ISCC_HUB_DOMAIN           public host[:port] (did:web and checkpoint origin); default localhost
 *   ISCC_HUB_ALLOWED_PUBKEYS  comma-separated z6Mk... keys allowed to declare; default everyone
 *   ISCC_HUB_FOLLOW           comma-separated base URLs of hubs to follow (each `.../hub`)
 *   ISCC_HUB_FOLLOW_INTERVAL  seconds between polls of followed hubs (default 60)
 */
import { join } from 'node:path';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import type { Hub, HubOptions } from './hub.ts';

/** Default seconds between polls of followed hubs. */
export const DEFAULT_FOLLOW_INTERVAL_S = 60;

function list(v: string | undefined): string[] {
  return (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function int(name: string, v: string | undefined, def: number, max: number): number {
  if (v === undefined || v === '') return def;
  if (!/^\d+$/.test(v) || Number(v) > max) throw new HubError(HUB_ERROR_CODES.INVALID_ARGUMENT, `${name}: expected an integer 0..${max}, got ${JSON.stringify(v)}`);
  return Number(v);
}

/** Hub options from the environment (see the module comment); `dataDir` is ISCC_DATA_DIR. */
export function hubOptionsFromEnv(env: Record<string, string | undefined>, dataDir: string): HubOptions & { follow: string[]; followIntervalS: number } {
  const dir = join(dataDir, 'hub');
  const url = env.ISCC_HUB_URL || null;
  const allowed = list(env.ISCC_HUB_ALLOWED_PUBKEYS);
  return {
    hubId: int('ISCC_HUB_ID', env.ISCC_HUB_ID, 0, 4095),
    realmId: int('ISCC_HUB_REALM', env.ISCC_HUB_REALM, 0, 1),
    storage: url ?? dir,
    keyDir: dir,
    ...(env.ISCC_HUB_SECKEY ? { seckey: env.ISCC_HUB_SECKEY } : {}),
    domain: env.ISCC_HUB_DOMAIN || 'localhost',
    allowedPubkeys: allowed.length ? allowed : null,
    follow: list(env.ISCC_HUB_FOLLOW),
    followIntervalS: int('ISCC_HUB_FOLLOW_INTERVAL', env.ISCC_HUB_FOLLOW_INTERVAL, DEFAULT_FOLLOW_INTERVAL_S, 86_400),
  };
}

/**
 * Poll followed hubs every `intervalS` seconds (first poll at once); a failing hub is retried
 * at the next poll and never stops the others. Returns a function that stops polling.
 */
export function followEvery(hub: Hub, urls: string[], intervalS = DEFAULT_FOLLOW_INTERVAL_S, onError: (url: string, err: unknown) => void = () => undefined): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  const poll = async (): Promise<void> => {
    for (const url of urls) {
      if (stopped) return;
      try {
        await hub.follow(url);
      } catch (err) {
        onError(url, err);
      }
    }
    if (!stopped) timer = setTimeout(() => void poll(), intervalS * 1000).unref();
  };
  void poll();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
  };
}
