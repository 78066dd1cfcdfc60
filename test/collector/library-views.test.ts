import type { CollectorStats, EventStore, StatsFilters } from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyStore } from './fixtures.js';
import {
  ACME,
  ADMIN,
  CHARTS,
  LIBRARY_RANGE,
  libraryBatches,
  SHOP,
  WEEKS,
} from './library-dataset.js';
import { STORE_ENGINES } from './store-engines.js';

/**
 * DESIGN.md, "Destinations", collector side: every stats panel takes a service (an app) and a
 * library; the stats add component_services and library_versions. The figures below are
 * worked out by hand from the table in library-dataset.ts.
 */
const [W1, W2, W3] = WEEKS;

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`library views on ${engine.name}`, () => {
    let store: EventStore;
    let drop: () => Promise<void>;
    const stats = (filters: StatsFilters = {}): Promise<CollectorStats> =>
      store.stats({ ...LIBRARY_RANGE, ...filters });

    beforeAll(async () => {
      ({ store, drop } = await engine.open());
      await emptyStore(store);
      for (const batch of libraryBatches()) {
        await store.insertBatch(batch.origin, batch.events, batch.dropped);
      }
      // Drop counts are stamped with the time they arrive; place them inside the range.
      await store.database.query('UPDATE telemetry_device_drops SET received_at = $1', [
        `${W3}T12:00:00Z`,
      ]);
    }, 60_000);
    afterAll(async () => {
      await drop?.();
    });

    it('lists every service and library of the range, and echoes no filter as null', async () => {
      const all = await stats();
      expect(all.filters).toEqual({ service: null, library: null });
      expect(all.seen).toEqual({ services: [ADMIN, SHOP], libraries: [ACME, CHARTS] });
      expect(all.totals).toEqual({
        events: 17,
        installs: 5,
        sessions: 12,
        page_views: 4,
        errors: 1,
        device_drops: 3,
      });
    });

    it('counts the apps using each component, mounts weighted by 1 / sampling_rate', async () => {
      const row = (
        component: string,
        version: string,
        mounts: number,
        installs: number,
        services: number,
      ) => ({
        component,
        library: component === 'LineChart' ? CHARTS : ACME,
        version,
        mounts,
        installs,
        services,
        top_variants: [{ props: {}, mounts }],
      });
      expect((await stats()).components).toEqual([
        row('Button', '1.0.0', 6, 3, 2),
        row('Button', '1.1.0', 6, 2, 1),
        row('LineChart', '3.2.0', 5, 2, 2),
        row('Table', '1.1.0', 5, 2, 2),
        row('LineChart', '4.0.0', 1, 1, 1),
        row('Table', '1.0.0', 1, 1, 1),
      ]);
    });

    it('splits component adoption by app in component_services', async () => {
      const row = (
        component: string,
        version: string,
        service: string,
        mounts: number,
        installs: number,
      ) => ({
        component,
        library: component === 'LineChart' ? CHARTS : ACME,
        version,
        service,
        mounts,
        installs,
      });
      expect((await stats()).component_services).toEqual([
        row('Button', '1.1.0', SHOP, 6, 2),
        row('Button', '1.0.0', SHOP, 4, 2),
        row('LineChart', '3.2.0', ADMIN, 4, 1),
        row('Table', '1.1.0', ADMIN, 4, 1),
        row('Button', '1.0.0', ADMIN, 2, 1),
        row('LineChart', '3.2.0', SHOP, 1, 1),
        row('LineChart', '4.0.0', ADMIN, 1, 1),
        row('Table', '1.0.0', ADMIN, 1, 1),
        row('Table', '1.1.0', SHOP, 1, 1),
      ]);
    });

    it('counts installs per library version and ISO week, newest version first', async () => {
      expect((await stats()).library_versions).toEqual([
        { library: ACME, week: W1, installs: 3, versions: [{ version: '1.0.0', installs: 3 }] },
        // s2 mounted both versions that week: counted under each, once in `installs`.
        {
          library: ACME,
          week: W2,
          installs: 3,
          versions: [
            { version: '1.1.0', installs: 2 },
            { version: '1.0.0', installs: 2 },
          ],
        },
        { library: ACME, week: W3, installs: 3, versions: [{ version: '1.1.0', installs: 3 }] },
        { library: CHARTS, week: W2, installs: 1, versions: [{ version: '3.2.0', installs: 1 }] },
        {
          library: CHARTS,
          week: W3,
          installs: 2,
          versions: [
            { version: '4.0.0', installs: 1 },
            { version: '3.2.0', installs: 1 },
          ],
        },
      ]);
    });

    it('narrows every panel to one app with ?service=', async () => {
      const shop = await stats({ service: SHOP });
      expect(shop.filters).toEqual({ service: SHOP, library: null });
      expect(shop.seen.services).toEqual([ADMIN, SHOP]);
      expect(shop.totals).toEqual({
        events: 10,
        installs: 3,
        sessions: 7,
        page_views: 3,
        errors: 0,
        device_drops: 2,
      });
      expect(
        shop.components.map((c) => [c.component, c.version, c.mounts, c.installs, c.services]),
      ).toEqual([
        ['Button', '1.1.0', 6, 2, 1],
        ['Button', '1.0.0', 4, 2, 1],
        ['LineChart', '3.2.0', 1, 1, 1],
        ['Table', '1.1.0', 1, 1, 1],
      ]);
      expect(new Set(shop.component_services.map((row) => row.service))).toEqual(new Set([SHOP]));
      expect(shop.component_services).toHaveLength(4);
      expect(shop.library_versions).toEqual([
        { library: ACME, week: W1, installs: 2, versions: [{ version: '1.0.0', installs: 2 }] },
        {
          library: ACME,
          week: W2,
          installs: 2,
          versions: [
            { version: '1.1.0', installs: 2 },
            { version: '1.0.0', installs: 1 },
          ],
        },
        { library: ACME, week: W3, installs: 2, versions: [{ version: '1.1.0', installs: 2 }] },
        { library: CHARTS, week: W3, installs: 1, versions: [{ version: '3.2.0', installs: 1 }] },
      ]);
      expect(shop.pages).toEqual([
        { path: '/home', views: 2, installs: 1 },
        { path: '/cart', views: 1, installs: 1 },
      ]);
      expect(shop.errors).toEqual([]);
      expect(shop.device_drops).toEqual([{ reason: 'overflow', count: 2 }]);
      expect(shop.weekly_active).toEqual([
        { week: W1, installs: 2 },
        { week: W2, installs: 2 },
        { week: W3, installs: 3 },
      ]);
    });

    it('narrows component panels to one library, and the others to the installs that mounted it', async () => {
      const charts = await stats({ library: CHARTS });
      expect(charts.filters).toEqual({ service: null, library: CHARTS });
      expect(
        charts.components.map((c) => [c.component, c.version, c.mounts, c.installs, c.services]),
      ).toEqual([
        ['LineChart', '3.2.0', 5, 2, 2],
        ['LineChart', '4.0.0', 1, 1, 1],
      ]);
      expect(
        charts.component_services.map((row) => [row.version, row.service, row.mounts]),
      ).toEqual([
        ['3.2.0', ADMIN, 4],
        ['3.2.0', SHOP, 1],
        ['4.0.0', ADMIN, 1],
      ]);
      expect(charts.library_versions.map((week) => week.library)).toEqual([CHARTS, CHARTS]);
      // a2 (admin-console) and s3 (shop-web) mounted @other/charts: their pages, errors, weeks.
      expect(charts.totals).toEqual({
        events: 6,
        installs: 2,
        sessions: 3,
        page_views: 3,
        errors: 1,
        device_drops: 3,
      });
      expect(charts.pages).toEqual([
        { path: '/home', views: 2, installs: 1 },
        { path: '/reports', views: 1, installs: 1 },
      ]);
      expect(charts.errors.map((error) => error.error_hash)).toEqual(['hash_series_undefined']);
      expect(charts.weekly_active).toEqual([
        { week: W2, installs: 1 },
        { week: W3, installs: 2 },
      ]);
      expect(charts.cohorts).toEqual([
        { week: W2, installs: 1, returning: [1, 1] },
        { week: W3, installs: 1, returning: [1] },
      ]);
      // Drops come per batch with no install attached: a library cannot narrow them.
      expect(charts.device_drops).toEqual([
        { reason: 'overflow', count: 2 },
        { reason: 'quota', count: 1 },
      ]);
    });

    it('combines ?service= and ?library=', async () => {
      const both = await stats({ service: ADMIN, library: ACME });
      expect(both.filters).toEqual({ service: ADMIN, library: ACME });
      expect(both.components.map((c) => [c.component, c.version, c.mounts, c.installs])).toEqual([
        ['Table', '1.1.0', 4, 1],
        ['Button', '1.0.0', 2, 1],
        ['Table', '1.0.0', 1, 1],
      ]);
      expect(
        both.library_versions.map((week) => [week.week, week.installs, week.versions]),
      ).toEqual([
        [W1, 1, [{ version: '1.0.0', installs: 1 }]],
        [W2, 1, [{ version: '1.0.0', installs: 1 }]],
        [W3, 1, [{ version: '1.1.0', installs: 1 }]],
      ]);
      expect(both.totals).toMatchObject({ events: 3, installs: 1, page_views: 0, device_drops: 1 });
      expect(both.pages).toEqual([]);
      expect(both.seen).toEqual({ services: [ADMIN, SHOP], libraries: [ACME, CHARTS] });
    });

    it('shows nothing but zeros for a library or service nobody sent', async () => {
      for (const filters of [{ library: '@nobody/ui' }, { service: 'no-such-app' }]) {
        const none = await stats(filters);
        expect(none.components).toEqual([]);
        expect(none.component_services).toEqual([]);
        expect(none.library_versions).toEqual([]);
        expect(none.totals).toMatchObject({ events: 0, installs: 0, page_views: 0 });
        expect(none.daily_active.every((day) => day.installs === 0)).toBe(true);
      }
    });

    it('treats an empty filter as none', async () => {
      const empty = await stats({ service: '', library: '' });
      expect(empty.filters).toEqual({ service: null, library: null });
      expect(empty.totals.events).toBe(17);
    });
  });
}
