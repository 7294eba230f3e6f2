/**
 * Buffered text output for `iscc sum`: lines collect in memory and go out in large writes
 * (one write per line costs more than hashing a small file), to stdout or to the `-o` file
 * (always UTF-8, the caller decides the terminators). Before anything goes to stderr the
 * buffer is flushed, so stdout and stderr keep their relative order on a terminal.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

/** Flush when this many characters are pending. */
const FLUSH_CHARS = 64 * 1024;

/** A text destination. */
export interface Sink {
  /** Queue text. */
  write(s: string): void;
  /** Write out what is queued; resolves once the stream accepted it (back-pressure). */
  flush(): Promise<void>;
  /** Flush and release (closes the `-o` file). */
  close(): Promise<void>;
}

/** A sink writing to a Node writable stream (stdout). */
export function streamSink(stream: NodeJS.WritableStream): Sink {
  let pending = '';
  const flush = async () => {
    if (pending === '') return;
    const s = pending;
    pending = '';
    if (!stream.write(s)) await new Promise<void>((r) => stream.once('drain', () => r()));
  };
  return {
    write(s) {
      pending += s;
      if (pending.length >= FLUSH_CHARS) void flush();
    },
    flush,
    close: flush,
  };
}

/**
 * A sink writing to a file, created or truncated now (iscc-sum opens `-o` before hashing).
 * @throws the open error (the caller reports it)
 */
export function fileSink(path: string): Sink {
  const fd = openSync(path, 'w');
  let pending = '';
  const flushSync = () => {
    if (pending === '') return;
    const b = Buffer.from(pending, 'utf8');
    pending = '';
    let off = 0;
    while (off < b.length) off += writeSync(fd, b, off, b.length - off);
  };
  let closed = false;
  return {
    write(s) {
      pending += s;
      if (pending.length >= FLUSH_CHARS) flushSync();
    },
    async flush() {
      flushSync();
    },
    async close() {
      if (closed) return;
      flushSync();
      closeSync(fd);
      closed = true;
    },
  };
}
