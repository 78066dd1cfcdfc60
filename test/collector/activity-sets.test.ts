import type { TelemetryEvent } from 'telemetry-kit';
import { createSqlStore, type EventStore } from 'telemetry-kit-collector';
import { describe, expect, it } from 'vitest';
import { decodedActivitySets, makeEvent } from './fixtures.js';
import { STORE_ENGINES } from './store-engines.js';
import { useStore } from './use-store.js';

/**
 * The activity sets (collector/rollups/activity-sets.ts): installs and sessions numbered, each
 * day's active ones as bitmaps. What they count is checked against the raw events for every
 * panel in rollup-panels.test.ts; these tests hold the numbering itself.
 */
const ORIGIN = { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 };
const DAY = 86_400_000;

const numbers = (store: EventStore) =>
  store.database.query<{ kind: string; n: number; ids: number }>(
    `SELECT kind, count(*)::int AS n, count(DISTINCT number)::int AS ids
     FROM telemetry_activity_numbers GROUP BY kind ORDER BY kind`,
  );

function visits(installs: number, at: number, prefix = 'anon'): TelemetryEvent[] {
  return Array.from({ length: installs }, (_, index) => {
    const install = `${prefix}_${String(index).padStart(5, '0')}`;
    return makeEvent({
      anonymous_id: install,
      session_id: `sess_${install}`,
      timestamp: new Date(at).toISOString(),
    });
  });
}

async function insertAll(store: EventStore, events: TelemetryEvent[]): Promise<void> {
  for (let start = 0; start < events.length; start += 100) {
    await store.insertBatch(ORIGIN, events.slice(start, start + 100), {});
  }
}

const range = (now: number) => {
  const to = Math.floor(now / DAY) * DAY + DAY;
  return { from: new Date(to - 30 * DAY), to: new Date(to) };
};

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`activity sets on ${engine.name}`, () => {
    const store = useStore(engine);
    const now = Date.now();

    it('numbers each install and session once, however often and by how many stores it is seen', async () => {
      const second = await createSqlStore(store.database);
      const events = visits(40, now);
      // The same new installs reach two stores on one database at once, twice over.
      await Promise.all([
        insertAll(store, events),
        insertAll(
          second,
          events.map((event) => ({ ...event, id: `${event.id.slice(0, 19)}b2` })),
        ),
        insertAll(store, visits(40, now - DAY)),
      ]);
      expect(await numbers(store)).toEqual([
        { kind: 'install', n: 40, ids: 40 },
        { kind: 'session', n: 40, ids: 40 },
      ]);
      const stats = await store.stats(range(now));
      expect(stats.totals.installs).toBe(40);
      expect(stats.sessions.count).toBe(40);
    });

    it('counts installs exactly across chunks of 1,024 numbers', async () => {
      await insertAll(store, visits(1_100, now));
      await insertAll(store, visits(300, now - DAY));
      // 1,100 installs and their 1,100 sessions share one sequence: 2,200 numbers, 3 chunks.
      const [chunks] = await store.database.query<{ n: number }>(
        'SELECT count(DISTINCT chunk)::int AS n FROM telemetry_rollup_daily_activity_sets',
      );
      expect(chunks?.n).toBe(3);
      const stats = await store.stats(range(now));
      expect(stats.totals.installs).toBe(1_100);
      expect(stats.sessions.count).toBe(1_100);
      expect(stats.daily_active.slice(-2).map((day) => day.installs)).toEqual([300, 1_100]);
    });

    it('forgets a deleted subject’s numbers and clears it from the sets of its days', async () => {
      await insertAll(store, visits(3, now));
      await insertAll(store, visits(3, now - 2 * DAY));
      await store.deleteSubject('anon_00001');
      expect(await numbers(store)).toEqual([
        { kind: 'install', n: 2, ids: 2 },
        { kind: 'session', n: 2, ids: 2 },
      ]);
      const sets = (await decodedActivitySets(store)).telemetry_rollup_daily_activity_sets as {
        installs: string[];
        sessions: string[];
      }[];
      expect(sets.map((day) => day.installs)).toEqual([
        ['anon_00000', 'anon_00002'],
        ['anon_00000', 'anon_00002'],
      ]);
      expect(sets.map((day) => day.sessions)).toEqual([
        ['sess_anon_00000', 'sess_anon_00002'],
        ['sess_anon_00000', 'sess_anon_00002'],
      ]);
    });

    it('retention forgets the numbers of installs and sessions no day holds any longer', async () => {
      await insertAll(store, visits(5, now - 20 * DAY, 'old'));
      await insertAll(store, visits(2, now, 'new'));
      await insertAll(store, visits(1, now - 20 * DAY, 'new'));
      await store.deleteOlderThan(new Date(now - 10 * DAY));
      const ids = await store.database.query<{ id: string }>(
        `SELECT id FROM telemetry_activity_numbers WHERE kind = 'install' ORDER BY id`,
      );
      expect(ids.map((row) => row.id)).toEqual(['new_00000', 'new_00001']);
      expect((await store.stats(range(now))).totals.installs).toBe(2);
    });
  });
}
