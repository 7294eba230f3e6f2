import { describe, it, expect } from 'vitest';
import { Readable } from 'node:stream';
import { IsccError } from './errors.ts';
import { feedStream, isAsyncByteSource, withStream, IO_READ_SIZE, type ByteSource } from './streams.ts';

const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
function collect(stream: ByteSource, readSize?: number): number[] | Promise<number[]> {
  const got: number[] = [];
  const sink = (c: Uint8Array): void => void got.push(...c);
  const p = feedStream(stream, sink, 'stream', readSize);
  return p === undefined ? got : p.then(() => got);
}

describe('feedStream', () => {
  it('consumes synchronous inputs synchronously', () => {
    expect(collect(bytes(1, 2, 3))).toEqual([1, 2, 3]);
    expect(collect([bytes(1), bytes(), bytes(2, 3)])).toEqual([1, 2, 3]);
    expect(collect(new Set([bytes(1), bytes(2)]))).toEqual([1, 2]);
    expect(collect((function* () { yield bytes(9); })())).toEqual([9]);
  });

  it('reads Python-like readers with read(n) until empty, null or undefined', () => {
    for (const end of [bytes(), null, undefined]) {
      const parts = [bytes(1, 2), bytes(3)];
      const sizes: number[] = [];
      const reader = { read: (n: number) => { sizes.push(n); return parts.length ? parts.shift()! : end; } };
      expect(collect(reader)).toEqual([1, 2, 3]);
      expect(sizes).toEqual([IO_READ_SIZE, IO_READ_SIZE, IO_READ_SIZE]);
    }
    let pos = 0;
    const data = bytes(1, 2, 3, 4, 5);
    expect(collect({ read: (n: number) => data.subarray(pos, (pos += n)) }, 2)).toEqual([1, 2, 3, 4, 5]);
    expect(() => collect({ read: () => bytes() }, 0)).toThrow(IsccError);
  });

  it('returns a Promise for async iterables, web ReadableStreams and Node Readables', async () => {
    const asyncGen = (async function* () { yield bytes(1); yield bytes(2); })();
    expect(isAsyncByteSource(asyncGen)).toBe(true);
    await expect(collect(asyncGen)).resolves.toEqual([1, 2]);
    const rs = new ReadableStream<Uint8Array>({ start: (c) => { c.enqueue(bytes(3)); c.close(); } });
    expect(isAsyncByteSource(rs)).toBe(true);
    await expect(collect(rs)).resolves.toEqual([3]);
    // A Node Readable also has read(n); it must be taken as async (its read() returns null early).
    const nodeStream = Readable.from([Buffer.from([4, 5]), Buffer.from([6])]);
    expect(isAsyncByteSource(nodeStream)).toBe(true);
    await expect(collect(nodeStream)).resolves.toEqual([4, 5, 6]);
    expect(isAsyncByteSource(bytes(1))).toBe(false);
    expect(isAsyncByteSource([bytes(1)])).toBe(false);
  });

  it('closes an async iterator when the sink fails', async () => {
    let closed = false;
    const source = (async function* () {
      try {
        yield bytes(1);
        yield bytes(2);
      } finally {
        closed = true;
      }
    })();
    const p = feedStream(source, () => {
      throw new IsccError('ISCC_INVALID_ARGUMENT', 'stop');
    });
    await expect(p).rejects.toThrow('stop');
    expect(closed).toBe(true);
  });

  it('rejects unsupported inputs and pieces', async () => {
    for (const bad of ['text', 42, null, undefined, {}, new ArrayBuffer(2), [1, 2]]) {
      expect(() => collect(bad as unknown as ByteSource)).toThrow(IsccError);
    }
    expect(() => collect({ read: () => 'x' } as unknown as ByteSource)).toThrow(IsccError);
    await expect(collect((async function* () { yield [1] as unknown as Uint8Array; })())).rejects.toThrow(IsccError);
  });
});

describe('withStream', () => {
  it('finishes directly or after the Promise', async () => {
    let n = 0;
    expect(withStream(bytes(1, 2), (c) => (n += c.length), () => n)).toBe(2);
    const p = withStream((async function* () { yield bytes(1); })(), (c) => (n += c.length), () => n);
    expect(p).toBeInstanceOf(Promise);
    await expect(p).resolves.toBe(3);
  });
});
