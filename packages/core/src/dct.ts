/**
 * Discrete cosine transform (DCT-II, unscaled), as iscc-core `alg_dct`.
 *
 * The reference uses the recursive fast algorithm described by Nayuki ("fast DCT", Byeong Gi
 * Lee's factorisation). For a vector `v` of length `n` (1 or a power of two):
 * 1. `n == 1`: the result is `v` itself.
 * 2. Otherwise split into `alpha[i] = v[i] + v[n-1-i]` and
 *    `beta[i] = (v[i] - v[n-1-i]) / (cos((i + 0.5) * pi / n) * 2)` for `i < n/2`.
 * 3. Transform both halves recursively.
 * 4. Interleave: `out[2i] = alpha[i]`, `out[2i+1] = beta[i] + beta[i+1]`, and the last pair is
 *    `alpha[n/2-1]`, `beta[n/2-1]`.
 *
 * Bit-exactness: the Image-Code compares DCT values with their median, so every double must
 * equal CPython's. The additions, subtraction and division are IEEE operations in the same order
 * as the reference, but `Math.cos` (V8's fdlibm port) and CPython's `math.cos` (the C library's)
 * disagree in the last bit for about 4% of the arguments used here. We therefore carry CPython's
 * cosine values for every length up to {@link DCT_COS_TABLE_MAX} as data; beyond that we fall
 * back to `Math.cos`, which may differ from the reference by one ulp.
 */
import { IsccError, ISCC_ERROR_CODES, typeError } from './errors.ts';

/** Largest vector length whose cosines come from the table (CPython values). */
export const DCT_COS_TABLE_MAX = 256;

/**
 * `COS[k - 1][i] = math.cos((i + 0.5) * math.pi / n)` for `n = 2 ** k`, as computed by CPython
 * 3.11 (glibc `cos`). Generated once with Python; values are exact (shortest round-trip repr).
 */
const COS: readonly (readonly number[])[] = [
  [
    0.7071067811865476,
  ],
  [
    0.9238795325112867, 0.38268343236508984,
  ],
  [
    0.9807852804032304, 0.8314696123025452, 0.5555702330196023, 0.19509032201612833,
  ],
  [
    0.9951847266721969, 0.9569403357322088, 0.881921264348355, 0.773010453362737,
    0.6343932841636455, 0.4713967368259978, 0.29028467725446233, 0.09801714032956077,
  ],
  [
    0.9987954562051724, 0.989176509964781, 0.970031253194544, 0.9415440651830208,
    0.9039892931234433, 0.8577286100002721, 0.8032075314806449, 0.7409511253549591,
    0.6715589548470183, 0.5956993044924335, 0.5141027441932217, 0.4275550934302822,
    0.33688985339222005, 0.24298017990326398, 0.14673047445536175, 0.049067674327418126,
  ],
  [
    0.9996988186962042, 0.9972904566786902, 0.99247953459871, 0.9852776423889412,
    0.9757021300385286, 0.9637760657954398, 0.9495281805930367, 0.932992798834739,
    0.9142097557035307, 0.8932243011955153, 0.8700869911087115, 0.8448535652497071,
    0.8175848131515837, 0.7883464276266063, 0.7572088465064846, 0.724247082951467,
    0.6895405447370669, 0.6531728429537768, 0.6152315905806268, 0.5758081914178453,
    0.5349976198870973, 0.4928981922297841, 0.4496113296546066, 0.40524131400498986,
    0.3598950365349883, 0.3136817403988916, 0.2667127574748984, 0.21910124015686977,
    0.17096188876030136, 0.12241067519921628, 0.07356456359966745, 0.024541228522912264,
  ],
  [
    0.9999247018391445, 0.9993223845883495, 0.9981181129001492, 0.996312612182778,
    0.9939069700023561, 0.99090263542778, 0.9873014181578584, 0.9831054874312163,
    0.9783173707196277, 0.9729399522055602, 0.9669764710448521, 0.9604305194155658,
    0.9533060403541939, 0.9456073253805213, 0.937339011912575, 0.9285060804732156,
    0.9191138516900578, 0.9091679830905224, 0.8986744656939538, 0.8876396204028539,
    0.8760700941954066, 0.8639728561215868, 0.8513551931052652, 0.8382247055548381,
    0.8245893027850253, 0.8104571982525948, 0.7958369046088836, 0.7807372285720945,
    0.765167265622459, 0.7491363945234594, 0.7326542716724128, 0.7157308252838186,
    0.6983762494089729, 0.6806009977954531, 0.6624157775901718, 0.6438315428897915,
    0.6248594881423865, 0.6055110414043255, 0.5857978574564389, 0.5657318107836132,
    0.5453249884220465, 0.5245896826784688, 0.5035383837257176, 0.48218377207912283,
    0.46053871095824, 0.4386162385385277, 0.4164295600976373, 0.3939920400610481,
    0.3713171939518376, 0.3484186802494345, 0.325310292162263, 0.3020059493192282,
    0.27851968938505306, 0.2548656596045146, 0.23105810828067128, 0.20711137619221856,
    0.18303988795514106, 0.1588581433338614, 0.13458070850712622, 0.11022220729388318,
    0.08579731234443988, 0.06132073630220865, 0.03680722294135899, 0.012271538285719944,
  ],
  [
    0.9999811752826011, 0.9998305817958234, 0.9995294175010931, 0.9990777277526454,
    0.9984755805732948, 0.9977230666441916, 0.9968202992911657, 0.9957674144676598,
    0.9945645707342554, 0.9932119492347945, 0.9917097536690995, 0.9900582102622971,
    0.9882575677307495, 0.9863080972445987, 0.984210092386929, 0.9819638691095552,
    0.9795697656854405, 0.9770281426577544, 0.9743393827855759, 0.9715038909862518,
    0.9685220942744174, 0.9653944416976894, 0.9621214042690416, 0.9587034748958716,
    0.9551411683057708, 0.9514350209690083, 0.9475855910177411, 0.9435934581619604,
    0.9394592236021899, 0.9351835099389476, 0.9307669610789837, 0.9262102421383114,
    0.921514039342042, 0.9166790599210427, 0.9117060320054299, 0.9065957045149153,
    0.901348847046022, 0.8959662497561852, 0.8904487232447579, 0.8847970984309378,
    0.8790122264286335, 0.8730949784182901, 0.8670462455156926, 0.8608669386377673,
    0.8545579883654005, 0.8481203448032972, 0.8415549774368984, 0.83486287498638,
    0.8280450452577558, 0.8211025149911046, 0.8140363297059484, 0.8068475535437993,
    0.799537269107905, 0.7921065773002124, 0.7845565971555752, 0.7768884656732324,
    0.7691033376455797, 0.7612023854842618, 0.7531867990436125, 0.7450577854414661,
    0.7368165688773699, 0.7284643904482252, 0.7200025079613817, 0.7114321957452164,
    0.7027547444572253, 0.693971460889654, 0.6850836677727004, 0.676092703575316,
    0.6669999223036375, 0.6578066932970786, 0.6485144010221126, 0.6391244448637757,
    0.6296382389149271, 0.6200572117632892, 0.6103828062763095, 0.600616479383869,
    0.5907597018588743, 0.5808139580957645, 0.5707807458869674, 0.560661576197336,
    0.5504579729366048, 0.540171472729893, 0.5298036246862948, 0.5193559901655895,
    0.508830142543107, 0.49822766697278187, 0.48755016014843605, 0.47679923006332225,
    0.4659764957679661, 0.45508358712634384, 0.44412214457042926, 0.433093818853152,
    0.4220002707997998, 0.4108431710579039, 0.3996241998456468, 0.3883450466988263,
    0.3770074102164183, 0.36561299780477396, 0.3541635254204905, 0.3426607173119944,
    0.33110630575987643, 0.31950203081601575, 0.307849640041535, 0.29615088824362396,
    0.2844075372112718, 0.272621355449949, 0.26079411791527557, 0.24892760574572026,
    0.23702360599436734, 0.22508391135979278, 0.21311031991609136, 0.20110463484209196,
    0.18906866414980628, 0.17700422041214886, 0.1649131204899701, 0.1527971852584434,
    0.14065823933284924, 0.12849811079379322, 0.11631863091190488, 0.10412163387205473,
    0.0919089564971327, 0.07968243797143013, 0.0674439195636641, 0.05519524434969003,
    0.04293825693494096, 0.03067480317663658, 0.01840672990580482, 0.006135884649154515,
  ],

];

/** CPython's cosines for a length-`n` step (n a power of two), or `Math.cos` beyond the table. */
function cosRow(n: number): readonly number[] {
  if (n <= DCT_COS_TABLE_MAX) return COS[31 - Math.clz32(n) - 1]!;
  return Array.from({ length: n >>> 1 }, (_, i) => Math.cos(((i + 0.5) * Math.PI) / n));
}

/**
 * Transform `v[vOff, vOff + n)` into `out[outOff, outOff + n)` without allocating.
 * `scratch[sOff, sOff + 4n)` is working space: this level's alpha|beta inputs (n values) and
 * their transforms (n values), then the deeper levels (2n values in all). The arithmetic is the
 * reference's, operation for operation.
 */
function dctInto(
  v: Float64Array,
  vOff: number,
  n: number,
  out: Float64Array,
  outOff: number,
  scratch: Float64Array,
  sOff: number,
): void {
  if (n === 1) {
    out[outOff] = v[vOff]!;
    return;
  }
  const half = n >>> 1;
  const cos = cosRow(n);
  for (let i = 0; i < half; i++) {
    const a = v[vOff + i]!;
    const b = v[vOff + n - 1 - i]!;
    scratch[sOff + i] = a + b;
    scratch[sOff + half + i] = (a - b) / (cos[i]! * 2.0);
  }
  const t = sOff + n;
  const deeper = sOff + 2 * n;
  dctInto(scratch, sOff, half, scratch, t, scratch, deeper);
  dctInto(scratch, sOff + half, half, scratch, t + half, scratch, deeper);
  for (let i = 0; i < half - 1; i++) {
    out[outOff + 2 * i] = scratch[t + i]!;
    out[outOff + 2 * i + 1] = scratch[t + half + i]! + scratch[t + half + i + 1]!;
  }
  out[outOff + n - 2] = scratch[t + half - 1]!;
  out[outOff + n - 1] = scratch[t + n - 1]!;
}

/** Reused working space (grown on demand); the transform is synchronous, so sharing is safe. */
let SCRATCH = new Float64Array(4 * 32);

/** True for 1, 2, 4, 8, ... (the lengths the recursion can split down to 1). */
function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}

/**
 * DCT of `v[vOff, vOff + n)` into `out[outOff, outOff + n)`; `n` must be 1 or a power of two
 * (not checked). Used by the Image-Code to transform rows and columns in place of new arrays.
 * @internal
 */
export function _dctInto(v: Float64Array, vOff: number, n: number, out: Float64Array, outOff: number): void {
  if (SCRATCH.length < 4 * n) SCRATCH = new Float64Array(4 * n);
  dctInto(v, vOff, n, out, outOff, SCRATCH, 0);
}

/**
 * Discrete cosine transform of `v` (iscc-core `alg_dct`).
 * @param v - numbers; length 1 or a power of two
 * @returns the transformed vector, same length
 * @throws IsccError ISCC_INVALID_ARGUMENT for an empty vector or a length that is not a power
 *   of two (the reference raises `ValueError` when the recursion meets an odd length);
 *   ISCC_INVALID_TYPE when an element is not a number
 * @example algDct([1, 1, 1, 1]) // [4, 0, 0, 0]
 */
export function algDct(v: ArrayLike<number>): number[] {
  if (v === null || typeof v !== 'object' || typeof v.length !== 'number') {
    typeError('v', 'an array of numbers', v);
  }
  const n = v.length;
  if (!isPowerOfTwo(n) || n > 2 ** 30) {
    throw new IsccError(
      ISCC_ERROR_CODES.INVALID_ARGUMENT,
      `v: expected a vector whose length is 1 or a power of two, got length ${n}`,
    );
  }
  const buf = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = v[i];
    if (typeof x !== 'number') typeError(`v[${i}]`, 'a number', x);
    buf[i] = x;
  }
  const out = new Float64Array(n);
  _dctInto(buf, 0, n, out, 0);
  return Array.from(out);
}
