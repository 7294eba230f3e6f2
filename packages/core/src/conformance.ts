/**
 * Conformance self-test (iscc-core `conformance.py`).
 *
 * An implementation that claims ISCC conformance must reproduce every vector of iscc-core's
 * `data.json`. We also run the iscc-sum vectors (Data, Instance and ISCC-SUM codes). Both
 * files ship with this package as data (`_conformance-data.ts`); callers may pass other
 * parsed vector files instead (the CLI reads `$ISCC_CONFORMANCE_DIR` when set).
 *
 * Steps per case: look up the function by its Python name (camelCased mechanically), turn
 * `"stream:<hex>"` inputs into bytes (a real prefix strip, not Python's `lstrip`), call it with
 * the positional inputs, and compare the whole result object with the expected one (same
 * keys, same values, no extra keys).
 */
import { ISCC_CORE_DATA_JSON, ISCC_SUM_DATA_JSON } from './_conformance-data.ts';
import { IsccError, ISCC_ERROR_CODES } from './errors.ts';
import { genMetaCodeV0, genMetaCode } from './code-meta.ts';
import { genTextCodeV0, genTextCode } from './code-content-text.ts';
import { genImageCodeV0, genImageCode } from './code-content-image.ts';
import { genAudioCodeV0, genAudioCode } from './code-content-audio.ts';
import { genVideoCodeV0, genVideoCode } from './code-content-video.ts';
import { genMixedCodeV0, genMixedCode } from './code-content-mixed.ts';
import { genDataCodeV0, genDataCode } from './code-data.ts';
import { genInstanceCodeV0, genInstanceCode } from './code-instance.ts';
import { genIsccCodeV0, genIsccCode } from './iscc-code.ts';
import { codeIsccSum } from './iscc-sum.ts';

/** A parsed vector file: `{func_name: {test_name: {inputs, outputs}}}`; `_`-keys are metadata. */
export type ConformanceData = Record<string, unknown>;

/** One vector. */
export interface ConformanceCase {
  /** Which vector file it came from. */
  suite: string;
  /** The reference's function name, e.g. `gen_meta_code_v0`. */
  func: string;
  /** The test name, e.g. `test_0001_title_only`. */
  name: string;
  /** Positional inputs, with `stream:` values already decoded to bytes. */
  inputs: unknown[];
  /** The exact expected result object. */
  outputs: unknown;
}

/** The outcome of one vector. */
export interface ConformanceResult extends ConformanceCase {
  passed: boolean;
  /** What our function returned (or undefined when it threw). */
  got?: unknown;
  /** The error message when it threw. */
  error?: string;
}

type AnyFn = (...args: never[]) => unknown;

/** Python function names of the vector files and our implementations of them. */
export const CONFORMANCE_FUNCTIONS: Readonly<Record<string, AnyFn>> = Object.freeze({
  gen_meta_code_v0: genMetaCodeV0,
  gen_meta_code: genMetaCode,
  gen_text_code_v0: genTextCodeV0,
  gen_text_code: genTextCode,
  gen_image_code_v0: genImageCodeV0,
  gen_image_code: genImageCode,
  gen_audio_code_v0: genAudioCodeV0,
  gen_audio_code: genAudioCode,
  gen_video_code_v0: genVideoCodeV0,
  gen_video_code: genVideoCode,
  gen_mixed_code_v0: genMixedCodeV0,
  gen_mixed_code: genMixedCode,
  gen_data_code_v0: genDataCodeV0,
  gen_data_code: genDataCode,
  gen_instance_code_v0: genInstanceCodeV0,
  gen_instance_code: genInstanceCode,
  gen_iscc_code_v0: genIsccCodeV0,
  gen_iscc_code: genIsccCode,
  code_iscc_sum: codeIsccSum,
} as Record<string, AnyFn>);

const STREAM_PREFIX = 'stream:';
const BYTES_PREFIX = 'bytes:';

function hexToBytes(hex: string, where: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new IsccError(ISCC_ERROR_CODES.CONFORMANCE_DATA, `${where}: invalid hex in vector input`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

/** Decode one vector input: `stream:`/`bytes:` hex strings become bytes, all else stays. */
export function decodeVectorInput(value: unknown, where = 'input'): unknown {
  if (typeof value === 'string') {
    if (value.startsWith(STREAM_PREFIX)) return hexToBytes(value.slice(STREAM_PREFIX.length), where);
    if (value.startsWith(BYTES_PREFIX)) return hexToBytes(value.slice(BYTES_PREFIX.length), where);
  }
  return value;
}

/** Parse the bundled vector files: iscc-core 1.3.0 `data.json` and iscc-sum's vectors. */
export function bundledConformanceData(): { suite: string; data: ConformanceData }[] {
  return [
    { suite: 'iscc-core', data: JSON.parse(ISCC_CORE_DATA_JSON) as ConformanceData },
    { suite: 'iscc-sum', data: JSON.parse(ISCC_SUM_DATA_JSON) as ConformanceData },
  ];
}

/**
 * Yield every vector of the given files (default: the bundled ones) as
 * `[testName, funcName, inputs, outputs]`, like iscc-core's `conformance_testdata()`.
 */
export function* conformanceTestdata(
  files: { suite: string; data: ConformanceData }[] = bundledConformanceData(),
): Generator<[string, string, unknown[], unknown]> {
  for (const c of conformanceCases(files)) yield [c.name, c.func, c.inputs, c.outputs];
}

/** Every vector of the given files as {@link ConformanceCase} objects. */
export function conformanceCases(
  files: { suite: string; data: ConformanceData }[] = bundledConformanceData(),
): ConformanceCase[] {
  const cases: ConformanceCase[] = [];
  for (const { suite, data } of files) {
    if (data === null || typeof data !== 'object') {
      throw new IsccError(ISCC_ERROR_CODES.CONFORMANCE_DATA, `${suite}: expected a JSON object of vector groups`);
    }
    for (const [func, group] of Object.entries(data)) {
      if (func.startsWith('_')) continue;
      if (group === null || typeof group !== 'object') {
        throw new IsccError(ISCC_ERROR_CODES.CONFORMANCE_DATA, `${suite}.${func}: expected an object of test cases`);
      }
      for (const [name, tc] of Object.entries(group as Record<string, { inputs?: unknown; outputs?: unknown }>)) {
        if (!tc || !Array.isArray(tc.inputs)) {
          throw new IsccError(ISCC_ERROR_CODES.CONFORMANCE_DATA, `${suite}.${func}.${name}: expected an inputs array`);
        }
        const inputs = tc.inputs.map((v, i) => decodeVectorInput(v, `${suite}.${func}.${name} input ${i}`));
        cases.push({ suite, func, name, inputs, outputs: tc.outputs });
      }
    }
  }
  return cases;
}

/** Structural equality of JSON-like values; objects must have exactly the same keys. */
export function jsonDeepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonDeepEqual(v, bb[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  return ak.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && jsonDeepEqual(ao[k], bo[k]));
}

/** Run one vector and report the outcome (never throws for a failing vector). */
export function runConformanceCase(c: ConformanceCase): ConformanceResult {
  const fn = CONFORMANCE_FUNCTIONS[c.func];
  if (!fn) return { ...c, passed: false, error: `no implementation for ${c.func}` };
  try {
    const got = (fn as (...args: unknown[]) => unknown)(...c.inputs);
    return { ...c, passed: jsonDeepEqual(got, c.outputs), got };
  } catch (e) {
    return { ...c, passed: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Run every vector of the given files (default: the bundled ones). */
export function conformanceRun(
  files: { suite: string; data: ConformanceData }[] = bundledConformanceData(),
): ConformanceResult[] {
  return conformanceCases(files).map(runConformanceCase);
}

/**
 * Run the conformance vectors; true when every one passes (iscc-core `conformance_selftest`).
 * @param files - parsed vector files; default: the copies bundled with this package
 */
export function conformanceSelftest(files?: { suite: string; data: ConformanceData }[]): boolean {
  return conformanceRun(files).every((r) => r.passed);
}
