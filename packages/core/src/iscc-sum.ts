/**
 * ISCC-SUM: Data-Code and Instance-Code of one byte stream in a single pass, composed into an
 * ISCC-CODE, as bio-codes/iscc-sum `code_iscc_sum` / `IsccSumProcessor`.
 *
 * Steps:
 * 1. One read loop hands every piece to both hashers ({@link DataHasherV0}, {@link InstanceHasherV0}).
 * 2. Narrow (default): 64-bit Data-Code + 64-bit Instance-Code composed as ISCC-CODE SubType SUM
 *    (`KU...`, ISO 24138). Wide: 128-bit units composed as SubType WIDE (`K4...`, an iscc-core
 *    >= 1.2 extension, not in ISO 24138:2024). The composition is `genIsccCodeV0(units, wide)`.
 * 3. The result carries `datahash` (BLAKE3 multihash) and `filesize`; with `addUnits` also the two
 *    full 256-bit units `[Data-Code, Instance-Code]`. Without `addUnits` there is no `units` key.
 */
import { DataHasherV0 } from './code-data.ts';
import { InstanceHasherV0 } from './code-instance.ts';
import { typeError } from './errors.ts';
import { genIsccCodeV0 } from './iscc-code.ts';
import { withStream, type AsyncByteSource, type ByteSource, type SyncByteSource } from './streams.ts';

/** Result of {@link codeIsccSum}, keys as iscc-sum's `IsccSumResult`. */
export interface IsccSumResult {
  /** `ISCC:` + the ISCC-CODE (SubType SUM, or WIDE). */
  iscc: string;
  /** Hex multihash of the BLAKE3 digest (`1e20` + 64 hex digits). */
  datahash: string;
  /** Number of bytes hashed. */
  filesize: number;
  /** `[Data-Code, Instance-Code]`, each 256-bit with `ISCC:`; present only with `addUnits`. */
  units?: [string, string];
}

/** Bits per unit inside a narrow (SUM) and a wide (WIDE) ISCC-CODE. */
const NARROW_BITS = 64;
const WIDE_BITS = 128;
/** Bits of the full units reported with `addUnits`. */
const UNIT_BITS = 256;

function checkFlag(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') typeError(name, 'a boolean', value);
  return value;
}

/**
 * Streaming ISCC-SUM generator (iscc-sum `IsccSumProcessor`): feeds each piece to a Data and
 * an Instance hasher. `result()` may be called repeatedly; data pushed later is included in
 * the next result (the hashers' after-digest behaviour, see {@link DataHasherV0}).
 * @example
 * const h = new IsccSumHasher();
 * h.update(part1); h.update(part2);
 * h.result(false, true) // { iscc: 'ISCC:KU...', datahash, filesize, units }
 */
export class IsccSumHasher {
  /** The Data-Code hasher fed by {@link update}. */
  readonly dataHasher: DataHasherV0 = new DataHasherV0();
  /** The Instance-Code hasher fed by {@link update}. */
  readonly instanceHasher: InstanceHasherV0 = new InstanceHasherV0();

  /**
   * Add the next piece of the input to both hashers.
   * @param data - bytes (any length)
   * @throws IsccError ISCC_INVALID_TYPE when `data` is not a Uint8Array
   */
  update(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) typeError('data', 'a Uint8Array', data);
    this.dataHasher.push(data);
    this.instanceHasher.push(data);
  }

  /** Alias of {@link update}, named like the iscc-core hashers' method. */
  push(data: Uint8Array): void {
    this.update(data);
  }

  /**
   * The ISCC-SUM of everything pushed so far.
   * @param wide - 128-bit units (SubType WIDE) instead of 64-bit (SubType SUM); default false
   * @param addUnits - add the two 256-bit units as `units`; default true (as iscc-sum)
   * @returns `{ iscc, datahash, filesize }` plus `units` when `addUnits`
   * @throws IsccError ISCC_INVALID_TYPE for non-boolean flags
   */
  result(wide = false, addUnits = true): IsccSumResult {
    checkFlag('wide', wide);
    checkFlag('addUnits', addUnits);
    const bits = wide ? WIDE_BITS : NARROW_BITS;
    const { iscc } = genIsccCodeV0([this.dataHasher.code(bits), this.instanceHasher.code(bits)], wide);
    const out: IsccSumResult = {
      iscc,
      datahash: this.instanceHasher.multihash(),
      filesize: this.instanceHasher.filesize,
    };
    if (addUnits) {
      out.units = ['ISCC:' + this.dataHasher.code(UNIT_BITS), 'ISCC:' + this.instanceHasher.code(UNIT_BITS)];
    }
    return out;
  }
}

/** iscc-sum's name for {@link IsccSumHasher}. */
export const IsccSumProcessor: typeof IsccSumHasher = IsccSumHasher;
/** Instance type of {@link IsccSumProcessor}. */
export type IsccSumProcessor = IsccSumHasher;

/**
 * ISCC-SUM of a byte stream (iscc-sum `code_iscc_sum`, which takes a path; here any byte source).
 * @param stream - the data: bytes, a sync/async iterable of bytes, a ReadableStream or a reader
 * @param wide - 128-bit units (SubType WIDE) instead of 64-bit (SubType SUM); default false
 * @param addUnits - add the two 256-bit units as `units`; default true (as iscc-sum)
 * @returns `{ iscc, datahash, filesize[, units] }`, or a Promise of it for asynchronous inputs
 * @throws IsccError ISCC_INVALID_TYPE for an unsupported input or non-boolean flags
 * @example codeIsccSum(new Uint8Array(0), false, false).iscc // 'ISCC:KUACL4F2WZY7KBXBV4JUTOPV7GQ2M'
 */
export function codeIsccSum(stream: AsyncByteSource, wide?: boolean, addUnits?: boolean): Promise<IsccSumResult>;
export function codeIsccSum(stream: SyncByteSource, wide?: boolean, addUnits?: boolean): IsccSumResult;
export function codeIsccSum(
  stream: ByteSource,
  wide?: boolean,
  addUnits?: boolean,
): IsccSumResult | Promise<IsccSumResult>;
export function codeIsccSum(
  stream: ByteSource,
  wide = false,
  addUnits = true,
): IsccSumResult | Promise<IsccSumResult> {
  // Check the flags before reading anything.
  checkFlag('wide', wide);
  checkFlag('addUnits', addUnits);
  const hasher = new IsccSumHasher();
  return withStream(stream, (c) => hasher.update(c), () => hasher.result(wide, addUnits));
}
