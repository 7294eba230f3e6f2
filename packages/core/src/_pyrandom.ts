/**
 * A deterministic pseudo-random generator identical to CPython's `random.Random` for the
 * calls iscc-core's `Code.rnd` makes (`seed(int)`, `getrandbits(k)`, `choice(seq)`), so that
 * `Code.rnd` after `Code.seed(0)` yields the same codes as the reference after
 * `Code.rgen = random.Random(0)`.
 *
 * Algorithm: MT19937 (Matsumoto & Nishimura 1998) seeded with `init_by_array` over the
 * little-endian 32-bit words of |seed| (CPython `random_seed`); `getrandbits(k)` takes
 * 32-bit outputs lowest word first, shifting the last one right; `choice` draws
 * `getrandbits(n.bit_length())` until the value is below n (CPython `_randbelow_with_getrandbits`).
 * Not cryptographic; never use it for identifiers.
 */
import { typeError } from './errors.ts';

const N = 624;
const M = 397;

/** CPython-compatible Mersenne Twister (`random.Random`) subset. */
export class PyRandom {
  #mt = new Uint32Array(N);
  #mti = N + 1;

  /** @param seed - non-negative or negative integer (|seed| is used, as CPython) */
  constructor(seed: number | bigint = 0) {
    this.seed(seed);
  }

  /** Re-seed like `random.seed(int)`. */
  seed(seed: number | bigint): void {
    if (typeof seed === 'number' && Number.isInteger(seed)) seed = BigInt(seed);
    if (typeof seed !== 'bigint') typeError('seed', 'an integer', seed);
    let n = seed < 0n ? -seed : seed;
    const key: number[] = [];
    while (n > 0n) {
      key.push(Number(n & 0xffffffffn));
      n >>= 32n;
    }
    if (key.length === 0) key.push(0);
    this.#initByArray(key);
  }

  #initGenrand(s: number): void {
    const mt = this.#mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const p = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, p) + i) >>> 0;
    }
    this.#mti = N;
  }

  #initByArray(key: readonly number[]): void {
    const mt = this.#mt;
    this.#initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k; k--) {
      const p = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(p, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k; k--) {
      const p = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(p, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  /** Next 32-bit output (`genrand_uint32`). */
  nextUint32(): number {
    const mt = this.#mt;
    if (this.#mti >= N) {
      let kk = 0;
      for (; kk < N - M; kk++) {
        const y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff);
        mt[kk] = mt[kk + M]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      for (; kk < N - 1; kk++) {
        const y = (mt[kk]! & 0x80000000) | (mt[kk + 1]! & 0x7fffffff);
        mt[kk] = mt[kk + (M - N)]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      const y = (mt[N - 1]! & 0x80000000) | (mt[0]! & 0x7fffffff);
      mt[N - 1] = mt[M - 1]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      this.#mti = 0;
    }
    let y = mt[this.#mti++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** `getrandbits(k)`: a k-bit non-negative integer. */
  getrandbits(k: number): bigint {
    if (!Number.isInteger(k) || k < 0) typeError('k', 'a non-negative integer', k);
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(this.nextUint32() >>> (32 - k));
    let out = 0n;
    let shift = 0n;
    for (let left = k; left > 0; left -= 32) {
      let r = this.nextUint32();
      if (left < 32) r >>>= 32 - left;
      out |= BigInt(r) << shift;
      shift += 32n;
    }
    return out;
  }

  /** `_randbelow(n)`: uniform integer in [0, n). */
  randbelow(n: number): number {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= BigInt(n)) r = this.getrandbits(k);
    return Number(r);
  }

  /** `choice(seq)`: a uniformly chosen element. */
  choice<T>(seq: readonly T[]): T {
    if (seq.length === 0) typeError('seq', 'a non-empty sequence', seq);
    return seq[this.randbelow(seq.length)]!;
  }
}
