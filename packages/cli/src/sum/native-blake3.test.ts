import { blake3 as noble } from '@noble/hashes/blake3.js';
import { codeIsccSum, setBlake3 } from '@iscc-ts/core';
import { afterEach, describe, expect, it } from 'vitest';
import { useNativeBlake3, type NativeBlake3Module } from './native-blake3.ts';

/** A stand-in for the addon with its API (update / digestBuffer without finalising). */
function fakeAddon(calls: { n: number }): NativeBlake3Module {
  return {
    Blake3Hasher: class {
      #h = noble.create({});
      update(input: Uint8Array) {
        calls.n++;
        this.#h.update(input);
        return this;
      }
      digestBuffer() {
        return Buffer.from(this.#h.clone().digest());
      }
    },
  };
}

afterEach(() => setBlake3(undefined));

describe('useNativeBlake3', () => {
  it('installs the addon into core; digests stay those of the vectors', () => {
    const calls = { n: 0 };
    expect(useNativeBlake3({}, () => fakeAddon(calls))).toBe(true);
    const r = codeIsccSum(new TextEncoder().encode('Hello, ISCC!'), false, false);
    expect(r.iscc).toBe('ISCC:KUAJT3PT7PO3RSCYK5JRHEQEAWCIY');
    expect(r.datahash).toBe('1e20575313920405848c4976f95e8309dbc5f842a7f83ef0d6edea398cc238f3386d');
    expect(calls.n).toBe(1);
  });

  it('does nothing when disabled or not installed', () => {
    const calls = { n: 0 };
    expect(useNativeBlake3({ ISCC_NATIVE_BLAKE3: '0' }, () => fakeAddon(calls))).toBe(false);
    expect(useNativeBlake3({}, () => null)).toBe(false);
    codeIsccSum(new Uint8Array(10), false, false);
    expect(calls.n).toBe(0);
  });
});
