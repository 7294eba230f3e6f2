/**
 * HammingFilter: the candidate filter under the search kernel (kernel.ts), in WebAssembly
 * (wasm/mih.wat, assembled into `_wasm-mih.ts`) with a TypeScript twin of the same contract.
 *
 * It owns one memory (a WebAssembly memory, or an ArrayBuffer for the twin) in which the kernel
 * lays out its tables, and offers two calls over packed 64-bit code prefixes (8 bytes a row,
 * the big-endian words hi and lo as little-endian u32):
 *   scan(codes, start, end, q, t)   rows [start, end) within t bits of the query
 *   probe(off, codes, seg, masks..) the same over the buckets seg ^ mask of one table
 * Each writes (row position, distance) pairs to the OUT area, at most OUT_CAP per call; a call
 * that fills it leaves where to go on at RESUME. Why WebAssembly: `i64.popcnt` compares a row
 * in well under a nanosecond, a JavaScript popcount over two 32-bit words takes several.
 * The twin is used where WebAssembly is missing and by the tests as the oracle.
 */
import { MIH_WASM } from './_wasm-mih.ts';

/** Byte offset of the resume slots: u32 mask index, u32 row position, u32 rows compared. */
export const RESUME = 0;
/** Byte offset of the result pairs (u32 position, u32 distance). */
export const OUT = 16;
/** Result pairs one call may write. */
export const OUT_CAP = 1024;
/** First byte free for the caller's tables. */
export const HEAP = OUT + OUT_CAP * 8;
const PAGE = 65536;

/** Population count of a 32-bit word (SWAR; V8 compiles this to a handful of ALU ops). */
export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * The few WebAssembly declarations used here (this package compiles without the DOM library,
 * and @types/node 20 does not declare them).
 */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
type WasmModule = object;
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
};

interface MihExports {
  memory: WasmMemory;
  scan(codes: number, start: number, end: number, q0: number, q1: number, t: number, out: number, cap: number): number;
  probe(
    off: number,
    codes: number,
    seg: number,
    masks: number,
    m0: number,
    m1: number,
    pos0: number,
    q0: number,
    q1: number,
    t: number,
    out: number,
    cap: number,
  ): number;
}

let wasmEnabled = true;
let compiled: WasmModule | null | undefined;

/**
 * Use (default) or leave out WebAssembly for filters made from now on; without it the
 * TypeScript twin runs (tests compare the two). @internal
 */
export function setHammingWasm(on: boolean): void {
  wasmEnabled = on;
}

function wasmModule(): WasmModule | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(MIH_WASM);
    } catch {
      compiled = null; // no WebAssembly here: the twin does the work
    }
  }
  return compiled;
}

/** One memory with the scan/probe filter over it. */
export class HammingFilter {
  /** Whether the WebAssembly filter runs (else the TypeScript twin). */
  wasm: boolean;
  /** The memory as u32 words (index = byte offset / 4); renewed by {@link reserve}. */
  u32!: Uint32Array;
  /** The memory as u16 (index = byte offset / 2); renewed by {@link reserve}. */
  u16!: Uint16Array;
  private ex: MihExports | null = null;
  private buf: ArrayBuffer;

  constructor() {
    const mod = wasmEnabled ? wasmModule() : null;
    if (mod) {
      this.ex = new WebAssembly.Instance(mod, {}).exports as unknown as MihExports;
      this.buf = this.ex.memory.buffer;
    } else this.buf = new ArrayBuffer(PAGE);
    this.wasm = this.ex !== null;
    this.views();
  }

  private views(): void {
    this.u32 = new Uint32Array(this.buf);
    this.u16 = new Uint16Array(this.buf);
  }

  /** Bytes of memory held. */
  get byteLength(): number {
    return this.buf.byteLength;
  }

  /** Make the memory at least `bytes` long (contents kept); the views are renewed. */
  reserve(bytes: number): void {
    if (bytes <= this.buf.byteLength) return;
    const pages = Math.ceil(bytes / PAGE);
    if (this.ex) {
      try {
        this.ex.memory.grow(pages - this.buf.byteLength / PAGE);
        this.buf = this.ex.memory.buffer;
        this.views();
        return;
      } catch {
        // Past what a WebAssembly memory may hold (4 GiB): go on with the twin.
        this.ex = null;
        this.wasm = false;
      }
    }
    const b = new ArrayBuffer(pages * PAGE);
    new Uint8Array(b).set(new Uint8Array(this.buf));
    this.buf = b;
    this.views();
  }

  /** Rows of `codes` (byte offset) in [start, end) within `t` bits of (q0, q1); pairs at OUT. */
  scan(codes: number, start: number, end: number, q0: number, q1: number, t: number): number {
    if (this.ex) return this.ex.scan(codes, start, end, q0, q1, t, OUT, OUT_CAP);
    const u = this.u32;
    const base = codes >>> 2;
    let n = 0;
    let p = start;
    for (; p < end && n < OUT_CAP; p++) {
      const h = popcount32(u[base + 2 * p]! ^ q0) + popcount32(u[base + 2 * p + 1]! ^ q1);
      if (h <= t) {
        u[(OUT >>> 2) + 2 * n] = p;
        u[(OUT >>> 2) + 2 * n + 1] = h;
        n++;
      }
    }
    u[(RESUME >>> 2) + 1] = p;
    u[(RESUME >>> 2) + 2] = p - start;
    return n;
  }

  /**
   * Rows of the buckets `seg ^ masks[m]`, m in [m0, m1), within `t` bits; `off` and `codes` are
   * the byte offsets of the table's bucket starts and rows, `masks` of its u16 masks. The first
   * bucket is entered at row position `pos0` when that lies inside it. Pairs at OUT.
   */
  probe(off: number, codes: number, seg: number, masks: number, m0: number, m1: number, pos0: number, q0: number, q1: number, t: number): number {
    if (this.ex) return this.ex.probe(off, codes, seg, masks, m0, m1, pos0, q0, q1, t, OUT, OUT_CAP);
    const u = this.u32;
    const m16 = this.u16;
    const ob = off >>> 2;
    const cb = codes >>> 2;
    const r = RESUME >>> 2;
    let n = 0;
    let seen = 0;
    for (let m = m0; m < m1; m++) {
      const v = seg ^ m16[(masks >>> 1) + m]!;
      let p = u[ob + v]!;
      const pe = u[ob + v + 1]!;
      if (m === m0 && pos0 > p) p = pos0;
      for (; p < pe; p++) {
        const h = popcount32(u[cb + 2 * p]! ^ q0) + popcount32(u[cb + 2 * p + 1]! ^ q1);
        if (h <= t) {
          u[(OUT >>> 2) + 2 * n] = p;
          u[(OUT >>> 2) + 2 * n + 1] = h;
          n++;
          if (n >= OUT_CAP) {
            u[r] = m;
            u[r + 1] = p + 1;
            u[r + 2] = seen + 1;
            return n;
          }
        }
        seen++;
      }
    }
    u[r] = m1;
    u[r + 1] = 0;
    u[r + 2] = seen;
    return n;
  }
}
