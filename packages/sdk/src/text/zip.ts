/**
 * A small zip reader and rewriter for document containers (docx, odt, epub, pptx, xlsx),
 * with the zip-bomb guards of `limits.ts`.
 *
 * Reading:
 * 1. Find the end-of-central-directory record in the last 64 KiB; read the central directory
 *    (names, methods, sizes, local header offsets). Zip64, encrypted entries and methods
 *    other than stored/deflate are refused with ISCC_SDK_DECODE.
 * 2. An entry is inflated with `inflateRawSync` and `maxOutputLength` set to what is left of
 *    both budgets (per entry and per container), so a bomb stops at the limit whatever sizes
 *    it declares, and fails with ISCC_SDK_LIMIT_EXCEEDED.
 *
 * Rewriting (metadata embedding): entries are copied in their order with their compressed
 * bytes untouched, except the replaced ones, which are deflated anew (stored when the entry
 * was stored, e.g. an EPUB's leading `mimetype`). Local headers and the central directory are
 * written fresh from the central directory's sizes, so data descriptors need no special case.
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { TEXT_ZIP_MAX_ENTRIES, TEXT_ZIP_MAX_ENTRY, TEXT_ZIP_MAX_UNCOMPRESSED } from './limits.ts';

/** One central-directory entry. */
export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
  modTime: number;
  modDate: number;
}

const utf8 = new TextDecoder('utf-8');
const cp437 = new TextDecoder('latin1');

function decodeName(b: Uint8Array, flags: number): string {
  // Bit 11 marks UTF-8 names; many writers set no flag and still write UTF-8 (iscc-sdk
  // recovers those too), so try UTF-8 first and fall back to a single-byte reading.
  if (flags & 0x800) return utf8.decode(b);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return cp437.decode(b);
  }
}

/** An opened zip archive (the whole file in memory) with an inflation budget. */
export class ZipArchive {
  readonly entries: ZipEntry[];
  private readonly byName = new Map<string, ZipEntry>();
  private readonly data: Buffer;
  private readonly label: string;
  /** Inflated bytes handed out so far (counts against the container limit). */
  inflated = 0;
  private readonly maxEntry: number;
  private readonly maxTotal: number;

  /**
   * @param data - the zip file's bytes
   * @param label - the file name used in error messages
   * @param limits - inflation limits (default {@link TEXT_ZIP_MAX_ENTRY} and
   *   {@link TEXT_ZIP_MAX_UNCOMPRESSED}; smaller ones only make sense in tests)
   * @throws SdkError ISCC_SDK_DECODE when it is not a readable zip
   */
  constructor(data: Uint8Array, label: string, limits: { maxEntry?: number; maxTotal?: number } = {}) {
    this.data = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    this.label = label;
    this.maxEntry = limits.maxEntry ?? TEXT_ZIP_MAX_ENTRY;
    this.maxTotal = limits.maxTotal ?? TEXT_ZIP_MAX_UNCOMPRESSED;
    this.entries = this.readDirectory();
    for (const e of this.entries) if (!this.byName.has(e.name)) this.byName.set(e.name, e);
  }

  private bad(msg: string): never {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `${this.label}: not a readable zip container (${msg})`, { path: this.label });
  }

  private readDirectory(): ZipEntry[] {
    const d = this.data;
    let eocd = -1;
    for (let i = d.length - 22; i >= Math.max(0, d.length - 22 - 0xffff); i--) {
      if (d.readUInt32LE(i) === 0x06054b50) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) this.bad('no end of central directory');
    const count = d.readUInt16LE(eocd + 10);
    const cdSize = d.readUInt32LE(eocd + 12);
    const cdOffset = d.readUInt32LE(eocd + 16);
    if (count === 0xffff || cdOffset === 0xffffffff) this.bad('zip64 is not supported');
    if (count > TEXT_ZIP_MAX_ENTRIES) {
      throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED, `${this.label}: ${count} zip entries exceed TEXT_ZIP_MAX_ENTRIES (${TEXT_ZIP_MAX_ENTRIES})`, { path: this.label });
    }
    if (cdOffset + cdSize > eocd) this.bad('central directory out of range');
    const out: ZipEntry[] = [];
    let p = cdOffset;
    for (let i = 0; i < count; i++) {
      if (p + 46 > d.length || d.readUInt32LE(p) !== 0x02014b50) this.bad('broken central directory');
      const flags = d.readUInt16LE(p + 8);
      const nameLen = d.readUInt16LE(p + 28), extraLen = d.readUInt16LE(p + 30), commentLen = d.readUInt16LE(p + 32);
      if (p + 46 + nameLen > d.length) this.bad('broken central directory');
      out.push({
        name: decodeName(d.subarray(p + 46, p + 46 + nameLen), flags),
        method: d.readUInt16LE(p + 10),
        flags,
        modTime: d.readUInt16LE(p + 12),
        modDate: d.readUInt16LE(p + 14),
        crc: d.readUInt32LE(p + 16),
        compressedSize: d.readUInt32LE(p + 20),
        size: d.readUInt32LE(p + 24),
        localOffset: d.readUInt32LE(p + 42),
      });
      p += 46 + nameLen + extraLen + commentLen;
    }
    return out;
  }

  /** Whether an entry of this exact name exists. */
  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The entry of this exact name. */
  entry(name: string): ZipEntry | undefined {
    return this.byName.get(name);
  }

  /** The stored (compressed) bytes of an entry. */
  raw(e: ZipEntry): Buffer {
    const d = this.data;
    const p = e.localOffset;
    if (p + 30 > d.length || d.readUInt32LE(p) !== 0x04034b50) this.bad(`bad local header of ${e.name}`);
    const start = p + 30 + d.readUInt16LE(p + 26) + d.readUInt16LE(p + 28);
    if (start + e.compressedSize > d.length) this.bad(`${e.name} runs past the end of the file`);
    return d.subarray(start, start + e.compressedSize);
  }

  /**
   * The inflated bytes of an entry.
   * @throws SdkError ISCC_SDK_LIMIT_EXCEEDED past a zip limit; ISCC_SDK_DECODE for encrypted,
   *   unknown-method or corrupt entries
   */
  read(nameOrEntry: string | ZipEntry): Buffer {
    const e = typeof nameOrEntry === 'string' ? this.byName.get(nameOrEntry) : nameOrEntry;
    if (!e) this.bad(`missing entry ${String(nameOrEntry)}`);
    if (e.flags & 1) {
      throw new SdkError(SDK_ERROR_CODES.DECODE, `${this.label}: entry ${e.name} is encrypted; encrypted documents are not supported`, { path: this.label });
    }
    const left = Math.min(this.maxEntry, this.maxTotal - this.inflated);
    const over = (): never => {
      throw new SdkError(SDK_ERROR_CODES.LIMIT_EXCEEDED,
        `${this.label}: inflating ${e.name} exceeds the zip limits (TEXT_ZIP_MAX_ENTRY ${this.maxEntry}, ` +
        `TEXT_ZIP_MAX_UNCOMPRESSED ${this.maxTotal} bytes per container) - a zip bomb?`, { path: this.label });
    };
    const raw = this.raw(e);
    let out: Buffer;
    if (e.method === 0) {
      out = raw;
      if (out.length > left) over();
    } else if (e.method === 8) {
      try {
        out = inflateRawSync(raw, { maxOutputLength: Math.max(1, left) });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) over();
        throw new SdkError(SDK_ERROR_CODES.DECODE, `${this.label}: entry ${e.name} is corrupt (${(err as Error).message})`, { cause: err, path: this.label });
      }
    } else {
      this.bad(`entry ${e.name} uses unsupported compression method ${e.method}`);
    }
    this.inflated += out.length;
    return out;
  }

  /** An entry decoded as UTF-8 text (a leading BOM removed). */
  readText(name: string | ZipEntry): string {
    return utf8.decode(this.read(name)).replace(/^\uFEFF/, '');
  }

  /**
   * A new zip with `replace` (name -> new content) applied and `add` entries appended.
   * Unchanged entries keep their compressed bytes.
   */
  rewrite(replace: ReadonlyMap<string, Uint8Array>, add: ReadonlyMap<string, Uint8Array> = new Map()): Buffer {
    const parts: Buffer[] = [];
    const central: Buffer[] = [];
    let offset = 0;
    const put = (name: string, method: number, crc: number, size: number, body: Buffer, time: number, date: number): void => {
      const nameBuf = Buffer.from(name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(crc >>> 0, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(nameBuf.length, 26);
      const cd = Buffer.alloc(46);
      cd.writeUInt32LE(0x02014b50, 0);
      cd.writeUInt16LE(20, 4);
      cd.writeUInt16LE(20, 6);
      cd.writeUInt16LE(0x800, 8);
      cd.writeUInt16LE(method, 10);
      cd.writeUInt16LE(time, 12);
      cd.writeUInt16LE(date, 14);
      cd.writeUInt32LE(crc >>> 0, 16);
      cd.writeUInt32LE(body.length, 20);
      cd.writeUInt32LE(size, 24);
      cd.writeUInt16LE(nameBuf.length, 28);
      cd.writeUInt32LE(offset, 42);
      central.push(cd, nameBuf);
      parts.push(local, nameBuf, body);
      offset += 30 + nameBuf.length + body.length;
    };
    const fresh = (name: string, content: Uint8Array, store: boolean, time: number, date: number): void => {
      const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
      const body = store ? buf : deflateRawSync(buf);
      put(name, store ? 0 : 8, crc32(buf), buf.length, body, time, date);
    };
    for (const e of this.entries) {
      const r = replace.get(e.name);
      if (r) fresh(e.name, r, e.method === 0, e.modTime, e.modDate);
      else put(e.name, e.method, e.crc, e.size, this.raw(e), e.modTime, e.modDate);
    }
    for (const [name, content] of add) fresh(name, content, false, 0, 0x21);
    const cdStart = offset;
    const cdBuf = Buffer.concat(central);
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.entries.length + add.size, 8);
    eocd.writeUInt16LE(this.entries.length + add.size, 10);
    eocd.writeUInt32LE(cdBuf.length, 12);
    eocd.writeUInt32LE(cdStart, 16);
    return Buffer.concat([...parts, cdBuf, eocd]);
  }
}
