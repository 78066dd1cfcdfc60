import {
  createPgliteStore,
  createPostgresStore,
  createSqlStore,
  type EventStore,
  type SqlDatabase,
} from 'telemetry-kit-collector';
import { afterAll, bench, describe } from 'vitest';
import { DAILY_SUBJECTS } from '../../collector/rollups/daily-subjects.js';
import { makeEvent } from '../collector/fixtures.js';
import { schemaAtVersion } from '../collector/older-schema.js';

/**
 * Retention of a month of events: deleting its rows (the unpartitioned table of migration 4 and
 * the retention as it was then) against dropping its partition (`deleteOlderThan` now). Each
 * timed run has a freshly seeded database: 200,000 events spread over a month three months
 * back, 10,000 over the month after it, rollups built; the cutoff is the middle of that next
 * month, so both also delete rows in the month straddling it. A timed run is the retention
 * and then the VACUUM that deleted rows need before their space is reused (autovacuum's work,
 * done here at once; each part's time and the sizes left are printed). Setup seeds, untimed;
 * variants alternate over three rounds.
 *
 *   npx vitest bench --run --project collector test/bench/retention.bench.ts
 */
const OLD_MONTH = 200_000;
const NEXT_MONTH = 10_000;
const DAY_MS = 86_400_000;
const ROUNDS = [1, 2, 3];

const monthStart = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
};
const oldMonth = monthStart(-3);
const nextMonth = monthStart(-2);
const cutoff = new Date(nextMonth.getTime() + 14 * DAY_MS);

const SEED = `
  INSERT INTO telemetry_events (
    id, event_type, occurred_at, anonymous_id, session_id, service_name, service_version,
    consent_policy_version, metadata, context
  )
  SELECT $3 || g, CASE WHEN g % 5 = 0 THEN 'error' ELSE 'page.view' END,
         $1::timestamptz + (g::float8 / $2) * interval '28 days',
         'anon_' || (g % 2000), 'sess_' || (g / 10), 'app', '1.0.0', 1,
         jsonb_build_object('path', '/p' || g % 50),
         jsonb_build_object('path', '/p' || g % 50, 'locale', 'en-GB', 'browser', 'chrome')
  FROM generate_series(1, $2::int) AS g
  RETURNING id, occurred_at`;

/** The events of a month, and (partitioned) their ids, as ingest would have stored them. */
const seedMonth = (partitioned: boolean) =>
  partitioned
    ? `WITH seeded AS (${SEED})
       INSERT INTO telemetry_event_ids (id, occurred_at) SELECT id, occurred_at FROM seeded`
    : SEED;

async function seed(database: SqlDatabase, partitioned: boolean): Promise<void> {
  await database.query(seedMonth(partitioned), [oldMonth.toISOString(), OLD_MONTH, 'old_']);
  await database.query(seedMonth(partitioned), [nextMonth.toISOString(), NEXT_MONTH, 'next_']);
  // Rebuilt from every event, the two stored through the store included.
  await database.query('DELETE FROM telemetry_rollup_daily_subjects');
  await database.query(
    `INSERT INTO telemetry_rollup_daily_subjects
       (day, service_name, anonymous_id, events, page_views, errors)
     ${DAILY_SUBJECTS.rows('telemetry_events')}`,
  );
  await database.query('ANALYZE');
}

/** Retention as it was at migration 4 (collector/event-store.ts then): the rows deleted. */
function deleteRows(database: SqlDatabase, at: string): Promise<number> {
  return database.transaction(async (tx) => {
    const rows = await tx.query<{ deleted: number }>(
      `WITH gone AS (DELETE FROM telemetry_events WHERE occurred_at < $1 RETURNING 1)
       SELECT count(*)::int AS deleted FROM gone`,
      [at],
    );
    await tx.query(
      `DELETE FROM telemetry_rollup_daily_subjects
       WHERE day <= ($1::timestamptz AT TIME ZONE 'UTC')::date`,
      [at],
    );
    await tx.query(
      `INSERT INTO telemetry_rollup_daily_subjects
         (day, service_name, anonymous_id, events, page_views, errors)
       ${DAILY_SUBJECTS.rows(
         'telemetry_events',
         `occurred_at >= date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
          AND occurred_at < (date_trunc('day', $1::timestamptz AT TIME ZONE 'UTC') + interval '1 day') AT TIME ZONE 'UTC'`,
       )}
       ON CONFLICT (day, service_name, anonymous_id) DO NOTHING`,
      [at],
    );
    await tx.query('DELETE FROM telemetry_device_drops WHERE received_at < $1', [at]);
    return rows[0]?.deleted ?? 0;
  });
}

/** The bytes (tables, indexes, TOAST) of the events, partitions included, and of their ids. */
async function eventBytes(database: SqlDatabase): Promise<string> {
  const rows = await database.query<{ events: string; ids: string }>(
    `SELECT pg_size_pretty(coalesce(sum(pg_total_relation_size(c.oid))
              FILTER (WHERE c.relname LIKE 'telemetry_events%'), 0)::bigint) AS events,
            pg_size_pretty(coalesce(sum(pg_total_relation_size(c.oid))
              FILTER (WHERE c.relname = 'telemetry_event_ids'), 0)::bigint) AS ids
     FROM pg_class c WHERE c.relkind = 'r'`,
  );
  return `events ${rows[0]?.events}, ids ${rows[0]?.ids}`;
}

async function freshPostgres(url: string): Promise<EventStore> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_retention');
  await admin.query('CREATE DATABASE bench_retention');
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = '/bench_retention';
  return createPostgresStore({ connectionString: databaseUrl.href });
}

const postgresUrl = process.env.TEST_DATABASE_URL;
const engines: { name: string; open: () => Promise<EventStore> }[] = [
  { name: 'PGlite', open: () => createPgliteStore() },
  ...(postgresUrl ? [{ name: 'PostgreSQL', open: () => freshPostgres(postgresUrl) }] : []),
];

const opened: EventStore[] = [];
// tinybench does not wait for teardown: each run's sizes are read before the next one's setup.
const reports: (() => Promise<void>)[] = [];
const flushReports = async () => {
  for (const report of reports.splice(0)) await report();
};
afterAll(async () => {
  await flushReports();
  for (const store of opened) await store.close();
});

// One timed call per run; setup (untimed) seeds a fresh database before it.
const once = { iterations: 1, time: 0, warmupIterations: 0, warmupTime: 0 };

/** A run's setup. tinybench loses a setup's error and the run never ends: print it and exit. */
const beforeRun = (work: () => Promise<void>) => async (_task: unknown, mode?: string) => {
  if (mode !== 'run') return;
  try {
    await flushReports();
    await work();
  } catch (error) {
    console.error(error);
    process.exit(1);
  }
};

for (const engine of engines) {
  const { database } = await engine.open().then((store) => {
    opened.push(store);
    return store;
  });
  let store: EventStore | undefined;
  let removed = 0;
  let split = [0, 0];
  const report = (variant: string) => {
    const [events, [removing, vacuum] = []] = [removed, split];
    reports.push(async () =>
      console.log(
        `${engine.name}, ${variant}: ${events} events removed in ${removing?.toFixed(0)} ms, ` +
          `then VACUUM ${vacuum?.toFixed(0)} ms; left on disk: ${await eventBytes(database)}`,
      ),
    );
  };
  describe(`retention: ${engine.name}, a month of ${OLD_MONTH.toLocaleString('en')} events (ms per run)`, () => {
    for (const round of ROUNDS) {
      bench(
        `delete rows (unpartitioned, migration 4), round ${round}`,
        async () => {
          const start = performance.now();
          removed = await deleteRows(database, cutoff.toISOString());
          const deleted = performance.now();
          await database.query('VACUUM telemetry_events, telemetry_rollup_daily_subjects');
          split = [deleted - start, performance.now() - deleted];
        },
        {
          ...once,
          setup: beforeRun(async () => {
            await schemaAtVersion(database, 4);
            await seed(database, false);
          }),
          teardown: (_task, mode) => {
            if (mode === 'run') report('rows deleted');
          },
        },
      );
      bench(
        `drop the partition (deleteOlderThan), round ${round}`,
        async () => {
          const start = performance.now();
          removed = (await store?.deleteOlderThan(cutoff)) ?? 0;
          const deleted = performance.now();
          await database.query(
            'VACUUM telemetry_events, telemetry_event_ids, telemetry_rollup_daily_subjects',
          );
          split = [deleted - start, performance.now() - deleted];
        },
        {
          ...once,
          setup: beforeRun(async () => {
            await schemaAtVersion(database, Number.POSITIVE_INFINITY);
            store = await createSqlStore(database);
            // The seed writes past the store: one event of each month through it first makes
            // the months' partitions, as ingest would have.
            await store.insertBatch(
              { service_name: 'app', service_version: '1.0.0', consent_policy_version: 1 },
              [oldMonth, nextMonth].map((month) => makeEvent({ timestamp: month.toISOString() })),
              {},
            );
            await seed(database, true);
          }),
          teardown: (_task, mode) => {
            if (mode === 'run') report('partition dropped');
          },
        },
      );
    }
  });
}
