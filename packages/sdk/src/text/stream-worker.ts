/**
 * Worker thread of `textCodeStream`: hashes the pieces it is sent (`hashPiece`) and posts
 * the results back with their ids.
 */
import { parentPort } from 'node:worker_threads';
import { hashPiece } from './stream.ts';

parentPort?.on('message', (m: { id: number; text: string }) => {
  parentPort!.postMessage({ id: m.id, piece: hashPiece(m.text) });
});
