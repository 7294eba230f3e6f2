/**
 * IsccNote nonces, as iscc-crypto's `nonce` module: 128 random bits whose first 12 bits carry
 * the id of the hub (node) the note is addressed to, so that a note signed for one hub cannot be
 * replayed at another. Written as 32 lowercase hex characters.
 */

import { argError, typeError } from '../errors.ts';

/** Largest hub/node id: 12 bits. */
export const MAX_HUB_ID = 4095;

function checkNodeId(nodeId: unknown): asserts nodeId is number {
  if (typeof nodeId !== 'number' || !Number.isInteger(nodeId)) typeError('nodeId', 'integer', nodeId);
  if (nodeId < 0 || nodeId > MAX_HUB_ID) argError('nodeId', `integer between 0 and ${MAX_HUB_ID}`, nodeId);
}

/**
 * Random 128-bit nonce with `nodeId` in its first 12 bits (iscc-crypto `create_nonce`).
 * @param nodeId - hub id, 0..4095.
 * @returns 32 lowercase hex characters; the first three are `nodeId` in hex.
 */
export function createNonce(nodeId: number): string {
  checkNodeId(nodeId);
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = nodeId >> 4;
  bytes[1] = ((nodeId & 0x0f) << 4) | (bytes[1]! & 0x0f);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * The 12-bit node (hub) id in the first bits of a nonce (iscc-crypto `decode_node_id`).
 * @param nonce - 32 hex characters (either case, as the reference accepts).
 */
export function decodeNodeId(nonce: string): number {
  if (typeof nonce !== 'string') typeError('nonce', 'string', nonce);
  if (nonce.length !== 32) argError('nonce', '32 hex characters', nonce);
  if (!/^[0-9a-fA-F]{32}$/.test(nonce)) argError('nonce', 'a valid hex string', nonce);
  return Number.parseInt(nonce.slice(0, 3), 16);
}
