import { Window } from 'happy-dom';
import type { TelemetryEvent } from 'telemetry-kit';
import { type Collector, createCollector, type EventStore } from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_TABLE_NAMES } from '../../collector/dashboard-tables.js';
import { exampleEvents } from './example-dataset.js';
import { emptyStore, makeEvent, newId } from './fixtures.js';
import { ACME, LIBRARY_NOW, libraryBatches } from './library-dataset.js';
import { parseCsv, shownAs } from './read-table-csv.js';
import { STORE_ENGINES } from './store-engines.js';

/**
 * Each dashboard table's "Download CSV" link (`GET /v1/stats/<table>.csv`): the rows the table
 * shows, for the page's range and filters, checked cell by cell against the page's HTML.
 */
const TOKEN = 'table-csv-token';
const RANGE = 'from=2026-11-01&to=2026-11-20';
const ORIGIN = { service_name: 'shop-web', service_version: '1.0.0', consent_policy_version: 1 };
const HOSTILE = {
  feature: '=HYPERLINK("http://evil.example","open")',
  message: 'Bad "thing", at\nline 2',
  flow: '@SUM(A1)',
  path: '+cmd|/C calc',
};

/** Flows, a hostile feature, error and flow name, and a page path a spreadsheet would run. */
function extraEvents(): TelemetryEvent[] {
  const at = new Date(LIBRARY_NOW - 3_600_000).toISOString();
  const ev = (event_type: string, metadata: TelemetryEvent['metadata']) =>
    makeEvent({ id: newId('csv'), event_type, timestamp: at, metadata });
  return [
    ev('flow.start', { flow: 'checkout' }),
    ev('flow.start', { flow: 'checkout' }),
    ev('flow.end', { flow: 'checkout', outcome: 'success', duration_ms: 1_250 }),
    ev('flow.start', { flow: HOSTILE.flow }),
    ev('feature.use', { feature: HOSTILE.feature }),
    ev('page.view', { path: HOSTILE.path }),
    ev('error', { error_hash: 'hash_hostile', error_class: '-Error', message: HOSTILE.message }),
  ];
}

/** @acme/ui's manifest: Table deprecated (and mounted), Button's variants listed. */
const MANIFEST = {
  library: ACME,
  version: '1.1.0',
  components: [
    { name: 'Button', props: { variant: ['=ghost', 'primary'] } },
    { name: 'Table', deprecated: 'Use DataGrid.' },
    { name: 'Dialog' },
  ],
};

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`dashboard tables as CSV on ${engine.name}`, () => {
    let store: EventStore;
    let drop: () => Promise<void>;
    let collector: Collector;
    const get = (path: string, token: string | null = TOKEN) =>
      collector.handle(
        new Request(`http://collector.test${path}`, {
          headers: token ? { authorization: `Bearer ${token}` } : {},
        }),
      );

    beforeAll(async () => {
      ({ store, drop } = await engine.open());
      await emptyStore(store);
      await store.database.query('DELETE FROM telemetry_manifests');
      collector = createCollector({
        store,
        adminToken: TOKEN,
        rateLimit: false,
        now: () => LIBRARY_NOW,
      });
      for (const batch of libraryBatches())
        await store.insertBatch(batch.origin, batch.events, batch.dropped);
      await store.insertBatch(ORIGIN, [...exampleEvents(LIBRARY_NOW), ...extraEvents()], {
        overflow: 2,
      });
      await store.database.query('UPDATE telemetry_device_drops SET received_at = $1', [
        new Date(LIBRARY_NOW - 3_600_000).toISOString(),
      ]);
      const put = await collector.handle(
        new Request(`http://collector.test/v1/manifests/${ACME}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(MANIFEST),
        }),
      );
      expect(put.status).toBeLessThan(300);
    }, 60_000);
    afterAll(async () => {
      await collector?.close();
      await drop?.();
    });

    /** The page's tables, each with the CSV its link downloads. */
    async function tablesOf(query: string) {
      const page = await get(`/?${query}`);
      expect(page.status).toBe(200);
      const window = new Window();
      const document = new window.DOMParser().parseFromString(await page.text(), 'text/html');
      const links = [...document.querySelectorAll('a[data-csv]')];
      return Promise.all(
        links.map(async (link) => {
          const table = link.closest('p')?.previousElementSibling;
          const href = link.getAttribute('href') ?? '';
          const response = await get(href);
          return { link, href, table, response, csv: await response.text() };
        }),
      );
    }

    it('links every table, and each CSV holds exactly the rows and cells the table shows', async () => {
      const tables = await tablesOf(RANGE);
      const names = new Set(tables.map((t) => t.link.getAttribute('data-csv')));
      expect([...names].sort()).toEqual([...DASHBOARD_TABLE_NAMES].sort());
      for (const { link, href, table, response, csv } of tables) {
        const name = link.getAttribute('data-csv') ?? '';
        expect(href, name).toMatch(
          new RegExp(`^/v1/stats/${name}\\.csv\\?from=2026-11-01&to=2026-11-20`),
        );
        expect(link.textContent).toMatch(/^Download CSV of \S/);
        expect(response.status, name).toBe(200);
        expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
        expect(response.headers.get('content-disposition')).toMatch(
          new RegExp(
            `^attachment; filename="telemetry-${name}-([A-Za-z0-9._-]+-)?2026-11-01-2026-11-20\\.csv"$`,
          ),
        );
        expect(table?.getAttribute('data-table'), name).toBe(name);
        const [header, ...rows] = parseCsv(csv);
        const headings = [...(table?.querySelectorAll('thead th') ?? [])].map((th) =>
          th.textContent?.trim(),
        );
        expect(header, name).toEqual(headings);
        const shown = [...(table?.querySelectorAll('tbody tr') ?? [])].map((tr) => [
          ...tr.querySelectorAll('td'),
        ]);
        expect(rows.length, name).toBe(shown.length);
        expect(rows.length, name).toBeGreaterThan(0);
        rows.forEach((row, r) => {
          row.forEach((cell, c) => {
            expect(
              shownAs(cell, shown[r]?.[c]),
              `${name} row ${r} column ${header?.[c]}: ${cell}`,
            ).toBe(true);
          });
        });
      }
    });

    it('follows the page’s filters: an app’s CSV holds that app’s rows only', async () => {
      const [all, shop] = await Promise.all([
        get(`/v1/stats/component-services.csv?${RANGE}`).then((r) => r.text()),
        get(`/v1/stats/component-services.csv?${RANGE}&service=shop-web`).then((r) => r.text()),
      ]);
      const apps = (csv: string) =>
        new Set(
          parseCsv(csv)
            .slice(1)
            .map((row) => row[3]),
        );
      expect(apps(all)).toEqual(new Set(['shop-web', 'admin-console']));
      expect(apps(shop)).toEqual(new Set(['shop-web']));
      const links = await tablesOf(`${RANGE}&service=shop-web&library=${encodeURIComponent(ACME)}`);
      for (const { href } of links)
        expect(href).toContain('&service=shop-web&library=%40acme%2Fui');
    });

    it('quotes quotes, commas and line breaks, and defuses cells a spreadsheet would run', async () => {
      const errors = await (await get(`/v1/stats/errors.csv?${RANGE}`)).text();
      expect(errors).toContain(`'-Error,"Bad ""thing"", at\nline 2",`);
      const features = await (await get(`/v1/stats/features.csv?${RANGE}`)).text();
      expect(features).toContain(`\r\n"'=HYPERLINK(""http://evil.example"",""open"")",0,0,1,1\r\n`);
      const flows = await (await get(`/v1/stats/flows.csv?${RANGE}`)).text();
      expect(flows).toContain("\r\n'@SUM(A1),1,0,0,0,0,0,,,0\r\n");
      const pages = await (await get(`/v1/stats/pages.csv?${RANGE}`)).text();
      expect(pages).toContain("\r\n'+cmd|/C calc,1,");
      const coverage = await (await get(`/v1/stats/prop-coverage.csv?${RANGE}`)).text();
      expect(coverage).toContain(`\r\nButton,variant,,"'=ghost, primary"\r\n`);
      // Every line is a header or a row of the header's width, once quoting is undone.
      for (const csv of [errors, features, flows, pages, coverage]) {
        const [header, ...rows] = parseCsv(csv);
        for (const row of rows) expect(row).toHaveLength(header?.length ?? 0);
      }
    });

    it('is the owner’s, and answers bad requests with 4xx and a reason', async () => {
      expect((await get(`/v1/stats/pages.csv?${RANGE}`, null)).status).toBe(401);
      expect((await get(`/v1/stats/pages.csv?${RANGE}`, 'wrong')).status).toBe(401);
      for (const [path, status] of [
        ['/v1/stats/nope.csv', 404],
        ['/v1/stats/pages.json', 404],
        ['/v1/stats/pages.csv?from=yesterday', 400],
        ['/v1/stats/pages.csv?service=a&service=b', 400],
        ['/v1/stats/pages.csv?of=x', 400],
        ['/v1/stats/library-versions.csv', 400],
        ['/v1/stats/library-versions.csv?of=a&of=b', 400],
        [`/v1/stats/library-versions.csv?${RANGE}&of=nobody`, 404],
        [
          `/v1/stats/deprecated-in-use.csv?${RANGE}&library=${encodeURIComponent('@other/charts')}`,
          404,
        ],
      ] as const) {
        const response = await get(path);
        expect(response.status, path).toBe(status);
        expect((await response.json()).reason, path).toEqual(expect.any(String));
      }
      const post = await collector.handle(
        new Request(`http://collector.test/v1/stats/pages.csv`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      );
      expect(post.status).toBe(405);
    });

    it('an empty table is its header alone, and HEAD sends no body', async () => {
      const csv = await (await get('/v1/stats/flows.csv?from=2020-01-01&to=2020-01-02')).text();
      expect(csv).toBe(
        'Flow,Started,Succeeded,Failed,Cancelled,Abandoned,Success rate,p50,p95,Abandoned share\r\n',
      );
      const head = await collector.handle(
        new Request(`http://collector.test/v1/stats/pages.csv?${RANGE}`, {
          method: 'HEAD',
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      );
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    });
  });
}
