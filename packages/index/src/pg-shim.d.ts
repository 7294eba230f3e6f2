/**
 * Minimal types for the parts of `pg` (node-postgres 8.x) this package uses; the package
 * ships no types and @types/pg is not installed. Extend when using more of the driver.
 */
declare module 'pg' {
  namespace pg {
    type QueryResultRow = Record<string, unknown>;
    interface QueryResult<R extends QueryResultRow = QueryResultRow> {
      rows: R[];
      rowCount: number | null;
    }
    interface PoolClient {
      query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
      release(err?: Error | boolean): void;
    }
    class Pool {
      constructor(config?: { connectionString?: string; max?: number; options?: string });
      query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
      connect(): Promise<PoolClient>;
      on(event: 'error', listener: (err: Error) => void): this;
      end(): Promise<void>;
    }
  }
  const pg: { Pool: typeof pg.Pool };
  export default pg;
}
