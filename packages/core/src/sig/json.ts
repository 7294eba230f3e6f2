/**
 * Small helpers for the JSON documents that ISCC-SIG signs: recognise a plain JSON object and
 * deep-copy JSON data (the reference deep-copies its input before adding `signature` or
 * `proof`, so callers' objects are never modified).
 */

/** A JSON object as signed and verified here. */
export type JsonObject = { [key: string]: unknown };

/** True for a plain object (prototype Object.prototype or null), i.e. a JSON object. */
export function isPlainObject(value: unknown): value is JsonObject {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of JSON data: arrays and plain objects are copied, everything else is returned
 * as is (JSON scalars are immutable). Run {@link jsonCanonical} first to reject non-JSON data.
 */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => cloneJson(v)) as T;
  if (isPlainObject(value)) {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      // defineProperty keeps a "__proto__" key an ordinary own property.
      Object.defineProperty(out, key, { value: cloneJson(value[key]), enumerable: true, writable: true, configurable: true });
    }
    return out as T;
  }
  return value;
}
