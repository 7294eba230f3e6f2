/**
 * Key files of `iscc hub`: an Ed25519 key pair as JSON with the field names of core's
 * KeyPair (`public_key`, `secret_key` (multibase `z3u2...`), `controller`, `key_id`).
 *
 * - written with mode 0600 and never over an existing file unless asked (a key is not
 *   something to lose by a typo);
 * - read from `--key FILE`, else `--seckey z3u2...`, else `$ISCC_KEY_FILE`, else
 *   `$ISCC_SECKEY`; a hub's own `hub-key.json` (`{"seckey": ...}`) is read too.
 * The public key is always re-derived from the secret key, so a tampered `public_key` in a
 * file cannot make us sign under a key we do not hold.
 */
import { writeFile, chmod } from 'node:fs/promises';
import type { KeyPair } from '@iscc-ts/core';
import type { CommandContext } from '../command.ts';
import { UsageError } from '../command.ts';
import { InputError, parseJsonObject, readText } from './io.ts';

/** The JSON written for a key pair (a key file, or `iscc hub keygen` without --out). */
export function keyFileJson(kp: KeyPair): Record<string, string | null> {
  return { public_key: kp.public_key, secret_key: kp.secret_key, controller: kp.controller, key_id: kp.key_id };
}

/** Write a key file with mode 0600; refuses to replace an existing file unless `overwrite`. */
export async function writeKeyFile(path: string, kp: KeyPair, overwrite = false): Promise<void> {
  const text = JSON.stringify(keyFileJson(kp), null, 2) + '\n';
  try {
    await writeFile(path, text, { mode: 0o600, flag: overwrite ? 'w' : 'wx' });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'EEXIST') throw new InputError('ISCC_CLI_EXISTS', `${path} exists; not replacing a key file (use --force)`);
    throw new InputError('ISCC_CLI_OUTPUT', `cannot write ${path}: ${err.message}`);
  }
  await chmod(path, 0o600); // an existing file replaced with --force keeps its old mode otherwise
}

/** Where a command finds its key: options `key`, `seckey`, `controller`, `keyid` and the environment. */
export async function loadKeyPair(ctx: Pick<CommandContext, 'args' | 'env' | 'stdin'>, required = true): Promise<KeyPair | null> {
  const o = ctx.args.options;
  const core = await import('@iscc-ts/core');
  const keyFile = (o.key as string | undefined) ?? (o.seckey === undefined ? ctx.env.ISCC_KEY_FILE : undefined);
  let secret: string | undefined;
  let controller: string | null = null;
  let keyId: string | null = null;
  if (keyFile) {
    const json = parseJsonObject(await readText(ctx, keyFile), keyFile);
    const s = json.secret_key ?? json.seckey;
    if (typeof s !== 'string') throw new InputError('ISCC_CLI_KEY', `${keyFile}: no "secret_key" in the key file`);
    secret = s;
    if (typeof json.controller === 'string') controller = json.controller;
    if (typeof json.key_id === 'string') keyId = json.key_id;
  } else {
    secret = (o.seckey as string | undefined) ?? ctx.env.ISCC_SECKEY;
  }
  if (secret === undefined) {
    if (!required) return null;
    throw new UsageError('a key is needed: --key FILE (see iscc hub keygen), --seckey z3u2..., or ISCC_KEY_FILE / ISCC_SECKEY');
  }
  if (typeof o.controller === 'string') controller = o.controller;
  if (typeof o.keyid === 'string') keyId = o.keyid;
  return core.keyFromSecret(secret.trim(), controller, keyId);
}
