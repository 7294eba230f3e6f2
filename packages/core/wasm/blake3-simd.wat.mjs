// Source of core's WebAssembly BLAKE3 with SIMD: the module of blake3.wat.mjs plus a 4-way
// path that compresses four full chunks at once (one chunk per 32-bit lane of v128 words).
// Assembled by scripts/gen-core-wasm.mjs into packages/core/src/_wasm-blake3-simd.ts.
import { build } from './blake3.wat.mjs';

export default build({ simd: true });
