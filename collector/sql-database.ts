/**
 * The one seam between the collector and a database: PGlite and PostgreSQL both speak it, so
 * every query in the collector is written once, as parameterised SQL (`$1`, `$2`, ...).
 */

/** A row as a query returns it: column name to value. */
export type SqlRow = Record<string, unknown>;

/** Values a query parameter may take. Objects are passed as JSON text and cast in SQL. */
export type SqlParameter = string | number | boolean | null;

/** How one query runs. */
export interface SqlQueryOptions {
  /**
   * Keep the statement prepared under this name, per connection (PostgreSQL's pool, or
   * PGlite's one): it is then parsed once per connection and, after its first runs, may keep a
   * generic plan, rather than being planned at every call. Only for a statement of fixed text
   * that runs often (ingest's), one name per text.
   */
  prepareAs?: string;
}

/** A connection (or pool) that runs parameterised SQL. Never build SQL from user input. */
export interface SqlDatabase {
  /** Which engine answers: shown by the CLI and in benchmarks. */
  readonly kind: 'pglite' | 'postgres';
  /** Runs one statement with positional parameters and returns its rows. */
  query<Row extends SqlRow = SqlRow>(
    sql: string,
    parameters?: readonly SqlParameter[],
    options?: SqlQueryOptions,
  ): Promise<Row[]>;
  /** Runs `work` inside one transaction on one connection; rolls back if it rejects. */
  transaction<T>(
    work: (database: Omit<SqlDatabase, 'transaction' | 'close'>) => Promise<T>,
  ): Promise<T>;
  /** Releases the connection(s). Idempotent. */
  close(): Promise<void>;
}
