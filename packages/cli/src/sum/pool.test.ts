import { describe, expect, it } from 'vitest';
import { createSumPool, MAX_WORKERS, poolSize } from './pool.ts';

describe('poolSize', () => {
  it('uses one worker fewer than the cores, and no pool below two workers', () => {
    expect(poolSize({}, 2)).toBe(0);
    expect(poolSize({}, 3)).toBe(2);
    expect(poolSize({}, 16)).toBe(15);
    expect(poolSize({}, 64)).toBe(MAX_WORKERS);
  });
  it('follows ISCC_SUM_THREADS', () => {
    expect(poolSize({ ISCC_SUM_THREADS: '1' }, 16)).toBe(0);
    expect(poolSize({ ISCC_SUM_THREADS: '4' }, 2)).toBe(4);
    expect(poolSize({ ISCC_SUM_THREADS: 'x' }, 4)).toBe(3);
  });
  it('is not available from TypeScript sources (the worker script is built JavaScript)', () => {
    expect(createSumPool({ ISCC_SUM_THREADS: '4' })).toBeNull();
  });
});
