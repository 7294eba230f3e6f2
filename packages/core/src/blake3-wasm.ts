/**
 * BLAKE3 on core's own WebAssembly compression function (packages/core/wasm/blake3.wat.mjs,
 * assembled into `_wasm-blake3.ts`; with SIMD, blake3-simd.wat.mjs into `_wasm-blake3-simd.ts`,
 * which hashes four chunks at once and is used where the engine supports WebAssembly SIMD),
 * the default BLAKE3 for large inputs wherever the runtime has WebAssembly; @noble/hashes
 * stays the pure fallback and the tests' oracle.
 *
 * The hash tree (BLAKE3 spec, incremental form):
 * 1. Input is cut into 1 KiB chunks with counters 0, 1, 2, ...; a chunk is only compressed
 *    once more input follows it, because the last chunk is finalised differently.
 * 2. Full chunks go to the kernel in bulk (up to 1 MiB per call), straight from the input;
 *    each chunk's chaining value is pushed on a stack of subtree CVs, and after chunk number t
 *    the top two merge into their parent for every trailing zero bit of t.
 * 3. `digest`: the last chunk (0..1024 bytes) is the root when it is the only one; otherwise its
 *    CV is merged with the stack from the top down, the final merge flagged ROOT.
 * The stack lives in JS per hasher (many hashers may be interleaved) and is copied into kernel
 * memory around each call: at most 54 x 32 bytes.
 *
 * Loading is lazy and synchronous where allowed; where a runtime refuses synchronous
 * compilation (the module is over 4 KiB: a Chromium main thread) it compiles in the background
 * and the pure implementation is used until then.
 */
import { BLAKE3_SIMD_WASM } from './_wasm-blake3-simd.ts';
import { BLAKE3_WASM } from './_wasm-blake3.ts';

interface Blake3Exports {
  memory: WebAssembly.Memory;
  push_chunks: (ptr: number, n: number, ctrLo: number, ctrHi: number, depth: number) => number;
  chunk: (ptr: number, len: number, ctrLo: number, ctrHi: number, root: number, out: number) => void;
  parent: (ptr: number, root: number) => void;
}

const STACK = 1024;
const IN = 65536;
const IN_CAP = 1 << 20;
const CHUNK = 1024;
const TWO32 = 4294967296;

let phase = 0; // 0 not tried, 1 compiling, 2 ready, 3 unavailable
let ex: Blake3Exports | null = null;
let mem: Uint8Array = new Uint8Array(0);

function ready(instance: WebAssembly.Instance): void {
  ex = instance.exports as unknown as Blake3Exports;
  mem = new Uint8Array(ex.memory.buffer);
  phase = 2;
}

/** Use the SIMD build? Undefined = where the engine validates it. @internal (tests) */
export function _blake3WasmVariant(simd?: boolean): Uint8Array<ArrayBuffer> {
  const useSimd = simd ?? WebAssembly.validate(BLAKE3_SIMD_WASM as Uint8Array<ArrayBuffer>);
  return (useSimd ? BLAKE3_SIMD_WASM : BLAKE3_WASM) as Uint8Array<ArrayBuffer>;
}

/** Switch the loaded module (tests run both builds). @internal */
export function _loadBlake3Wasm(simd: boolean): void {
  ready(new WebAssembly.Instance(new WebAssembly.Module(_blake3WasmVariant(simd)), {}));
}

function load(): void {
  if (typeof WebAssembly !== 'object' || WebAssembly === null) {
    phase = 3;
    return;
  }
  try {
    ready(new WebAssembly.Instance(new WebAssembly.Module(_blake3WasmVariant()), {}));
  } catch {
    phase = 1;
    WebAssembly.instantiate(_blake3WasmVariant(), {}).then(
      (r) => ready(r.instance),
      () => {
        phase = 3;
      },
    );
  }
}

/** Whether the WebAssembly BLAKE3 is ready (loads it on first call). @internal */
export function _blake3WasmReady(): boolean {
  if (phase === 0) load();
  return phase === 2;
}

/**
 * Incremental BLAKE3-256 hasher on the WebAssembly compression function. Only create it once
 * {@link _blake3WasmReady} returned true. @internal
 */
export class Blake3Wasm {
  readonly #buf = new Uint8Array(CHUNK);
  #bufLen = 0;
  /** Chunks compressed so far (= counter of the next chunk). */
  #chunks = 0;
  readonly #stack = new Uint8Array(54 * 32);
  #depth = 0;

  /** @throws Error when the module is not ready (check {@link _blake3WasmReady} first) */
  constructor() {
    if (phase !== 2 && !_blake3WasmReady()) throw new Error('Blake3Wasm: the WebAssembly module is not ready');
  }

  /** Add data (any length). */
  update(data: Uint8Array): this {
    const k = ex!;
    const n = data.length;
    let off = 0;
    while (off < n) {
      if (this.#bufLen === CHUNK) {
        // More data follows, so the buffered chunk is not the last: compress it.
        mem.set(this.#buf, IN);
        this.#push(k, IN, 1);
        this.#bufLen = 0;
      }
      if (this.#bufLen === 0 && n - off > CHUNK) {
        // Whole chunks straight from the input, always keeping at least one byte back.
        const count = Math.min(Math.floor((n - off - 1) / CHUNK), IN_CAP / CHUNK);
        mem.set(data.subarray(off, off + count * CHUNK), IN);
        this.#push(k, IN, count);
        off += count * CHUNK;
        continue;
      }
      const take = Math.min(CHUNK - this.#bufLen, n - off);
      this.#buf.set(data.subarray(off, off + take), this.#bufLen);
      this.#bufLen += take;
      off += take;
    }
    return this;
  }

  /** An independent copy of this hasher's state. */
  clone(): Blake3Wasm {
    const c = new Blake3Wasm();
    c.#buf.set(this.#buf);
    c.#bufLen = this.#bufLen;
    c.#chunks = this.#chunks;
    c.#stack.set(this.#stack);
    c.#depth = this.#depth;
    return c;
  }

  /** The 32-byte digest of everything added so far (the hasher stays usable). */
  digest(): Uint8Array {
    const k = ex!;
    const depth = this.#depth;
    mem.set(this.#stack.subarray(0, depth * 32), STACK);
    mem.set(this.#buf.subarray(0, this.#bufLen), IN);
    const lo = this.#chunks % TWO32;
    const hi = Math.floor(this.#chunks / TWO32);
    if (depth === 0) {
      k.chunk(IN, this.#bufLen, lo, hi, 1, 0);
      return mem.slice(0, 32);
    }
    k.chunk(IN, this.#bufLen, lo, hi, 0, STACK + depth * 32);
    for (let d = depth - 1; d >= 0; d--) k.parent(STACK + d * 32, d === 0 ? 1 : 0);
    return mem.slice(STACK, STACK + 32);
  }

  #push(k: Blake3Exports, ptr: number, count: number): void {
    const depth = this.#depth;
    mem.set(this.#stack.subarray(0, depth * 32), STACK);
    const lo = this.#chunks % TWO32;
    const hi = Math.floor(this.#chunks / TWO32);
    this.#depth = k.push_chunks(ptr, count, lo, hi, depth);
    this.#chunks += count;
    this.#stack.set(mem.subarray(STACK, STACK + this.#depth * 32));
  }
}
