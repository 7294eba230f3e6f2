/**
 * The default log sink: one JSON line per record on stdout, written together at the end of
 * the event-loop turn (or as soon as LOG_BUFFER_CHARS wait), in order.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { stdoutLog, LOG_BUFFER_CHARS } from './middleware.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stdoutLog', () => {
  it('writes the lines of one turn with one write, in order', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    stdoutLog({ n: 1 });
    stdoutLog({ n: 2, s: 'a\nb' });
    expect(writes).toEqual([]);
    await new Promise((r) => setImmediate(r));
    expect(writes).toEqual(['{"n":1}\n{"n":2,"s":"a\\nb"}\n']);
  });

  it('writes at once when LOG_BUFFER_CHARS are waiting', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    const big = 'x'.repeat(LOG_BUFFER_CHARS);
    stdoutLog({ big });
    expect(writes).toHaveLength(1);
    stdoutLog({ n: 3 });
    await new Promise((r) => setImmediate(r));
    expect(writes.map((w) => JSON.parse(w.trim()) as unknown)).toEqual([{ big }, { n: 3 }]);
  });
});
