/**
 * Search results: IsccMatches (one query) and IsccBatchMatches (several), as the ISCC-VDB
 * spec describes them, with attributes camelCased (`unit_matches` -> `unitMatches`, ...),
 * Python's `__getitem__`/`__len__` as `at(i)`/`length`, and `mean_recall` as `meanRecall`.
 */

/** One match: an ISCC-ID and its combined distance (0 = identical, 1 = unrelated). */
export interface IsccMatch {
  key: string;
  distance: number;
}

/** One chunk (simprint) match: which entry, which chunk of it, and how close. */
export interface ChunkMatch {
  /** ISCC-ID of the entry holding the chunk. */
  iscc_id: string;
  /** Simprint type, e.g. `CONTENT_TEXT_V0`. */
  type: string;
  /** Index of the query simprint that matched. */
  query: number;
  /** Offset and size of the matched chunk in the entry's content. */
  offset: number;
  size: number;
  /** NPHD between the query simprint and the chunk's. */
  distance: number;
}

/** Hits of one query in one unit index. */
export class UnitMatches {
  constructor(
    readonly keys: string[],
    readonly distances: number[],
    readonly visitedMembers: number,
    readonly computedDistances: number,
  ) {}
  get length(): number {
    return this.keys.length;
  }
  at(i: number): IsccMatch | undefined {
    const key = this.keys.at(i);
    return key === undefined ? undefined : { key, distance: this.distances.at(i)! };
  }
  toList(): [string, number][] {
    return this.keys.map((k, i) => [k, this.distances[i]!]);
  }
}

/** Hits of several queries in one unit index. */
export class UnitBatchMatches {
  constructor(readonly items: UnitMatches[]) {}
  get keys(): string[][] {
    return this.items.map((m) => m.keys);
  }
  get distances(): number[][] {
    return this.items.map((m) => m.distances);
  }
  get counts(): number[] {
    return this.items.map((m) => m.length);
  }
  get length(): number {
    return this.items.length;
  }
  at(i: number): UnitMatches | undefined {
    return this.items.at(i);
  }
}

/** The result of one search: ISCC-IDs ranked by combined distance, and how they were found. */
export class IsccMatches {
  constructor(
    /** ISCC-IDs, best first. */
    readonly keys: string[],
    /** Combined distances (1 - combined score), ascending. */
    readonly distances: number[],
    /** Per unit type (e.g. `CONTENT-TEXT-V0`) hits of the query's unit of that type. */
    readonly unitMatches: Record<string, UnitMatches>,
    /** ISCC-IDs whose Instance-Code equals the query's or prefix-matches it. */
    readonly instanceMatches: string[],
    /** Rows looked at across unit indexes. */
    readonly visitedMembers: number,
    /** Distance computations across unit indexes. */
    readonly computedDistances: number,
    /** Chunk-level (simprint) matches, best first. */
    readonly chunkMatches: ChunkMatch[] = [],
  ) {}
  get length(): number {
    return this.keys.length;
  }
  at(i: number): IsccMatch | undefined {
    const key = this.keys.at(i);
    return key === undefined ? undefined : { key, distance: this.distances.at(i)! };
  }
  toList(): [string, number][] {
    return this.keys.map((k, i) => [k, this.distances[i]!]);
  }
  *[Symbol.iterator](): IterableIterator<IsccMatch> {
    for (let i = 0; i < this.keys.length; i++) yield { key: this.keys[i]!, distance: this.distances[i]! };
  }
  /** Plain JSON form (REST and CLI output). */
  toJSON(): Record<string, unknown> {
    return {
      keys: this.keys,
      distances: this.distances,
      unit_matches: Object.fromEntries(Object.entries(this.unitMatches).map(([t, m]) => [t, { keys: m.keys, distances: m.distances }])),
      instance_matches: this.instanceMatches,
      chunk_matches: this.chunkMatches,
      visited_members: this.visitedMembers,
      computed_distances: this.computedDistances,
    };
  }
}

/** The result of a batch search: one IsccMatches per query. */
export class IsccBatchMatches {
  constructor(readonly items: IsccMatches[]) {}
  get keys(): string[][] {
    return this.items.map((m) => m.keys);
  }
  get distances(): number[][] {
    return this.items.map((m) => m.distances);
  }
  /** Number of results per query. */
  get counts(): number[] {
    return this.items.map((m) => m.length);
  }
  get unitMatches(): Record<string, UnitBatchMatches> {
    const types = new Set(this.items.flatMap((m) => Object.keys(m.unitMatches)));
    const empty = new UnitMatches([], [], 0, 0);
    return Object.fromEntries([...types].map((t) => [t, new UnitBatchMatches(this.items.map((m) => m.unitMatches[t] ?? empty))]));
  }
  get instanceMatches(): string[][] {
    return this.items.map((m) => m.instanceMatches);
  }
  get visitedMembers(): number {
    return this.items.reduce((a, m) => a + m.visitedMembers, 0);
  }
  get computedDistances(): number {
    return this.items.reduce((a, m) => a + m.computedDistances, 0);
  }
  get length(): number {
    return this.items.length;
  }
  at(i: number): IsccMatches | undefined {
    return this.items.at(i);
  }
  toList(): [string, number][][] {
    return this.items.map((m) => m.toList());
  }
  *[Symbol.iterator](): IterableIterator<IsccMatches> {
    yield* this.items;
  }
  /**
   * Mean recall against `expected`: per query either one expected ISCC-ID (hit when it is among
   * the first `count` results, as usearch's `mean_recall`) or a list of them (the share of the
   * first `count` expected found among the first `count` results). Queries with an empty
   * expectation are skipped.
   */
  meanRecall(expected: (string | string[])[] | IsccBatchMatches, count?: number): number {
    const exp = expected instanceof IsccBatchMatches ? expected.keys : expected;
    let sum = 0;
    let n = 0;
    this.items.forEach((m, i) => {
      const e = exp[i];
      if (e === undefined) return;
      const k = count ?? (Array.isArray(e) ? e.length : m.length);
      const found = new Set(m.keys.slice(0, Math.max(k, 0)));
      if (typeof e === 'string') {
        sum += found.has(e) ? 1 : 0;
        n++;
      } else if (e.length > 0) {
        const want = e.slice(0, k);
        sum += want.filter((x) => found.has(x)).length / want.length;
        n++;
      }
    });
    return n === 0 ? 0 : sum / n;
  }
  toJSON(): Record<string, unknown>[] {
    return this.items.map((m) => m.toJSON());
  }
}
