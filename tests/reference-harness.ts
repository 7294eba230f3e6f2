/**
 * Golden-vector harness for iscc-core 1.3.0 reference vectors, shared by the vitest suite
 * (packages/core/src/reference-vectors.test.ts) and the browser run
 * (scripts/browser-conformance.mjs), so that Node and Chromium check exactly the same thing.
 * Isomorphic: no Node imports. Call {@link useCore} with the core module first.
 *
 * Conventions (see packages/core/src/__vectors__/SOURCE.md): `stream:`/`bytes:` hex ->
 * Uint8Array, `{bigint}` -> bigint, `{bitarray}` -> bit string; a top-level `null` input is
 * Python's "use the default"; `{error, message}` outputs mean the reference raised.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export interface Case {
  inputs: Json[];
  outputs: Json;
}
type Adapter = (...args: unknown[]) => unknown;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** `gen_iscc_id_v1` -> `genIsccIdV1` (split on `_`, capitalise later parts, keep digits). */
export function camel(py: string): string {
  const [head = '', ...tail] = py.split('_');
  return head + tail.map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : '')).join('');
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function soleKey(v: Json, key: string): v is { [k: string]: Json } {
  return isObj(v) && Object.keys(v).length === 1 && key in v;
}

/** Expected-error marker written by the generator: `{error, message}`. */
function isErrorOutput(v: Json): boolean {
  if (!isObj(v) || typeof v['error'] !== 'string') return false;
  return Object.keys(v).every((k) => k === 'error' || k === 'message');
}

/** JSON input -> the value our API takes. */
function decodeInput(v: Json): unknown {
  if (typeof v === 'string') {
    if (v.startsWith('stream:')) return fromHex(v.slice(7));
    if (v.startsWith('bytes:')) return fromHex(v.slice(6));
    return v;
  }
  if (Array.isArray(v)) return v.map(decodeInput);
  if (isObj(v)) {
    if (soleKey(v, 'bigint')) return BigInt(v['bigint'] as string);
    if (soleKey(v, 'bitarray')) return v['bitarray'];
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeInput(x as Json)]));
  }
  return v;
}

/** Groups where a top-level `None` is a real value, not "use the default". */
const NULL_IS_VALUE = new Set(['json_canonical']);

function decodeArgs(group: string, inputs: Json[]): unknown[] {
  return inputs.map((v) => (v === null && !NULL_IS_VALUE.has(group) ? undefined : decodeInput(v)));
}

function bitString(got: unknown): string | undefined {
  if (typeof got === 'string' && /^[01]*$/.test(got)) return got;
  if (Array.isArray(got) || got instanceof Uint8Array) {
    const bits = Array.from(got as ArrayLike<unknown>);
    if (bits.every((b) => b === 0 || b === 1 || b === true || b === false)) return bits.map((b) => (b ? '1' : '0')).join('');
  }
  return undefined;
}

/** Our result -> the JSON conventions, guided by the expected shape (see file comment). */
function normalise(got: unknown, exp: Json | undefined): unknown {
  if (exp !== undefined && soleKey(exp, 'bitarray')) {
    const s = bitString(got);
    if (s !== undefined) return { bitarray: s };
  }
  if (got instanceof Uint8Array) return 'bytes:' + toHex(got);
  if (typeof got === 'bigint') return got > MAX_SAFE || got < -MAX_SAFE ? { bigint: got.toString() } : Number(got);
  if (got instanceof RegExp) return got.source;
  if (got instanceof Set) return [...(got as Set<unknown>)].sort().map((x) => normalise(x, undefined));
  if (got instanceof Map) got = Object.fromEntries(got as Map<string, unknown>);
  if (Array.isArray(got)) return got.map((g, i) => normalise(g, Array.isArray(exp) ? exp[i] : undefined));
  if (typeof got === 'object' && got !== null && Symbol.iterator in got && typeof got !== 'string') {
    const arr = Array.from(got as Iterable<unknown>);
    return arr.map((g, i) => normalise(g, Array.isArray(exp) ? exp[i] : undefined));
  }
  if (isObj(got)) {
    const expObj = isObj(exp) ? (exp as Record<string, Json>) : undefined;
    return Object.fromEntries(Object.entries(got).map(([k, v]) => [k, normalise(v, expObj?.[k])]));
  }
  return got;
}

/** In nested outputs (Code properties) an error object becomes one comparable marker. */
const THROWS = '<throws IsccError>';
function markNestedErrors(exp: Json): Json {
  if (!isObj(exp)) return exp;
  return Object.fromEntries(
    Object.entries(exp).map(([k, v]) => [k, isErrorOutput(v as Json) ? THROWS : (v as Json)]),
  );
}

/** Path and values of the first difference between two normalised values (for readable failures). */
function firstDiff(got: unknown, exp: unknown, path = '$'): string | undefined {
  if (Object.is(got, exp)) return undefined;
  if (Array.isArray(exp) && Array.isArray(got)) {
    if (got.length !== exp.length) return `${path}: length ${got.length} != expected ${exp.length}`;
    for (let i = 0; i < exp.length; i++) {
      const d = firstDiff(got[i], exp[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (isObj(exp) && isObj(got)) {
    for (const k of new Set([...Object.keys(exp), ...Object.keys(got)])) {
      if (!(k in got)) return `${path}.${k}: missing (expected ${short(exp[k], 200)})`;
      if (!(k in exp)) return `${path}.${k}: unexpected key (got ${short(got[k], 200)})`;
      const d = firstDiff(got[k], exp[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return `${path}: got ${short(got, 300)}, expected ${short(exp, 300)}`;
}

function capture(fn: () => unknown): unknown {
  try {
    return fn();
  } catch (err) {
    return err instanceof (api['IsccError'] as new () => Error) ? THROWS : `<throws ${(err as Error)?.name}: ${(err as Error)?.message}>`;
  }
}

let api: Record<string, unknown> = {};

function exported<T = Adapter>(name: string): T {
  const v = api[name];
  if (v === undefined) throw new Error(`@iscc-ts/core does not export ${name}`);
  return v as T;
}

type Ctor<T> = new (...args: unknown[]) => T;

interface CodeLike {
  toString(): string;
  xor(other: unknown): number;
  [prop: string]: unknown;
}

interface FlakeLike {
  readonly int: bigint;
  readonly string: string;
  readonly iscc: string;
  readonly time: string;
  toString(): string;
}

const CODE_PROPS = [
  'code', 'uri', 'bytes', 'hex', 'base32hex', 'uint', 'type_id', 'explain', 'hash_bytes', 'hash_hex', 'hash_base32',
  'hash_base32hex', 'hash_bits', 'hash_ints', 'hash_uint', 'header_bytes', 'maintype', 'subtype', 'version', 'length',
  'mc_bytes', 'mf_base16', 'mf_base32', 'mf_base32hex', 'mf_base58btc', 'mf_base64url', 'hash_ba',
];

function codeProps(code: CodeLike): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of CODE_PROPS) out[p] = capture(() => code[camel(p)]);
  out['str'] = capture(() => String(code));
  return out;
}

function flakeProps(f: FlakeLike): Record<string, unknown> {
  return { int: f.int, string: f.string, str: String(f), iscc: f.iscc, time: f.time };
}

/** Header fields and body of an `ISCC:` string, decoded with our own codec. */
function headerOf(iscc: string): [number[], Uint8Array] {
  const decodeHeader = exported<(b: Uint8Array) => unknown[]>('decodeHeader');
  const decodeBase32 = exported<(s: string) => Uint8Array>('decodeBase32');
  const t = decodeHeader(decodeBase32(iscc.replace(/^ISCC:/, '')));
  return [t.slice(0, 4) as number[], t[4] as Uint8Array];
}

interface Hasher {
  push(d: Uint8Array): void;
  code(bits?: number): string;
  digest(): Uint8Array;
  multihash?: () => string;
  filesize?: number | bigint;
}

function hasherAdapter(className: string): Adapter {
  return (pushes, bits, initial) => {
    const Cls = exported<Ctor<Hasher>>(className);
    const h = initial === undefined ? new Cls() : new Cls(initial);
    for (const p of pushes as Uint8Array[]) h.push(p);
    const out: Record<string, unknown> = { code: h.code(bits as number), digest: h.digest() };
    if (className.startsWith('Instance')) {
      out['multihash'] = h.multihash?.();
      out['filesize'] = h.filesize;
    }
    return out;
  };
}

function flakeCodeAdapter(fnName: string): Adapter {
  return (bits) => {
    const r = exported(fnName)(bits) as { iscc: string };
    const [head, body] = headerOf(r.iscc);
    return { header: head, nbytes: body.length, iscc_length: r.iscc.length };
  };
}

/** Groups that are not a plain call of the camelCased export. */
const ADAPTERS: Record<string, Adapter> = {
  Code: (x) => codeProps(new (exported<Ctor<CodeLike>>('Code'))(x)),
  'Code.__xor__': (a, b) => {
    const Code = exported<Ctor<CodeLike>>('Code');
    return new Code(a).xor(new Code(b));
  },
  Flake: (ts, bits) => {
    const f = new (exported<Ctor<FlakeLike>>('Flake'))(ts, bits);
    const [head, body] = headerOf(f.iscc);
    return { time: f.time, header: head, timedata: body.slice(0, 6), nbytes: body.length, string_length: f.string.length };
  },
  'Flake.from_int': (n) => flakeProps(exported<{ fromInt(n: unknown): FlakeLike }>('Flake').fromInt(n)),
  'Flake.from_string': (s) => flakeProps(exported<{ fromString(s: unknown): FlakeLike }>('Flake').fromString(s)),
  uid_flake_v0: (ts, bits) => {
    const d = exported('uidFlakeV0')(ts, bits) as Uint8Array;
    return { timedata: d.slice(0, 6), nbytes: d.length };
  },
  gen_flake_code_v0: flakeCodeAdapter('genFlakeCodeV0'),
  gen_flake_code: flakeCodeAdapter('genFlakeCode'),
  DataHasherV0: hasherAdapter('DataHasherV0'),
  InstanceHasherV0: hasherAdapter('InstanceHasherV0'),
  core_opts: () => exported<unknown>('coreOpts'),
};

function adapterFor(group: string, caseName: string): Adapter {
  if (group === 'constants') return () => exported<unknown>(caseName);
  return ADAPTERS[group] ?? ((...args) => exported(camel(group))(...args));
}

function short(v: unknown, max = 400): string {
  const s = JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
  return s === undefined ? String(v) : s.length > max ? `${s.slice(0, max)}... (${s.length} chars)` : s;
}


/** Point the harness at a core module (the TS sources in Node, the bundle in a browser). */
export function useCore(mod: object): void {
  api = mod as Record<string, unknown>;
}

/** A vector file: `{group: {case: {inputs, outputs}}}` (keys starting with `_` are metadata). */
export type VectorFile = Record<string, Record<string, Case>>;

/** Drop metadata keys of a parsed vector file. */
export function vectorGroups(all: Record<string, unknown>): VectorFile {
  return Object.fromEntries(Object.entries(all).filter(([k]) => !k.startsWith('_'))) as VectorFile;
}

/** Run one vector; resolves to undefined when it holds, else a message naming the difference. */
export async function checkReferenceCase(group: string, caseName: string, c: Case): Promise<string | undefined> {
  const run = adapterFor(group, caseName);
  const args = decodeArgs(group, c.inputs);
  const where = `${group}/${caseName} inputs=${short(c.inputs)}`;
  let got: unknown;
  let thrown: unknown;
  try {
    got = await run(...args);
  } catch (err) {
    thrown = err;
  }
  const IsccError = api['IsccError'] as new () => Error;
  if (isErrorOutput(c.outputs)) {
    if (thrown instanceof IsccError) return undefined;
    return `${where}: expected an IsccError (reference raised ${short(c.outputs)}), got ${thrown !== undefined ? `a throw of ${String(thrown)}` : short(normalise(got, undefined))}`;
  }
  if (thrown !== undefined) return `${where}: threw ${String(thrown)}; expected ${short(c.outputs)}`;
  const expected = group === 'Code' ? markNestedErrors(c.outputs) : c.outputs;
  const norm = normalise(got, expected);
  const diff = firstDiff(norm, expected);
  return diff === undefined ? undefined : `${where}: first difference ${diff}`;
}
