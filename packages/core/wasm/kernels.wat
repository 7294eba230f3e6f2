;; Hot kernels of @iscc-ts/core in hand-written WebAssembly (text format). The pure TypeScript
;; versions (cdc.ts, xxh32.ts, minhash.ts, code-data.ts) are the reference; tests check that
;; these give identical results. Assembled by `node scripts/gen-core-wasm.mjs` (npm `wabt`)
;; into packages/core/src/_wasm-kernels.ts; a test checks that the two are in sync.
;;
;; Kept below 4 KiB so that every browser compiles it synchronously, even on a main thread.
;; The tables (gear, minhash permutations) are written by the loader, not stored here.
;;
;; Memory layout (bytes):
;;        0  GEAR   256 x i32   gear table of the content-defined chunker
;;     1024  MPA     64 x i64   minhash multipliers a
;;     1536  MPB     64 x i64   minhash increments b
;;     2048  MINS    64 x i32   running minhash state (in/out of `minhash` and `data_chunks`)
;;     2304  TAIL    i32        offset (from the input pointer) of the open tail after `data_chunks`
;;     2320  SLOTS   4 x 32     scratch of `features`: its four chunk slots (see there)
;;     2560  BCUTS  384 x i32   scratch of `data_chunks`: cuts of its second chain (see there)
;;     4096  FEAT  4096 x i32   features: xxh32 of each finished chunk / input of `minhash`
;;    20480  SIZES 4096 x i32   byte length of each finished chunk
;;    36864  free   (callers keep an open tail here between calls)
;;    65536  IN    1 MiB        input bytes (callers may grow the memory and use more)
;;
;; scripts/gen-core-wasm.mjs also assembles a variant whose memory is imported and shared
;; (`env.memory`), so that another thread can read input straight into it; the line below is
;; replaced for that variant, the rest is the same. It assembles a third variant without SIMD
;; (`_wasm-kernels-scalar.ts`, for engines without it): the function between `;; SIMD>` and
;; `;; <SIMD` is replaced by the one in the `(;SCALAR ... SCALAR;)` comment after it.
(module
  (memory (export "memory") 17)
  ;; Start (byte) and FEAT slot of the first chunk of `data_chunks` not yet hashed (see $emit).
  (global $hp (mut i32) (i32.const 0))
  (global $hn (mut i32) (i32.const 0))

  ;; xxh32 of mem[p, p+len) with `seed` (Yann Collet's xxHash32, little-endian reads).
  (func $xxh32 (export "xxh32") (param $p i32) (param $len i32) (param $seed i32) (result i32)
    (local $end i32) (local $lim i32) (local $h i32)
    (local $v1 i32) (local $v2 i32) (local $v3 i32) (local $v4 i32)
    (local.set $end (i32.add (local.get $p) (local.get $len)))
    (if (i32.ge_u (local.get $len) (i32.const 16))
      (then
        (local.set $v1 (i32.add (local.get $seed) (i32.const 0x24234428)))   ;; seed + P1 + P2
        (local.set $v2 (i32.add (local.get $seed) (i32.const 0x85ebca77)))   ;; seed + P2
        (local.set $v3 (local.get $seed))
        (local.set $v4 (i32.sub (local.get $seed) (i32.const 0x9e3779b1)))   ;; seed - P1
        (local.set $lim (i32.sub (local.get $end) (i32.const 16)))
        (loop $stripes
          (local.set $v1 (i32.mul (i32.rotl (i32.add (local.get $v1)
            (i32.mul (i32.load (local.get $p)) (i32.const 0x85ebca77))) (i32.const 13)) (i32.const 0x9e3779b1)))
          (local.set $v2 (i32.mul (i32.rotl (i32.add (local.get $v2)
            (i32.mul (i32.load offset=4 (local.get $p)) (i32.const 0x85ebca77))) (i32.const 13)) (i32.const 0x9e3779b1)))
          (local.set $v3 (i32.mul (i32.rotl (i32.add (local.get $v3)
            (i32.mul (i32.load offset=8 (local.get $p)) (i32.const 0x85ebca77))) (i32.const 13)) (i32.const 0x9e3779b1)))
          (local.set $v4 (i32.mul (i32.rotl (i32.add (local.get $v4)
            (i32.mul (i32.load offset=12 (local.get $p)) (i32.const 0x85ebca77))) (i32.const 13)) (i32.const 0x9e3779b1)))
          (local.set $p (i32.add (local.get $p) (i32.const 16)))
          (br_if $stripes (i32.le_u (local.get $p) (local.get $lim))))
        (local.set $h (i32.add
          (i32.add (i32.rotl (local.get $v1) (i32.const 1)) (i32.rotl (local.get $v2) (i32.const 7)))
          (i32.add (i32.rotl (local.get $v3) (i32.const 12)) (i32.rotl (local.get $v4) (i32.const 18))))))
      (else (local.set $h (i32.add (local.get $seed) (i32.const 0x165667b1)))))   ;; seed + P5
    (call $xxh32_tail (i32.add (local.get $h) (local.get $len)) (local.get $p) (local.get $end)))

  ;; The end of xxh32 from the accumulator h (lanes combined, length added): the 4-byte words
  ;; and single bytes of mem[p, end), then the avalanche.
  (func $xxh32_tail (param $h i32) (param $p i32) (param $end i32) (result i32)
    (block $words_done
      (loop $words
        (br_if $words_done (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $end)))
        (local.set $h (i32.mul (i32.rotl (i32.add (local.get $h)
          (i32.mul (i32.load (local.get $p)) (i32.const 0xc2b2ae3d))) (i32.const 17)) (i32.const 0x27d4eb2f)))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $words)))
    (block $bytes_done
      (loop $bytes
        (br_if $bytes_done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $h (i32.mul (i32.rotl (i32.add (local.get $h)
          (i32.mul (i32.load8_u (local.get $p)) (i32.const 0x165667b1))) (i32.const 11)) (i32.const 0x9e3779b1)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $bytes)))
    ;; avalanche
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))) (i32.const 0x85ebca77)))
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))) (i32.const 0xc2b2ae3d)))
    (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))

  ;; Fold n unsigned 32-bit features at mem[ptr] into the 64 running minima at MINS:
  ;; mins[k] = min(mins[k], low32(((a_k * f + b_k) mod 2^64) mod (2^61 - 1))).
  ;; Four permutations per pass over the features, so that their a, b and minima stay in locals
  ;; and each feature is loaded once per four. The reduction mod 2^61 - 1 folds the top 3 bits
  ;; onto the low 61 (2^61 = 1): r = (v & M) + (v >> 61) < 2^61 + 8, and where r >= M the
  ;; result r - M has the low word low32(r) + 1 - so low32 = wrap(r) + (r >= M).
  (func $minhash (export "minhash") (param $ptr i32) (param $n i32)
    (local $k i32) (local $q i32) (local $qend i32) (local $f i64) (local $v i64) (local $lo i32)
    (local $a0 i64) (local $a1 i64) (local $a2 i64) (local $a3 i64) (local $b0 i64) (local $b1 i64) (local $b2 i64) (local $b3 i64)
    (local $m0 i32) (local $m1 i32) (local $m2 i32) (local $m3 i32)
    (local.set $qend (i32.add (local.get $ptr) (i32.shl (local.get $n) (i32.const 2))))
    (loop $perms
      (local.set $a0 (i64.load offset=1024 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $b0 (i64.load offset=1536 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $m0 (i32.load offset=2048 (i32.shl (local.get $k) (i32.const 2))))
      (local.set $a1 (i64.load offset=1032 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $b1 (i64.load offset=1544 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $m1 (i32.load offset=2052 (i32.shl (local.get $k) (i32.const 2))))
      (local.set $a2 (i64.load offset=1040 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $b2 (i64.load offset=1552 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $m2 (i32.load offset=2056 (i32.shl (local.get $k) (i32.const 2))))
      (local.set $a3 (i64.load offset=1048 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $b3 (i64.load offset=1560 (i32.shl (local.get $k) (i32.const 3))))
      (local.set $m3 (i32.load offset=2060 (i32.shl (local.get $k) (i32.const 2))))
      (local.set $q (local.get $ptr))
      (block $feats_done
        (loop $feats
          (br_if $feats_done (i32.ge_u (local.get $q) (local.get $qend)))
          (local.set $f (i64.load32_u (local.get $q)))
          (local.set $v (i64.add (i64.mul (local.get $a0) (local.get $f)) (local.get $b0)))
          (local.set $v (i64.add (i64.and (local.get $v) (i64.const 0x1fffffffffffffff))
                                 (i64.shr_u (local.get $v) (i64.const 61))))
          (local.set $lo (i32.add (i32.wrap_i64 (local.get $v))
                                  (i64.ge_u (local.get $v) (i64.const 0x1fffffffffffffff))))
          (local.set $m0 (select (local.get $lo) (local.get $m0) (i32.lt_u (local.get $lo) (local.get $m0))))
          (local.set $v (i64.add (i64.mul (local.get $a1) (local.get $f)) (local.get $b1)))
          (local.set $v (i64.add (i64.and (local.get $v) (i64.const 0x1fffffffffffffff))
                                 (i64.shr_u (local.get $v) (i64.const 61))))
          (local.set $lo (i32.add (i32.wrap_i64 (local.get $v))
                                  (i64.ge_u (local.get $v) (i64.const 0x1fffffffffffffff))))
          (local.set $m1 (select (local.get $lo) (local.get $m1) (i32.lt_u (local.get $lo) (local.get $m1))))
          (local.set $v (i64.add (i64.mul (local.get $a2) (local.get $f)) (local.get $b2)))
          (local.set $v (i64.add (i64.and (local.get $v) (i64.const 0x1fffffffffffffff))
                                 (i64.shr_u (local.get $v) (i64.const 61))))
          (local.set $lo (i32.add (i32.wrap_i64 (local.get $v))
                                  (i64.ge_u (local.get $v) (i64.const 0x1fffffffffffffff))))
          (local.set $m2 (select (local.get $lo) (local.get $m2) (i32.lt_u (local.get $lo) (local.get $m2))))
          (local.set $v (i64.add (i64.mul (local.get $a3) (local.get $f)) (local.get $b3)))
          (local.set $v (i64.add (i64.and (local.get $v) (i64.const 0x1fffffffffffffff))
                                 (i64.shr_u (local.get $v) (i64.const 61))))
          (local.set $lo (i32.add (i32.wrap_i64 (local.get $v))
                                  (i64.ge_u (local.get $v) (i64.const 0x1fffffffffffffff))))
          (local.set $m3 (select (local.get $lo) (local.get $m3) (i32.lt_u (local.get $lo) (local.get $m3))))
          (local.set $q (i32.add (local.get $q) (i32.const 4)))
          (br $feats)))
      (i32.store offset=2048 (i32.shl (local.get $k) (i32.const 2)) (local.get $m0))
      (i32.store offset=2052 (i32.shl (local.get $k) (i32.const 2)) (local.get $m1))
      (i32.store offset=2056 (i32.shl (local.get $k) (i32.const 2)) (local.get $m2))
      (i32.store offset=2060 (i32.shl (local.get $k) (i32.const 2)) (local.get $m3))
      (local.set $k (i32.add (local.get $k) (i32.const 4)))
      (br_if $perms (i32.lt_u (local.get $k) (i32.const 64)))))

  ;; SIMD>  (the scalar variant, `_wasm-kernels-scalar.ts`, has the function after <SIMD instead)
  ;; xxh32 (seed 0) of the chunks i..n-1, consecutive from byte pos with their lengths in SIZES,
  ;; to FEAT[i..n-1]; returns the end of chunk n-1. Four chunks at a time, one in each of four
  ;; slots, a chunk's four xxh32 lanes in one v128: scalar xxh32 is bound by the one integer
  ;; multiplier (8 multiplies per 16 bytes), a lone v128 chain by the latency of its multiply,
  ;; four independent ones are neither (~2.2x the scalar speed; BENCHMARKS.md). The stripe loop
  ;; runs all four until the nearest chunk runs out of stripes; then finished chunks get their
  ;; tail and avalanche one by one (scalar) and their slot the next chunk. A slot without a chunk
  ;; idles over bytes from 0 (never further than the longest chunk, so in bounds) until all are.
  ;; Slot s at SLOTS + 32 s: lanes v128, then p (next stripe), r (stripes left), i (FEAT slot,
  ;; -1: idle), e (chunk end).
  (func $features (export "features") (param $pos i32) (param $i i32) (param $n i32) (result i32)
    (local $s i32) (local $a i32) (local $k i32) (local $len i32) (local $m1 v128) (local $m2 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local.set $m1 (i32x4.splat (i32.const 0x9e3779b1)))
    (local.set $m2 (i32x4.splat (i32.const 0x85ebca77)))
    (local.set $s (i32.const 2320))
    (loop $clear
      (i32.store offset=20 (local.get $s) (i32.const 0))
      (i32.store offset=24 (local.get $s) (i32.const -1))
      (local.set $s (i32.add (local.get $s) (i32.const 32)))
      (br_if $clear (i32.lt_u (local.get $s) (i32.const 2448))))
    (loop $round
      ;; Finish and refill the slots without stripes left; k = fewest stripes left in a slot.
      (local.set $k (i32.const 0x7fffffff))
      (local.set $s (i32.const 2320))
      (loop $slots
        (block $ready
          (loop $fill
            (br_if $ready (i32.load offset=20 (local.get $s)))
            (if (i32.ge_s (local.tee $a (i32.load offset=24 (local.get $s))) (i32.const 0))
              (then
                (local.set $len (i32.load offset=20480 (i32.shl (local.get $a) (i32.const 2))))
                (i32.store offset=4096 (i32.shl (local.get $a) (i32.const 2))
                  (call $xxh32_tail
                    (i32.add (local.get $len) (select
                      (i32.add
                        (i32.add (i32.rotl (i32.load (local.get $s)) (i32.const 1))
                                 (i32.rotl (i32.load offset=4 (local.get $s)) (i32.const 7)))
                        (i32.add (i32.rotl (i32.load offset=8 (local.get $s)) (i32.const 12))
                                 (i32.rotl (i32.load offset=12 (local.get $s)) (i32.const 18))))
                      (i32.const 0x165667b1)
                      (i32.ge_u (local.get $len) (i32.const 16))))
                    (i32.load offset=16 (local.get $s)) (i32.load offset=28 (local.get $s))))))
            (if (i32.lt_u (local.get $i) (local.get $n))
              (then
                (local.set $len (i32.load offset=20480 (i32.shl (local.get $i) (i32.const 2))))
                (v128.store (local.get $s) (v128.const i32x4 0x24234428 0x85ebca77 0 0x61c8864f))
                (i32.store offset=16 (local.get $s) (local.get $pos))
                (i32.store offset=20 (local.get $s) (i32.shr_u (local.get $len) (i32.const 4)))
                (i32.store offset=24 (local.get $s) (local.get $i))
                (local.set $pos (i32.add (local.get $pos) (local.get $len)))
                (i32.store offset=28 (local.get $s) (local.get $pos))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $fill)))
            (i32.store offset=16 (local.get $s) (i32.const 0))
            (i32.store offset=20 (local.get $s) (i32.const 0x7fffffff))
            (i32.store offset=24 (local.get $s) (i32.const -1))))
        (local.set $k (select (local.get $k) (i32.load offset=20 (local.get $s))
          (i32.lt_u (local.get $k) (i32.load offset=20 (local.get $s)))))
        (local.set $s (i32.add (local.get $s) (i32.const 32)))
        (br_if $slots (i32.lt_u (local.get $s) (i32.const 2448))))
      (if (i32.lt_u (local.get $k) (i32.const 0x40000000))   ;; not all idle (idle: > 2^31 - 2^28)
        (then
    (local.set $v0 (v128.load offset=2320 (i32.const 0)))
      (local.set $p0 (i32.load offset=2336 (i32.const 0)))
    (local.set $v1 (v128.load offset=2352 (i32.const 0)))
      (local.set $p1 (i32.load offset=2368 (i32.const 0)))
    (local.set $v2 (v128.load offset=2384 (i32.const 0)))
      (local.set $p2 (i32.load offset=2400 (i32.const 0)))
    (local.set $v3 (v128.load offset=2416 (i32.const 0)))
      (local.set $p3 (i32.load offset=2432 (i32.const 0)))
          (local.set $a (local.get $k))
          (loop $stripes
          (local.set $v0 (i32x4.add (local.get $v0) (i32x4.mul (v128.load (local.get $p0)) (local.get $m2))))
          (local.set $v0 (i32x4.mul (v128.or (i32x4.shl (local.get $v0) (i32.const 13))
            (i32x4.shr_u (local.get $v0) (i32.const 19))) (local.get $m1)))
          (local.set $p0 (i32.add (local.get $p0) (i32.const 16)))
          (local.set $v1 (i32x4.add (local.get $v1) (i32x4.mul (v128.load (local.get $p1)) (local.get $m2))))
          (local.set $v1 (i32x4.mul (v128.or (i32x4.shl (local.get $v1) (i32.const 13))
            (i32x4.shr_u (local.get $v1) (i32.const 19))) (local.get $m1)))
          (local.set $p1 (i32.add (local.get $p1) (i32.const 16)))
          (local.set $v2 (i32x4.add (local.get $v2) (i32x4.mul (v128.load (local.get $p2)) (local.get $m2))))
          (local.set $v2 (i32x4.mul (v128.or (i32x4.shl (local.get $v2) (i32.const 13))
            (i32x4.shr_u (local.get $v2) (i32.const 19))) (local.get $m1)))
          (local.set $p2 (i32.add (local.get $p2) (i32.const 16)))
          (local.set $v3 (i32x4.add (local.get $v3) (i32x4.mul (v128.load (local.get $p3)) (local.get $m2))))
          (local.set $v3 (i32x4.mul (v128.or (i32x4.shl (local.get $v3) (i32.const 13))
            (i32x4.shr_u (local.get $v3) (i32.const 19))) (local.get $m1)))
          (local.set $p3 (i32.add (local.get $p3) (i32.const 16)))
            (br_if $stripes (local.tee $a (i32.sub (local.get $a) (i32.const 1)))))
      (v128.store offset=2320 (i32.const 0) (local.get $v0))
      (i32.store offset=2336 (i32.const 0) (local.get $p0))
      (i32.store offset=2340 (i32.const 0) (i32.sub (i32.load offset=2340 (i32.const 0)) (local.get $k)))
      (v128.store offset=2352 (i32.const 0) (local.get $v1))
      (i32.store offset=2368 (i32.const 0) (local.get $p1))
      (i32.store offset=2372 (i32.const 0) (i32.sub (i32.load offset=2372 (i32.const 0)) (local.get $k)))
      (v128.store offset=2384 (i32.const 0) (local.get $v2))
      (i32.store offset=2400 (i32.const 0) (local.get $p2))
      (i32.store offset=2404 (i32.const 0) (i32.sub (i32.load offset=2404 (i32.const 0)) (local.get $k)))
      (v128.store offset=2416 (i32.const 0) (local.get $v3))
      (i32.store offset=2432 (i32.const 0) (local.get $p3))
      (i32.store offset=2436 (i32.const 0) (i32.sub (i32.load offset=2436 (i32.const 0)) (local.get $k)))
          (br $round))))
    (local.get $pos))
;; <SIMD
(;SCALAR
  ;; xxh32 (seed 0) of the chunks i..n-1, consecutive from byte pos with their lengths in SIZES,
  ;; to FEAT[i..n-1]; returns the end of chunk n-1. One chunk at a time (the SIMD variant in
  ;; kernels.wat hashes four at once).
  (func $features (export "features") (param $pos i32) (param $i i32) (param $n i32) (result i32)
    (local $len i32)
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $len (i32.load offset=20480 (i32.shl (local.get $i) (i32.const 2))))
        (i32.store offset=4096 (i32.shl (local.get $i) (i32.const 2))
          (call $xxh32 (local.get $pos) (local.get $len) (i32.const 0)))
        (local.set $pos (i32.add (local.get $pos) (local.get $len)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $chunks)))
    (local.get $pos))
SCALAR;)

  ;; One finished chunk mem[pos, pos+size) (chunks come consecutively from the input pointer):
  ;; its length to SIZES[n]; the xxh32 of the chunks since the last batch go to FEAT in batches of
  ;; FEAT_BATCH (64) chunks, while their bytes are still in cache. When FEAT is full (n = 4096)
  ;; it is folded into MINS and refilled from slot 0. Returns the new n.
  (func $emit (param $pos i32) (param $size i32) (param $n i32) (result i32)
    (i32.store offset=20480 (i32.shl (local.get $n) (i32.const 2)) (local.get $size))
    (local.set $n (i32.add (local.get $n) (i32.const 1)))
    (if (i32.or (i32.ge_u (i32.sub (local.get $n) (global.get $hn)) (i32.const 64))
                (i32.eq (local.get $n) (i32.const 4096)))
      (then
        (global.set $hp (call $features (global.get $hp) (global.get $hn) (local.get $n)))
        (global.set $hn (local.get $n))))
    (if (i32.eq (local.get $n) (i32.const 4096))
      (then
        (call $minhash (i32.const 4096) (local.get $n))
        (global.set $hn (i32.const 0))
        (local.set $n (i32.const 0))))
    (local.get $n))

  ;; Content-defined chunking of mem[ptr, ptr+len) exactly as cdc.ts `_cdcOffset`, applied from
  ;; the start until the last chunk, which stays open (its end may move when more data comes)
  ;; unless `final` is non-zero: for every finished chunk its xxh32 goes to FEAT and its length
  ;; to SIZES, and all of them are folded into MINS. When FEAT is full (more than 4096 chunks in
  ;; one call) it is folded and refilled from slot 0. Returns the number of chunks in FEAT (all
  ;; finished chunks for inputs up to 1 MiB: chunks are longer than 256 bytes); the open tail
  ;; starts at ptr + TAIL (TAIL = len with `final`).
  ;;
  ;; Two chains in one loop. The gear hash is one serial shift+add per byte, which leaves most
  ;; of the core idle; a second, independent chain fills it (chunking alone 1.5x as fast, the
  ;; whole kernel with xxh32 and minhash ~1.25x; BENCHMARKS.md). Chain A is the
  ;; true chain from ptr. At a chunk start of A with >= 64 KiB left, chain B starts a chunk at
  ;; m = pos + half of what is left (at most 16 ma ahead), as at any chunk start (the cut after a
  ;; chunk start depends only on that position and the bytes after it: cdc.ts `_cdcCertainCut`).
  ;; Both advance one byte per step (no per-byte limit checks: the steps to the nearer limit are
  ;; counted first). B records m and its cuts before the end (so decided by the bytes alone) in
  ;; BCUTS (B stops at the end or when BCUTS is full). When A cuts exactly at a recorded B cut,
  ;; the chains are one from there: B's recorded chunks after it are A's, A jumps to B's last
  ;; recorded cut (B's open chunk is scanned again) and the next round begins. When A cuts past B (past all of B's cuts once B has
  ;; stopped, or past B's position), B's work is dropped (data whose chains never meet, e.g.
  ;; periodic with cuts at ma or cs: only speed is lost) and A goes on alone to the end. State machine: `ev` says what happened in the last step - 1: A cut at
  ;; p, 2: B cut at b, 4: A starts a chunk at pos, 8: B starts a chunk at bpos; a chain's `lim` is
  ;; the end of its current mask phase (strict before cs, loose before ma, clipped to the end).
  (func (export "data_chunks") (param $ptr i32) (param $len i32) (param $mi i32) (param $ma i32)
    (param $cs i32) (param $maskS i32) (param $maskL i32) (param $final i32) (result i32)
    (local $end i32) (local $n i32) (local $ev i32) (local $s i32) (local $stop i32) (local $c i32)
    (local $pos i32) (local $p i32) (local $pat i32) (local $mask i32) (local $lim i32) (local $loose i32)
    (local $on i32) (local $nb i32) (local $j i32) (local $off i32)
    (local $bpos i32) (local $b i32) (local $bpat i32) (local $bmask i32) (local $blim i32) (local $bloose i32)
    (local.set $pos (local.get $ptr))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $ev (i32.const 4))
    (global.set $hp (local.get $ptr))
    (global.set $hn (i32.const 0))
    (block $done
      (loop $main
        ;; B cut at b: recorded when before the end and BCUTS has room; otherwise B stops.
        (if (i32.and (local.get $ev) (i32.const 2))
          (then
            (if (i32.and (i32.lt_u (local.get $b) (local.get $end)) (i32.lt_u (local.get $nb) (i32.const 384)))
              (then
                (i32.store offset=2560 (i32.shl (local.get $nb) (i32.const 2)) (local.get $b))
                (local.set $nb (i32.add (local.get $nb) (i32.const 1)))
                (local.set $bpos (local.get $b))
                (local.set $ev (i32.or (local.get $ev) (i32.const 8))))
              (else (local.set $on (i32.const 0))))))
        ;; A cut at p: a chunk reaching the end is the open tail (unless final); then look for
        ;; p among B's cuts.
        (if (i32.and (local.get $ev) (i32.const 1))
          (then
            (br_if $done (i32.and (i32.eq (local.get $p) (local.get $end)) (i32.eqz (local.get $final))))
            (local.set $n (call $emit (local.get $pos) (i32.sub (local.get $p) (local.get $pos)) (local.get $n)))
            (local.set $pos (local.get $p))
            (if (local.get $nb)
              (then
                (block $keep
                  (block $drop
                    (block $nomatch
                      (loop $scan
                        (br_if $nomatch (i32.ge_u (local.get $j) (local.get $nb)))
                        (local.set $c (i32.load offset=2560 (i32.shl (local.get $j) (i32.const 2))))
                        (br_if $nomatch (i32.gt_u (local.get $c) (local.get $p)))
                        (if (i32.lt_u (local.get $c) (local.get $p))
                          (then
                            (local.set $j (i32.add (local.get $j) (i32.const 1)))
                            (br $scan))))
                      ;; Met: B's recorded chunks after p are A's.
                      (loop $take
                        (local.set $j (i32.add (local.get $j) (i32.const 1)))
                        (if (i32.lt_u (local.get $j) (local.get $nb))
                          (then
                            (local.set $c (i32.load offset=2560 (i32.shl (local.get $j) (i32.const 2))))
                            (local.set $n (call $emit (local.get $pos) (i32.sub (local.get $c) (local.get $pos)) (local.get $n)))
                            (local.set $pos (local.get $c))
                            (br $take))))
                      (br $drop))
                    ;; Not met: keep B while it may still meet A; once dropped, no more rounds in
                    ;; this call (data where chains do not meet would waste every round).
                    (br_if $keep (select (i32.lt_u (local.get $p) (local.get $b))
                      (i32.lt_u (local.get $j) (local.get $nb)) (local.get $on)))
                    (local.set $off (i32.const 1)))
                  (local.set $nb (i32.const 0))
                  (local.set $on (i32.const 0)))))
            (local.set $ev (i32.or (local.get $ev) (i32.const 4)))))
        ;; A starts a chunk at pos: skip min(mi, size) bytes; maybe start a round with B.
        (if (i32.and (local.get $ev) (i32.const 4))
          (then
            (br_if $done (i32.ge_u (local.get $pos) (local.get $end)))
            (local.set $s (i32.sub (local.get $end) (local.get $pos)))
            (local.set $pat (i32.const 0))
            (local.set $loose (i32.const 0))
            (local.set $mask (local.get $maskS))
            (local.set $p (i32.add (local.get $pos) (select (local.get $mi) (local.get $s) (i32.lt_s (local.get $mi) (local.get $s)))))
            (local.set $lim (i32.add (local.get $pos) (select (local.get $cs) (local.get $s) (i32.lt_s (local.get $cs) (local.get $s)))))
            (if (i32.and (i32.eqz (i32.or (local.get $nb) (local.get $off))) (i32.ge_u (local.get $s) (i32.const 65536)))
              (then
                ;; Rounds of 2 x 16 ma (B makes ~128 of BCUTS' 384 cuts: chunks average ~ma/8), the
                ;; last one (up to 3 x 16 ma) split in halves.
                (local.set $c (i32.shl (local.get $ma) (i32.const 4)))
                (local.set $bpos (i32.add (local.get $pos) (select (local.get $c) (i32.shr_u (local.get $s) (i32.const 1))
                  (i32.lt_u (local.get $c) (i32.div_u (local.get $s) (i32.const 3))))))
                (i32.store offset=2560 (i32.const 0) (local.get $bpos))
                (local.set $nb (i32.const 1))
                (local.set $j (i32.const 0))
                (local.set $on (i32.const 1))
                (local.set $ev (i32.const 8))))))
        ;; B starts a chunk at bpos.
        (if (i32.and (local.get $ev) (i32.const 8))
          (then
            (local.set $s (i32.sub (local.get $end) (local.get $bpos)))
            (local.set $bpat (i32.const 0))
            (local.set $bloose (i32.const 0))
            (local.set $bmask (local.get $maskS))
            (local.set $b (i32.add (local.get $bpos) (select (local.get $mi) (local.get $s) (i32.lt_s (local.get $mi) (local.get $s)))))
            (local.set $blim (i32.add (local.get $bpos) (select (local.get $cs) (local.get $s) (i32.lt_s (local.get $cs) (local.get $s)))))))
        ;; A chain at its limit: strict -> loose mask, or loose -> cut at p (max size or end).
        (local.set $ev (i32.const 0))
        (if (i32.ge_u (local.get $p) (local.get $lim))
          (then
            (local.set $ev (local.get $loose))
            (br_if $main (local.get $loose))
            (local.set $loose (i32.const 1))
            (local.set $mask (local.get $maskL))
            (local.set $s (i32.sub (local.get $end) (local.get $pos)))
            (local.set $lim (i32.add (local.get $pos) (select (local.get $ma) (local.get $s) (i32.lt_s (local.get $ma) (local.get $s)))))
            (br $main)))
        (if (i32.and (local.get $on) (i32.ge_u (local.get $b) (local.get $blim)))
          (then
            (local.set $ev (i32.shl (local.get $bloose) (i32.const 1)))
            (br_if $main (local.get $bloose))
            (local.set $bloose (i32.const 1))
            (local.set $bmask (local.get $maskL))
            (local.set $s (i32.sub (local.get $end) (local.get $bpos)))
            (local.set $blim (i32.add (local.get $bpos) (select (local.get $ma) (local.get $s) (i32.lt_s (local.get $ma) (local.get $s)))))
            (br $main)))
        ;; Step until a cut or the nearer limit: eight steps a round with two chains (four with
        ;; one), then one by one. A cut in step j of a round lands in block $xj, which advances
        ;; both chains past it (harmless for B when it is off).
        (block $stepped
          (block $adv
            (block $x7 (block $x6 (block $x5 (block $x4 (block $x3 (block $x2 (block $x1 (block $x0
              (if (local.get $on)
                (then
                  (local.set $stop (i32.sub (local.get $lim) (local.get $p)))
                  (local.set $s (i32.sub (local.get $blim) (local.get $b)))
                  (local.set $stop (i32.add (local.get $p)
                    (select (local.get $stop) (local.get $s) (i32.lt_u (local.get $stop) (local.get $s)))))
                  (block $r2
                    (loop $two4
                      (br_if $r2 (i32.gt_u (i32.add (local.get $p) (i32.const 8)) (local.get $stop)))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=0 (local.get $b)) (i32.const 2)))))
                      (br_if $x0 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x0 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=1 (local.get $b)) (i32.const 2)))))
                      (br_if $x1 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x1 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=2 (local.get $b)) (i32.const 2)))))
                      (br_if $x2 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x2 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=3 (local.get $b)) (i32.const 2)))))
                      (br_if $x3 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x3 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=4 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=4 (local.get $b)) (i32.const 2)))))
                      (br_if $x4 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x4 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=5 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=5 (local.get $b)) (i32.const 2)))))
                      (br_if $x5 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x5 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=6 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=6 (local.get $b)) (i32.const 2)))))
                      (br_if $x6 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x6 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=7 (local.get $p)) (i32.const 2)))))
                      (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=7 (local.get $b)) (i32.const 2)))))
                      (br_if $x7 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (br_if $x7 (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                      (local.set $p (i32.add (local.get $p) (i32.const 8)))
                      (local.set $b (i32.add (local.get $b) (i32.const 8)))
                      (br $two4)))
                  (loop $two1
                    (br_if $stepped (i32.ge_u (local.get $p) (local.get $stop)))
                    (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 2)))))
                    (local.set $bpat (i32.add (i32.shr_u (local.get $bpat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=0 (local.get $b)) (i32.const 2)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (local.set $b (i32.add (local.get $b) (i32.const 1)))
                    (br_if $stepped (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                    (br_if $stepped (i32.eqz (i32.and (local.get $bpat) (local.get $bmask))))
                    (br $two1)))
                (else
                  (block $r1
                    (loop $one4
                      (br_if $r1 (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $lim)))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 2)))))
                      (br_if $x0 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 2)))))
                      (br_if $x1 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 2)))))
                      (br_if $x2 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 2)))))
                      (br_if $x3 (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                      (local.set $p (i32.add (local.get $p) (i32.const 4)))
                      (br $one4)))
                  (loop $one1
                    (br_if $stepped (i32.ge_u (local.get $p) (local.get $lim)))
                    (local.set $pat (i32.add (i32.shr_u (local.get $pat) (i32.const 1))
                        (i32.load (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 2)))))
                    (local.set $p (i32.add (local.get $p) (i32.const 1)))
                    (br_if $stepped (i32.eqz (i32.and (local.get $pat) (local.get $mask))))
                    (br $one1)))))
              (local.set $s (i32.const 1)) (br $adv))
              (local.set $s (i32.const 2)) (br $adv))
              (local.set $s (i32.const 3)) (br $adv))
              (local.set $s (i32.const 4)) (br $adv))
              (local.set $s (i32.const 5)) (br $adv))
              (local.set $s (i32.const 6)) (br $adv))
              (local.set $s (i32.const 7)) (br $adv))
            (local.set $s (i32.const 8)))
          (local.set $p (i32.add (local.get $p) (local.get $s)))
          (local.set $b (i32.add (local.get $b) (local.get $s))))
        (local.set $ev (i32.or (i32.eqz (i32.and (local.get $pat) (local.get $mask)))
          (i32.shl (i32.and (local.get $on) (i32.eqz (i32.and (local.get $bpat) (local.get $bmask)))) (i32.const 1))))
        (br $main)))
    (i32.store (i32.const 2304) (i32.sub (local.get $pos) (local.get $ptr)))
    (drop (call $features (global.get $hp) (global.get $hn) (local.get $n)))
    (call $minhash (i32.const 4096) (local.get $n))
    (local.get $n))
)
