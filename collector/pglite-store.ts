import { mkdir } from 'node:fs/promises';
import { createSqlStore, type EventStore } from './event-store.js';
import { createPreparedQuery } from './pglite-prepared.js';
import type { SqlDatabase } from './sql-database.js';

/** Options of `createPgliteStore`. */
export interface PgliteStoreOptions {
  /**
   * Directory of the embedded database, created with its parents if missing. Omit it (or pass
   * `memory://`) for an in-memory database.
   */
  dataDir?: string;
}

/**
 * The zero-set-up store: PostgreSQL compiled to WebAssembly, in this process. Loaded with
 * `import()` so users of `createPostgresStore` need not install `@electric-sql/pglite`.
 */
export async function createPgliteStore(options: PgliteStoreOptions = {}): Promise<EventStore> {
  const { PGlite } = await import('@electric-sql/pglite');
  // PGlite creates its own directory but not the parents (`.data/collector` on a fresh clone).
  if (options.dataDir !== undefined && !/^[a-z]+:\/\//.test(options.dataDir)) {
    await mkdir(options.dataDir, { recursive: true });
  }
  const pglite = options.dataDir === undefined ? new PGlite() : new PGlite(options.dataDir);
  await pglite.waitReady;
  const prepared = await createPreparedQuery(pglite);
  let closed = false;
  const database: SqlDatabase = {
    kind: 'pglite',
    async query(sql, parameters = [], options) {
      if (options?.prepareAs) return prepared(options.prepareAs, sql, parameters);
      const result = await pglite.query<Record<string, unknown>>(sql, [...parameters]);
      return result.rows as never;
    },
    transaction: (work) =>
      pglite.transaction((tx) =>
        work({
          kind: 'pglite',
          async query(sql, parameters = []) {
            const result = await tx.query<Record<string, unknown>>(sql, [...parameters]);
            return result.rows as never;
          },
        }),
      ),
    async close() {
      if (closed) return;
      closed = true;
      await pglite.close();
    },
  };
  return createSqlStore(database);
}
