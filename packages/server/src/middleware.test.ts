/**
 * The default log sink: one JSON line per record on stdout, written together at the end of
 * the event-loop turn (or as soon as LOG_BUFFER_CHARS wait), in order. The time limit:
 * answers pass through, handler errors propagate, a slow handler gets 503 SERVER_TIMEOUT and
 * its late failure is no unhandled rejection.
 */
import { describe, it, expect, vi, afterEach } from 'vitest';
import { Hono } from 'hono';
import { stdoutLog, timeLimit, LOG_BUFFER_CHARS } from './middleware.ts';
import { ServerError } from './problem.ts';

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

describe('timeLimit', () => {
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
  function app(): Hono {
    const a = new Hono();
    a.use('*', timeLimit(50));
    a.onError((err, c) => c.json({ code: err instanceof ServerError ? err.code : String(err.message) }, err instanceof ServerError ? (err.status as 503) : 500));
    a.get('/fast', (c) => c.text('ok'));
    a.get('/fails', () => {
      throw new Error('boom');
    });
    a.get('/slow', async (c) => {
      await sleep(150);
      return c.text('late');
    });
    a.get('/slow-fails', async () => {
      await sleep(150);
      throw new Error('late boom');
    });
    return a;
  }

  it('passes answers and errors through, and answers 503 SERVER_TIMEOUT for a slow handler', async () => {
    const a = app();
    expect(await (await a.request('/fast')).text()).toBe('ok');
    const failed = await a.request('/fails');
    expect([failed.status, await failed.json()]).toEqual([500, { code: 'boom' }]);
    const slow = await a.request('/slow');
    expect([slow.status, await slow.json()]).toEqual([503, { code: 'SERVER_TIMEOUT' }]);
  });

  it('a late failure of an abandoned handler is not an unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (e: unknown): void => void unhandled.push(e);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect((await app().request('/slow-fails')).status).toBe(503);
      await sleep(200);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
