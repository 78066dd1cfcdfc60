import { describe, expect, it } from 'vitest';
import { ALICE, BOB, CAROL, EXPECTED, exampleEvents, XSS } from './example-dataset.js';
import { countEvents, makeEvent } from './fixtures.js';
import { postgresUrl, STORE_ENGINES } from './store-engines.js';
import { useStore } from './use-store.js';

/** The same storage contract, run against every engine (see `STORE_ENGINES`). */
const ORIGIN = { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 };
const DAY = 86_400_000;

describe('PostgreSQL availability', () => {
  it.runIf(process.env.REQUIRE_POSTGRES === '1')(
    'has TEST_DATABASE_URL when REQUIRE_POSTGRES=1',
    () => {
      expect(
        postgresUrl,
        'run scripts/start-postgres.sh and export TEST_DATABASE_URL',
      ).toBeTruthy();
    },
  );
});

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`event store on ${engine.name}`, () => {
    const store = useStore(engine);

    it('migrates idempotently: a second store on the same database keeps the rows', async () => {
      await store.insertBatch(ORIGIN, [makeEvent()], {});
      const applied = () =>
        store.database.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM telemetry_schema_migrations',
        );
      const before = await applied();
      const { createSqlStore } = await import('telemetry-kit-collector');
      await createSqlStore(store.database);
      expect(await countEvents(store)).toBe(1);
      expect(await applied()).toEqual(before);
    });

    it('dedupes by event id: a retried batch never doubles a count', async () => {
      const events = [makeEvent(), makeEvent(), makeEvent()];
      expect(await store.insertBatch(ORIGIN, events, {})).toEqual({ inserted: 3, duplicates: 0 });
      expect(await store.insertBatch(ORIGIN, events, {})).toEqual({ inserted: 0, duplicates: 3 });
      expect(await countEvents(store)).toBe(3);
    });

    it('counts a repeated id inside one batch as a duplicate', async () => {
      const event = makeEvent();
      expect(await store.insertBatch(ORIGIN, [event, event, makeEvent()], {})).toEqual({
        inserted: 2,
        duplicates: 1,
      });
      expect(await countEvents(store)).toBe(2);
    });

    it('stores a batch once when a beacon and a fetch deliver it at the same moment', async () => {
      const events = Array.from({ length: 20 }, () => makeEvent());
      const results = await Promise.all([
        store.insertBatch(ORIGIN, events, {}),
        store.insertBatch(ORIGIN, events, {}),
        store.insertBatch(ORIGIN, events, {}),
      ]);
      expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(20);
      expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(40);
      expect(await countEvents(store)).toBe(20);
    });

    it('stores SQL-looking strings verbatim (parameters only, nothing interpolated)', async () => {
      const nasty = "'); DROP TABLE telemetry_events; --";
      const event = makeEvent({ metadata: { path: nasty }, event_type: 'page.view' });
      await store.insertBatch({ ...ORIGIN, service_name: nasty }, [event], { quota: 1 });
      const rows = await store.database.query<{ path: string; service_name: string }>(
        `SELECT metadata->>'path' AS path, service_name FROM telemetry_events WHERE id = $1`,
        [event.id],
      );
      expect(rows).toEqual([{ path: nasty, service_name: nasty }]);
    });

    it('deletes every event of one anonymous id and nothing else', async () => {
      await store.insertBatch(
        ORIGIN,
        [
          makeEvent({ anonymous_id: ALICE }),
          makeEvent({ anonymous_id: ALICE }),
          makeEvent({ anonymous_id: BOB }),
        ],
        {},
      );
      expect(await store.deleteSubject(ALICE)).toBe(2);
      expect(await countEvents(store, ALICE)).toBe(0);
      expect(await countEvents(store, BOB)).toBe(1);
    });

    it('deletes events older than the retention cutoff and keeps newer ones', async () => {
      const now = Date.now();
      await store.insertBatch(
        ORIGIN,
        [
          makeEvent({ timestamp: new Date(now - 500 * DAY).toISOString() }),
          makeEvent({ timestamp: new Date(now - 399 * DAY).toISOString() }),
          makeEvent({ timestamp: new Date(now).toISOString() }),
        ],
        {},
      );
      expect(await store.deleteOlderThan(new Date(now - 400 * DAY))).toBe(1);
      expect(await countEvents(store)).toBe(2);
    });

    it('computes the dashboard figures from the example data set', async () => {
      const now = Date.now();
      await store.insertBatch(ORIGIN, exampleEvents(now), EXPECTED.deviceDrops);
      const stats = await store.stats({ from: new Date(now - 30 * DAY), to: new Date(now + DAY) });

      expect(stats.totals).toMatchObject({
        installs: EXPECTED.installs,
        sessions: EXPECTED.sessions,
        page_views: EXPECTED.pageViews,
        errors: EXPECTED.errors,
        device_drops: 4,
      });
      expect(stats.sessions).toEqual({
        count: EXPECTED.sessions,
        ended: EXPECTED.sessionsEnded,
        median_duration_ms: EXPECTED.medianSessionMs,
      });
      const button = stats.components.find((c) => c.component === 'Button');
      expect(button).toMatchObject({ library: 'ui-kit', version: '2.0.0', mounts: 4, installs: 2 });
      expect(button?.top_variants[0]).toEqual({ props: { variant: 'primary' }, mounts: 3 });
      expect(stats.components.find((c) => c.component === 'Modal')).toMatchObject(EXPECTED.modal);
      expect(stats.features).toEqual([
        { feature: 'dark-mode', ...EXPECTED.darkMode },
        { feature: 'export', ...EXPECTED.export },
      ]);
      expect(stats.pages[0]).toEqual({ path: '/home', views: EXPECTED.homeViews, installs: 2 });
      expect(stats.pages.map((p) => p.path)).toContain(XSS);
      expect(stats.errors[0]).toMatchObject({
        error_hash: 'hash_type_error',
        error_class: 'TypeError',
        count: 2,
        installs: 2,
      });
      expect(stats.errors[1]).toMatchObject({
        error_hash: 'hash_range_error',
        message: XSS,
        count: 1,
      });
      expect(stats.web_vitals).toContainEqual({
        path: '/home',
        name: 'LCP',
        p75: EXPECTED.lcpHomeP75,
        samples: 4,
        rating: 'needs-improvement',
      });
      expect(stats.web_vitals).toContainEqual({
        path: '/home',
        name: 'CLS',
        p75: 0.05,
        samples: 1,
        rating: 'good',
      });
      expect(stats.web_vitals).toContainEqual({
        path: '/docs',
        name: 'INP',
        p75: 600,
        samples: 1,
        rating: 'poor',
      });
      expect(stats.device_drops).toEqual([
        { reason: 'overflow', count: 3 },
        { reason: 'quota', count: 1 },
      ]);
      // Alice first came two weeks ago and came back; bob and carol are this week's cohort.
      const [oldest, ...rest] = stats.cohorts;
      expect(oldest?.installs).toBe(1);
      expect(oldest?.returning.at(-1)).toBe(1);
      expect(rest.at(-1)?.installs).toBe(2);
      // Every day of the range is listed, quiet ones as zero, so charts have no gaps.
      expect(stats.daily_active[0]?.day).toBe(new Date(now - 30 * DAY).toISOString().slice(0, 10));
      expect(stats.daily_active.at(-1)?.day).toBe(new Date(now + DAY).toISOString().slice(0, 10));
      expect(stats.daily_active.reduce((sum, day) => sum + day.page_views, 0)).toBe(
        EXPECTED.pageViews,
      );
      expect(stats.weekly_active.at(-1)?.installs).toBe(3);
      expect([ALICE, BOB, CAROL]).toHaveLength(EXPECTED.installs);
    });

    it('limits the figures to the requested range', async () => {
      const now = Date.now();
      await store.insertBatch(ORIGIN, exampleEvents(now), {});
      const stats = await store.stats({ from: new Date(now - 2 * DAY), to: new Date(now + DAY) });
      expect(stats.totals.page_views).toBe(EXPECTED.pageViews - 1);
      expect(stats.cohorts).toHaveLength(1);
    });
  });
}
