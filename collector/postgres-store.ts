import { createSqlStore, type EventStore } from './event-store.js';
import type { SqlDatabase } from './sql-database.js';

/** Options of `createPostgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  connectionString: string;
  /** Most pooled connections. Default 10. */
  maxConnections?: number;
}

/**
 * The store for more than one machine: a real PostgreSQL server through `pg`. Loaded with
 * `import()` so users of the embedded store need not install `pg`.
 */
export async function createPostgresStore(options: PostgresStoreOptions): Promise<EventStore> {
  const pg = await import('pg');
  const Pool = pg.default?.Pool ?? pg.Pool;
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
  });
  // An idle client losing its server emits 'error' on the pool; unhandled, that would crash
  // the process. The next query reconnects and a failing query becomes a 503.
  pool.on('error', () => {});
  let closed = false;
  const database: SqlDatabase = {
    kind: 'postgres',
    async query(sql, parameters = [], options = {}) {
      const values = [...parameters];
      const result = await (options.prepareAs
        ? pool.query({ name: options.prepareAs, text: sql, values })
        : pool.query(sql, values));
      return result.rows;
    },
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work({
          kind: 'postgres',
          async query(sql, parameters = []) {
            const result = await client.query(sql, [...parameters]);
            return result.rows;
          },
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
  try {
    return await createSqlStore(database);
  } catch (error) {
    await database.close();
    throw error;
  }
}
