// Source of core's WebAssembly BLAKE3 (scalar): a JavaScript module that writes the
// WebAssembly text, so that the 7 rounds x 8 G mixes of the compression function are unrolled
// over locals by a loop here instead of by hand. scripts/gen-core-wasm.mjs assembles the text
// into packages/core/src/_wasm-blake3.ts; blake3-wasm.ts loads it and builds the hash tree.
//
// Memory: 0 scratch CV, 64 scratch block, 1024 STACK (CV stack, 54 x 32 bytes), 65536 IN (1 MiB).
// Exports:
//   push_chunks(ptr, n, ctrLo, ctrHi, depth) -> depth  add n full 1 KiB chunks to the CV stack
//   chunk(ptr, len, ctrLo, ctrHi, root, out)  one chunk of 0..1024 bytes (the last one of an
//                            input); root = 1 sets ROOT on its last block
//   parent(ptr, root)        parent node of the two CVs at ptr (64 bytes); result at ptr
// Flags: CHUNK_START 1, CHUNK_END 2, PARENT 4, ROOT 8 (BLAKE3 spec).

const IV = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const PERM = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];

/** Message word order of each of the 7 rounds. */
function schedule() {
  const out = [[...Array(16).keys()]];
  for (let r = 1; r < 7; r++) out.push(PERM.map((p) => out[r - 1][p]));
  return out;
}

const get = (x) => `(local.get $${x})`;
const set = (x, e) => `(local.set $${x} ${e})`;
const add = (...xs) => xs.reduce((a, b) => `(i32.add ${a} ${b})`);

/** One G mix on state words a, b, c, d with message words x, y. */
function g(a, b, c, d, x, y) {
  return [
    set(a, add(get(a), get(b), get(x))),
    set(d, `(i32.rotr (i32.xor ${get(d)} ${get(a)}) (i32.const 16))`),
    set(c, add(get(c), get(d))),
    set(b, `(i32.rotr (i32.xor ${get(b)} ${get(c)}) (i32.const 12))`),
    set(a, add(get(a), get(b), get(y))),
    set(d, `(i32.rotr (i32.xor ${get(d)} ${get(a)}) (i32.const 8))`),
    set(c, add(get(c), get(d))),
    set(b, `(i32.rotr (i32.xor ${get(b)} ${get(c)}) (i32.const 7))`),
  ];
}

function compressFunc() {
  const s = [...Array(16).keys()].map((i) => `s${i}`);
  const m = [...Array(16).keys()].map((i) => `m${i}`);
  const L = [];
  L.push(';; CV at cv (8 words) <- first half of compress(CV, block at blk, counter, len, flags)');
  L.push('(func $compress (param $cv i32) (param $blk i32) (param $ctr i64) (param $len i32) (param $flags i32)');
  L.push('  ' + [...s, ...m].map((x) => `(local $${x} i32)`).join(' '));
  for (let i = 0; i < 8; i++) L.push('  ' + set(s[i], `(i32.load offset=${4 * i} (local.get $cv))`));
  for (let i = 0; i < 4; i++) L.push('  ' + set(s[8 + i], `(i32.const ${IV[i] | 0})`));
  L.push('  ' + set('s12', '(i32.wrap_i64 (local.get $ctr))'));
  L.push('  ' + set('s13', '(i32.wrap_i64 (i64.shr_u (local.get $ctr) (i64.const 32)))'));
  L.push('  ' + set('s14', '(local.get $len)'));
  L.push('  ' + set('s15', '(local.get $flags)'));
  for (let i = 0; i < 16; i++) L.push('  ' + set(m[i], `(i32.load offset=${4 * i} (local.get $blk))`));
  const cols = [[0, 4, 8, 12], [1, 5, 9, 13], [2, 6, 10, 14], [3, 7, 11, 15]];
  const diags = [[0, 5, 10, 15], [1, 6, 11, 12], [2, 7, 8, 13], [3, 4, 9, 14]];
  schedule().forEach((w, r) => {
    L.push(`  ;; round ${r + 1}`);
    [...cols, ...diags].forEach(([a, b, c, d], k) => {
      for (const line of g(s[a], s[b], s[c], s[d], m[w[2 * k]], m[w[2 * k + 1]])) L.push('  ' + line);
    });
  });
  for (let i = 0; i < 8; i++) {
    L.push(`  (i32.store offset=${4 * i} (local.get $cv) (i32.xor ${get(s[i])} ${get(s[i + 8])}))`);
  }
  L.push(')');
  return L.join('\n');
}


const vget = (x) => `(local.get $${x})`;
const vadd = (...xs) => xs.reduce((a, b) => `(i32x4.add ${a} ${b})`);
const ROT16 = 'i8x16.shuffle 2 3 0 1 6 7 4 5 10 11 8 9 14 15 12 13';
const ROT8 = 'i8x16.shuffle 1 2 3 0 5 6 7 4 9 10 11 8 13 14 15 12';
const rotr = (e, n) =>
  n === 16 ? `(${ROT16} ${e} ${e})` : n === 8 ? `(${ROT8} ${e} ${e})` :
  `(v128.or (i32x4.shr_u ${e} (i32.const ${n})) (i32x4.shl ${e} (i32.const ${32 - n})))`;

/** G on four chunks at once: every word is a v128 holding the word of chunks 0..3. */
function g4(a, b, c, d, x, y) {
  const t = (e, n) => [set('t', e), set('t', rotr(vget('t'), n))];
  return [
    set(a, vadd(vget(a), vget(b), vget(x))),
    ...t(`(v128.xor ${vget(d)} ${vget(a)})`, 16), set(d, vget('t')),
    set(c, vadd(vget(c), vget(d))),
    ...t(`(v128.xor ${vget(b)} ${vget(c)})`, 12), set(b, vget('t')),
    set(a, vadd(vget(a), vget(b), vget(y))),
    ...t(`(v128.xor ${vget(d)} ${vget(a)})`, 8), set(d, vget('t')),
    set(c, vadd(vget(c), vget(d))),
    ...t(`(v128.xor ${vget(b)} ${vget(c)})`, 7), set(b, vget('t')),
  ];
}

/**
 * $chunks4(ptr, ctr): the CVs of the four full chunks at ptr (counters ctr .. ctr+3), lane j
 * being chunk j, written untransposed to CV4 (512 + 32 j). The temporary t keeps each rotation
 * a plain expression of one local.
 */
function chunks4Func() {
  const s = [...Array(16).keys()].map((i) => `s${i}`);
  const m = [...Array(16).keys()].map((i) => `m${i}`);
  const cv = [...Array(8).keys()].map((i) => `cv${i}`);
  const L = [];
  L.push('(func $chunks4 (param $ptr i32) (param $ctr i64)');
  L.push('  (local $b i32) (local $flags i32) (local $ctrLo v128) (local $ctrHi v128) (local $c i64) (local $t v128)');
  L.push('  ' + [...s, ...m, ...cv].map((x) => `(local $${x} v128)`).join(' '));
  IV.forEach((v, i) => L.push('  ' + set(cv[i], `(i32x4.splat (i32.const ${v | 0}))`)));
  // per-lane counters (64-bit, split into words)
  L.push('  ' + set('ctrLo', '(i32x4.splat (i32.wrap_i64 (local.get $ctr)))'));
  L.push('  ' + set('ctrHi', '(i32x4.splat (i32.wrap_i64 (i64.shr_u (local.get $ctr) (i64.const 32))))'));
  for (let j = 1; j < 4; j++) {
    L.push('  ' + set('c', `(i64.add (local.get $ctr) (i64.const ${j}))`));
    L.push('  ' + set('ctrLo', `(i32x4.replace_lane ${j} (local.get $ctrLo) (i32.wrap_i64 (local.get $c)))`));
    L.push('  ' + set('ctrHi', `(i32x4.replace_lane ${j} (local.get $ctrHi) (i32.wrap_i64 (i64.shr_u (local.get $c) (i64.const 32))))`));
  }
  L.push('  (local.set $flags (i32.const 1))');
  L.push('  (loop $blocks');
  L.push('    (if (i32.eq (local.get $b) (i32.const 960)) (then (local.set $flags (i32.or (local.get $flags) (i32.const 2)))))');
  for (let w = 0; w < 16; w++) {
    const o = 4 * w;
    L.push('    ' + set(m[w], `(i32x4.replace_lane 3 (i32x4.replace_lane 2 (i32x4.replace_lane 1 (v128.load32_zero offset=${o} (local.get $ptr)) (i32.load offset=${1024 + o} (local.get $ptr))) (i32.load offset=${2048 + o} (local.get $ptr))) (i32.load offset=${3072 + o} (local.get $ptr)))`));
  }
  for (let i = 0; i < 8; i++) L.push('    ' + set(s[i], vget(cv[i])));
  for (let i = 0; i < 4; i++) L.push('    ' + set(s[8 + i], `(i32x4.splat (i32.const ${IV[i] | 0}))`));
  L.push('    ' + set('s12', vget('ctrLo')));
  L.push('    ' + set('s13', vget('ctrHi')));
  L.push('    ' + set('s14', '(i32x4.splat (i32.const 64))'));
  L.push('    ' + set('s15', '(i32x4.splat (local.get $flags))'));
  const cols = [[0, 4, 8, 12], [1, 5, 9, 13], [2, 6, 10, 14], [3, 7, 11, 15]];
  const diags = [[0, 5, 10, 15], [1, 6, 11, 12], [2, 7, 8, 13], [3, 4, 9, 14]];
  schedule().forEach((w, r) => {
    L.push(`    ;; round ${r + 1}`);
    [...cols, ...diags].forEach(([a, b, c, d], k) => {
      for (const line of g4(s[a], s[b], s[c], s[d], m[w[2 * k]], m[w[2 * k + 1]])) L.push('    ' + line);
    });
  });
  for (let i = 0; i < 8; i++) L.push('    ' + set(cv[i], `(v128.xor ${vget(s[i])} ${vget(s[i + 8])})`));
  L.push('    (local.set $flags (i32.const 0))');
  L.push('    (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))');
  L.push('    (local.set $b (i32.add (local.get $b) (i32.const 64)))');
  L.push('    (br_if $blocks (i32.lt_u (local.get $b) (i32.const 1024))))');
  for (let j = 0; j < 4; j++) {
    for (let i = 0; i < 8; i++) {
      L.push(`  (i32.store offset=${512 + 32 * j + 4 * i} (i32.const 0) (i32x4.extract_lane ${j} ${vget(cv[i])}))`);
    }
  }
  L.push(')');
  return L.join('\n');
}

/** push_chunks' SIMD step: four chunks at once, then their CVs pushed (and merged) in order. */
function pushFour() {
  const merge = `
          (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
          (local.set $ctr (i64.add (local.get $ctr) (i64.const 1)))
          (local.set $total (local.get $ctr))
          (block $merged4
            (loop $merge4
              (br_if $merged4 (i64.ne (i64.and (local.get $total) (i64.const 1)) (i64.const 0)))
              (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
              (call $parent (i32.add (i32.const 992) (i32.shl (local.get $depth) (i32.const 5))) (i32.const 0))
              (local.set $total (i64.shr_u (local.get $total) (i64.const 1)))
              (br $merge4)))`;
  const lines = [
    '(if (i32.ge_u (i32.sub (local.get $n) (local.get $i)) (i32.const 4))',
    '  (then',
    '    (call $chunks4 (local.get $ptr) (local.get $ctr))',
  ];
  for (let j = 0; j < 4; j++) {
    lines.push(`    (memory.copy (i32.add (i32.const 1024) (i32.shl (local.get $depth) (i32.const 5))) (i32.const ${512 + 32 * j}) (i32.const 32))`);
    lines.push(merge);
  }
  lines.push('    (local.set $ptr (i32.add (local.get $ptr) (i32.const 4096)))');
  lines.push('    (local.set $i (i32.add (local.get $i) (i32.const 4)))');
  lines.push('    (br $each)))');
  return lines.join('\n        ');
}

/**
 * The module text; `simd` adds a 4-way SIMD path for runs of four full chunks (needs the
 * WebAssembly SIMD proposal, in all current engines).
 */
export function build({ simd }) {
  return `;; GENERATED text - the source is packages/core/wasm/blake3.wat.mjs
(module
  (memory (export "memory") 17)
  ${compressFunc().split('\n').join('\n  ')}
  ${simd ? chunks4Func().split('\n').join('\n  ') : ''}

  ;; Chaining value of one chunk of len (0..1024) bytes at ptr, chunk counter ctr, into out.
  (func $chunk (export "chunk") (param $ptr i32) (param $len i32) (param $ctrLo i32) (param $ctrHi i32)
    (param $root i32) (param $out i32)
    (local $ctr i64) (local $end i32) (local $blen i32) (local $flags i32)
    (local.set $ctr (i64.or (i64.extend_i32_u (local.get $ctrLo))
      (i64.shl (i64.extend_i32_u (local.get $ctrHi)) (i64.const 32))))
    ${IV.map((v, i) => `(i32.store offset=${4 * i} (local.get $out) (i32.const ${v | 0}))`).join('\n    ')}
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (local.set $flags (i32.const 1))
    ;; every block but the last
    (block $last
      (loop $blocks
        (br_if $last (i32.le_s (i32.sub (local.get $end) (local.get $ptr)) (i32.const 64)))
        (call $compress (local.get $out) (local.get $ptr) (local.get $ctr) (i32.const 64) (local.get $flags))
        (local.set $flags (i32.const 0))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 64)))
        (br $blocks)))
    ;; the last block (the empty chunk is one empty block), zero-padded in the scratch block
    (local.set $blen (i32.sub (local.get $end) (local.get $ptr)))
    (memory.fill (i32.const 64) (i32.const 0) (i32.const 64))
    (memory.copy (i32.const 64) (local.get $ptr) (local.get $blen))
    (call $compress (local.get $out) (i32.const 64) (local.get $ctr) (local.get $blen)
      (i32.or (i32.or (local.get $flags) (i32.const 2)) (i32.shl (local.get $root) (i32.const 3)))))

  ;; Push n full chunks at ptr (chunk counters ctr, ctr + 1, ...) onto the CV stack at STACK
  ;; (depth entries of 32 bytes): each chunk's CV goes on top, then, while the number of chunks
  ;; so far is even, the top two merge into their parent (the BLAKE3 incremental tree). The
  ;; stack is contiguous, so a pair is the 64-byte parent block in place. Returns the new depth.
  (func (export "push_chunks") (param $ptr i32) (param $n i32) (param $ctrLo i32) (param $ctrHi i32)
    (param $depth i32) (result i32)
    (local $i i32) (local $ctr i64) (local $out i32) (local $b i32) (local $total i64)
    (local.set $ctr (i64.or (i64.extend_i32_u (local.get $ctrLo))
      (i64.shl (i64.extend_i32_u (local.get $ctrHi)) (i64.const 32))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        ${simd ? pushFour() : ''}
        (local.set $out (i32.add (i32.const 1024) (i32.shl (local.get $depth) (i32.const 5))))
        ${IV.map((v, i) => `(i32.store offset=${4 * i} (local.get $out) (i32.const ${v | 0}))`).join('\n        ')}
        (call $compress (local.get $out) (local.get $ptr) (local.get $ctr) (i32.const 64) (i32.const 1))
        (local.set $b (i32.const 64))
        (loop $mid
          (call $compress (local.get $out) (i32.add (local.get $ptr) (local.get $b))
            (local.get $ctr) (i32.const 64) (i32.const 0))
          (local.set $b (i32.add (local.get $b) (i32.const 64)))
          (br_if $mid (i32.lt_u (local.get $b) (i32.const 960))))
        (call $compress (local.get $out) (i32.add (local.get $ptr) (i32.const 960)) (local.get $ctr) (i32.const 64) (i32.const 2))
        (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
        (local.set $ctr (i64.add (local.get $ctr) (i64.const 1)))
        ;; merge while the chunk count is even
        (local.set $total (local.get $ctr))
        (block $merged
          (loop $merge
            (br_if $merged (i64.ne (i64.and (local.get $total) (i64.const 1)) (i64.const 0)))
            (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
            (call $parent (i32.add (i32.const 992) (i32.shl (local.get $depth) (i32.const 5))) (i32.const 0))
            (local.set $total (i64.shr_u (local.get $total) (i64.const 1)))
            (br $merge)))
        (local.set $ptr (i32.add (local.get $ptr) (i32.const 1024)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $depth))

  ;; Parent node of the CV pair at ptr (left, right), result to ptr; root = 1 for the root.
  (func $parent (export "parent") (param $ptr i32) (param $root i32)
    ${IV.map((v, i) => `(i32.store offset=${4 * i} (i32.const 0) (i32.const ${v | 0}))`).join('\n    ')}
    (call $compress (i32.const 0) (local.get $ptr) (i64.const 0) (i32.const 64)
      (i32.or (i32.const 4) (i32.shl (local.get $root) (i32.const 3))))
    (memory.copy (local.get $ptr) (i32.const 0) (i32.const 32)))
)
`;
}

export default build({ simd: false });
