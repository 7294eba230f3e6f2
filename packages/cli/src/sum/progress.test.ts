import { describe, expect, it } from 'vitest';
import { createProgress, NO_PROGRESS, PROGRESS_DELAY_MS } from './progress.ts';

describe('createProgress', () => {
  it('is silent when not a terminal or disabled', () => {
    expect(createProgress({ isTTY: false, write: () => true }, 0, true)).toBe(NO_PROGRESS);
    expect(createProgress({ isTTY: true, write: () => true }, 0, false)).toBe(NO_PROGRESS);
  });

  it('draws only after the delay and erases the line when done', () => {
    let t = 0;
    const out: string[] = [];
    const p = createProgress({ isTTY: true, write: (s: string) => out.push(s) }, 4, true, () => t);
    p.bytes(1024 * 1024);
    p.file();
    expect(out).toEqual([]);
    t = PROGRESS_DELAY_MS + 1;
    p.file();
    expect(out).toHaveLength(1);
    expect(out[0]).toContain('2/4 files 50%');
    p.done();
    expect(out[1]).toBe('\r\u001b[2K');
    p.setTotal(10);
    t += 1000;
    p.file();
    expect(out[2]).toContain('3/10 files 30%');
  });
});
