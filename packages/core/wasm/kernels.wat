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
;;     4096  FEAT  4096 x i32   features: xxh32 of each finished chunk / input of `minhash`
;;    20480  SIZES 4096 x i32   byte length of each finished chunk
;;    36864  free   (callers keep an open tail here between calls)
;;    65536  IN    1 MiB        input bytes (callers may grow the memory and use more)
;;
;; scripts/gen-core-wasm.mjs also assembles a variant whose memory is imported and shared
;; (`env.memory`), so that another thread can read input straight into it; the line below is
;; replaced for that variant, the rest is the same.
(module
  (memory (export "memory") 17)

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
    (local.set $h (i32.add (local.get $h) (local.get $len)))
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

  ;; Content-defined chunking of mem[ptr, ptr+len) exactly as cdc.ts `_cdcOffset`, applied from
  ;; the start until the last chunk, which stays open (its end may move when more data comes)
  ;; unless `final` is non-zero: for every finished chunk its xxh32 goes to FEAT and its length
  ;; to SIZES, and all of them are folded into MINS. When FEAT is full (more than 4096 chunks in
  ;; one call) it is folded and refilled from slot 0. Returns the number of chunks in FEAT (all
  ;; finished chunks for inputs up to 1 MiB: chunks are longer than 256 bytes); the open tail
  ;; starts at ptr + TAIL (TAIL = len with `final`).
  (func (export "data_chunks") (param $ptr i32) (param $len i32) (param $mi i32) (param $ma i32)
    (param $cs i32) (param $maskS i32) (param $maskL i32) (param $final i32) (result i32)
    (local $pos i32) (local $end i32) (local $size i32) (local $p i32) (local $pend i32)
    (local $pattern i32) (local $cut i32) (local $n i32)
    (local.set $pos (local.get $ptr))
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (block $done
      (loop $chunks
        (br_if $done (i32.ge_u (local.get $pos) (local.get $end)))
        (local.set $size (i32.sub (local.get $end) (local.get $pos)))
        (local.set $pattern (i32.const 0))
        ;; p runs over the bytes of this chunk; skip min(mi, size) bytes unhashed.
        (local.set $p (i32.add (local.get $pos)
          (select (local.get $mi) (local.get $size) (i32.lt_s (local.get $mi) (local.get $size)))))
        (block $cut_found
          ;; Strict mask up to pos + min(cs, size): four bytes a round, then byte by byte.
          ;; A cut after byte j of a round lands in block $sj, which advances p past it.
          (local.set $pend (i32.add (local.get $pos)
            (select (local.get $cs) (local.get $size) (i32.lt_s (local.get $cs) (local.get $size)))))
          (block $s_rest
            (block $s3 (block $s2 (block $s1 (block $s0
              (loop $s4
                (br_if $s_rest (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pend)))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 2)))))
                (br_if $s0 (i32.eqz (i32.and (local.get $pattern) (local.get $maskS))))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 2)))))
                (br_if $s1 (i32.eqz (i32.and (local.get $pattern) (local.get $maskS))))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 2)))))
                (br_if $s2 (i32.eqz (i32.and (local.get $pattern) (local.get $maskS))))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 2)))))
                (br_if $s3 (i32.eqz (i32.and (local.get $pattern) (local.get $maskS))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $s4)))
              (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $cut_found))
              (local.set $p (i32.add (local.get $p) (i32.const 2))) (br $cut_found))
              (local.set $p (i32.add (local.get $p) (i32.const 3))) (br $cut_found))
              (local.set $p (i32.add (local.get $p) (i32.const 4))) (br $cut_found))
          (block $s_done
            (loop $s_bytes
              (br_if $s_done (i32.ge_s (local.get $p) (local.get $pend)))
              (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                (i32.load (i32.shl (i32.load8_u (local.get $p)) (i32.const 2)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $cut_found (i32.eqz (i32.and (local.get $pattern) (local.get $maskS))))
              (br $s_bytes)))
          ;; Loose mask up to pos + min(ma, size): four bytes a round, then byte by byte.
          ;; A cut after byte j of a round lands in block $lj, which advances p past it.
          (local.set $pend (i32.add (local.get $pos)
            (select (local.get $ma) (local.get $size) (i32.lt_s (local.get $ma) (local.get $size)))))
          (block $l_rest
            (block $l3 (block $l2 (block $l1 (block $l0
              (loop $l4
                (br_if $l_rest (i32.gt_s (i32.add (local.get $p) (i32.const 4)) (local.get $pend)))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=0 (local.get $p)) (i32.const 2)))))
                (br_if $l0 (i32.eqz (i32.and (local.get $pattern) (local.get $maskL))))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=1 (local.get $p)) (i32.const 2)))))
                (br_if $l1 (i32.eqz (i32.and (local.get $pattern) (local.get $maskL))))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=2 (local.get $p)) (i32.const 2)))))
                (br_if $l2 (i32.eqz (i32.and (local.get $pattern) (local.get $maskL))))
                (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                  (i32.load (i32.shl (i32.load8_u offset=3 (local.get $p)) (i32.const 2)))))
                (br_if $l3 (i32.eqz (i32.and (local.get $pattern) (local.get $maskL))))
                (local.set $p (i32.add (local.get $p) (i32.const 4)))
                (br $l4)))
              (local.set $p (i32.add (local.get $p) (i32.const 1))) (br $cut_found))
              (local.set $p (i32.add (local.get $p) (i32.const 2))) (br $cut_found))
              (local.set $p (i32.add (local.get $p) (i32.const 3))) (br $cut_found))
              (local.set $p (i32.add (local.get $p) (i32.const 4))) (br $cut_found))
          (block $l_done
            (loop $l_bytes
              (br_if $l_done (i32.ge_s (local.get $p) (local.get $pend)))
              (local.set $pattern (i32.add (i32.shr_u (local.get $pattern) (i32.const 1))
                (i32.load (i32.shl (i32.load8_u (local.get $p)) (i32.const 2)))))
              (local.set $p (i32.add (local.get $p) (i32.const 1)))
              (br_if $cut_found (i32.eqz (i32.and (local.get $pattern) (local.get $maskL))))
              (br $l_bytes))))
        ;; A chunk reaching the end of the data is the open tail (unless final).
        (br_if $done (i32.and (i32.eq (local.get $p) (local.get $end)) (i32.eqz (local.get $final))))
        (local.set $cut (i32.sub (local.get $p) (local.get $pos)))
        (i32.store offset=4096 (i32.shl (local.get $n) (i32.const 2))
          (call $xxh32 (local.get $pos) (local.get $cut) (i32.const 0)))
        (i32.store offset=20480 (i32.shl (local.get $n) (i32.const 2)) (local.get $cut))
        (local.set $n (i32.add (local.get $n) (i32.const 1)))
        (if (i32.eq (local.get $n) (i32.const 4096))
          (then
            (call $minhash (i32.const 4096) (local.get $n))
            (local.set $n (i32.const 0))))
        (local.set $pos (local.get $p))
        (br $chunks)))
    (i32.store (i32.const 2304) (i32.sub (local.get $pos) (local.get $ptr)))
    (call $minhash (i32.const 4096) (local.get $n))
    (local.get $n))
)
