/**
 * IPFS CIDv1 of a file, as iscc-sdk 0.9.5 `ipfs_cidv1` computes it (Kubo defaults):
 *
 * 1. Read the file in 256 KiB chunks; each chunk is a raw leaf, CID = v1 + raw codec (0x55) +
 *    sha2-256 multihash. An empty file is one empty raw leaf; a one-chunk file is its leaf.
 * 2. Otherwise group leaves 174 at a time into dag-pb nodes (PBNode: links, then a UnixFS
 *    `File` Data with `filesize` and the `blocksizes`); each PBLink has the child CID, an
 *    empty name and the child's cumulative size. Repeat per level until one root remains.
 * 3. `wrap`: one more dag-pb node, a UnixFS `Directory` with a single link named after the
 *    file; the result is `<dir CID>/<file name>`.
 * CIDs print as base32 lower-case with the `b` multibase prefix (`f` + hex for base16).
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { SdkError, SDK_ERROR_CODES } from './errors.ts';

/** Kubo's fixed chunk size. */
export const IPFS_CHUNK_SIZE = 262144;
/** Kubo's links per dag-pb node (DefaultLinksPerBlock). */
export const IPFS_MAX_LINKS = 174;
const CODEC_RAW = 0x55;
const CODEC_DAG_PB = 0x70;
const UNIXFS_DIRECTORY = 1;
const UNIXFS_FILE = 2;

function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return out;
}

function concat(parts: (Uint8Array | number[])[]): Uint8Array {
  const len = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(len);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function cid(codec: number, data: Uint8Array): Uint8Array {
  const digest = createHash('sha256').update(data).digest();
  return concat([varint(1), varint(codec), [0x12, 0x20], digest]);
}

const varintField = (field: number, v: number): number[] => [...varint((field << 3) | 0), ...varint(v)];
const bytesField = (field: number, data: Uint8Array): Uint8Array => concat([varint((field << 3) | 2), varint(data.length), data]);

function unixfsData(type: number, filesize?: number, blocksizes?: number[]): Uint8Array {
  const parts: number[][] = [varintField(1, type)];
  if (filesize !== undefined) parts.push(varintField(3, filesize));
  for (const b of blocksizes ?? []) parts.push(varintField(4, b));
  return concat(parts);
}

function pbLink(child: Uint8Array, tsize: number, name = ''): Uint8Array {
  return concat([bytesField(1, child), bytesField(2, new TextEncoder().encode(name)), varintField(3, tsize)]);
}

function pbNode(links: Uint8Array[], data: Uint8Array): Uint8Array {
  return concat([...links.map((l) => bytesField(2, l)), bytesField(1, data)]);
}

interface Leaf { cid: Uint8Array; tsize: number; size: number }

async function processFile(path: string): Promise<Leaf> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new SdkError(SDK_ERROR_CODES.IO, `cannot open ${path}: ${(e as Error).message}`, { cause: e, path });
  }
  let leaves: Leaf[] = [];
  try {
    const buf = new Uint8Array(IPFS_CHUNK_SIZE);
    let pos = 0;
    for (;;) {
      // Fill a whole chunk (reads may return less).
      let got = 0;
      while (got < IPFS_CHUNK_SIZE) {
        const { bytesRead } = await fh.read(buf, got, IPFS_CHUNK_SIZE - got, pos + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      if (got === 0) break;
      const chunk = buf.subarray(0, got);
      leaves.push({ cid: cid(CODEC_RAW, chunk), tsize: got, size: got });
      pos += got;
      if (got < IPFS_CHUNK_SIZE) break;
    }
  } finally {
    await fh.close();
  }
  if (leaves.length === 0) return { cid: cid(CODEC_RAW, new Uint8Array(0)), tsize: 0, size: 0 };
  while (leaves.length > 1) {
    const next: Leaf[] = [];
    for (let i = 0; i < leaves.length; i += IPFS_MAX_LINKS) {
      const batch = leaves.slice(i, i + IPFS_MAX_LINKS);
      const size = batch.reduce((n, l) => n + l.size, 0);
      const node = pbNode(batch.map((l) => pbLink(l.cid, l.tsize)), unixfsData(UNIXFS_FILE, size, batch.map((l) => l.size)));
      next.push({ cid: cid(CODEC_DAG_PB, node), tsize: node.length + batch.reduce((n, l) => n + l.tsize, 0), size });
    }
    leaves = next;
  }
  return leaves[0]!;
}

const B32 = 'abcdefghijklmnopqrstuvwxyz234567';
function base32lower(b: Uint8Array): string {
  let out = '', bits = 0, value = 0;
  for (const x of b) {
    value = (value << 8) | x;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  return out;
}

/** iscc-sdk `ipfs_cidv1`: the file's CIDv1 (base32), or `<dir CID>/<name>` with `wrap`. */
export async function ipfsCidv1(path: string, wrap = false): Promise<string> {
  const file = await processFile(path);
  if (!wrap) return `b${base32lower(file.cid)}`;
  const name = basename(path);
  const dir = pbNode([pbLink(file.cid, file.tsize, name)], unixfsData(UNIXFS_DIRECTORY));
  return `b${base32lower(cid(CODEC_DAG_PB, dir))}/${name}`;
}

/** iscc-sdk `ipfs_cidv1_base16`: the file's CIDv1 as `f` + hex. */
export async function ipfsCidv1Base16(path: string): Promise<string> {
  const file = await processFile(path);
  return `f${Buffer.from(file.cid).toString('hex')}`;
}
