/**
 * Parser for the binary MPEG-7 video signature that ffmpeg's `signature` filter writes
 * (`signature=format=binary`), as iscc-sdk 0.9.5 `mp7.py` `read_mp7_signature` reads it.
 *
 * Layout (bits, most significant first; only what the Video-Code needs is kept):
 * 1. header: 129 bits skipped, then frame count (32), media time unit (16), 1 + 32 + 32
 *    bits skipped, segment count (32);
 * 2. per segment: 4 x 32 + 1 + 5 x 243 bits (coarse signatures, not used), then 1 bit;
 * 3. per frame: 1 bit skipped, media time (32), confidence (8), 5 x 8 bits (words, not
 *    used), then 76 bytes, each packing five ternary values (base 3, most significant
 *    first) -> the 380-value frame signature (values 0..2).
 *
 * A frame's time is `media_time / media_time_unit` seconds, kept as that exact fraction so
 * that scene cut comparisons agree with Python's `Fraction` arithmetic.
 */
import { SdkError, SDK_ERROR_CODES } from './errors.ts';

/** Values per frame signature. */
export const SIGELEM_SIZE = 380;

/** Bits of the fixed header before the segment list. */
const HEADER_BITS = 129 + 32 + 16 + 1 + 32 + 32 + 32;
/** Bits of one coarse segment signature. */
const SEGMENT_BITS = 4 * 32 + 1 + 5 * 243;
/** Bits of one frame record. */
const FRAME_BITS = 1 + 32 + 8 + 5 * 8 + (SIGELEM_SIZE / 5) * 8;

/** One MPEG-7 frame signature (iscc-sdk `Frame`). */
export interface Mp7Frame {
  /** 380 values in 0..2. */
  vector: Uint8Array;
  /** Time since the start: `elapsed_num / elapsed_den` seconds (exact). */
  elapsed_num: number;
  /** Media time unit (ticks per second). */
  elapsed_den: number;
  /** Signature confidence 0..255. */
  confidence: number;
}

/** byte -> its five base-3 digits, most significant first (iscc-sdk `calc_byte_to_bit3`). */
const TRITS: Uint8Array = (() => {
  const t = new Uint8Array(256 * 5);
  for (let i = 0; i < 256; i++) {
    let div = 81;
    for (let k = 0; k < 5; k++) {
      t[i * 5 + k] = Math.floor(i / div) % 3;
      div = Math.floor(div / 3);
    }
  }
  return t;
})();

/** Read `n` (<= 32) bits at bit offset `pos`, most significant first, as an unsigned number. */
function bits(data: Uint8Array, pos: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const p = pos + i;
    v = v * 2 + ((data[p >> 3]! >> (7 - (p & 7))) & 1);
  }
  return v;
}

/** Read one byte at an arbitrary bit offset. */
function byteAt(data: Uint8Array, pos: number): number {
  const sh = pos & 7;
  const i = pos >> 3;
  if (sh === 0) return data[i]!;
  return ((data[i]! << sh) | (data[i + 1]! >> (8 - sh))) & 0xff;
}

/**
 * Decode a binary MPEG-7 video signature (iscc-sdk `read_mp7_signature`).
 * @param data - the bytes ffmpeg's `signature=format=binary` filter wrote
 * @returns the frame signatures in file order
 * @throws SdkError ISCC_SDK_DECODE when the data is shorter than its header says
 */
export function readMp7Signature(data: Uint8Array): Mp7Frame[] {
  const total = data.length * 8;
  if (total < HEADER_BITS) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `MPEG-7 signature: expected at least ${Math.ceil(HEADER_BITS / 8)} bytes of header, got ${data.length}`);
  }
  let pos = 129;
  const numFrames = bits(data, pos, 32);
  pos += 32;
  const timeUnit = bits(data, pos, 16);
  pos += 16 + 1 + 32 + 32;
  const numSegments = bits(data, pos, 32);
  pos += 32;
  pos += numSegments * SEGMENT_BITS + 1;
  const need = pos + numFrames * FRAME_BITS;
  if (need > total) {
    throw new SdkError(SDK_ERROR_CODES.DECODE,
      `MPEG-7 signature: header announces ${numFrames} frames and ${numSegments} segments (${Math.ceil(need / 8)} bytes), got ${data.length} bytes`);
  }
  if (numFrames > 0 && timeUnit === 0) {
    throw new SdkError(SDK_ERROR_CODES.DECODE, 'MPEG-7 signature: media time unit is 0');
  }
  const frames: Mp7Frame[] = [];
  for (let f = 0; f < numFrames; f++) {
    pos += 1;
    const time = bits(data, pos, 32);
    pos += 32;
    const confidence = bits(data, pos, 8);
    pos += 8 + 40;
    const vector = new Uint8Array(SIGELEM_SIZE);
    for (let b = 0; b < SIGELEM_SIZE / 5; b++) {
      vector.set(TRITS.subarray(byteAt(data, pos) * 5, byteAt(data, pos) * 5 + 5), b * 5);
      pos += 8;
    }
    frames.push({ vector, elapsed_num: time, elapsed_den: timeUnit, confidence });
  }
  return frames;
}
