import type { TelemetryEvent } from 'telemetry-kit';
import { createSqlStore, type EventStore } from 'telemetry-kit-collector';
import { describe, expect, it } from 'vitest';
import { ALICE, BOB, exampleEvents } from './example-dataset.js';
import {
  countEvents,
  decodedActivitySets,
  makeEvent,
  rollupRowCount,
  rollupTables,
} from './fixtures.js';
import { insertUnpartitioned, schemaAtVersion } from './older-schema.js';
import { panelBatches } from './panel-dataset.js';
import { STORE_ENGINES } from './store-engines.js';
import { useStore } from './use-store.js';

/** The rollups kept at ingest, on every engine (see `STORE_ENGINES`). */
const ORIGIN = { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 };
const OTHER = { ...ORIGIN, service_name: 'other-app' };
const DAY = 86_400_000;

type RollupRow = {
  day: string;
  service_name: string;
  anonymous_id: string;
  events: number;
  page_views: number;
  errors: number;
};

/** The rollup table, in a stable order, with the day as text. */
function rollupRows(store: EventStore): Promise<RollupRow[]> {
  return store.database.query<RollupRow>(
    `SELECT to_char(day, 'YYYY-MM-DD') AS day, service_name, anonymous_id, events,
            page_views, errors
     FROM telemetry_rollup_daily_subjects ORDER BY day, service_name, anonymous_id`,
  );
}

/** What the rollup should hold, computed from the raw events the plain way. */
function expectedRows(store: EventStore): Promise<RollupRow[]> {
  return store.database.query<RollupRow>(
    `SELECT to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, service_name,
            anonymous_id, count(*)::int AS events,
            coalesce(sum(1.0 / coalesce(nullif(sampling_rate, 0), 1))
              FILTER (WHERE event_type = 'page.view'), 0)::float8 AS page_views,
            coalesce(sum(1.0 / coalesce(nullif(sampling_rate, 0), 1))
              FILTER (WHERE event_type = 'error'), 0)::float8 AS errors
     FROM telemetry_events GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
}

/**
 * Every rollup table's rows, by table, in key order; the activity sets decoded to ids, since
 * ingest and a migration may number the same installs differently.
 */
async function allRollups(store: EventStore): Promise<Record<string, unknown[]>> {
  const tables: Record<string, unknown[]> = {};
  const sets = await decodedActivitySets(store);
  for (const table of await rollupTables(store)) {
    tables[table] =
      sets[table] ?? (await store.database.query(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`));
  }
  return tables;
}

/**
 * What ingest (or deletion, or retention) left in the rollups equals what a rebuild from the
 * raw events writes; returns it.
 */
async function expectRollupsOfRawEvents(store: EventStore): Promise<Record<string, unknown[]>> {
  const kept = await allRollups(store);
  expect(await store.rebuildRollups()).toBe(await rollupRowCount(store));
  expect(await allRollups(store)).toEqual(kept);
  return kept;
}

/** The events of every panel (`panelBatches`), in batches of 25 as `insertBatch` takes them. */
function panelChunks(now: number) {
  return panelBatches(now, 200).flatMap(({ origin, events }) =>
    Array.from({ length: Math.ceil(events.length / 25) }, (_, index) => ({
      origin,
      events: events.slice(index * 25, index * 25 + 25),
    })),
  );
}

/** Events over several days, services, installs and sampling rates. */
function spreadEvents(now: number): TelemetryEvent[] {
  const events: TelemetryEvent[] = [];
  for (let index = 0; index < 60; index += 1) {
    events.push(
      makeEvent({
        anonymous_id: `anon_spread_${String(index % 7).padStart(8, '0')}`,
        session_id: `sess_spread_${String(index % 11).padStart(8, '0')}`,
        event_type: index % 5 === 0 ? 'error' : 'page.view',
        metadata: index % 5 === 0 ? { error_hash: 'h1', message: 'x' } : { path: `/p${index % 3}` },
        timestamp: new Date(now - (index % 20) * DAY - (index % 13) * 3_600_000).toISOString(),
        ...(index % 4 === 0 ? { sampling_rate: 0.25 } : {}),
      }),
    );
  }
  return events;
}

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`rollups on ${engine.name}`, () => {
    const store = useStore(engine);
    const now = Date.now();

    it('counts an event once however often it arrives: twice, repeated in a batch', async () => {
      const events = spreadEvents(now);
      const repeated = events[0] as TelemetryEvent;
      await store.insertBatch(ORIGIN, [...events, repeated], {});
      await store.insertBatch(ORIGIN, events, {});
      expect(await countEvents(store)).toBe(events.length);
      const rows = await rollupRows(store);
      expect(rows.reduce((sum, row) => sum + row.events, 0)).toBe(events.length);
      expect(rows).toEqual(await expectedRows(store));
    });

    it('counts every panel once when every batch arrives twice, retried and repeated', async () => {
      const chunks = panelChunks(now);
      for (const { origin, events } of chunks) {
        await store.insertBatch(origin, [...events, ...events.slice(0, 3)], {});
      }
      for (const { origin, events } of chunks) await store.insertBatch(origin, events, {});
      const kept = await expectRollupsOfRawEvents(store);
      for (const [table, rows] of Object.entries(kept))
        expect(rows.length, table).toBeGreaterThan(0);
    });

    it('keeps every rollup exact under concurrent batches from two stores on one database', async () => {
      const second = await createSqlStore(store.database);
      const chunks = panelChunks(now);
      await Promise.all(
        [...chunks, ...chunks.reverse()].map(({ origin, events }, index) =>
          (index % 2 === 0 ? store : second).insertBatch(origin, events, {}),
        ),
      );
      expect(await countEvents(store)).toBe(new Set(chunks.flatMap(({ events }) => events)).size);
      await expectRollupsOfRawEvents(store);
    });

    it('stays exact under concurrent posts of overlapping batches', async () => {
      const events = spreadEvents(now);
      await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          store.insertBatch(index % 2 === 0 ? ORIGIN : OTHER, events.slice(index * 5), {}),
        ),
      );
      expect(await countEvents(store)).toBe(events.length);
      expect(await rollupRows(store)).toEqual(await expectedRows(store));
    });

    it('counts once when two collector stores on one database take the same batch at once', async () => {
      const second = await createSqlStore(store.database);
      const events = spreadEvents(now);
      const results = await Promise.all([
        store.insertBatch(ORIGIN, events, {}),
        second.insertBatch(ORIGIN, events, {}),
        store.insertBatch(ORIGIN, events, {}),
        second.insertBatch(ORIGIN, events, {}),
      ]);
      expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(events.length);
      const rows = await rollupRows(store);
      expect(rows.reduce((sum, row) => sum + row.events, 0)).toBe(events.length);
      expect(rows).toEqual(await expectedRows(store));
    });

    it('removes a deleted subject from the rollups and from the stats', async () => {
      await store.insertBatch(ORIGIN, exampleEvents(now), {});
      await store.insertBatch(ORIGIN, spreadEvents(now), {});
      const before = await store.stats({
        from: new Date(dayStart(now) - 29 * DAY),
        to: new Date(dayStart(now) + DAY),
      });
      expect(await store.deleteSubject(ALICE)).toBeGreaterThan(0);
      const rows = await rollupRows(store);
      expect(rows.some((row) => row.anonymous_id === ALICE)).toBe(false);
      expect(rows.some((row) => row.anonymous_id === BOB)).toBe(true);
      expect(rows).toEqual(await expectedRows(store));
      const after = await store.stats({
        from: new Date(dayStart(now) - 29 * DAY),
        to: new Date(dayStart(now) + DAY),
      });
      expect(after.totals.installs).toBe(before.totals.installs - 1);
    });

    it('removes a deleted subject from every rollup table', async () => {
      for (const { origin, events } of panelChunks(now))
        await store.insertBatch(origin, events, {});
      const subject = 'anon_panel_00000004';
      expect(await store.deleteSubject(subject)).toBeGreaterThan(0);
      for (const [table, rows] of Object.entries(await expectRollupsOfRawEvents(store))) {
        expect(rows.length, table).toBeGreaterThan(0);
        expect(
          rows.some((row) => (row as { anonymous_id: string }).anonymous_id === subject),
          table,
        ).toBe(false);
      }
    });

    it('rebuildRollups() gives what ingest kept, in every table', async () => {
      await store.insertBatch(ORIGIN, exampleEvents(now), {});
      await store.insertBatch(OTHER, spreadEvents(now), {});
      for (const { origin, events } of panelChunks(now))
        await store.insertBatch(origin, events, {});
      const kept = await rollupRows(store);
      expect(kept.length).toBeGreaterThan(0);
      // Emptied by hand: the rebuild writes them all back.
      for (const table of await rollupTables(store)) {
        await store.database.query(`DELETE FROM ${table}`);
      }
      const all = Object.values(await allRollups(store)).flat().length;
      expect(all).toBe(0);
      await store.rebuildRollups();
      expect(await rollupRows(store)).toEqual(kept);
      await expectRollupsOfRawEvents(store);
    });

    it('keeps the rollups right when retention cuts inside a day', async () => {
      await store.insertBatch(ORIGIN, spreadEvents(now), {});
      for (const { origin, events } of panelChunks(now))
        await store.insertBatch(origin, events, {});
      await store.deleteOlderThan(new Date(dayStart(now) - 10 * DAY + 5 * 3_600_000));
      expect(await rollupRows(store)).toEqual(await expectedRows(store));
      const kept = await expectRollupsOfRawEvents(store);
      for (const [table, rows] of Object.entries(kept)) {
        const days = rows.map((row) => new Date((row as { day: Date | string }).day).getTime());
        expect(Math.min(...days), table).toBeGreaterThanOrEqual(dayStart(now) - 10 * DAY);
      }
    });

    it('builds the rollups in the migration for a database that already holds events', async () => {
      // A database at the schema before the rollups, holding events; then migrated.
      await schemaAtVersion(store.database, 3);
      await insertUnpartitioned(store.database, ORIGIN, exampleEvents(now));
      await insertUnpartitioned(store.database, OTHER, spreadEvents(now));
      await createSqlStore(store.database);
      expect(await countEvents(store)).toBe(exampleEvents(now).length + 60);
      expect(await rollupRows(store)).toEqual(await expectedRows(store));
    });

    it('builds every panel rollup in the migrations for a database that already holds events', async () => {
      for (const { origin, events } of panelChunks(now))
        await store.insertBatch(origin, events, {});
      const kept = await allRollups(store);
      const from = new Date(dayStart(now) - 29 * DAY);
      const to = new Date(dayStart(now) + DAY);
      const before = await store.stats({ from, to });
      // The same events in a database at the schema before any rollup, then migrated: the
      // migrations build every rollup from them (4 the subjects', 5 every panel's).
      await schemaAtVersion(store.database, 3);
      for (const { origin, events } of panelChunks(now))
        await insertUnpartitioned(store.database, origin, events);
      await createSqlStore(store.database);
      expect(await allRollups(store)).toEqual(kept);
      expect(await store.stats({ from, to })).toEqual(before);
    });

    // Every panel (the median session within the histogram's error) and filter:
    // rollup-panels.test.ts.
    it('gives the activity panels the same figures from the rollups as from the events', async () => {
      await store.insertBatch(ORIGIN, exampleEvents(now), {});
      await store.insertBatch(OTHER, spreadEvents(now), {});
      const from = new Date(dayStart(now) - 29 * DAY);
      const to = new Date(dayStart(now) + DAY);
      for (const service of [undefined, 'demo-app', 'other-app']) {
        // A range of whole days reads the rollups; one a millisecond short reads the events.
        const rolled = await store.stats({ from, to, service });
        const raw = await store.stats({ from, to: new Date(to.getTime() - 1), service });
        for (const panel of ['totals', 'daily_active', 'weekly_active', 'cohorts'] as const) {
          expect(rolled[panel], `${panel} of ${service ?? 'all'}`).toEqual(raw[panel]);
        }
      }
    });
  });
}

function dayStart(time: number): number {
  return Math.floor(time / DAY) * DAY;
}
