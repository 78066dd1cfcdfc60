import { createPgliteStore, createPostgresStore, type EventStore } from 'telemetry-kit-collector';
import { afterAll, bench, describe } from 'vitest';

/**
 * `stats()` for the last 30 days (what `GET /v1/stats` and the dashboard read) at 100,000 and
 * 1,000,000 stored events, on PGlite and, when TEST_DATABASE_URL is set, PostgreSQL. The events
 * are seeded by one generate_series statement per 100,000 (page views, component mounts,
 * feature uses, errors, web vitals, session ends, flow starts and ends spread evenly over 30
 * days, three services, one install per 200 events, one session of one install per 10
 * events), then the rollups are rebuilt from them, as the migration would.
 *
 *   npx vitest bench --run --project collector test/bench/stats.bench.ts
 *   STATS_BENCH_SIZES=100000,1000000,10000000 STATS_BENCH_ENGINES=PostgreSQL npx vitest bench …
 */
// STATS_BENCH_SIZES=100000,1000000,10000000 adds sizes (10 M takes minutes to seed and roll up);
// STATS_BENCH_ENGINES=PostgreSQL measures one engine.
const SIZES = (process.env.STATS_BENCH_SIZES ?? '100000,1000000').split(',').map(Number);
const CHUNK = 100_000;
const DAY_MS = 86_400_000;

// Sessions stay within one install, service and day (give or take midnight), as real ones do:
// with N = installs × 3 (a multiple of 30 and of the install count), session k % N of block
// k / (10 N) holds ten events of one install.
const SEED = `
  INSERT INTO telemetry_events (
    id, event_type, occurred_at, anonymous_id, session_id, sampling_rate, service_name,
    service_version, consent_policy_version, metadata, context
  )
  SELECT 'seed_' || g,
         (ARRAY['page.view', 'component.mount', 'feature.use', 'error', 'web_vital',
                'session.end', 'flow.start', 'flow.end'])[1 + g % 8],
         now() - ((g % 30) * 86400 + (g / 30) % 86400) * interval '1 second',
         'anon_' || (g % ($3::int / 200)),
         'sess_' || (g % ($3::int / 200 * 3)) || '_' || (g / ($3::int / 200 * 30)),
         CASE WHEN g % 4 = 0 THEN 0.5 END, 'app_' || (g % 3), '1.0.0', 1,
         CASE g % 8
           WHEN 0 THEN jsonb_build_object('path', '/p' || g % 50)
           WHEN 1 THEN jsonb_build_object('component', 'Button' || g % 20, 'library', 'ui-kit',
             'version', '2.' || g % 3 || '.0', 'props', jsonb_build_object('variant', 'primary'),
             'count', 1)
           WHEN 2 THEN jsonb_build_object('feature', 'f' || g % 10)
           WHEN 3 THEN jsonb_build_object('error_hash', 'h' || g % 30, 'message', 'boom')
           WHEN 4 THEN jsonb_build_object('name', 'LCP', 'value', g % 4000, 'path', '/p' || g % 50)
           WHEN 5 THEN jsonb_build_object('duration_ms', (g % 3600) * 1000)
           WHEN 6 THEN jsonb_build_object('flow', 'flow' || g % 5)
           ELSE jsonb_build_object('flow', 'flow' || g % 5, 'duration_ms', g % 60000,
             'outcome', (ARRAY['success', 'failure', 'cancelled', 'abandoned'])[1 + (g / 8) % 4])
         END,
         jsonb_build_object('path', '/p' || g % 50)
  FROM generate_series($1::int, $2::int) AS g`;

async function seed(store: EventStore, from: number, to: number, total: number): Promise<void> {
  for (let start = from; start < to; start += CHUNK) {
    await store.database.query(SEED, [start, Math.min(start + CHUNK, to) - 1, total]);
  }
  await store.rebuildRollups();
  await store.database.query('ANALYZE');
}

async function freshPostgres(url: string): Promise<EventStore> {
  const pg = (await import('pg')).default;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS bench_stats');
  await admin.query('CREATE DATABASE bench_stats');
  await admin.end();
  const databaseUrl = new URL(url);
  databaseUrl.pathname = '/bench_stats';
  return createPostgresStore({ connectionString: databaseUrl.href });
}

const postgresUrl = process.env.TEST_DATABASE_URL;
const only = process.env.STATS_BENCH_ENGINES?.split(',');
const engines: { name: string; open: () => Promise<EventStore> }[] = [
  { name: 'PGlite', open: () => createPgliteStore() },
  ...(postgresUrl ? [{ name: 'PostgreSQL', open: () => freshPostgres(postgresUrl) }] : []),
].filter((engine) => !only || only.includes(engine.name));

const opened: EventStore[] = [];
afterAll(async () => {
  for (const store of opened) await store.close();
});

const last30Days = () => {
  const to = Math.floor(Date.now() / DAY_MS) * DAY_MS + DAY_MS;
  return { from: new Date(to - 30 * DAY_MS), to: new Date(to) };
};

for (const engine of engines) {
  const store = await engine.open();
  opened.push(store);
  let seeded = 0;
  describe(`stats: ${engine.name}, GET /v1/stats for 30 days (ms per read)`, () => {
    for (const size of SIZES) {
      bench(`${size.toLocaleString('en')} events`, () => store.stats(last30Days()).then(() => {}), {
        // Reads take tens of milliseconds; fifteen make the median steady on a shared machine.
        iterations: 15,
        time: 0,
        warmupIterations: 2,
        warmupTime: 0,
        setup: async () => {
          if (seeded < size) {
            await seed(store, seeded, size, size);
            seeded = size;
          }
        },
      });
    }
  });
}
