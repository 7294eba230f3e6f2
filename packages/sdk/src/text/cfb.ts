/**
 * A reader for OLE compound files (CFB, "Composite Document File V2": .doc, .xls, .ppt), enough
 * to read a named stream such as "PowerPoint Document".
 *
 * Steps: check the signature and header; collect the FAT from the header's 109 DIFAT slots
 * and the DIFAT chain; read the directory chain (128-byte entries: UTF-16 name, type, start
 * sector, size); a stream below the mini-stream cutoff is read from the root entry's mini
 * stream through the mini FAT, others through the FAT. Every chain is bounded by the number
 * of sectors in the file, so loops and out-of-range sectors fail with ISCC_SDK_DECODE rather
 * than hanging or allocating.
 *
 * `oleSummaryMeta` reads the document properties (title, author, keywords, comments) from the
 * SummaryInformation property set (code page aware).
 */
import { SdkError, SDK_ERROR_CODES } from '../errors.ts';
import { decodeWithLabel } from './html.ts';

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;

/** A directory entry. */
export interface CfbEntry { name: string; type: number; start: number; size: number }

/** An opened compound file. */
export class CfbFile {
  readonly entries: CfbEntry[];
  private readonly d: Buffer;
  private readonly sectorSize: number;
  private readonly miniSectorSize: number;
  private readonly miniCutoff: number;
  private readonly fat: Uint32Array;
  private readonly miniFat: Uint32Array;
  private readonly miniStream: Buffer;
  private readonly label: string;

  /**
   * @throws SdkError ISCC_SDK_DECODE when `data` is not a readable compound file
   */
  constructor(data: Uint8Array, label: string) {
    this.label = label;
    const d = (this.d = Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    if (d.length < 512 || SIGNATURE.some((b, i) => d[i] !== b)) this.bad('no compound file signature');
    const shift = d.readUInt16LE(0x1e);
    if (shift !== 9 && shift !== 12) this.bad(`sector shift ${shift}`);
    this.sectorSize = 1 << shift;
    this.miniSectorSize = 1 << d.readUInt16LE(0x20);
    this.miniCutoff = d.readUInt32LE(0x38);
    const nSectors = Math.floor((d.length - this.sectorSize) / this.sectorSize) + 1;
    // FAT sector numbers: 109 in the header, more in the DIFAT chain.
    const fatSectors: number[] = [];
    for (let k = 0; k < 109; k++) {
      const s = d.readUInt32LE(0x4c + 4 * k);
      if (s < nSectors) fatSectors.push(s);
    }
    let difat = d.readUInt32LE(0x44);
    for (let guard = 0; difat < nSectors && guard <= nSectors; guard++) {
      const base = this.offset(difat);
      const per = this.sectorSize / 4 - 1;
      for (let k = 0; k < per; k++) {
        const s = d.readUInt32LE(base + 4 * k);
        if (s < nSectors) fatSectors.push(s);
      }
      difat = d.readUInt32LE(base + 4 * per);
    }
    const per = this.sectorSize / 4;
    this.fat = new Uint32Array(fatSectors.length * per);
    fatSectors.forEach((s, k) => {
      const base = this.offset(s);
      for (let j = 0; j < per; j++) this.fat[k * per + j] = d.readUInt32LE(base + 4 * j);
    });
    const dir = this.chain(d.readUInt32LE(0x30), this.fat, nSectors, this.sectorSize, (s) => this.sector(s));
    this.entries = [];
    for (let p = 0; p + 128 <= dir.length; p += 128) {
      const nameLen = Math.min(64, dir.readUInt16LE(p + 64));
      const name = dir.toString('utf16le', p, p + Math.max(0, nameLen - 2));
      this.entries.push({ name, type: dir[p + 66]!, start: dir.readUInt32LE(p + 116), size: dir.readUInt32LE(p + 120) });
    }
    const root = this.entries[0];
    if (!root || root.type !== 5) this.bad('no root entry');
    this.miniFat = new Uint32Array(0);
    const mfStart = d.readUInt32LE(0x3c);
    if (mfStart < nSectors) {
      const mf = this.chain(mfStart, this.fat, nSectors, this.sectorSize, (s) => this.sector(s));
      this.miniFat = new Uint32Array(mf.length / 4);
      for (let k = 0; k < this.miniFat.length; k++) this.miniFat[k] = mf.readUInt32LE(4 * k);
    }
    this.miniStream = root.start < nSectors
      ? this.chain(root.start, this.fat, nSectors, this.sectorSize, (s) => this.sector(s)).subarray(0, root.size)
      : Buffer.alloc(0);
  }

  private bad(msg: string): never {
    throw new SdkError(SDK_ERROR_CODES.DECODE, `${this.label}: not a readable compound document (${msg})`, { path: this.label });
  }

  private offset(s: number): number {
    const o = (s + 1) * this.sectorSize;
    if (o + this.sectorSize > this.d.length) this.bad(`sector ${s} out of range`);
    return o;
  }

  private sector(s: number): Buffer {
    const o = this.offset(s);
    return this.d.subarray(o, o + this.sectorSize);
  }

  private miniSector(s: number): Buffer {
    const o = s * this.miniSectorSize;
    if (o + this.miniSectorSize > this.miniStream.length) this.bad(`mini sector ${s} out of range`);
    return this.miniStream.subarray(o, o + this.miniSectorSize);
  }

  private chain(start: number, fat: Uint32Array, limit: number, size: number, get: (s: number) => Buffer): Buffer {
    const parts: Buffer[] = [];
    let s = start;
    for (let guard = 0; s !== END_OF_CHAIN && s !== FREE; guard++) {
      if (guard > limit || s >= fat.length) this.bad('broken sector chain');
      parts.push(get(s));
      s = fat[s]!;
    }
    return Buffer.concat(parts, parts.length * size);
  }

  /** The bytes of the stream named `name` (case-insensitive), or undefined. */
  stream(name: string): Buffer | undefined {
    const e = this.entries.find((x) => x.type === 2 && x.name.toLowerCase() === name.toLowerCase());
    if (!e) return undefined;
    if (e.size > this.d.length * 2 && e.size >= this.miniCutoff) this.bad(`stream ${name} larger than the file`);
    if (e.size < this.miniCutoff) {
      return this.chain(e.start, this.miniFat, this.miniFat.length, this.miniSectorSize, (s) => this.miniSector(s)).subarray(0, e.size);
    }
    const nSectors = Math.floor(this.d.length / this.sectorSize);
    return this.chain(e.start, this.fat, nSectors, this.sectorSize, (s) => this.sector(s)).subarray(0, e.size);
  }
}

/** SummaryInformation property ids -> IsccMeta fields (as Tika maps them in iscc-sdk). */
const SUMMARY_FIELDS: ReadonlyMap<number, string> = new Map([[2, 'name'], [4, 'creator'], [5, 'keywords'], [6, 'description']]);

/**
 * Title, author, keywords and comments from the "\u0005SummaryInformation" property set of a
 * compound document (.doc, .xls, .ppt); an empty object when there is none or it is damaged.
 */
export function oleSummaryMeta(data: Uint8Array, label: string): Record<string, string> {
  const out: Record<string, string> = {};
  let s: Buffer | undefined;
  try {
    s = new CfbFile(data, label).stream('\u0005SummaryInformation');
  } catch {
    return out;
  }
  if (!s || s.length < 48) return out;
  try {
    const section = s.readUInt32LE(44);
    const count = s.readUInt32LE(section + 4);
    const props = new Map<number, number>();
    for (let k = 0; k < Math.min(count, 1000); k++) props.set(s.readUInt32LE(section + 8 + 8 * k), section + s.readUInt32LE(section + 12 + 8 * k));
    let codepage = 1252;
    const cp = props.get(1);
    if (cp !== undefined && s.readUInt32LE(cp) === 2) codepage = s.readUInt16LE(cp + 4);
    for (const [id, field] of SUMMARY_FIELDS) {
      const at = props.get(id);
      if (at === undefined) continue;
      const type = s.readUInt32LE(at);
      const len = s.readUInt32LE(at + 4);
      let v = '';
      if (type === 0x1e) {
        const bytes = s.subarray(at + 8, at + 8 + Math.min(len, 65536));
        v = codepage === 65001 ? bytes.toString('utf8')
          : codepage === 1200 ? bytes.toString('utf16le')
          : decodeWithLabel(bytes, codepage === 1252 ? 'windows-1252' : labelOf(codepage));
      } else if (type === 0x1f) {
        v = s.toString('utf16le', at + 8, at + 8 + 2 * Math.min(len, 32768));
      }
      v = v.replace(/\0[\s\S]*$/, '').trim();
      if (v) out[field] = v;
    }
  } catch {
    // A damaged property set yields what was read so far.
  }
  return out;
}

function labelOf(codepage: number): string {
  try {
    return new TextDecoder(`windows-${codepage}`).encoding;
  } catch {
    return 'windows-1252';
  }
}
