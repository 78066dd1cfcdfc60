import type { TelemetryBatch, TelemetryEvent } from 'telemetry-kit';
import {
  type Collector,
  type CollectorOptions,
  createCollector,
  createPgliteStore,
  type EventStore,
} from 'telemetry-kit-collector';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { SET_BITS } from '../../collector/rollups/activity-sets.js';

let sequence = 0;

/** A fresh nanoid-shaped id (21 characters), unique within the test run. */
export function newId(prefix = 'id'): string {
  sequence += 1;
  return `${prefix}_${String(sequence).padStart(6, '0')}_${Math.random().toString(36).slice(2, 10)}`
    .slice(0, 21)
    .padEnd(21, 'x');
}

/** A valid event; override any field. */
export function makeEvent(overrides: Partial<TelemetryEvent> = {}): TelemetryEvent {
  return {
    id: newId('ev'),
    event_type: 'page.view',
    timestamp: new Date().toISOString(),
    anonymous_id: 'anon_default_000001',
    session_id: 'sess_default_000001',
    metadata: { path: '/home' },
    context: { path: '/home', locale: 'en-GB', browser: 'chrome', os: 'linux', device: 'desktop' },
    ...overrides,
  };
}

/** A valid batch around `events`. */
export function makeBatch(
  events: unknown[],
  overrides: Partial<TelemetryBatch> = {},
): TelemetryBatch {
  const now = new Date().toISOString();
  return {
    service_name: 'demo-app',
    service_version: '1.2.0',
    sdk: { name: 'telemetry-kit', version: '0.1.0' },
    sent_at: now,
    consent: { policy_version: 1, granted_at: now },
    dropped: {},
    events: events as TelemetryEvent[],
    ...overrides,
  };
}

/** A POST to the ingest endpoint with a body exactly as given. */
export function ingestRequest(
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
  url = 'http://collector.test/v1/events',
): Request {
  return new Request(url, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    body,
  });
}

/** Rows in the events table, optionally of one anonymous id. */
export async function countEvents(store: EventStore, anonymousId?: string): Promise<number> {
  const rows =
    anonymousId === undefined
      ? await store.database.query<{ n: number }>('SELECT count(*)::int AS n FROM telemetry_events')
      : await store.database.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM telemetry_events WHERE anonymous_id = $1',
          [anonymousId],
        );
  return rows[0]?.n ?? -1;
}

/** Empties the tables (events, their ids, their rollups, drops) between tests sharing one database. */
export async function emptyStore(store: EventStore): Promise<void> {
  await store.database.query('DELETE FROM telemetry_events');
  await store.database.query('DELETE FROM telemetry_event_ids');
  for (const table of await rollupTables(store)) {
    await store.database.query(`DELETE FROM ${table}`);
  }
  await store.database.query('DELETE FROM telemetry_activity_numbers');
  await store.database.query('DELETE FROM telemetry_device_drops');
}

/** Rows in every rollup table together: what a rebuild reports having written. */
export async function rollupRowCount(store: EventStore): Promise<number> {
  let rows = 0;
  for (const table of await rollupTables(store)) {
    const [count] = await store.database.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM ${table}`,
    );
    rows += count?.n ?? 0;
  }
  return rows;
}

// The ids of a set's members: the numbered ids whose bit is set in a row of the day and service.
const membersOf = (kind: string, bits: string) => `(
  SELECT coalesce(array_agg(n.id ORDER BY n.id), '{}') FROM telemetry_activity_numbers AS n
  JOIN telemetry_rollup_daily_activity_sets AS m ON m.chunk = n.number / ${SET_BITS}
   AND get_bit(m.${bits}, (n.number % ${SET_BITS})::int) = 1
  WHERE n.kind = '${kind}' AND m.day = s.day AND m.service_name = s.service_name)`;

/**
 * The activity sets (rollups/activity-sets.ts) per day and service with their members as ids
 * and their counts summed: what they hold, whatever numbers the ids were given.
 */
export async function decodedActivitySets(store: EventStore): Promise<Record<string, unknown[]>> {
  return {
    telemetry_rollup_daily_activity_sets: await store.database.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, service_name, sum(events)::int AS events,
              sum(page_views)::float8 AS page_views, sum(errors)::float8 AS errors,
              ${membersOf('install', 'installs')} AS installs,
              ${membersOf('session', 'sessions')} AS sessions,
              ${membersOf('session', 'ended')} AS ended
       FROM telemetry_rollup_daily_activity_sets AS s GROUP BY day, service_name ORDER BY 1, 2`,
    ),
  };
}

/** The store's rollup tables (`telemetry_rollup_*`), by name. */
export async function rollupTables(store: EventStore): Promise<string[]> {
  const rows = await store.database.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables
     WHERE schemaname = current_schema() AND starts_with(tablename, 'telemetry_rollup_')
     ORDER BY 1`,
  );
  return rows.map((row) => row.name);
}

/** An in-memory PGlite store (about two seconds to start: share one per file). */
export function memoryStore(): Promise<EventStore> {
  return createPgliteStore();
}

/** One embedded store and one collector for a whole test file. */
export interface SharedCollector {
  readonly store: EventStore;
  readonly collector: Collector;
}

/**
 * Registers the hooks that give a test file one in-memory store (emptied before each test)
 * and one collector over it, both closed after the file.
 */
export function sharedCollector(options: Omit<CollectorOptions, 'store'> = {}): SharedCollector {
  let store: EventStore | undefined;
  let collector: Collector | undefined;
  beforeAll(async () => {
    store = await memoryStore();
    collector = createCollector({ ...options, store });
  }, 30_000);
  afterAll(async () => {
    await collector?.close();
    await store?.close();
  });
  beforeEach(async () => {
    if (store) await emptyStore(store);
  });
  return {
    get store() {
      if (!store) throw new Error('the shared store is opened in beforeAll');
      return store;
    },
    get collector() {
      if (!collector) throw new Error('the shared collector is created in beforeAll');
      return collector;
    },
  };
}
