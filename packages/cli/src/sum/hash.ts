/**
 * Reading files into the ISCC-SUM hasher of core: one read loop per file with one reused
 * buffer of {@link IO_READ_SIZE} bytes, each piece fed to both the Data-Code and the
 * Instance-Code hasher (core's `IsccSumHasher`), so memory stays constant whatever the size.
 * Reads are synchronous: for many small files that is several times faster than promises, and
 * the buffer is never shared between files in flight.
 *
 * Errors are reported with Python's wording for an `OSError` (`[Errno 2] No such file or
 * directory: 'x'`), because iscc-sum prints `str(e)` of the exception.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { IsccSumHasher, type IsccSumResult } from '@iscc-ts/core';
import { pyRepr } from './ignore.ts';

/** Bytes per read, as iscc-sum (`IO_READ_SIZE = 2097152`). */
export const IO_READ_SIZE = 2 * 1024 * 1024;

/** Python's errno text for the Node error codes a read can give. */
const ERRNO: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EIO: [5, 'Input/output error'],
  ENXIO: [6, 'No such device or address'],
  EBADF: [9, 'Bad file descriptor'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  EBUSY: [16, 'Device or resource busy'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  ENFILE: [23, 'Too many open files in system'],
  EMFILE: [24, 'Too many open files'],
  ENAMETOOLONG: [36, 'File name too long'],
  ELOOP: [40, 'Too many levels of symbolic links'],
  ESTALE: [116, 'Stale file handle'],
};

/**
 * `str(OSError)` as Python prints it for a failed `open(path)`/read:
 * `[Errno 13] Permission denied: 'path'`.
 */
export function pyOsError(err: unknown, path: string): string {
  const e = err as NodeJS.ErrnoException;
  const known = e && typeof e.code === 'string' ? ERRNO[e.code] : undefined;
  if (known) return `[Errno ${known[0]}] ${known[1]}: ${pyRepr(path)}`;
  if (e && typeof e.errno === 'number') {
    const text = (e.message ?? '').replace(/^[A-Z]+: /, '').replace(/,.*$/, '');
    return `[Errno ${Math.abs(e.errno)}] ${text}: ${pyRepr(path)}`;
  }
  return String((e && e.message) ?? err);
}

/**
 * The text iscc-sum would print for an exception from a file-system call: Python's OSError
 * text when it is one (Node errors carry the path), else the message.
 */
export function describeError(err: unknown): string {
  if (err instanceof ReadError) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e && typeof e.code === 'string' && typeof e.path === 'string') return pyOsError(e, e.path);
  return String((e && e.message) ?? err);
}

/** An error while reading a file, with Python's message (see {@link pyOsError}). */
export class ReadError extends Error {
  override readonly name = 'ReadError';
}

/** One buffer per thread: reads never overlap (they are synchronous). */
let sharedBuffer: Uint8Array | null = null;

/** Called after every read with the number of bytes read (for the progress bar). */
export type OnBytes = (n: number) => void;

/**
 * Feed the whole file at `path` to `hasher`.
 * @throws ReadError with Python's OSError text when the file cannot be opened or read
 */
export function feedFile(hasher: IsccSumHasher, path: string, onBytes?: OnBytes): void {
  const buf = (sharedBuffer ??= new Uint8Array(IO_READ_SIZE));
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new ReadError(pyOsError(e, path));
  }
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, IO_READ_SIZE, null);
      } catch (e) {
        throw new ReadError(pyOsError(e, path));
      }
      if (n === 0) break;
      hasher.update(n === IO_READ_SIZE ? buf : buf.subarray(0, n));
      onBytes?.(n);
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * ISCC-SUM of one file.
 * @param wide - 128-bit units (iscc-sum's default) instead of 64-bit (`--narrow`)
 * @param addUnits - also return the two 256-bit units
 * @throws ReadError when the file cannot be read
 */
export function sumFile(path: string, wide: boolean, addUnits: boolean, onBytes?: OnBytes): IsccSumResult {
  const h = new IsccSumHasher();
  feedFile(h, path, onBytes);
  return h.result(wide, addUnits);
}

/** ISCC-SUM of a byte stream (stdin): its chunks go to the hasher as they come. */
export async function sumStream(
  stream: AsyncIterable<Uint8Array | string>,
  wide: boolean,
  addUnits: boolean,
): Promise<IsccSumResult> {
  const h = new IsccSumHasher();
  for await (const chunk of stream) {
    h.update(typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk);
  }
  return h.result(wide, addUnits);
}
