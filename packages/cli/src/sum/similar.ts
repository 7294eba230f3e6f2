/**
 * `iscc sum --similar`: group files whose Data-Codes are within a Hamming distance, printed the
 * way iscc-sum prints them.
 *
 * Steps (iscc-sum's greedy grouping, kept exactly, including its quirks):
 * 1. The Data-Code bits of a file are the first 8 (narrow) or 16 (wide) body bytes of its
 *    ISCC-SUM, right after the 2-byte header.
 * 2. Walk the files in order. A file already printed as a member of an earlier group is skipped
 *    as a reference. Otherwise it is compared with EVERY other file (also ones already printed),
 *    and those within the threshold become its group, sorted by distance (stable).
 * 3. A group prints its reference line, then one line per member: `  ~DD <line>` (distance with
 *    two digits). A file with no neighbours prints alone. Groups are separated by an empty line,
 *    except with `-z`, where every line ends with NUL instead.
 * Files are identified by their path as given, as in iscc-sum (a path listed twice is one file).
 */
import { decodeBase32 } from '@iscc-ts/core';

/** A hashed file. */
export interface SimilarItem {
  /** The path as given/expanded (before display normalisation). */
  path: string;
  /** Its ISCC-SUM (`ISCC:...`). */
  iscc: string;
}

/** Number of differing bits between two equally long byte strings. */
export function hammingDistance(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) throw new Error('Byte sequences must have equal length');
  let d = 0;
  for (let i = 0; i < a.length; i++) {
    let x = a[i]! ^ b[i]!;
    while (x) {
      d++;
      x &= x - 1;
    }
  }
  return d;
}

/** The Data-Code part of an ISCC-SUM body. */
export function dataCodeBits(iscc: string, narrow: boolean): Uint8Array {
  const raw = decodeBase32(iscc.replace('ISCC:', ''));
  return raw.subarray(2, narrow ? 10 : 18);
}

/** One printed group: the reference and its neighbours with their distances. */
export interface SimilarGroup {
  ref: SimilarItem;
  members: { item: SimilarItem; distance: number }[];
}

/** Group `items` as iscc-sum does (see the module comment). */
export function groupSimilar(items: readonly SimilarItem[], threshold: number, narrow: boolean): SimilarGroup[] {
  const bits = items.map((it) => dataCodeBits(it.iscc, narrow));
  const processed = new Set<string>();
  const groups: SimilarGroup[] = [];
  items.forEach((ref, i) => {
    if (processed.has(ref.path)) return;
    const members: SimilarGroup['members'] = [];
    items.forEach((other, j) => {
      if (i === j) return;
      const distance = hammingDistance(bits[i]!, bits[j]!);
      if (distance <= threshold) {
        members.push({ item: other, distance });
        processed.add(other.path);
      }
    });
    // Array.prototype.sort is stable, as Python's list.sort.
    members.sort((a, b) => a.distance - b.distance);
    processed.add(ref.path);
    groups.push({ ref, members });
  });
  return groups;
}

/**
 * Render groups as iscc-sum's output.
 * @param display - turns a path into its displayed form
 */
export function renderSimilar(
  groups: readonly SimilarGroup[],
  opts: { tag: boolean; zero: boolean },
  display: (p: string) => string,
): string {
  const end = opts.zero ? '\0' : '\n';
  const line = (iscc: string, p: string) => (opts.tag ? `ISCC-SUM (${display(p)}) = ${iscc}` : `${iscc} *${display(p)}`);
  let out = '';
  groups.forEach((g, k) => {
    if (k > 0 && !opts.zero) out += '\n';
    out += line(g.ref.iscc, g.ref.path) + end;
    for (const m of g.members) {
      out += `  ~${String(m.distance).padStart(2, '0')} ${line(m.item.iscc, m.item.path)}${end}`;
    }
  });
  return out;
}
