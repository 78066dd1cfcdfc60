import type { TelemetryEvent } from 'telemetry-kit';
import { createSqlStore, type EventStore } from 'telemetry-kit-collector';
import { describe, expect, it } from 'vitest';
import { countEvents, makeEvent } from './fixtures.js';
import { insertUnpartitioned, schemaAtVersion } from './older-schema.js';
import { STORE_ENGINES } from './store-engines.js';
import { useStore } from './use-store.js';

/** Raw events partitioned by UTC month (collector/event-partitions.ts), on every engine. */
const ORIGIN = { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 };
const DAY = 86_400_000;

/** The start of the UTC month `offset` months from the one `time` is in. */
function monthStart(time: number, offset = 0): number {
  const date = new Date(time);
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + offset, 1);
}

/** The partition a time belongs in, spelled out here rather than taken from the collector. */
function partitionOf(time: number): string {
  const date = new Date(time);
  return `telemetry_events_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

const at = (time: number) => new Date(time).toISOString();

type Placement = { id: string; part: string };

/** Where each stored event is: its id and the partition table holding its row, by time. */
function placement(store: EventStore): Promise<Placement[]> {
  return store.database.query(
    'SELECT id, tableoid::regclass::text AS part FROM telemetry_events ORDER BY occurred_at, id',
  );
}

/** Where `events` belong, in the order `placement` lists them. */
function expectedPlacement(events: readonly TelemetryEvent[]): Placement[] {
  return [...events]
    .sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp))
    .map((event) => ({ id: event.id, part: partitionOf(Date.parse(event.timestamp)) }));
}

async function tableExists(store: EventStore, name: string): Promise<boolean> {
  const rows = await store.database.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM pg_class WHERE relname = $1',
    [name],
  );
  return rows[0]?.n === 1;
}

async function storedIds(store: EventStore): Promise<string[]> {
  const rows = await store.database.query<{ id: string }>(
    'SELECT id FROM telemetry_event_ids ORDER BY id',
  );
  return rows.map((row) => row.id);
}

const sortedIds = (events: readonly TelemetryEvent[]) => events.map((event) => event.id).sort();

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`monthly partitions on ${engine.name}`, () => {
    const store = useStore(engine);
    const now = Date.now();
    // Mid-month times, 1 to 3 months back, and the first and last millisecond of last month.
    const months = [3, 2, 1].map((back) => monthStart(now, -back) + 14 * DAY);
    const edges = [monthStart(now, -1), monthStart(now) - 1];

    it('stores each event in its UTC month’s partition, none in the default one', async () => {
      const times = [...months, ...edges, now];
      const events = times.map((time) => makeEvent({ timestamp: at(time) }));
      expect(await store.insertBatch(ORIGIN, events, {})).toEqual({ inserted: 6, duplicates: 0 });
      const stored = await placement(store);
      expect(stored).toEqual(expectedPlacement(events));
      expect(new Set(stored.map((row) => row.part)).size).toBe(4);
      expect(await tableExists(store, partitionOf(monthStart(now, 1)))).toBe(true);
    });

    it('stores an id once when a resend carries another clock skew, into another month', async () => {
      const first = makeEvent({ timestamp: at(months[0] as number) });
      const moved = { ...first, timestamp: at(months[2] as number) };
      expect(await store.insertBatch(ORIGIN, [first], {})).toEqual({ inserted: 1, duplicates: 0 });
      expect(await store.insertBatch({ ...ORIGIN, clock_skew_ms: 60 * DAY }, [moved], {})).toEqual({
        inserted: 0,
        duplicates: 1,
      });
      // Within one batch too: the first of the two is kept.
      const twin = makeEvent({ timestamp: at(months[1] as number) });
      const later = { ...twin, timestamp: at(now) };
      expect(await store.insertBatch(ORIGIN, [twin, later], {})).toEqual({
        inserted: 1,
        duplicates: 1,
      });
      expect(await placement(store)).toEqual([
        { id: first.id, part: partitionOf(months[0] as number) },
        { id: twin.id, part: partitionOf(months[1] as number) },
      ]);
      expect(await storedIds(store)).toEqual(sortedIds([first, twin]));
    });

    it('stores once a batch posted at once with two skews, to two stores on one database', async () => {
      const second = await createSqlStore(store.database);
      const events = Array.from({ length: 20 }, (_, i) =>
        makeEvent({ timestamp: at((months[0] as number) + i * 1000) }),
      );
      const skewed = events.map((event, i) => ({ ...event, timestamp: at(now - i * 1000) }));
      const results = await Promise.all([
        store.insertBatch(ORIGIN, events, {}),
        second.insertBatch({ ...ORIGIN, clock_skew_ms: 90 * DAY }, skewed, {}),
        store.insertBatch(ORIGIN, skewed, {}),
      ]);
      expect(results.reduce((sum, result) => sum + result.inserted, 0)).toBe(20);
      expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(40);
      expect(await countEvents(store)).toBe(20);
      expect(await storedIds(store)).toEqual(sortedIds(events));
    });

    it('creates a missing month on demand, moving what the default partition caught', async () => {
      const month = monthStart(now, -7) + 3 * DAY;
      const name = partitionOf(month);
      // An event written while its month had no partition (another process, by hand).
      const early = makeEvent({ timestamp: at(month) });
      await insertUnpartitioned(store.database, ORIGIN, [early]);
      expect(await placement(store)).toEqual([{ id: early.id, part: 'telemetry_events_default' }]);
      const late = makeEvent({ timestamp: at(month + DAY) });
      expect(await store.insertBatch(ORIGIN, [late], {})).toEqual({ inserted: 1, duplicates: 0 });
      expect(await placement(store)).toEqual([
        { id: early.id, part: name },
        { id: late.id, part: name },
      ]);
      // A second store that has not seen it yet creates nothing twice.
      const second = await createSqlStore(store.database);
      const third = makeEvent({ timestamp: at(month + 2 * DAY) });
      expect(await second.insertBatch(ORIGIN, [third], {})).toEqual({
        inserted: 1,
        duplicates: 0,
      });
      expect((await placement(store)).map((row) => row.part)).toEqual([name, name, name]);
    });

    it('drops the months before the cutoff whole and deletes rows only in its own month', async () => {
      const events = [...months, ...edges, now].map((time) => makeEvent({ timestamp: at(time) }));
      await store.insertBatch(ORIGIN, events, {});
      // The cutoff: the middle of last month; months 2 and 3 back go as tables.
      const cutoff = (months[2] as number) - DAY;
      expect(await store.deleteOlderThan(new Date(cutoff))).toBe(3);
      expect(await tableExists(store, partitionOf(months[0] as number))).toBe(false);
      expect(await tableExists(store, partitionOf(months[1] as number))).toBe(false);
      expect(await tableExists(store, partitionOf(months[2] as number))).toBe(true);
      expect(await tableExists(store, partitionOf(now))).toBe(true);
      const kept = events.filter((event) => Date.parse(event.timestamp) >= cutoff);
      expect((await placement(store)).map((row) => row.id).sort()).toEqual(sortedIds(kept));
      expect(await storedIds(store)).toEqual(sortedIds(kept));
      // The rollups hold the days left, as the events do.
      const rolled = await store.database.query(
        `SELECT to_char(day, 'YYYY-MM-DD') AS day, sum(events)::int AS events
         FROM telemetry_rollup_daily_subjects GROUP BY 1 ORDER BY 1`,
      );
      expect(rolled).toEqual(
        await store.database.query(
          `SELECT to_char((occurred_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day,
                  count(*)::int AS events
           FROM telemetry_events GROUP BY 1 ORDER BY 1`,
        ),
      );
      expect(rolled).toHaveLength(kept.length);
      // Nothing left to drop: a second run deletes nothing and keeps the rest.
      expect(await store.deleteOlderThan(new Date(cutoff))).toBe(0);
      expect(await countEvents(store)).toBe(kept.length);
    });

    it('deletes a subject in every month, with its ids', async () => {
      const subject = 'anon_partitioned_001';
      const theirs = [...months, now].map((time) =>
        makeEvent({ anonymous_id: subject, timestamp: at(time) }),
      );
      const others = [makeEvent({ timestamp: at(months[0] as number) })];
      await store.insertBatch(ORIGIN, [...theirs, ...others], {});
      expect(await store.deleteSubject(subject)).toBe(4);
      expect(await countEvents(store, subject)).toBe(0);
      expect(await storedIds(store)).toEqual(sortedIds(others));
      const rollup = await store.database.query(
        'SELECT 1 FROM telemetry_rollup_daily_subjects WHERE anonymous_id = $1',
        [subject],
      );
      expect(rollup).toEqual([]);
    });

    it('partitions a database that already holds events when it migrates', async () => {
      await schemaAtVersion(store.database, 4);
      const events = [...months, ...edges, now].map((time) => makeEvent({ timestamp: at(time) }));
      await insertUnpartitioned(store.database, ORIGIN, events);
      const migrated = await createSqlStore(store.database);
      const kind = await store.database.query<{ relkind: string }>(
        "SELECT relkind FROM pg_class WHERE relname = 'telemetry_events'",
      );
      expect(kind).toEqual([{ relkind: 'p' }]);
      expect(await placement(store)).toEqual(expectedPlacement(events));
      expect(await storedIds(store)).toEqual(sortedIds(events));
      const indexes = await store.database.query<{ name: string }>(
        "SELECT indexname AS name FROM pg_indexes WHERE tablename = 'telemetry_events' ORDER BY 1",
      );
      expect(indexes.map((row) => row.name)).toEqual([
        'telemetry_events_anonymous_id',
        'telemetry_events_occurred_at',
        'telemetry_events_type_occurred_at',
      ]);
      // The ids already stored still dedupe.
      expect(await migrated.insertBatch(ORIGIN, events, {})).toEqual({
        inserted: 0,
        duplicates: 6,
      });
    });
  });
}
