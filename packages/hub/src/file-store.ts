/**
 * The embedded log store: one directory holding
 *
 *   LOCK      pid of the process that owns the directory (a stale lock of a dead process is
 *             taken over; a live one refuses with HUB_LOCKED)
 *   log.bin   the records, each framed as uint32 BE length, uint32 BE CRC-32 of the record,
 *             record bytes
 *
 * Crash safety: a batch is written with one append and made durable with fdatasync before
 * commit() resolves, i.e. before the hub answers 201. On open the frames are read back up to
 * the first incomplete or corrupt one (a write torn by kill -9 or power loss, which was never
 * acknowledged) and the file is truncated there.
 */
import { closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, readSync, unlinkSync, writeSync, fstatSync } from 'node:fs';
import { open as openAsync, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { HUB_ERROR_CODES, HubError } from './errors.ts';
import type { LogStore } from './store.ts';

/** Name of the log file inside the data directory. */
export const LOG_FILE = 'log.bin';
const FRAME_HEADER = 8;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function takeLock(dir: string): string {
  const path = join(dir, 'LOCK');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o644);
      writeSync(fd, String(process.pid));
      fsyncSync(fd);
      closeSync(fd);
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && (pid === process.pid || pidAlive(pid))) break; // held (also by this process)
      unlinkSync(path); // stale lock of a dead process (or an empty file from a crash mid-write)
    }
  }
  throw new HubError(HUB_ERROR_CODES.LOCKED, `hub data directory ${dir} is held by another process (see ${path})`);
}

/**
 * Parse frames; returns the records, the byte length of the valid prefix, and whether what
 * follows it can only be a torn final write (an incomplete header or frame, or a last frame
 * or zero-filled tail that fails its CRC). Anything else after a bad frame is corruption of
 * acknowledged data, which must not be silently cut off.
 */
export function parseFrames(buf: Uint8Array): { records: Uint8Array[]; valid: number; tornTail: boolean } {
  const records: Uint8Array[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let o = 0;
  while (o + FRAME_HEADER <= buf.length) {
    const n = view.getUint32(o);
    const sum = view.getUint32(o + 4);
    // Records are never empty (log entries are JSON): a zero length is a zero-filled tail.
    if (n === 0 || o + FRAME_HEADER + n > buf.length) break;
    const rec = buf.subarray(o + FRAME_HEADER, o + FRAME_HEADER + n);
    if (crc32(rec) >>> 0 !== sum) break;
    records.push(rec);
    o += FRAME_HEADER + n;
  }
  let tornTail = true;
  if (o + FRAME_HEADER <= buf.length) {
    const n = view.getUint32(o);
    const last = o + FRAME_HEADER + n >= buf.length;
    tornTail = last || buf.subarray(o).every((b) => b === 0);
  }
  return { records, valid: o, tornTail };
}

/** Frame records for the log file (records must not be empty). */
export function encodeFrames(records: Uint8Array[]): Uint8Array {
  if (records.some((r) => r.length === 0)) throw new HubError(HUB_ERROR_CODES.STORAGE, 'empty log record');
  const total = records.reduce((s, r) => s + FRAME_HEADER + r.length, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let o = 0;
  for (const r of records) {
    view.setUint32(o, r.length);
    view.setUint32(o + 4, crc32(r) >>> 0);
    out.set(r, o + FRAME_HEADER);
    o += FRAME_HEADER + r.length;
  }
  return out;
}

/** The embedded, crash-safe log store in one directory. */
export class FileLogStore implements LogStore {
  readonly kind = 'file';
  readonly shared = false;
  /** Records read at open, handed to the hub once by read(0) and then released. */
  private loaded: Uint8Array[] | null = [];
  private count = 0;
  private lockPath: string | null = null;
  private fh: FileHandle | null = null;

  private constructor(readonly dir: string) {}

  /** Open (creating) the directory, take its lock, recover the log. */
  static async open(dir: string): Promise<FileLogStore> {
    const s = new FileLogStore(dir);
    const created = !existsSync(dir);
    mkdirSync(dir, { recursive: true });
    s.lockPath = takeLock(dir);
    try {
      const path = join(dir, LOG_FILE);
      const fresh = !existsSync(path);
      s.fh = await openAsync(path, 'a+');
      const size = fstatSync(s.fh.fd).size;
      const buf = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const n = readSync(s.fh.fd, buf, got, size - got, got);
        if (n <= 0) break;
        got += n;
      }
      const { records, valid, tornTail } = parseFrames(buf.subarray(0, got));
      if (!tornTail) {
        throw new HubError(HUB_ERROR_CODES.STORAGE, `hub log ${path} is corrupt at byte ${valid} (a bad frame followed by more data); restore it from a copy or a follower`);
      }
      if (valid < size) {
        // Torn tail: never acknowledged, drop it.
        await s.fh.truncate(valid);
        await s.fh.sync();
      }
      s.loaded = records.map((r) => r.slice());
      s.count = records.length;
      if (fresh || created) {
        const d = openSync(dir, 'r');
        try {
          fsyncSync(d); // make the new file's directory entry durable
        } finally {
          closeSync(d);
        }
      }
    } catch (err) {
      await s.close();
      throw err;
    }
    return s;
  }

  async read(from: number): Promise<Uint8Array[]> {
    if (from >= this.count) return [];
    if (!this.loaded) throw new HubError(HUB_ERROR_CODES.STORAGE, 'the embedded store hands out its records once (the hub keeps them)');
    const out = this.loaded.slice(from);
    this.loaded = null;
    return out;
  }

  async begin(): Promise<number> {
    if (!this.fh) throw new HubError(HUB_ERROR_CODES.CLOSED, 'hub log store is closed');
    return this.count;
  }

  async commit(start: number, records: Uint8Array[]): Promise<void> {
    if (!this.fh) throw new HubError(HUB_ERROR_CODES.CLOSED, 'hub log store is closed');
    if (start !== this.count) throw new HubError(HUB_ERROR_CODES.STORAGE, `append at ${start} but the log has ${this.count} records`);
    const buf = encodeFrames(records);
    let done = 0;
    while (done < buf.length) {
      const { bytesWritten } = await this.fh.write(buf, done, buf.length - done);
      done += bytesWritten;
    }
    await this.fh.datasync();
    this.count += records.length;
  }

  async abort(): Promise<void> {}

  async close(): Promise<void> {
    if (this.fh) {
      await this.fh.close().catch(() => undefined);
      this.fh = null;
    }
    if (this.lockPath) {
      try {
        unlinkSync(this.lockPath);
      } catch {
        // already gone
      }
      this.lockPath = null;
    }
  }
}
