// How core behaves where a runtime refuses synchronous compilation of large WebAssembly
// modules (Chromium's main thread: over 4 KiB): simulated by a WebAssembly.Module that throws
// for such modules, on fresh copies of core's modules.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';

const RealModule = WebAssembly.Module;

afterEach(() => {
  (WebAssembly as { Module: typeof WebAssembly.Module }).Module = RealModule;
  vi.resetModules();
});

describe('a runtime that compiles only small modules synchronously', () => {
  it('uses the kernels at once, the BLAKE3 module after asynchronous compilation, same digests', async () => {
    (WebAssembly as { Module: unknown }).Module = function (bytes: Uint8Array) {
      if (bytes.length > 4096) throw new RangeError('WebAssembly.Module(): Out of memory: sync compile of > 4KB');
      return new RealModule(bytes as Uint8Array<ArrayBuffer>);
    };
    vi.resetModules();
    const core = await import('./index.ts');
    const wasm = await import('./blake3-wasm.ts');
    expect(core.turbo()).toBe(true); // the kernels module is below 4 KiB
    const data = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) & 0xff);
    const before = core.createBlake3();
    expect(before).not.toBeInstanceOf(wasm.Blake3Wasm); // pure fallback meanwhile
    before.update(data);
    expect(before.digest()).toEqual(nobleBlake3(data));
    await vi.waitFor(() => expect(core.createBlake3()).toBeInstanceOf(wasm.Blake3Wasm));
    const after = core.createBlake3();
    after.update(data);
    expect(after.digest()).toEqual(nobleBlake3(data));
  });
});
