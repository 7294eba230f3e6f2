;; Hamming-distance kernels of @iscc-ts/index (kernel.ts): the candidate filter of the
;; multi-index hashing tables and of the linear scan, over packed 64-bit code prefixes.
;;
;; Memory belongs to the caller (kernel-wasm.ts lays it out). A code row is 8 bytes, the two
;; big-endian 32-bit words of the prefix stored as little-endian u32 (as a Uint32Array holds
;; them), so i64.load of a row gives hi | lo << 32 and the query is passed the same way.
;; Results are pairs (position u32, distance u32) at `out`; at most `cap` pairs per call. When a
;; call stops because `out` is full it leaves where to go on at bytes 0..8 (RESUME): the mask
;; index and the row position; the caller drains `out` and calls again from there. Bytes 8..12
;; (SEEN) receive the number of rows the call compared.
(module
  (memory (export "memory") 1)

  ;; Rows [start, end) of `codes` within `t` bits of the query. Eight rows a step: the distances
  ;; are subtracted from t and AND-ed, so one sign test says whether any of the eight is in.
  (func (export "scan") (param $codes i32) (param $start i32) (param $end i32) (param $q0 i32) (param $q1 i32)
                        (param $t i32) (param $out i32) (param $cap i32) (result i32)
    (local $q i64) (local $t64 i64) (local $a i32) (local $e i32) (local $n i32) (local $i i32) (local $h i64)
    (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64) (local $h4 i64) (local $h5 i64) (local $h6 i64) (local $h7 i64)
    (local.set $q (i64.or (i64.extend_i32_u (local.get $q0)) (i64.shl (i64.extend_i32_u (local.get $q1)) (i64.const 32))))
    (local.set $t64 (i64.extend_i32_u (local.get $t)))
    (local.set $a (i32.add (local.get $codes) (i32.shl (local.get $start) (i32.const 3))))
    (local.set $e (i32.add (local.get $codes) (i32.shl (local.get $end) (i32.const 3))))
    (block $done
      ;; eight rows a step while at least eight are left and `out` has room for eight
      (block $tail
        (loop $step
          (br_if $tail (i32.gt_u (i32.add (local.get $a) (i32.const 64)) (local.get $e)))
          (br_if $tail (i32.gt_u (i32.add (local.get $n) (i32.const 8)) (local.get $cap)))
          (local.set $h0 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=0 (local.get $a)) (local.get $q)))))
          (local.set $h1 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=8 (local.get $a)) (local.get $q)))))
          (local.set $h2 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=16 (local.get $a)) (local.get $q)))))
          (local.set $h3 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=24 (local.get $a)) (local.get $q)))))
          (local.set $h4 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=32 (local.get $a)) (local.get $q)))))
          (local.set $h5 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=40 (local.get $a)) (local.get $q)))))
          (local.set $h6 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=48 (local.get $a)) (local.get $q)))))
          (local.set $h7 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=56 (local.get $a)) (local.get $q)))))
          (if (i64.ge_s
                (i64.and (i64.and (i64.and (local.get $h0) (local.get $h1)) (i64.and (local.get $h2) (local.get $h3)))
                         (i64.and (i64.and (local.get $h4) (local.get $h5)) (i64.and (local.get $h6) (local.get $h7))))
                (i64.const 0))
            (then
              (local.set $i (i32.const 0))
              (loop $each
                (local.set $h (i64.popcnt (i64.xor (i64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))) (local.get $q))))
                (if (i64.le_u (local.get $h) (local.get $t64))
                  (then
                    (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3)))
                      (i32.add (i32.shr_u (i32.sub (local.get $a) (local.get $codes)) (i32.const 3)) (local.get $i)))
                    (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (i32.wrap_i64 (local.get $h)))
                    (local.set $n (i32.add (local.get $n) (i32.const 1)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $each (i32.lt_u (local.get $i) (i32.const 8))))))
          (local.set $a (i32.add (local.get $a) (i32.const 64)))
          (br $step)))
      ;; one row a step (the last rows, or `out` nearly full)
      (loop $one
        (br_if $done (i32.ge_u (local.get $a) (local.get $e)))
        (br_if $done (i32.ge_u (local.get $n) (local.get $cap)))
        (local.set $h (i64.popcnt (i64.xor (i64.load (local.get $a)) (local.get $q))))
        (if (i64.le_u (local.get $h) (local.get $t64))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3)))
              (i32.shr_u (i32.sub (local.get $a) (local.get $codes)) (i32.const 3)))
            (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (i32.wrap_i64 (local.get $h)))
            (local.set $n (i32.add (local.get $n) (i32.const 1)))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (br $one)))
    (i32.store offset=4 (i32.const 0) (i32.shr_u (i32.sub (local.get $a) (local.get $codes)) (i32.const 3)))
    (i32.store offset=8 (i32.const 0) (i32.sub (i32.shr_u (i32.sub (local.get $a) (local.get $codes)) (i32.const 3)) (local.get $start)))
    (local.get $n))

  ;; Probe the buckets seg ^ masks[m] (u16 masks), m in [m0, m1), of one table: `off` holds
  ;; the bucket starts (u32, one more than buckets), `codes` the rows in bucket order. The first
  ;; bucket starts at row position `pos0` when that lies inside it (resuming). Four rows a step
  ;; with one sign test (as in scan), then row by row.
  (func (export "probe") (param $off i32) (param $codes i32) (param $seg i32) (param $masks i32) (param $m0 i32) (param $m1 i32)
                         (param $pos0 i32) (param $q0 i32) (param $q1 i32) (param $t i32) (param $out i32) (param $cap i32) (result i32)
    (local $q i64) (local $t64 i64) (local $m i32) (local $v i32) (local $p i32) (local $pe i32) (local $n i32) (local $h i64)
    (local $seen i32) (local $a i32) (local $i i32) (local $h0 i64) (local $h1 i64) (local $h2 i64) (local $h3 i64)
    (local.set $q (i64.or (i64.extend_i32_u (local.get $q0)) (i64.shl (i64.extend_i32_u (local.get $q1)) (i64.const 32))))
    (local.set $t64 (i64.extend_i32_u (local.get $t)))
    (local.set $m (local.get $m0))
    (block $done
      (loop $bucket
        (br_if $done (i32.ge_u (local.get $m) (local.get $m1)))
        (local.set $v (i32.shl (i32.xor (local.get $seg) (i32.load16_u (i32.add (local.get $masks) (i32.shl (local.get $m) (i32.const 1))))) (i32.const 2)))
        (local.set $p (i32.load (i32.add (local.get $off) (local.get $v))))
        (local.set $pe (i32.load offset=4 (i32.add (local.get $off) (local.get $v))))
        (if (i32.and (i32.eq (local.get $m) (local.get $m0)) (i32.gt_u (local.get $pos0) (local.get $p)))
          (then (local.set $p (local.get $pos0))))
        (block $next
          (block $rows
            (loop $four
              (br_if $rows (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $pe)))
              (local.set $a (i32.add (local.get $codes) (i32.shl (local.get $p) (i32.const 3))))
              (local.set $h0 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=0 (local.get $a)) (local.get $q)))))
              (local.set $h1 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=8 (local.get $a)) (local.get $q)))))
              (local.set $h2 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=16 (local.get $a)) (local.get $q)))))
              (local.set $h3 (i64.sub (local.get $t64) (i64.popcnt (i64.xor (i64.load offset=24 (local.get $a)) (local.get $q)))))
              (if (i64.ge_s (i64.and (i64.and (local.get $h0) (local.get $h1)) (i64.and (local.get $h2) (local.get $h3))) (i64.const 0))
                (then
                  (local.set $i (i32.const 0))
                  (loop $each
                    (local.set $h (i64.popcnt (i64.xor (i64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))) (local.get $q))))
                    (if (i64.le_u (local.get $h) (local.get $t64))
                      (then
                        (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (i32.add (local.get $p) (local.get $i)))
                        (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (i32.wrap_i64 (local.get $h)))
                        (local.set $n (i32.add (local.get $n) (i32.const 1)))
                        (if (i32.ge_u (local.get $n) (local.get $cap))
                          (then
                            (i32.store (i32.const 0) (local.get $m))
                            (i32.store offset=4 (i32.const 0) (i32.add (i32.add (local.get $p) (local.get $i)) (i32.const 1)))
                            (i32.store offset=8 (i32.const 0) (i32.add (i32.add (local.get $seen) (local.get $i)) (i32.const 1)))
                            (return (local.get $n))))))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $each (i32.lt_u (local.get $i) (i32.const 4))))))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (local.set $seen (i32.add (local.get $seen) (i32.const 4)))
              (br $four)))
          (loop $row
            (br_if $next (i32.ge_u (local.get $p) (local.get $pe)))
            (local.set $h (i64.popcnt (i64.xor (i64.load (i32.add (local.get $codes) (i32.shl (local.get $p) (i32.const 3)))) (local.get $q))))
            (if (i64.le_u (local.get $h) (local.get $t64))
              (then
                (i32.store (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (local.get $p))
                (i32.store offset=4 (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))) (i32.wrap_i64 (local.get $h)))
                (local.set $n (i32.add (local.get $n) (i32.const 1)))
                (if (i32.ge_u (local.get $n) (local.get $cap))
                  (then
                    (i32.store offset=8 (i32.const 0) (i32.add (local.get $seen) (i32.const 1)))
                    (i32.store (i32.const 0) (local.get $m))
                    (i32.store offset=4 (i32.const 0) (i32.add (local.get $p) (i32.const 1)))
                    (return (local.get $n))))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (local.set $seen (i32.add (local.get $seen) (i32.const 1)))
            (br $row)))
        (local.set $m (i32.add (local.get $m) (i32.const 1)))
        (br $bucket)))
    (i32.store (i32.const 0) (local.get $m1))
    (i32.store offset=4 (i32.const 0) (i32.const 0))
    (i32.store offset=8 (i32.const 0) (local.get $seen))
    (local.get $n))
)
