import type { SqlDatabase } from 'telemetry-kit-collector';

const DAY_MS = 86_400_000;
const CHUNK = 100_000;

const SEED = `
  INSERT INTO telemetry_events (
    id, event_type, occurred_at, anonymous_id, session_id, sampling_rate, service_name,
    service_version, consent_policy_version, metadata, context
  )
  SELECT 'seed_' || lpad(g::text, 16, '0'),
         (ARRAY['page.view', 'feature.use', 'component.mount', 'error'])[1 + g % 4],
         $3::timestamptz + ((g::bigint * 863) % ${2 * DAY_MS}) * interval '1 millisecond',
         'anon_' || lpad((g % 5000)::text, 16, '0'), 'sess_' || lpad((g / 20)::text, 16, '0'),
         CASE WHEN g % 4 = 0 THEN 0.5 END, 'app_' || g % 3, '1.4.2', 1,
         jsonb_build_object('path', '/products/' || g % 500, 'feature', 'filters.' || g % 10,
           'note', 'a, "quoted" note'),
         jsonb_build_object('path', '/products/' || g % 500, 'locale', 'en-GB',
           'browser', 'chrome', 'os', 'linux', 'device', 'desktop')
  FROM generate_series($1::int, $2::int) AS g`;

/** The two whole UTC days the seeded events fall in, as `GET /v1/export` takes them. */
export interface SeededRange {
  fromDay: string;
  toDay: string;
}

/**
 * Inserts `count` events straight into `telemetry_events` (one `generate_series` statement per
 * 100,000), spread over the two UTC days before today (many share a millisecond, as a burst
 * would) with metadata that CSV has to quote. Rollups are not built: the export reads raw events.
 */
export async function seedExportEvents(
  database: Pick<SqlDatabase, 'query'>,
  count: number,
  now = Date.now(),
): Promise<SeededRange> {
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const from = new Date(today - 2 * DAY_MS);
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(start + CHUNK, count) - 1;
    await database.query(SEED, [start, end, from.toISOString()]);
  }
  await database.query('ANALYZE telemetry_events');
  return {
    fromDay: from.toISOString().slice(0, 10),
    toDay: new Date(today - DAY_MS).toISOString().slice(0, 10),
  };
}
