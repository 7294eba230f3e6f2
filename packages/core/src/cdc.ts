/**
 * Content-defined chunking (FastCDC with normalised chunking), as iscc-core `cdc.py`: the
 * chunker under the Data-Code (ISO 24138). Compatible with the `fastcdc` Python package.
 *
 * Algorithm:
 * 1. Parameters from the average size (`algCdcParams`): min = avg/4, max = avg*8,
 *    center = avg - (min + ceil(min/2)), and two masks around `bits = round(log2(avg))`:
 *    a strict one (`bits + 1` low bits) before the center and a loose one (`bits - 1`)
 *    after it.
 * 2. From the start of the remaining data, skip `min` bytes, then roll a gear hash
 *    `pattern = (pattern >> 1) + CDC_GEAR[byte]` and cut after the first byte where
 *    `pattern & mask == 0`; cut at `max` (or at the end of the data) when no byte matches.
 * 3. For UTF-32 text the cut point is rounded down to a multiple of 4.
 * Empty data yields one empty chunk.
 *
 * The gear hash stays below 2^32 (`p/2 + gear < 2^31 + p/2`), so its 32 bits are all of it,
 * as with Python's unbounded integers. It is kept as an int32 (`| 0`; `>>> 1` reads it back as
 * unsigned), which keeps V8 on small-integer arithmetic in the per-byte loop.
 */
import { argError, typeError, IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { CDC_GEAR, coreOpts } from './options.ts';

/** Chunking parameters: `[minSize, maxSize, centerSize, maskS, maskL]` (iscc-core tuple order). */
export type CdcParams = [number, number, number, number, number];

/** The gear table as a typed array: indexed once per input byte in the hot loop. */
const GEAR = Int32Array.from(CDC_GEAR);

/** Smallest average chunk size with well-defined masks (`bits - 1 >= 0`). */
const MIN_AVG_CHUNK_SIZE = 2;

function checkAvg(avgSize: unknown): number {
  if (typeof avgSize !== 'number' || !Number.isSafeInteger(avgSize)) {
    typeError('avgChunkSize', 'an integer', avgSize);
  }
  if (avgSize < MIN_AVG_CHUNK_SIZE) argError('avgChunkSize', `an integer >= ${MIN_AVG_CHUNK_SIZE}`, avgSize);
  return avgSize;
}

/**
 * CDC parameters for a target average chunk size (iscc-core `alg_cdc_params`).
 * @param avgSize - target average chunk size in bytes (>= 2)
 * @returns `[minSize, maxSize, centerSize, maskS, maskL]`
 * @throws IsccError ISCC_INVALID_TYPE / ISCC_INVALID_ARGUMENT for a non-integer or too small size
 * @example algCdcParams(1024) // [256, 8192, 640, 2047, 511]
 */
export function algCdcParams(avgSize: number): CdcParams {
  checkAvg(avgSize);
  const minSize = Math.floor(avgSize / 4);
  const maxSize = avgSize * 8;
  const offset = minSize + Math.ceil(minSize / 2);
  const centerSize = avgSize - offset;
  // log2 of an integer is an integer or irrational, never exactly x.5, so Python's banker's
  // rounding and Math.round agree.
  const bits = Math.round(Math.log2(avgSize));
  const maskS = 2 ** (bits + 1) - 1;
  const maskL = 2 ** (bits - 1) - 1;
  return [minSize, maxSize, centerSize, maskS, maskL];
}

/**
 * Length of the next chunk of `buf[start, end)`: the core scan of {@link algCdcOffset} on a
 * window, so that callers (the Data-Code hasher) need no subarray per chunk.
 * Masks wider than 32 bits act as all-ones here, as they do on a pattern below 2^32 in Python.
 * @internal
 */
export function _cdcOffset(
  buf: Uint8Array,
  start: number,
  end: number,
  mi: number,
  ma: number,
  cs: number,
  maskS: number,
  maskL: number,
): number {
  const size = end - start;
  let pattern = 0;
  let i = Math.min(mi, size);
  let barrier = Math.min(cs, size);
  while (i < barrier) {
    pattern = ((pattern >>> 1) + GEAR[buf[start + i]!]!) | 0;
    if ((pattern & maskS) === 0) return i + 1;
    i++;
  }
  barrier = Math.min(ma, size);
  while (i < barrier) {
    pattern = ((pattern >>> 1) + GEAR[buf[start + i]!]!) | 0;
    if ((pattern & maskL) === 0) return i + 1;
    i++;
  }
  return i;
}

/**
 * The cut after a chunk start at `start`, as an absolute position, when the bytes in
 * `buf[start, end)` decide it whatever follows `end`; -1 when they do not.
 *
 * Why: the cut after a chunk start depends only on that position and the bytes after it (the
 * gear pattern restarts at 0 for every chunk, here as in iscc-core `alg_cdc_offset` and in the
 * kernel), so chains of cuts can be followed in a window of a longer input (`iscc sum` splits a
 * big file between two threads this way). A cut found by a mask before `end`, or at the
 * maximum size, is the cut of the whole input too; a cut at `end` below the maximum size may
 * only be the end of the window.
 * @internal
 */
export function _cdcCertainCut(
  buf: Uint8Array,
  start: number,
  end: number,
  mi: number,
  ma: number,
  cs: number,
  maskS: number,
  maskL: number,
): number {
  const off = _cdcOffset(buf, start, end, mi, ma, cs, maskS, maskL);
  return off === end - start && off < ma ? -1 : start + off;
}

/**
 * Offset of the first cut point in `buffer` (iscc-core `alg_cdc_offset`).
 * @param buffer - the data to chunk, from the start of the next chunk
 * @param mi - minimum chunk size
 * @param ma - maximum chunk size
 * @param cs - center size (switch from the strict to the loose mask)
 * @param maskS - strict mask, used before `cs`
 * @param maskL - loose mask, used from `cs` on
 * @returns length of the next chunk in bytes (at most `min(ma, buffer.length)`)
 * @throws IsccError ISCC_INVALID_TYPE when `buffer` is not a Uint8Array
 * @example algCdcOffset(new Uint8Array(100), 256, 8192, 640, 2047, 511) // 100
 */
export function algCdcOffset(
  buffer: Uint8Array,
  mi: number,
  ma: number,
  cs: number,
  maskS: number,
  maskL: number,
): number {
  if (!(buffer instanceof Uint8Array)) typeError('buffer', 'a Uint8Array', buffer);
  return _cdcOffset(buffer, 0, buffer.length, mi, ma, cs, maskS, maskL);
}

/**
 * Split `data` into content-defined chunks (iscc-core `alg_cdc_chunks`).
 *
 * Chunks are subarrays of `data` (no copies); their concatenation is `data`. Empty data
 * yields a single empty chunk.
 * @param data - bytes to chunk
 * @param utf32 - when true, cut only at multiples of 4 bytes (UTF-32 encoded text)
 * @param avgChunkSize - target average chunk size in bytes (default 1024)
 * @returns a generator of chunks
 * @throws IsccError ISCC_INVALID_TYPE for non-bytes input; ISCC_INVALID_ARGUMENT when a UTF-32
 *   cut would be empty (data length not a multiple of 4; iscc-core loops forever there)
 * @example [...algCdcChunks(new Uint8Array(0), false)] // [Uint8Array(0)]
 */
export function algCdcChunks(
  data: Uint8Array,
  utf32: boolean,
  avgChunkSize: number = coreOpts.data_avg_chunk_size,
): Generator<Uint8Array, void, undefined> {
  // Validate eagerly (a generator body would only run on the first next()).
  if (!(data instanceof Uint8Array)) typeError('data', 'a Uint8Array', data);
  if (typeof utf32 !== 'boolean') typeError('utf32', 'a boolean', utf32);
  return chunks(data, utf32, algCdcParams(avgChunkSize));
}

function* chunks(data: Uint8Array, utf32: boolean, params: CdcParams): Generator<Uint8Array, void, undefined> {
  const [mi, ma, cs, maskS, maskL] = params;
  if (data.length === 0) {
    yield data.subarray(0, 0);
    return;
  }
  // iscc-core reads the data in io_read_size windows and refills while fewer than `ma` bytes
  // remain; a cut never looks past `ma` bytes, so chunking the whole array is identical.
  let pos = 0;
  while (pos < data.length) {
    let cut = _cdcOffset(data, pos, data.length, mi, ma, cs, maskS, maskL);
    if (utf32) {
      cut -= cut % 4;
      if (cut === 0) {
        // iscc-core would yield empty chunks forever here.
        throw new IsccError(
          ISCC_ERROR_CODES.INVALID_ARGUMENT,
          `data: expected UTF-32 data whose length is a multiple of 4 (with avgChunkSize >= 16), ` +
            `got ${data.length} bytes and a ${data.length - pos}-byte remainder without a 4-byte cut`,
        );
      }
    }
    yield data.subarray(pos, pos + cut);
    pos += cut;
  }
}
