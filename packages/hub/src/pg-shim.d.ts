/**
 * Minimal types for the parts of `pg` (node-postgres 8.x) the hub uses; the package ships no
 * types and @types/pg is not installed (same shape as @iscc-ts/index's shim).
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
      constructor(config?: { connectionString?: string; max?: number });
      query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
      connect(): Promise<PoolClient>;
      on(event: 'error', listener: (err: Error) => void): this;
      on(event: 'connect', listener: (client: PoolClient) => void): this;
      end(): Promise<void>;
    }
  }
  const pg: { Pool: typeof pg.Pool };
  export default pg;
}
