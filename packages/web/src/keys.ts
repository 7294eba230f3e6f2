/**
 * The signing key of this browser: an Ed25519 key pair (core's `keyGenerate`, WebCrypto)
 * kept in localStorage under {@link KEY_STORAGE} as `{public_key, secret_key, controller,
 * key_id}`. Export gives the same JSON as a download; import takes that JSON or a bare
 * multibase secret key (`z3u2...`), checked by re-deriving the public key.
 */
import { keyFromSecret, keyGenerate, type KeyPair } from '@iscc-ts/core';

/** localStorage key of the stored key pair. */
export const KEY_STORAGE = 'iscc-ts:keypair';

/** The stored key pair, or null (also when storage is unavailable or the entry is damaged). */
export async function loadKey(): Promise<KeyPair | null> {
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const j = JSON.parse(raw) as { secret_key?: unknown; controller?: unknown; key_id?: unknown };
    if (typeof j.secret_key !== 'string') return null;
    return await keyFromSecret(j.secret_key, typeof j.controller === 'string' ? j.controller : null, typeof j.key_id === 'string' ? j.key_id : null);
  } catch {
    return null;
  }
}

/** The JSON form that is stored and exported. */
export function keyJson(kp: KeyPair): string {
  return JSON.stringify({ public_key: kp.public_key, secret_key: kp.secret_key, controller: kp.controller, key_id: kp.key_id }, null, 2);
}

/** Store a key pair (replacing any other). */
export function saveKey(kp: KeyPair): void {
  localStorage.setItem(KEY_STORAGE, keyJson(kp));
}

/** Remove the stored key pair. */
export function forgetKey(): void {
  localStorage.removeItem(KEY_STORAGE);
}

/** Make and store a new key pair. */
export async function newKey(): Promise<KeyPair> {
  const kp = await keyGenerate();
  saveKey(kp);
  return kp;
}

/** Read a key from exported JSON or a bare secret key, and store it. */
export async function importKey(input: string): Promise<KeyPair> {
  const text = input.trim();
  let secret = text;
  let controller: string | null = null;
  let keyId: string | null = null;
  if (text.startsWith('{')) {
    const j = JSON.parse(text) as { secret_key?: unknown; controller?: unknown; key_id?: unknown };
    if (typeof j.secret_key !== 'string') throw new Error('the JSON has no "secret_key"');
    secret = j.secret_key;
    controller = typeof j.controller === 'string' ? j.controller : null;
    keyId = typeof j.key_id === 'string' ? j.key_id : null;
  }
  const kp = await keyFromSecret(secret, controller, keyId);
  saveKey(kp);
  return kp;
}
