/**
 * Byte-stream adapters for the hashing generators (Data-Code, Instance-Code, ISCC-SUM, CIDv1).
 *
 * iscc-core reads a file-like object with `stream.read(io_read_size)` until it returns empty
 * bytes. Here one helper, {@link feedStream}, accepts the shapes a JavaScript caller holds and
 * hands each piece to a sink (the hashers' `push`), never buffering the whole input:
 *
 * - synchronous, so the generator returns its result directly:
 *   a `Uint8Array` (one piece), a sync iterable of `Uint8Array` (e.g. an array of chunks or a
 *   generator), or a Python-like reader with `read(n): Uint8Array` (empty, `null` or
 *   `undefined` at the end);
 * - asynchronous, so the generator returns a Promise of the same result:
 *   a web `ReadableStream<Uint8Array>` (read through `getReader()`, which every browser has) or
 *   any async iterable of `Uint8Array` (Node `Readable`, `fs.createReadStream`, async generators).
 *
 * Detection order: Uint8Array, ReadableStream, async iterable, sync iterable, reader. Async comes
 * before reader on purpose: a Node `Readable` also has a `read(n)` method, but it returns `null`
 * whenever its buffer is momentarily empty, not only at the end.
 *
 * Pieces are handed over as they come (a reused buffer must not be changed before the sink
 * returns; the hashers copy what they keep).
 */
import { describe, typeError, IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { coreOpts } from './options.ts';

/** A Python-like file object: `read(size)` returns up to `size` bytes, empty at the end. */
export interface ByteReader {
  read(size: number): Uint8Array | null | undefined;
}

/** Inputs read synchronously: the generator returns its result directly. */
export type SyncByteSource = Uint8Array | Iterable<Uint8Array> | ByteReader;

/** Inputs read asynchronously: the generator returns a Promise of its result. */
export type AsyncByteSource = AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** Every input shape the stream-hashing generators accept. */
export type ByteSource = SyncByteSource | AsyncByteSource;

/** A consumer of byte pieces, e.g. a hasher's `push`. */
export type ByteSink = (chunk: Uint8Array) => void;

/** Bytes requested per `read(n)` call from a {@link ByteReader} (iscc-core `io_read_size`, 2 MiB). */
export const IO_READ_SIZE: number = coreOpts.io_read_size;

type AnyObject = Record<PropertyKey, unknown>;

function isObject(v: unknown): v is AnyObject {
  return (typeof v === 'object' && v !== null) || typeof v === 'function';
}

function isReadableStream(v: unknown): v is ReadableStream<Uint8Array> {
  return isObject(v) && typeof v['getReader'] === 'function' && typeof v['cancel'] === 'function';
}

function isAsyncIterable(v: unknown): v is AsyncIterable<Uint8Array> {
  return isObject(v) && typeof v[Symbol.asyncIterator] === 'function';
}

function isSyncIterable(v: unknown): v is Iterable<Uint8Array> {
  return isObject(v) && typeof v[Symbol.iterator] === 'function';
}

function isReader(v: unknown): v is ByteReader {
  return isObject(v) && typeof v['read'] === 'function';
}

/**
 * Whether `stream` is read asynchronously (so that generators return a Promise for it).
 * @param stream - any value
 * @returns true for a ReadableStream or an async iterable that is not a Uint8Array
 */
export function isAsyncByteSource(stream: unknown): stream is AsyncByteSource {
  return !(stream instanceof Uint8Array) && (isReadableStream(stream) || isAsyncIterable(stream));
}

const EXPECTED =
  'a Uint8Array, an iterable or async iterable of Uint8Array, a ReadableStream<Uint8Array> or an object with read(n)';

function checkChunk(chunk: unknown, name: string, index: number): Uint8Array {
  if (!(chunk instanceof Uint8Array)) typeError(`${name} piece ${index}`, 'a Uint8Array', chunk);
  return chunk;
}

async function feedReadableStream(stream: ReadableStream<Uint8Array>, sink: ByteSink, name: string): Promise<void> {
  const reader = stream.getReader();
  let index = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      sink(checkChunk(value, name, index++));
    }
  } catch (err) {
    // Stop the producer: nobody will read the rest.
    await reader.cancel(err).catch(() => undefined);
    throw err;
  } finally {
    reader.releaseLock();
  }
}

async function feedAsyncIterable(stream: AsyncIterable<Uint8Array>, sink: ByteSink, name: string): Promise<void> {
  let index = 0;
  // for-await calls the iterator's return() when the sink throws, closing e.g. a file stream.
  for await (const chunk of stream) sink(checkChunk(chunk, name, index++));
}

function feedReader(stream: ByteReader, sink: ByteSink, name: string, readSize: number): void {
  for (let index = 0; ; index++) {
    const chunk: unknown = stream.read(readSize);
    if (chunk === null || chunk === undefined) return;
    if (isObject(chunk) && typeof chunk['then'] === 'function') {
      typeError(`${name}.read()`, 'a Uint8Array returned synchronously (use an async iterable for async sources)', chunk);
    }
    if (checkChunk(chunk, name, index).length === 0) return;
    sink(chunk as Uint8Array);
  }
}

/**
 * Hand every piece of `stream` to `sink`, in order.
 * @param stream - the input (see the module comment for the accepted shapes)
 * @param sink - called once per piece (empty pieces from iterables are passed on too)
 * @param name - argument name for error messages (default `stream`)
 * @param readSize - bytes per `read(n)` call for Python-like readers (default 2 MiB)
 * @returns undefined when the input was consumed synchronously, else a Promise that settles
 *   when it is consumed (rejecting with the first error)
 * @throws IsccError ISCC_INVALID_TYPE for an unsupported input or a piece that is not a
 *   Uint8Array (asynchronous inputs reject instead)
 * @example feedStream([new Uint8Array([1]), new Uint8Array([2])], (c) => hasher.push(c)) // undefined
 */
export function feedStream(
  stream: ByteSource,
  sink: ByteSink,
  name = 'stream',
  readSize: number = IO_READ_SIZE,
): Promise<void> | undefined {
  if (stream instanceof Uint8Array) {
    sink(stream);
    return undefined;
  }
  if (typeof stream === 'string') typeError(name, `${EXPECTED} (encode text first)`, stream);
  if (isReadableStream(stream)) return feedReadableStream(stream, sink, name);
  if (isAsyncIterable(stream)) return feedAsyncIterable(stream, sink, name);
  if (isSyncIterable(stream)) {
    let index = 0;
    for (const chunk of stream) sink(checkChunk(chunk, name, index++));
    return undefined;
  }
  if (isReader(stream)) {
    if (!Number.isSafeInteger(readSize) || readSize < 1) {
      throw new IsccError(ISCC_ERROR_CODES.INVALID_ARGUMENT, `readSize: expected a positive integer, got ${describe(readSize)}`);
    }
    feedReader(stream, sink, name, readSize);
    return undefined;
  }
  return typeError(name, EXPECTED, stream);
}

/**
 * Feed `stream` to `sink`, then compute the result with `finish`: directly for synchronous
 * inputs, as a Promise for asynchronous ones. The shared driver of every stream generator.
 * @param stream - the input
 * @param sink - receives each piece
 * @param finish - builds the result once the input is consumed
 * @param name - argument name for error messages
 * @returns the result, or a Promise of it for asynchronous inputs
 * @throws IsccError as {@link feedStream}
 */
export function withStream<R>(stream: ByteSource, sink: ByteSink, finish: () => R, name = 'stream'): R | Promise<R> {
  const pending = feedStream(stream, sink, name);
  return pending === undefined ? finish() : pending.then(finish);
}
