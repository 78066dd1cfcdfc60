import pg from 'pg';
import { createPgliteStore, createPostgresStore, type EventStore } from 'telemetry-kit-collector';

/** An open store and how to get rid of it. */
export interface OpenStore {
  store: EventStore;
  drop: () => Promise<void>;
}

/** An engine the storage suites run against. */
export interface StoreEngine {
  name: string;
  enabled: boolean;
  open: () => Promise<OpenStore>;
}

/** The PostgreSQL server the storage suites may use (CI sets it, with REQUIRE_POSTGRES=1). */
export const postgresUrl = process.env.TEST_DATABASE_URL;

/**
 * The engines every storage suite runs against: embedded PGlite always, a real PostgreSQL
 * server when TEST_DATABASE_URL is set (CI starts one with scripts/start-postgres.sh and sets
 * REQUIRE_POSTGRES=1 so a missing server fails the run).
 */
export const STORE_ENGINES: readonly StoreEngine[] = [
  {
    name: 'PGlite (in memory)',
    enabled: true,
    open: async () => {
      const store = await createPgliteStore();
      return { store, drop: () => store.close() };
    },
  },
  {
    name: 'PostgreSQL (TEST_DATABASE_URL)',
    enabled: Boolean(postgresUrl),
    open: () => freshPostgresStore(postgresUrl ?? ''),
  },
];

let databases = 0;

/** A throwaway database on the test server (`url`'s), and its removal. */
export async function freshPostgresDatabase(
  url: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  databases += 1;
  const name = `telemetry_kit_test_${process.pid}_${Date.now()}_${databases}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = `/${name}`;
  return {
    url: databaseUrl.href,
    async drop() {
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name}`);
      await cleanup.end();
    },
  };
}

/** A store on a throwaway database, so runs never see each other's rows. */
async function freshPostgresStore(url: string): Promise<OpenStore> {
  const database = await freshPostgresDatabase(url);
  const store = await createPostgresStore({ connectionString: database.url });
  return {
    store,
    async drop() {
      await store.close();
      await database.drop();
    },
  };
}
