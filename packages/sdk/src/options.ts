/**
 * SDK options: iscc-sdk 0.9.5's `SdkOptions` (names, defaults and `ISCC_SDK_*` environment
 * variables), resolved here in the sdk - core reads no environment.
 *
 * Precedence (lowest first): defaults, environment (`ISCC_SDK_<NAME>`), per-call overrides.
 * Unknown option names are an error, as in iscc-sdk's `override`.
 *
 * One deliberate difference: `fallback` defaults to `true` here, so files of unsupported types
 * get an ISCC-SUM (Data + Instance) instead of an exception; set `fallback: false` or
 * `ISCC_SDK_FALLBACK=false` for iscc-sdk's behaviour.
 */
import { SdkError, SDK_ERROR_CODES } from './errors.ts';

/** All options with their types (snake_case, as iscc-sdk). */
export interface SdkOptions {
  /** Generate granular (per chunk/scene) fingerprints. */
  granular: boolean;
  /** Use UTF-8 byte offsets for granular text features. */
  byte_offsets: boolean;
  /** Process embedded elements of container formats (EPUB images). */
  process_container: boolean;
  /** Enable experimental features (semantic codes). */
  experimental: boolean;
  /** Minimum image size in pixels for container processing. */
  min_image_size: number;
  /** Add the ISCC-UNITs to the result (`units`). */
  add_units: boolean;
  /** Bit length of generated ISCC-UNITs (32..256, step 32). */
  bits: number;
  /** Wide ISCC-SUM (2 x 128-bit) when only Data and Instance are present. */
  wide: boolean;
  /** Extract metadata from the asset. */
  extract_meta: boolean;
  /** Create a Meta-Code. */
  create_meta: boolean;
  /** Create a thumbnail (data URL). */
  create_thumb: boolean;
  /** Apply the EXIF orientation before hashing images. */
  image_exif_transpose: boolean;
  /** Paste transparent images onto white before hashing. */
  image_fill_transparency: boolean;
  /** Crop a uniform border before hashing images. */
  image_trim_border: boolean;
  /** Longest side of thumbnails in pixels. */
  image_thumbnail_size: number;
  /** Thumbnail compression quality (0-100). */
  image_thumbnail_quality: number;
  /** Thumbnail format. */
  image_thumbnail_format: 'JPEG' | 'WEBP' | 'AVIF';
  /** Largest image (width x height) that is decoded; larger ones fail before decoding. */
  image_max_pixels: number | null;
  /** Keep the extracted plain text in the result (`text`). */
  text_keep: boolean;
  /** Average characters per text chunk for granular text features. */
  text_avg_chunk_size: number;
  /** Frames per second sampled for the Video-Code (0 = all). */
  video_fps: number;
  /** Scene-cut threshold for granular video features. */
  video_scene_limit: number;
  /** Store the MPEG-7 signature next to the video as `<name>.iscc.mp7sig`. */
  video_store_mp7sig: boolean;
  /** Unsupported media types get an ISCC-SUM instead of an error (default true here). */
  fallback: boolean;
}

/** Defaults: iscc-sdk 0.9.5's, except `fallback` (see the module comment). */
export const SDK_DEFAULTS: Readonly<SdkOptions> = Object.freeze({
  granular: false,
  byte_offsets: false,
  process_container: false,
  experimental: false,
  min_image_size: 256,
  add_units: false,
  bits: 64,
  wide: false,
  extract_meta: true,
  create_meta: true,
  create_thumb: true,
  image_exif_transpose: true,
  image_fill_transparency: true,
  image_trim_border: true,
  image_thumbnail_size: 128,
  image_thumbnail_quality: 30,
  image_thumbnail_format: 'WEBP',
  image_max_pixels: 128_000_000,
  text_keep: false,
  text_avg_chunk_size: 512,
  video_fps: 5,
  video_scene_limit: 0.4,
  video_store_mp7sig: false,
  fallback: true,
});

type Kind = 'bool' | 'int' | 'float' | 'intOrNull' | 'format';
const KINDS: Record<keyof SdkOptions, Kind> = {
  granular: 'bool', byte_offsets: 'bool', process_container: 'bool', experimental: 'bool',
  min_image_size: 'int', add_units: 'bool', bits: 'int', wide: 'bool', extract_meta: 'bool',
  create_meta: 'bool', create_thumb: 'bool', image_exif_transpose: 'bool',
  image_fill_transparency: 'bool', image_trim_border: 'bool', image_thumbnail_size: 'int',
  image_thumbnail_quality: 'int', image_thumbnail_format: 'format', image_max_pixels: 'intOrNull',
  text_keep: 'bool', text_avg_chunk_size: 'int', video_fps: 'int', video_scene_limit: 'float',
  video_store_mp7sig: 'bool', fallback: 'bool',
};

/** Option names, in iscc-sdk's order. */
export const SDK_OPTION_NAMES = Object.keys(KINDS) as (keyof SdkOptions)[];

// pydantic's boolean strings
const TRUE = new Set(['1', 'true', 't', 'yes', 'y', 'on']);
const FALSE = new Set(['0', 'false', 'f', 'no', 'n', 'off']);

function bad(name: string, expected: string, got: unknown): never {
  throw new SdkError(SDK_ERROR_CODES.INVALID_OPTION, `option ${name}: expected ${expected}, got ${JSON.stringify(got)}`);
}

/** Parse one value (from the environment when `fromEnv`) into the option's type. */
function coerce(name: keyof SdkOptions, value: unknown, fromEnv: boolean): unknown {
  const kind = KINDS[name];
  if (kind === 'bool') {
    if (typeof value === 'boolean') return value;
    if (fromEnv && typeof value === 'string') {
      const v = value.trim().toLowerCase();
      if (TRUE.has(v)) return true;
      if (FALSE.has(v)) return false;
    }
    return bad(name, 'a boolean', value);
  }
  if (kind === 'format') {
    const v = typeof value === 'string' ? value.trim().toUpperCase() : value;
    if (v === 'JPEG' || v === 'WEBP' || v === 'AVIF') return v;
    return bad(name, '"JPEG", "WEBP" or "AVIF"', value);
  }
  if (kind === 'intOrNull' && (value === null || (fromEnv && typeof value === 'string' && ['', 'none', 'null'].includes(value.trim().toLowerCase())))) {
    return null;
  }
  const n = fromEnv && typeof value === 'string' ? Number(value.trim()) : value;
  if (typeof n !== 'number' || !Number.isFinite(n)) return bad(name, 'a number', value);
  if (kind !== 'float' && !Number.isInteger(n)) return bad(name, 'an integer', value);
  return n;
}

/** Caller-supplied options: any subset of {@link SdkOptions}. */
export type SdkOptionsInput = Partial<SdkOptions>;

/**
 * The effective options: defaults, then `ISCC_SDK_<NAME>` variables of `env`, then `overrides`.
 * @throws SdkError ISCC_SDK_INVALID_OPTION for an unknown name or a bad value
 */
export function resolveOptions(
  overrides: SdkOptionsInput = {},
  env: Readonly<Record<string, string | undefined>> = process.env,
): SdkOptions {
  if (overrides === null || typeof overrides !== 'object') bad('options', 'an object', overrides);
  const out: Record<string, unknown> = { ...SDK_DEFAULTS };
  for (const name of SDK_OPTION_NAMES) {
    const raw = env[`ISCC_SDK_${name.toUpperCase()}`];
    if (raw !== undefined) out[name] = coerce(name, raw, true);
  }
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in KINDS)) {
      throw new SdkError(SDK_ERROR_CODES.INVALID_OPTION, `unknown option "${name}"; known options: ${SDK_OPTION_NAMES.join(', ')}`);
    }
    if (value === undefined) continue;
    out[name] = coerce(name as keyof SdkOptions, value, false);
  }
  return out as unknown as SdkOptions;
}
