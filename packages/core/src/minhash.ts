/**
 * MinHash over integer feature sets, as iscc-core `minhash.py` (ISO 24138, Data-Code and
 * Text-Code similarity digests).
 *
 * Algorithm (iscc-core `alg_minhash`): for each of 64 fixed permutations `(a, b)` the value of a
 * feature `f` is `((a * f + b) mod 2^64) mod (2^61 - 1)`, truncated to its low 32 bits; the
 * minhash vector holds the minimum over all features per permutation. `algMinhashCompress` then
 * concatenates the `lsb` least significant bits of the 64 values, bit position by bit position
 * (all bit-0s first, then all bit-1s, ...), into a big-endian byte string.
 *
 * The permutation constants are 61-bit, so the reference relies on Python's unbounded integers.
 * The hot loop here uses 32-bit integer arithmetic instead of BigInt: every 64-bit value is
 * kept as two 32-bit words, the 64-bit product is assembled from `Math.imul` (low word, and the
 * cross terms that only matter modulo 2^32) and 16x16-bit partial products (high word), and the
 * reduction modulo the Mersenne prime 2^61-1 is a fold of the top 3 bits. The test suite checks
 * this against a straightforward BigInt oracle with random 64-bit features. Measured on Node 20:
 * 65536 features in ~25 ms; a first version with float division and `%` took ~180 ms.
 *
 * Where WebAssembly is available the same fold runs in a kernel (wasm-kernels.ts), whose
 * native i64 multiply gives `(a * f + b) mod 2^64` directly (several times faster); the pure
 * version above stays the oracle it is tested against (`_algMinhashPure`).
 */
import { argError, typeError } from './errors.ts';
import { K_IN, K_IN_CAP, K_MINS, K_MPA, K_MPB, _registerKernelTables, kernels, type Kernels } from './wasm-kernels.ts';

/** 2^64 - 1: the reference masks `a * f + b` to 64 bits with this value. */
export const MAXI64: bigint = (1n << 64n) - 1n;
/** 2^61 - 1, the Mersenne prime modulus of the permutations. */
export const MPRIME: bigint = (1n << 61n) - 1n;
/** 2^32 - 1: minhash values are truncated to 32 bits with this mask. */
export const MAXH: number = 0xffffffff;

/** Multipliers `a` of the 64 permutations (iscc-core `MPA`), a conformance-critical table. */
export const MPA: readonly bigint[] = Object.freeze([
  853146490016488653n, 1849332765672628665n, 1131688930666554379n, 1936485333668353377n, 890837126813020267n,
  1988249303247129861n, 1408894512544874755n, 2140251716176616185n, 1755124413189049421n,
  1355916793659431597n, 546586563822844083n, 497603761441203021n, 2000709902557454173n, 1057597903350092207n,
  1576204252850880253n, 2078784234495706739n, 1022616668454863635n, 2150082342606334489n,
  712341150087765807n, 1511757510246096559n, 1525853819909660573n, 1263771796138990131n,
  1215963627200985263n, 590069150281426443n, 130824646248385081n, 962725325544728503n, 1702561325943522847n,
  296074222435072629n, 490211158716051523n, 1255327197241792767n, 699458998727907367n, 32930168991409845n,
  1985097843455124585n, 362027841570125531n, 1903252144040897835n, 900391845076405289n, 547470123601853551n,
  1689373724032359119n, 845594231933442371n, 400331968021206285n, 174967108345233429n, 876513700861085019n,
  505848386844809885n, 1920468508342256199n, 1292611725303815789n, 963317239501343903n, 1730880032297268007n,
  284614929850059717n, 1185026248283273081n, 2167288823816985197n, 1214905315086686483n,
  1555253098157439857n, 1048013650291539723n, 1238618594841147605n, 1213502582686547311n,
  286300733803129311n, 1250358511639043529n, 407534797452854371n, 960869149538623787n, 1722699901467253087n,
  1325704236119824319n, 196979859428570839n, 1669408735473259699n, 781336617016068757n,
]);

/** Increments `b` of the 64 permutations (iscc-core `MPB`), a conformance-critical table. */
export const MPB: readonly bigint[] = Object.freeze([
  1089606993368836715n, 726972438868274737n, 66204585613901025n, 1078410179646709132n, 1343470117098523467n,
  698653121981343911n, 1248486536592473639n, 1447963007834012793n, 1034598851883537815n,
  1474008409379745934n, 793773480906057541n, 980501101461882479n, 963941556313537655n, 233651787311327325n,
  243905121737149907n, 570269452476776142n, 297633284648631084n, 1516796967247398557n, 1494795672066692649n,
  1728741177365151059n, 1029197538967983408n, 1660732464170610344n, 1399769594446678069n,
  506465470557005705n, 1279720146829545181n, 860096419955634036n, 411519685280832908n, 69539191273403207n,
  1960489729088056217n, 605092075716397684n, 1017496016211653149n, 1304834535101321372n, 949013511180032347n,
  1142776242221098779n, 576980004709031232n, 1071272177143100544n, 1494527341093835499n,
  1073290814142727850n, 1285904200674942617n, 1277176606329477335n, 343788427301735585n,
  2100915269685487331n, 1227711252031557450n, 18593166391963377n, 2101884148332688233n, 191808277534686888n,
  2170124912729392024n, 918430470748151293n, 1831024560113812361n, 1951365515851067694n, 744352348473654499n,
  1921518311887826722n, 2020165648600700886n, 1764930142256726985n, 1903893374912839788n,
  1449378957774802122n, 1435825328374066345n, 833197549717762813n, 2238991044337210799n, 748955638857938366n,
  1834583747494146901n, 222012292803592982n, 901238460725547841n, 1501611130776083278n,
]);

const TWO32 = 4294967296;
/** Splits 64-bit constants into 32-bit halves once, so the hot loop never sees a BigInt. */
function halves(values: readonly bigint[]): [Uint32Array, Uint32Array] {
  const hi = new Uint32Array(values.length);
  const lo = new Uint32Array(values.length);
  values.forEach((v, i) => {
    hi[i] = Number(v >> 32n);
    lo[i] = Number(v & 0xffffffffn);
  });
  return [hi, lo];
}

const [A_HI, A_LO] = halves(MPA);
const [B_HI, B_LO] = halves(MPB);

/** A feature as a 64-bit two's-complement value (Python's `& MAXI64` of any integer). */
function featureHalves(features: readonly (number | bigint)[]): [Uint32Array, Uint32Array] {
  const n = features.length;
  const hi = new Uint32Array(n);
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const f = features[i];
    if (typeof f === 'number') {
      if (!Number.isInteger(f)) typeError(`features[${i}]`, 'an integer', f);
      if (f >= 0 && f < TWO32) {
        lo[i] = f; // the common case: 32-bit xxh32 feature hashes
        continue;
      }
      const v = BigInt(f) & MAXI64;
      hi[i] = Number(v >> 32n);
      lo[i] = Number(v & 0xffffffffn);
    } else if (typeof f === 'bigint') {
      const v = f & MAXI64;
      hi[i] = Number(v >> 32n);
      lo[i] = Number(v & 0xffffffffn);
    } else {
      typeError(`features[${i}]`, 'an integer (number or bigint)', f);
    }
  }
  return [hi, lo];
}

/**
 * 64-dimensional minhash vector of integer features (iscc-core `alg_minhash`).
 *
 * Uses the WebAssembly kernel (native 64-bit multiply) when it is available and every feature
 * is below 2^32 (as xxh32 features are); otherwise the pure 32-bit-word implementation.
 * @param features - non-empty list of integers; only their value modulo 2^64 matters
 * @returns 64 unsigned 32-bit integers
 * @throws IsccError ISCC_INVALID_ARGUMENT for an empty list (Python raises ValueError from
 *   `min([])`), ISCC_INVALID_TYPE for a non-integer feature
 * @example algMinhash([2 ** 16])[0] // 1968499307
 */
export function algMinhash(features: readonly (number | bigint)[]): number[] {
  return Array.from(minhashU32(features));
}

/** {@link algMinhash} as a Uint32Array (no boxing of values above 2^31 in a JS array). */
function minhashU32(features: readonly (number | bigint)[]): Uint32Array {
  const [fHi, fLo, wide] = checkedHalves(features);
  const mins = new Uint32Array(64).fill(MAXH);
  const k = wide ? null : kernels();
  if (k !== null) foldKernel(k, mins, fLo, 0, fLo.length);
  else foldPure(mins, fHi, fLo, 0, fLo.length);
  return mins;
}

/**
 * {@link algMinhashCompress} of unsigned 32-bit values in a Uint32Array (`lsb` 1..32), without
 * the generic validation: for minhash vectors made here.
 * @internal
 */
export function _minhashCompressU32(mhash: Uint32Array, lsb: number): Uint8Array {
  const n = mhash.length;
  const nBits = lsb * n;
  const nBytes = (nBits + 7) >>> 3;
  const out = new Uint8Array(nBytes);
  if (n % 8 === 0) {
    // Whole bytes (the 64-permutation digests): each output byte gathers bit `bitpos` of eight
    // consecutive values, most significant first - the loop below, a byte at a time.
    for (let bitpos = 0, o = 0; bitpos < lsb; bitpos++) {
      for (let i = 0; i < n; i += 8, o++) {
        out[o] =
          (((mhash[i]! >>> bitpos) & 1) << 7) |
          (((mhash[i + 1]! >>> bitpos) & 1) << 6) |
          (((mhash[i + 2]! >>> bitpos) & 1) << 5) |
          (((mhash[i + 3]! >>> bitpos) & 1) << 4) |
          (((mhash[i + 4]! >>> bitpos) & 1) << 3) |
          (((mhash[i + 5]! >>> bitpos) & 1) << 2) |
          (((mhash[i + 6]! >>> bitpos) & 1) << 1) |
          ((mhash[i + 7]! >>> bitpos) & 1);
      }
    }
    return out;
  }
  let pos = nBytes * 8 - nBits;
  for (let bitpos = 0; bitpos < lsb; bitpos++) {
    for (let i = 0; i < n; i++, pos++) {
      if ((mhash[i]! >>> bitpos) & 1) out[pos >>> 3]! |= 0x80 >>> (pos & 7);
    }
  }
  return out;
}

/**
 * The pure TypeScript {@link algMinhash}, never the kernel: the oracle of the kernel tests.
 * @internal
 */
export function _algMinhashPure(features: readonly (number | bigint)[]): number[] {
  const [fHi, fLo] = checkedHalves(features);
  const mins = new Uint32Array(64).fill(MAXH);
  foldPure(mins, fHi, fLo, 0, fLo.length);
  return Array.from(mins);
}

/**
 * Fold unsigned 32-bit features `features[from, to)` into running minima `mins` (64 values,
 * start from all `MAXH`), with the kernel when available. Folding in any number of steps
 * gives the minhash of all features together; the Data-Code hasher accumulates this way.
 * @internal
 */
export function _minhashFold(mins: Uint32Array, features: ArrayLike<number>, from: number, to: number): void {
  if (to <= from) return;
  const k = kernels();
  if (k !== null) {
    foldKernel(k, mins, features, from, to);
    return;
  }
  const n = to - from;
  const lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) lo[i] = features[from + i]!;
  foldPure(mins, new Uint32Array(n), lo, 0, n);
}

function checkedHalves(features: readonly (number | bigint)[]): [Uint32Array, Uint32Array, boolean] {
  if (!Array.isArray(features)) typeError('features', 'an array of integers', features);
  if (features.length === 0) argError('features', 'a non-empty list of integer features', features);
  const [fHi, fLo] = featureHalves(features);
  let wide = false;
  for (let i = 0; i < fHi.length; i++) {
    if (fHi[i] !== 0) {
      wide = true;
      break;
    }
  }
  return [fHi, fLo, wide];
}

/** Kernel fold in batches that fit its input area. */
function foldKernel(k: Kernels, mins: Uint32Array, features: ArrayLike<number>, from: number, to: number): void {
  const words = k.u32;
  const batch = K_IN_CAP >>> 2;
  words.set(mins, K_MINS >>> 2);
  for (let s = from; s < to; s += batch) {
    const e = Math.min(to, s + batch);
    if (features instanceof Uint32Array) words.set(features.subarray(s, e), K_IN >>> 2);
    else for (let i = s, j = K_IN >>> 2; i < e; i++, j++) words[j] = features[i]!;
    k.minhash(K_IN, e - s);
  }
  mins.set(words.subarray(K_MINS >>> 2, (K_MINS >>> 2) + 64));
}

// The kernel reads the permutations as little-endian i64 from its memory.
_registerKernelTables((k) => {
  for (let p = 0; p < 64; p++) {
    k.u32[(K_MPA >>> 2) + 2 * p] = A_LO[p]!;
    k.u32[(K_MPA >>> 2) + 2 * p + 1] = A_HI[p]!;
    k.u32[(K_MPB >>> 2) + 2 * p] = B_LO[p]!;
    k.u32[(K_MPB >>> 2) + 2 * p + 1] = B_HI[p]!;
  }
});

/** Pure fold of features `[from, to)` (as 32-bit halves) into `mins`. */
function foldPure(mins: Uint32Array, fHi: Uint32Array, fLo: Uint32Array, from: number, to: number): void {
  const n = to - from;
  // 16-bit halves of the low feature words, for the exact 32x32 -> 64-bit product below.
  const f0 = new Uint32Array(n);
  const f1 = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    f0[i] = fLo[from + i]! & 0xffff;
    f1[i] = fLo[from + i]! >>> 16;
  }
  for (let p = 0; p < 64; p++) {
    const aHi = A_HI[p]!;
    const aLo = A_LO[p]!;
    const bHi = B_HI[p]!;
    const bLo = B_LO[p]!;
    const a0 = aLo & 0xffff;
    const a1 = aLo >>> 16;
    let min = mins[p]!;
    for (let j = 0; j < n; j++) {
      const i = from + j;
      const fl = fLo[i]!;
      const x0 = f0[j]!;
      const x1 = f1[j]!;
      // aLo * fl as (hi, lo) 32-bit words: Math.imul gives the low word exactly; the high word
      // comes from the four 16x16-bit partial products (each below 2^32, so exact).
      const lo = Math.imul(aLo, fl) >>> 0;
      const p00 = a0 * x0;
      const p01 = a0 * x1;
      const p10 = a1 * x0;
      const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
      let hi = a1 * x1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
      // Cross terms aHi*fl and aLo*fHi only reach the high word, i.e. modulo 2^32.
      hi = (hi + Math.imul(aHi, fl) + Math.imul(aLo, fHi[i]!)) >>> 0;
      // + b, modulo 2^64 (carry = unsigned overflow of the low word).
      const lo2 = (lo + bLo) >>> 0;
      hi = (hi + bHi + (lo2 < lo ? 1 : 0)) >>> 0;
      // x mod (2^61 - 1): x = q * 2^61 + r with q = top 3 bits, and 2^61 = 1 (mod 2^61 - 1).
      let rHi = hi & 0x1fffffff;
      let r = (lo2 + (hi >>> 29)) >>> 0;
      if (r < lo2) rHi += 1;
      // r + q < 2^61 + 8: one conditional subtraction of 2^61 - 1. Only the low word survives
      // the final 32-bit mask, and subtracting 2^61 - 1 adds 1 to it.
      if (rHi > 0x1fffffff || (rHi === 0x1fffffff && r === 0xffffffff)) r = (r + 1) >>> 0;
      if (r < min) min = r;
    }
    mins[p] = min;
  }
}

/**
 * Concatenate the `lsb` least significant bits of each minhash value into bytes
 * (iscc-core `alg_minhash_compress`). Bit position 0 of every value comes first, then bit 1,
 * and so on; the bit string is read as a big-endian integer and left-padded to whole bytes.
 * @param mhash - minhash values (non-negative integers; negative ones behave as Python's)
 * @param lsb - number of low bits to keep per value (default 4)
 * @returns `ceil(lsb * mhash.length / 8)` bytes
 * @throws IsccError ISCC_INVALID_ARGUMENT when no bits result (Python: `int("", 2)` fails),
 *   ISCC_INVALID_TYPE for non-integer input
 * @example algMinhashCompress([0b10100001, 0b11000010, 0b10110100, 0b10011000]) // [0x84, 0x21]
 */
export function algMinhashCompress(mhash: readonly (number | bigint)[], lsb = 4): Uint8Array {
  if (!Array.isArray(mhash)) typeError('mhash', 'an array of integers', mhash);
  if (typeof lsb !== 'number' || !Number.isSafeInteger(lsb)) typeError('lsb', 'an integer', lsb);
  const nBits = lsb * mhash.length;
  if (lsb < 0 || nBits === 0) argError('lsb', 'a positive bit count with a non-empty mhash', lsb);
  const nBytes = Math.ceil(nBits / 8);
  const out = new Uint8Array(nBytes);
  // The bit string is right-aligned in the byte array (int(bits, 2).to_bytes(...)).
  let pos = nBytes * 8 - nBits;
  if (lsb <= 32 && allU32(mhash)) {
    // The common case (minhash values): plain 32-bit shifts.
    for (let bitpos = 0; bitpos < lsb; bitpos++) {
      for (let i = 0; i < mhash.length; i++, pos++) {
        if (((mhash[i] as number) >>> bitpos) & 1) out[pos >>> 3]! |= 0x80 >>> (pos & 7);
      }
    }
    return out;
  }
  for (let bitpos = 0; bitpos < lsb; bitpos++) {
    for (let i = 0; i < mhash.length; i++) {
      const h = mhash[i];
      let bit: number;
      if (typeof h === 'number') {
        if (!Number.isInteger(h)) typeError(`mhash[${i}]`, 'an integer', h);
        // Arithmetic shift for any integer size, as Python's `h >> bitpos & 1`.
        const shifted = Math.floor(h / 2 ** bitpos);
        bit = ((shifted % 2) + 2) % 2;
      } else if (typeof h === 'bigint') {
        bit = Number((h >> BigInt(bitpos)) & 1n);
      } else {
        typeError(`mhash[${i}]`, 'an integer (number or bigint)', h);
      }
      if (bit) out[pos >>> 3]! |= 0x80 >>> (pos & 7);
      pos++;
    }
  }
  return out;
}

/** Every value a number that is an integer in [0, 2^32). */
function allU32(values: readonly (number | bigint)[]): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || v >>> 0 !== v) return false;
  }
  return true;
}

/**
 * 64-bit minhash digest: bit 0 of each of the 64 minhash values (iscc-core `alg_minhash_64`).
 * @param features - non-empty list of integer features
 * @returns 8 bytes
 * @throws IsccError as {@link algMinhash}
 * @example algMinhash64([2 ** 16]) // bytes a18e2fb2bd663d21
 */
export function algMinhash64(features: readonly (number | bigint)[]): Uint8Array {
  return _minhashCompressU32(minhashU32(features), 1);
}

/**
 * 256-bit minhash digest: the low 4 bits of each of the 64 minhash values
 * (iscc-core `alg_minhash_256`, the body of Data-Code and Text-Code).
 * @param features - non-empty list of integer features
 * @returns 32 bytes
 * @throws IsccError as {@link algMinhash}
 * @example algMinhash256([2 ** 16]) // bytes a18e2fb2bd663d21db9c7dcc9ae78380...
 */
export function algMinhash256(features: readonly (number | bigint)[]): Uint8Array {
  return _minhashCompressU32(minhashU32(features), 4);
}
