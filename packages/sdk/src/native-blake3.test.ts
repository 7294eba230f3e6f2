import { afterEach, describe, expect, it } from 'vitest';
import { blake3 as nobleBlake3 } from '@noble/hashes/blake3.js';
import { InstanceHasherV0, createBlake3, genInstanceCodeV0 } from '@iscc-ts/core';
import { NATIVE_BLAKE3_MIN_BYTES, installNativeBlake3, loadNativeBlake3, uninstallNativeBlake3 } from './native-blake3.ts';

afterEach(() => uninstallNativeBlake3());

const data = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31 + (i >>> 9)) & 0xff);

describe('installNativeBlake3', () => {
  const available = loadNativeBlake3() !== null;
  it.runIf(available)('installs the addon, with digests identical to the pure implementation', () => {
    const builtin = genInstanceCodeV0(data, 256);
    expect(installNativeBlake3()).toBe(true);
    const h = createBlake3();
    h.update(data);
    expect(h.digest()).toEqual(nobleBlake3(data));
    expect(genInstanceCodeV0(data, 256)).toEqual(builtin);
  });
  it.runIf(available)('keeps InstanceHasherV0 digests repeatable and continuable (reference semantics)', () => {
    installNativeBlake3();
    const h = new InstanceHasherV0(data.subarray(0, 1000));
    expect(h.digest()).toEqual(nobleBlake3(data.subarray(0, 1000)));
    h.push(data.subarray(1000));
    expect(h.digest()).toEqual(nobleBlake3(data));
    expect(h.digest()).toEqual(nobleBlake3(data));
  });
  it.runIf(available)('hashes small inputs with the built-in BLAKE3 and switches to native past the threshold', () => {
    installNativeBlake3();
    for (const n of [0, 1, 1025, NATIVE_BLAKE3_MIN_BYTES, NATIVE_BLAKE3_MIN_BYTES + 1, 100_000]) {
      const d = data.subarray(0, n);
      const h = createBlake3();
      h.update(d.subarray(0, n >>> 1));
      h.update(d.subarray(n >>> 1));
      expect(h.digest(), `n=${n}`).toEqual(nobleBlake3(d));
    }
  });
  it('uses the addon only past the threshold (counted with a fake addon)', () => {
    let created = 0;
    const fake = {
      Blake3Hasher: class {
        readonly inner = nobleBlake3.create({});
        constructor() {
          created++;
        }
        update(d: Uint8Array): void {
          this.inner.update(d);
        }
        digestBuffer(): Uint8Array {
          return this.inner.clone().digest();
        }
      },
    };
    expect(installNativeBlake3(() => fake)).toBe(true);
    created = 0;
    const small = createBlake3();
    small.update(data.subarray(0, NATIVE_BLAKE3_MIN_BYTES));
    expect(small.digest()).toEqual(nobleBlake3(data.subarray(0, NATIVE_BLAKE3_MIN_BYTES)));
    expect(created).toBe(0);
    const big = createBlake3();
    big.update(data.subarray(0, 5000));
    big.update(data.subarray(5000, 50_000));
    expect(big.digest()).toEqual(nobleBlake3(data.subarray(0, 50_000)));
    expect(created).toBe(1);
  });
  it('returns false and leaves the built-in hasher when the addon is missing or broken', () => {
    const before = createBlake3().constructor;
    expect(installNativeBlake3(() => null)).toBe(false);
    const broken = { Blake3Hasher: class { update(): void {} digestBuffer(): Uint8Array { return new Uint8Array(32); } } };
    expect(installNativeBlake3(() => broken)).toBe(false);
    expect(createBlake3().constructor).toBe(before);
  });
});
