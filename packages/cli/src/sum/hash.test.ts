import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { IsccSumHasher, setBlake3 } from '@iscc-ts/core';
import { loadNativeBlake3, resolveNativeBlake3 } from '@iscc-ts/sdk/native-blake3';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Blake3Thread, HelperError, RING_SLOTS, SLOT_BYTES, type Ring } from './blake3-thread.ts';
import { composeSum } from './compose.ts';
import {
  closeSumHashing,
  configureSumHashing,
  HELPER_MIN_BYTES,
  helperStarted,
  IO_READ_SIZE,
  ReadError,
  setupBlake3,
  sumFile,
  sumStream,
} from './hash.ts';
import { listdir } from './treewalk.ts';
import { xorshiftBytes } from '../../../../tests/test-support.ts';

const RUNS = process.env.ISCC_SLOW ? 100_000 : 1000;
/** The built module, for tests that need a plain Node process (no TypeScript). */
const DIST_HASH = join(__dirname, '..', '..', 'dist', 'sum', 'hash.js');

/** What core's streaming hasher says for these bytes (the oracle). */
function reference(data: Uint8Array, wide: boolean, units: boolean) {
  const h = new IsccSumHasher();
  h.update(data);
  const r = h.result(wide, units);
  return units ? { iscc: r.iscc, units: r.units } : { iscc: r.iscc };
}

/** Pseudo-random bytes (xorshift32): the Data-Code needs varied content to chunk. */
const bytes = (n: number, seed: number): Uint8Array => xorshiftBytes(seed, n);

/** A ring for a helper thread of its own: slots one after the other in a shared buffer. */
function testRing(): Ring {
  return { buffer: new SharedArrayBuffer(RING_SLOTS * SLOT_BYTES), slots: Array.from({ length: RING_SLOTS }, (_, k) => k * SLOT_BYTES) };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sum-hash-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await closeSumHashing();
  setBlake3(undefined);
});

describe('composeSum', () => {
  it('gives the bytes of core IsccSumHasher.result for random digests and both widths', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.boolean(), fc.boolean(), (data, wide, units) => {
        const h = new IsccSumHasher();
        h.update(data);
        const got = composeSum(h.dataHasher.digest(), h.instanceHasher.digest(), wide, units);
        expect(got).toEqual(reference(data, wide, units));
      }),
      { numRuns: Math.min(RUNS, 2000) },
    );
  });
});

describe('sumFile', () => {
  const sizes = [0, 1, 1023, 4096, IO_READ_SIZE - 1, IO_READ_SIZE, IO_READ_SIZE + 1, 2 * IO_READ_SIZE + 12345];
  for (const setup of ['built-in BLAKE3', 'native BLAKE3 (no helper)'] as const) {
    it(`one-shot and streamed paths equal core's hasher (${setup})`, () => {
      if (setup === 'native BLAKE3 (no helper)') expect(setupBlake3({ ISCC_SUM_THREADS: '1' }, true)).toBe(loadNativeBlake3() !== null);
      else configureSumHashing({});
      for (const [i, n] of sizes.entries()) {
        const data = bytes(n, i + 1);
        const p = join(dir, `f${n}`);
        writeFileSync(p, data);
        let seen = 0;
        for (const wide of [false, true]) {
          expect(sumFile(p, wide, true, (k) => (seen += k))).toEqual(reference(data, wide, true));
        }
        expect(seen).toBe(2 * n);
        expect(sumFile(p, true, false)).toEqual(reference(data, true, false));
      }
    });
  }

  it('random small files equal the oracle (one-shot path, property)', () => {
    configureSumHashing({ blake3: loadNativeBlake3()?.blake3 ?? null });
    const p = join(dir, 'prop');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), fc.boolean(), (data, wide) => {
        writeFileSync(p, data);
        expect(sumFile(p, wide, true)).toEqual(reference(data, wide, true));
      }),
      { numRuns: Math.min(RUNS, 300) },
    );
  });

  it('reports a missing or unreadable file with Python\'s text', () => {
    expect(() => sumFile(join(dir, 'nope'), true, false)).toThrow(ReadError);
    expect(() => sumFile(join(dir, 'nope'), true, false)).toThrow(`[Errno 2] No such file or directory: '${join(dir, 'nope')}'`);
    expect(() => sumFile(dir, true, false)).toThrow(`[Errno 21] Is a directory: '${dir}'`);
  });
});

describe('sumFile with the BLAKE3 helper thread (big files)', () => {
  const addon = resolveNativeBlake3();
  it.skipIf(addon === null)('equals core\'s hasher on big random files, also after small ones, and reads all bytes', () => {
    configureSumHashing({ blake3: loadNativeBlake3()!.blake3 ?? null, helperAddon: addon });
    // Several times around the ring, and a length that is not a multiple of a slot.
    const lengths = [HELPER_MIN_BYTES, HELPER_MIN_BYTES + RING_SLOTS * SLOT_BYTES + 777, HELPER_MIN_BYTES + 5];
    for (const [i, n] of lengths.entries()) {
      const data = bytes(n, 100 + i);
      const p = join(dir, `big${i}`);
      writeFileSync(p, data);
      let seen = 0;
      expect(sumFile(p, i !== 1, true, (k) => (seen += k))).toEqual(reference(data, i !== 1, true));
      expect(seen).toBe(n);
      expect(helperStarted()).toBe(true);
      // Small and empty files between big ones read into the helper's slot 0: still exact.
      for (const m of [0, 5000]) {
        const s = bytes(m, 7 + i);
        writeFileSync(join(dir, 'small'), s);
        expect(sumFile(join(dir, 'small'), true, false)).toEqual(reference(s, true, false));
      }
      rmSync(p);
    }
  });

  it.skipIf(addon === null)('passes the helper\'s read error back (bad file descriptor), and stays usable', async () => {
    const ring = testRing();
    const t = new Blake3Thread(addon!, ring);
    try {
      let pieces = 0;
      // Slot 0 (the caller's first piece) is handed out before the failing read.
      expect(() => t.hash(2 ** 30, 3, () => pieces++)).toThrow(HelperError);
      expect(pieces).toBe(1);
      try {
        t.hash(2 ** 30, 0, () => {});
      } catch (e) {
        expect((e as HelperError).readError.code).toBe('EBADF');
      }
      // After an error the next file is hashed normally, slot by slot in ring order.
      const data = bytes(3 * SLOT_BYTES + 1, 9);
      const p = join(dir, 'after-error');
      writeFileSync(p, data);
      const fd = openSync(p, 'r');
      const view = new Uint8Array(ring.buffer);
      expect(readSync(fd, view, ring.slots[0]!, SLOT_BYTES, null)).toBe(SLOT_BYTES);
      const seen: Uint8Array[] = [];
      const digest = t.hash(fd, SLOT_BYTES, (offset, length) => seen.push(view.slice(offset, offset + length)));
      expect(Buffer.concat(seen).equals(data)).toBe(true);
      closeSync(fd);
      const h = new IsccSumHasher();
      h.update(data);
      expect(Buffer.from(digest).toString('hex')).toBe(Buffer.from(h.instanceHasher.digest()).toString('hex'));
    } finally {
      await t.close();
    }
  });

  it('a helper that never starts is noticed (ready() false) instead of hanging', async () => {
    const t = new Blake3Thread(join(dir, 'x.node'), testRing(), 'throw new Error("broken helper")');
    try {
      expect(t.ready(300)).toBe(false);
    } finally {
      await t.close();
    }
  });

  it.skipIf(addon === null || !existsSync(DIST_HASH))('works from a process started with --input-type=module (the helper is CommonJS)', () => {
    const data = bytes(HELPER_MIN_BYTES + 3, 42);
    const p = join(dir, 'esm-parent');
    writeFileSync(p, data);
    const script =
      `const h = await import(${JSON.stringify(pathToFileURL(DIST_HASH).href)});` +
      `h.setupBlake3({}, true); process.stdout.write(h.sumFile(${JSON.stringify(p)}, true, false).iscc); await h.closeSumHashing();`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 });
    rmSync(p);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(reference(data, true, false).iscc);
  });

  it('a helper that cannot load the addon reports it instead of hanging', async () => {
    const t = new Blake3Thread(join(dir, 'no-such-addon.node'), testRing());
    try {
      expect(() => t.hash(0, 0, () => {})).toThrow(HelperError);
    } finally {
      await t.close();
    }
  });
});

describe('Blake3Thread.free: a whole file on the helper by itself (split files)', () => {
  const addon = resolveNativeBlake3();
  const blake3Hex = (data: Uint8Array) => {
    const h = new IsccSumHasher();
    h.update(data);
    return Buffer.from(h.instanceHasher.digest()).toString('hex');
  };

  it.skipIf(addon === null)('hashes the whole file, waits at its limit until it is raised, and ends with the digest', async () => {
    const t = new Blake3Thread(addon!, testRing());
    try {
      expect(t.ready(10_000)).toBe(true);
      const data = bytes(7 * SLOT_BYTES + 12_345, 31);
      const p = join(dir, 'free');
      writeFileSync(p, data);
      const fd = openSync(p, 'r');
      // The file position is not used: move it to show that.
      readSync(fd, new Uint8Array(100), 0, 100, null);
      const run = t.free(fd, 2 * SLOT_BYTES);
      // Held at its limit: the helper has not read the last pieces yet, so a change of the
      // file's end is still seen.
      await new Promise((r) => setTimeout(r, 100));
      writeFileSync(p, data.subarray(0, 5 * SLOT_BYTES + 1));
      run.allow(3 * SLOT_BYTES);
      run.allow(SLOT_BYTES); // never lowered
      expect(Buffer.from(run.digest(10_000)!).toString('hex')).toBe(blake3Hex(data.subarray(0, 5 * SLOT_BYTES + 1)));
      closeSync(fd);
      // The helper takes the next command as usual.
      const fd2 = openSync(p, 'r');
      expect(Buffer.from(t.free(fd2, Infinity).digest(10_000)!).toString('hex')).toBe(blake3Hex(data.subarray(0, 5 * SLOT_BYTES + 1)));
      closeSync(fd2);
    } finally {
      await t.close();
    }
  });

  it.skipIf(addon === null)('passes a read error back, and a cancelled run lets go of the file', async () => {
    const t = new Blake3Thread(addon!, testRing());
    try {
      const run = t.free(2 ** 30, Infinity);
      let err: unknown = null;
      try {
        run.digest(10_000);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(HelperError);
      expect((err as HelperError).readError.code).toBe('EBADF');
      const p = join(dir, 'free-cancel');
      writeFileSync(p, bytes(4 * SLOT_BYTES, 32));
      const fd = openSync(p, 'r');
      const held = t.free(fd, 0);
      held.cancel(10_000);
      closeSync(fd);
      const fd2 = openSync(p, 'r');
      expect(Buffer.from(t.free(fd2, Infinity).digest(10_000)!).toString('hex')).toBe(blake3Hex(readFileSync(p)));
      closeSync(fd2);
    } finally {
      await t.close();
    }
  });

  it('a helper that never starts: the command is taken back and digest() says so', async () => {
    const t = new Blake3Thread(join(dir, 'x.node'), testRing(), 'throw new Error("broken helper")');
    try {
      expect(t.free(0, Infinity).digest(200)).toBeNull();
    } finally {
      await t.close();
    }
  });

  it.skipIf(addon === null)('sumFile of a split file is exact when the helper never starts (BLAKE3 by this thread)', () => {
    const data = bytes(HELPER_MIN_BYTES + 3 * SLOT_BYTES + 5, 33);
    const p = join(dir, 'split-no-helper');
    writeFileSync(p, data);
    let started = 0;
    configureSumHashing({
      blake3: loadNativeBlake3()!.blake3 ?? null,
      helperAddon: addon,
      split: { minBytes: HELPER_MIN_BYTES, start: () => (started++, null) },
      helperSource: 'throw new Error("broken helper")',
      helperStartMs: 200,
    });
    // No job: the file goes the ring way, whose helper does not start either: one thread.
    expect(sumFile(p, true, false)).toEqual(reference(data, true, false));
    expect(started).toBe(1);
    configureSumHashing({
      blake3: loadNativeBlake3()!.blake3 ?? null,
      helperAddon: addon,
      split: { minBytes: HELPER_MIN_BYTES, start: () => ({ cut: () => -1, cancel: () => {}, result: () => null }) },
      helperSource: 'throw new Error("broken helper")',
      helperStartMs: 200,
    });
    let seen = 0;
    expect(sumFile(p, true, false, (n) => (seen += n))).toEqual(reference(data, true, false));
    expect(seen).toBe(data.length);
    rmSync(p);
  });
});

describe('setupBlake3', () => {
  it('is off with ISCC_NATIVE_BLAKE3=0 and gives the same results', async () => {
    const data = bytes(70_000, 3);
    const p = join(dir, 'env');
    writeFileSync(p, data);
    expect(setupBlake3({ ISCC_NATIVE_BLAKE3: '0' }, true)).toBe(false);
    expect(sumFile(p, false, true)).toEqual(reference(data, false, true));
    expect(await sumStream([data.subarray(0, 1000), data.subarray(1000)], false, true)).toEqual(reference(data, false, true));
  });
});

describe('listdir', () => {
  it('sorts ASCII names by bytes and mixed names by NFC UTF-8 bytes', () => {
    const d = mkdtempSync(join(dir, 'ls-'));
    const ascii = ['b', 'B', '_x', 'a.txt', 'a', '~', '0'];
    for (const n of ascii) writeFileSync(join(d, n), '');
    expect(listdir(d).map((e) => e.name)).toEqual([...ascii].sort());
    writeFileSync(join(d, '\u00e9'), '');
    expect(listdir(d).map((e) => e.name)).toEqual([...ascii].sort().concat('\u00e9'));
  });
});

describe('module graph of iscc sum', () => {
  it('loads core and the sdk native-blake3 module, never the sdk index', () => {
    // Follow the static and dynamic imports from commands/sum.ts through relative files.
    const seen = new Set<string>();
    const packages = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)) {
        const spec = m[1]!;
        if (spec.startsWith('.')) visit(join(file, '..', spec));
        else packages.add(spec);
      }
    };
    visit(join(__dirname, '..', 'commands', 'sum.ts'));
    visit(join(__dirname, 'worker.ts'));
    expect(seen.size).toBeGreaterThan(10);
    const nonNode = [...packages].filter((p) => !p.startsWith('node:')).sort();
    expect(nonNode).toEqual(['@iscc-ts/core', '@iscc-ts/sdk/native-blake3']);
    // The sdk module itself imports only core and node:*.
    const sdk = readFileSync(join(__dirname, '..', '..', '..', 'sdk', 'src', 'native-blake3.ts'), 'utf8');
    const sdkImports = [...sdk.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
    expect(sdkImports.every((s) => s === '@iscc-ts/core' || s!.startsWith('node:'))).toBe(true);
  });
});

describe('chmod', () => {
  it.skipIf(process.getuid?.() === 0)('an unreadable file is a ReadError with EACCES text', () => {
    const p = join(dir, 'locked');
    writeFileSync(p, 'x');
    chmodSync(p, 0);
    expect(() => sumFile(p, true, false)).toThrow(`[Errno 13] Permission denied: '${p}'`);
  });
});
