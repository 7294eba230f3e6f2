// Small files read and BLAKE3-hashed on the helper thread in batches (blake3-thread.ts
// SmallBatch, hash.ts FileSums): packing into slots, files moved on to the next slot, files
// handed over open, error entries in the middle of a batch, and the same results and messages
// as the one-thread path.
import { closeSync, mkdirSync, mkdtempSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IsccSumHasher, setBlake3 } from '@iscc-ts/core';
import { loadNativeBlake3, resolveNativeBlake3 } from '@iscc-ts/sdk/native-blake3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BATCH_FILES_PER_SLOT,
  Blake3Thread,
  ENTRY_FAIL,
  ENTRY_HANDOFF,
  ENTRY_OK,
  RING_SLOTS,
  SLOT_BYTES,
  type BatchEntry,
  type Ring,
} from './blake3-thread.ts';
import { BATCH_MIN_FILES, closeSumHashing, configureSumHashing, FileSums, HELPER_MIN_BYTES, helperStarted, ReadError, sumFile } from './hash.ts';
import type { FileSum } from './compose.ts';
import { xorshiftBytes } from '../../../../tests/test-support.ts';

const addon = resolveNativeBlake3();

/** Pseudo-random bytes (xorshift32): the Data-Code needs varied content to chunk. */
const bytes = (n: number, seed: number): Uint8Array => xorshiftBytes(seed, n);

function blake3Hex(data: Uint8Array): string {
  const h = new IsccSumHasher();
  h.update(data);
  return Buffer.from(h.instanceHasher.digest()).toString('hex');
}

function testRing(): Ring {
  return { buffer: new SharedArrayBuffer(RING_SLOTS * SLOT_BYTES), slots: Array.from({ length: RING_SLOTS }, (_, k) => k * SLOT_BYTES) };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sum-batch-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await closeSumHashing();
  setBlake3(undefined);
});

/** Write files of these sizes (null: a path that does not exist; 'dir': a directory). */
function makeFiles(tag: string, sizes: readonly (number | null | 'dir')[]): { paths: string[]; data: (Uint8Array | null)[] } {
  const paths: string[] = [];
  const data: (Uint8Array | null)[] = [];
  for (const [i, n] of sizes.entries()) {
    const p = join(dir, `${tag}-${String(i).padStart(4, '0')}`);
    paths.push(p);
    if (n === null) data.push(null);
    else if (n === 'dir') {
      mkdirSync(p);
      data.push(null);
    } else {
      const d = bytes(n, i + 1);
      writeFileSync(p, d);
      data.push(d);
    }
  }
  return { paths, data };
}

describe('SmallBatch (the helper packs small files into the ring)', () => {
  it.skipIf(addon === null)('gives every file in order: bytes, BLAKE3, errors in the middle, moves and a handoff', async () => {
    const ring = testRing();
    const view = new Uint8Array(ring.buffer);
    const t = new Blake3Thread(addon!, ring);
    try {
      // More files than a slot's table; files that do not fit the rest of a slot (moved on);
      // a missing file and a directory (EISDIR on read) among them; a file filling a slot last.
      const sizes: (number | null | 'dir')[] = [];
      for (let i = 0; i < BATCH_FILES_PER_SLOT + 40; i++) sizes.push(i % 7 === 0 ? 0 : (i * 37) % 5000);
      sizes.splice(10, 0, null);
      sizes.splice(BATCH_FILES_PER_SLOT - 1, 0, 'dir');
      sizes.push(700_000, 900_000, 800_000, SLOT_BYTES - 1, 3, SLOT_BYTES + 10, 5);
      const { paths, data } = makeFiles('ring', sizes);
      const b = t.batch(paths);
      const seenSlots = new Set<number>();
      let i = 0;
      let e: BatchEntry | null;
      for (; (e = b.next()) !== null; i++) {
        seenSlots.add(ring.slots.findLastIndex((o) => o <= e!.offset));
        const d = data[i];
        if (sizes[i] === null || sizes[i] === 'dir') {
          expect(e.status).toBe(ENTRY_FAIL);
          const err = JSON.parse(Buffer.from(view.slice(e.offset, e.offset + e.length)).toString('utf8'));
          expect(err.code).toBe(sizes[i] === null ? 'ENOENT' : 'EISDIR');
          continue;
        }
        if (e.status === ENTRY_HANDOFF) {
          // The file that fills a slot comes back open with its first slot; the batch ends.
          expect(sizes[i]).toBe(SLOT_BYTES + 10);
          expect(e.length).toBe(SLOT_BYTES);
          expect(Buffer.from(view.subarray(e.offset, e.offset + e.length)).equals(d!.subarray(0, SLOT_BYTES))).toBe(true);
          const rest = new Uint8Array(100);
          expect(readSync(e.fd, rest, 0, 100, null)).toBe(10);
          closeSync(e.fd);
          i++;
          break;
        }
        expect(e.status).toBe(ENTRY_OK);
        expect(e.offset % 16).toBe(0);
        expect(e.length).toBe(d!.length);
        expect(Buffer.from(view.subarray(e.offset, e.offset + e.length)).equals(d!)).toBe(true);
        expect(Buffer.from(e.digest).toString('hex')).toBe(blake3Hex(d!));
      }
      expect(b.next()).toBeNull();
      expect(i).toBe(sizes.length - 1);
      expect(seenSlots.size).toBe(RING_SLOTS);
      // A new batch after the handoff goes on with the last file.
      const b2 = t.batch(paths.slice(i));
      const last = b2.next()!;
      expect(last.status).toBe(ENTRY_OK);
      expect(Buffer.from(last.digest).toString('hex')).toBe(blake3Hex(data[i]!));
      expect(b2.next()).toBeNull();
    } finally {
      await t.close();
    }
  });

  it.skipIf(addon === null)('close() stops a batch early and leaves the helper usable', async () => {
    const t = new Blake3Thread(addon!, testRing());
    try {
      const { paths, data } = makeFiles('close', Array.from({ length: 3 * BATCH_FILES_PER_SLOT }, (_, i) => 100 + i));
      const b = t.batch(paths);
      expect(b.next()!.length).toBe(100);
      b.close();
      expect(b.next()).toBeNull();
      const b2 = t.batch(paths.slice(5, 7));
      expect(Buffer.from(b2.next()!.digest).toString('hex')).toBe(blake3Hex(data[5]!));
      expect(b2.next()!.length).toBe(106);
      expect(b2.next()).toBeNull();
    } finally {
      await t.close();
    }
  });
});

/** sumFile's result or its error message, as the command sees them. */
function outcome(f: () => FileSum): FileSum | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof ReadError) return e.message;
    throw e;
  }
}

describe('FileSums', () => {
  it.skipIf(addon === null)('equals sumFile on one thread: results, error messages, big files after small ones, bytes seen', () => {
    const sizes: (number | null | 'dir')[] = Array.from({ length: BATCH_MIN_FILES + 30 }, (_, i) => (i * 997) % 9000);
    sizes.splice(3, 0, null);
    sizes.splice(40, 0, 'dir');
    // A file filling a slot (handed over, streamed here) and a big one (the helper's big-file
    // path right after a batch), then small files again (a new batch).
    sizes.splice(50, 0, SLOT_BYTES + 3, HELPER_MIN_BYTES + 5);
    const { paths, data } = makeFiles('sums', sizes);
    const total = data.reduce((a, d) => a + (d?.length ?? 0), 0);
    configureSumHashing({ blake3: loadNativeBlake3()!.blake3 ?? null });
    const want = paths.map((p) => outcome(() => sumFile(p, true, true)));
    configureSumHashing({ blake3: loadNativeBlake3()!.blake3 ?? null, helperAddon: addon, batch: true });
    let seen = 0;
    const sums = new FileSums(paths, true, true, (n) => (seen += n));
    expect(sums.batched).toBe(true);
    const got = paths.map(() => outcome(() => sums.next()));
    sums.close();
    expect(got).toEqual(want);
    expect(got[3]).toBe(`[Errno 2] No such file or directory: '${paths[3]}'`);
    expect(got[40]).toBe(`[Errno 21] Is a directory: '${paths[40]}'`);
    expect(helperStarted()).toBe(true);
    expect(seen).toBe(total);
  });

  it.skipIf(addon === null)('hashes here when the helper cannot load the addon', () => {
    const { paths } = makeFiles('noaddon', Array.from({ length: BATCH_MIN_FILES }, (_, i) => i * 10));
    configureSumHashing({});
    const want = paths.map((p) => sumFile(p, false, false));
    configureSumHashing({ helperAddon: join(dir, 'no-such-addon.node'), batch: true });
    const sums = new FileSums(paths, false, false);
    expect(paths.map(() => sums.next())).toEqual(want);
  });

  it('stays on this thread for few files, without batches or without the helper', () => {
    const { paths } = makeFiles('few', [1, 2, 3]);
    configureSumHashing({ helperAddon: addon, batch: true });
    expect(new FileSums(paths, true, false).batched).toBe(false);
    const many = Array.from({ length: BATCH_MIN_FILES }, () => paths[0]!);
    configureSumHashing({ helperAddon: addon });
    expect(new FileSums(many, true, false).batched).toBe(false);
    configureSumHashing({ batch: true });
    const sums = new FileSums(many, true, false);
    expect(sums.batched).toBe(false);
    expect(sums.next()).toEqual(sumFile(paths[0]!, true, false));
  });
});
