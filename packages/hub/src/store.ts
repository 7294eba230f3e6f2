/**
 * Log storage: the hub's only persistent state is its append-only log of entries (leaf
 * records, index 0, 1, 2, ...); everything else (declarations by ID, nonces, datahashes, the
 * Merkle tree) is a view rebuilt from it. A backend therefore only reads records from an index
 * on and appends batches durably, under a writer lock:
 *
 * - `begin()` takes the write lock (cross-process where the backend is shared) and returns the
 *   committed size, so the hub can catch up on records another process appended;
 * - `commit(start, records)` makes the batch durable (fsync / COMMIT) and releases the lock;
 *   `abort()` releases it without writing.
 *
 * Backends: {@link MemoryLogStore} (tests, `memory://`), FileLogStore (embedded default, one
 * directory) and PgLogStore (`postgres://...`).
 */

/** Append-only record storage behind the hub. */
export interface LogStore {
  /** `file`, `postgres` or `memory`. */
  readonly kind: string;
  /** Whether other processes may append (the hub then catches up before reads). */
  readonly shared: boolean;
  /** Records from index `from` to the committed end. */
  read(from: number): Promise<Uint8Array[]>;
  /** Take the write lock; returns the committed size. */
  begin(): Promise<number>;
  /** Durably append `records` at index `start` (= the size begin() returned) and release the lock. */
  commit(start: number, records: Uint8Array[]): Promise<void>;
  /** Release the write lock without writing. */
  abort(): Promise<void>;
  close(): Promise<void>;
}

/** Records in memory only (nothing survives the process). */
export class MemoryLogStore implements LogStore {
  readonly kind = 'memory';
  readonly shared = false;
  private readonly records: Uint8Array[] = [];
  async read(from: number): Promise<Uint8Array[]> {
    return this.records.slice(from);
  }
  async begin(): Promise<number> {
    return this.records.length;
  }
  async commit(start: number, records: Uint8Array[]): Promise<void> {
    if (start !== this.records.length) throw new Error(`append at ${start} but size is ${this.records.length}`);
    this.records.push(...records);
  }
  async abort(): Promise<void> {}
  async close(): Promise<void> {}
}
