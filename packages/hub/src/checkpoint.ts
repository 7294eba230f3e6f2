/**
 * C2SP checkpoints as signed notes (C2SP tlog-checkpoint + signed-note, Ed25519), byte-exact
 * with golang.org/x/mod/sumdb/note as iscc-hub writes them.
 *
 * - Body: `<origin>\n<tree size>\n<base64 root>\n` (size decimal without leading zeros).
 * - Note: body, a blank line, then signature lines `— <name> <base64(keyid || sig)>\n`
 *   (U+2014 em dash, space), name = origin.
 * - Key id: first 4 bytes of SHA-256(name || 0x0A || 0x01 || pubkey) (0x01 = Ed25519).
 * - Verifier key string (for tools such as Tessera fsck): `<name>+<keyid hex>+<base64(0x01 || pubkey)>`.
 * - Verification finds the line with the expected name and key id and checks the Ed25519
 *   signature over the body (everything up to and including the body's last newline).
 */
import type { KeyObject } from 'node:crypto';
import { ed25519Sign, ed25519Verify, publicKeyFromRaw } from './ed25519.ts';
import { sha256 } from './merkle.ts';

/** signed-note algorithm byte of Ed25519. */
export const ALG_ED25519 = 1;
const SIG_PREFIX = '\u2014 ';
const enc = new TextEncoder();

/** A parsed checkpoint body. */
export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function unb64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  return new Uint8Array(Buffer.from(s, 'base64'));
}

/** The three-line checkpoint body. */
export function checkpointBody(origin: string, size: number, root: Uint8Array): string {
  return `${origin}\n${size}\n${b64(root)}\n`;
}

/** signed-note key id (uint32) of an Ed25519 key named `name`. */
export function noteKeyId(name: string, pubkey: Uint8Array): number {
  const h = sha256(new Uint8Array([...enc.encode(name), 0x0a, ALG_ED25519, ...pubkey]));
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** signed-note verifier key string `<name>+<keyid hex>+<base64(0x01 || pubkey)>`. */
export function verifierKey(name: string, pubkey: Uint8Array): string {
  return `${name}+${noteKeyId(name, pubkey).toString(16).padStart(8, '0')}+${b64(new Uint8Array([ALG_ED25519, ...pubkey]))}`;
}

/** Sign a checkpoint: the full note text (body, blank line, one signature line). */
export function signCheckpoint(origin: string, size: number, root: Uint8Array, key: KeyObject, pubkey: Uint8Array): string {
  const body = checkpointBody(origin, size, root);
  const sig = ed25519Sign(key, enc.encode(body));
  const id = noteKeyId(origin, pubkey);
  const value = new Uint8Array(68);
  new DataView(value.buffer).setUint32(0, id);
  value.set(sig, 4);
  return `${body}\n${SIG_PREFIX}${origin} ${b64(value)}\n`;
}

/** Parse a checkpoint body (no signature check); null when malformed. */
export function parseCheckpoint(text: string): Checkpoint | null {
  const lines = text.split('\n');
  if (lines.length < 4) return null;
  const [origin, sizeLine, rootLine] = lines as [string, string, string];
  if (!origin || !/^(0|[1-9]\d{0,15})$/.test(sizeLine)) return null;
  const size = Number(sizeLine);
  if (!Number.isSafeInteger(size)) return null;
  const root = unb64(rootLine);
  if (!root || root.length !== 32) return null;
  return { origin, size, root };
}

/**
 * Verify a signed checkpoint against the expected signer `name` and Ed25519 `pubkey`.
 * @returns the parsed body, or null when malformed or no valid signature of that key is found.
 */
export function verifyCheckpoint(text: string, name: string, pubkey: Uint8Array): Checkpoint | null {
  const cp = parseCheckpoint(text);
  if (!cp) return null;
  const body = checkpointBody(cp.origin, cp.size, cp.root);
  if (!text.startsWith(body) || text[body.length] !== '\n') return null;
  const key = publicKeyFromRaw(pubkey);
  const id = noteKeyId(name, pubkey);
  const prefix = `${SIG_PREFIX}${name} `;
  for (const line of text.slice(body.length + 1).split('\n')) {
    if (!line.startsWith(prefix)) continue;
    const value = unb64(line.slice(prefix.length));
    if (!value || value.length !== 68) continue;
    if (new DataView(value.buffer, value.byteOffset).getUint32(0) !== id) continue;
    if (ed25519Verify(key, enc.encode(body), value.subarray(4))) return cp;
  }
  return null;
}
