/** Environment settings and the follow poller. */
import { describe, it, expect } from 'vitest';
import { hubOptionsFromEnv, followEvery } from './config.ts';
import { HubError } from './errors.ts';
import { Hub } from './hub.ts';

describe('hubOptionsFromEnv', () => {
  it('has defaults that work and reads ISCC_HUB_*', () => {
    const d = hubOptionsFromEnv({}, '/data');
    expect(d).toMatchObject({ hubId: 0, realmId: 0, storage: '/data/hub', keyDir: '/data/hub', domain: 'localhost', allowedPubkeys: null, follow: [], followIntervalS: 60 });
    const o = hubOptionsFromEnv(
      { ISCC_HUB_ID: '12', ISCC_HUB_REALM: '1', ISCC_HUB_URL: 'postgres://x/y', ISCC_HUB_DOMAIN: 'hub.example', ISCC_HUB_ALLOWED_PUBKEYS: 'z6Mka, z6Mkb', ISCC_HUB_FOLLOW: 'http://a/hub,http://b/hub', ISCC_HUB_FOLLOW_INTERVAL: '5', ISCC_HUB_SECKEY: 'z3u2x' },
      '/data',
    );
    expect(o).toMatchObject({ hubId: 12, realmId: 1, storage: 'postgres://x/y', domain: 'hub.example', allowedPubkeys: ['z6Mka', 'z6Mkb'], follow: ['http://a/hub', 'http://b/hub'], followIntervalS: 5, seckey: 'z3u2x' });
    for (const bad of [{ ISCC_HUB_ID: '4096' }, { ISCC_HUB_ID: '-1' }, { ISCC_HUB_REALM: '2' }, { ISCC_HUB_ID: '1e3' }]) {
      expect(() => hubOptionsFromEnv(bad, '/d')).toThrow(HubError);
    }
  });

  it('followEvery polls at once, reports failures and stops', async () => {
    const hub = await Hub.open({ hubId: 1 });
    const errors: string[] = [];
    const stop = followEvery(hub, ['http://127.0.0.1:1/hub'], 3600, (url) => errors.push(url));
    await new Promise((d) => setTimeout(d, 300));
    stop();
    expect(errors).toEqual(['http://127.0.0.1:1/hub']);
    await hub.close();
  });
});
