import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createSumPool,
  defaultPoolSize,
  estimateWork,
  FILE_COST_S,
  GIB_COST_S,
  MAX_WORKERS,
  poolSize,
  SIZE_SAMPLE_FILES,
  WORK_PER_WORKER_S,
} from './pool.ts';

const GIB = 2 ** 30;

describe('defaultPoolSize', () => {
  it('makes no pool for little work (10,000 files of 4 KiB), whatever the cores', () => {
    expect(defaultPoolSize({ files: 10_000, bytes: 10_000 * 4096 }, 16)).toBe(0);
    expect(defaultPoolSize({ files: 64, bytes: 64 * 2 ** 20 }, 16)).toBe(0);
  });
  it('gives one worker per WORK_PER_WORKER_S of estimated work', () => {
    const perWorkerFiles = WORK_PER_WORKER_S / FILE_COST_S;
    expect(defaultPoolSize({ files: Math.ceil(3 * perWorkerFiles), bytes: 0 }, 16)).toBe(3);
    expect(defaultPoolSize({ files: 100, bytes: (4 * WORK_PER_WORKER_S * GIB) / GIB_COST_S }, 16)).toBe(4);
  });
  it('is at most one fewer than the cores and MAX_WORKERS, and never 1', () => {
    const lots = { files: 1e7, bytes: 1e13 };
    expect(defaultPoolSize(lots, 2)).toBe(0);
    expect(defaultPoolSize(lots, 3)).toBe(2);
    expect(defaultPoolSize(lots, 16)).toBe(15);
    expect(defaultPoolSize(lots, 64)).toBe(MAX_WORKERS);
    expect(defaultPoolSize({ files: 0, bytes: (1.5 * WORK_PER_WORKER_S * GIB) / GIB_COST_S }, 16)).toBe(0);
  });
});

describe('poolSize', () => {
  it('sizes by the work when given, else as for unbounded work', () => {
    expect(poolSize({}, 16, { files: 10_000, bytes: 10_000 * 4096 })).toBe(0);
    expect(poolSize({}, 2)).toBe(0);
    expect(poolSize({}, 3)).toBe(2);
    expect(poolSize({}, 16)).toBe(15);
    expect(poolSize({}, 64)).toBe(MAX_WORKERS);
  });
  it('follows ISCC_SUM_THREADS whatever the work', () => {
    expect(poolSize({ ISCC_SUM_THREADS: '1' }, 16)).toBe(0);
    expect(poolSize({ ISCC_SUM_THREADS: '4' }, 2)).toBe(4);
    expect(poolSize({ ISCC_SUM_THREADS: '4' }, 16, { files: 100, bytes: 0 })).toBe(4);
    expect(poolSize({ ISCC_SUM_THREADS: 'x' }, 4)).toBe(3);
    expect(poolSize({ ISCC_SUM_THREADS: 'x' }, 4, { files: 100, bytes: 0 })).toBe(0);
  });
  it('is not available from TypeScript sources (the worker script is built JavaScript)', () => {
    expect(createSumPool({ ISCC_SUM_THREADS: '4' }, ['a', 'b'])).toBeNull();
  });
});

describe('estimateWork', () => {
  it('counts files and sums sizes (all of them when few; missing ones and nulls count as empty)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-'));
    try {
      const a = join(dir, 'a');
      const b = join(dir, 'b');
      writeFileSync(a, new Uint8Array(1000));
      writeFileSync(b, new Uint8Array(24));
      expect(estimateWork([a, null, b, join(dir, 'missing')])).toEqual({ files: 3, bytes: 1024 });
      expect(estimateWork([null])).toEqual({ files: 0, bytes: 0 });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
  it('scales a sample up for many files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pool-'));
    try {
      const f = join(dir, 'f');
      writeFileSync(f, new Uint8Array(100));
      const paths = Array.from({ length: SIZE_SAMPLE_FILES * 3 }, () => f);
      expect(estimateWork(paths)).toEqual({ files: paths.length, bytes: 100 * paths.length });
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});
