import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext } from 'playwright-core';
import {
  type Collector,
  createCollector,
  createPgliteStore,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, exampleEvents, XSS } from '../collector/example-dataset.js';
import { makeBatch } from '../collector/fixtures.js';
import {
  ACME,
  ADMIN,
  CHARTS,
  LIBRARY_NOW,
  libraryBatches,
  SHOP,
  WEEKS,
} from '../collector/library-dataset.js';
import { launchChromium } from './chromium.js';
import { axeViolations } from './support/axe-violations.js';

/**
 * "A Chromium test opens it with data in it and checks the numbers shown against the database."
 * The expected figures are read with SQL of their own here, not through the collector's stats.
 */
const TOKEN = 'dashboard-test-token';
let store: EventStore;
let collector: Collector;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  store = await createPgliteStore();
  collector = createCollector({ store, adminToken: TOKEN, rateLimit: false });
  server = await listen(collector, { port: 0, host: '127.0.0.1' });
  const response = await fetch(`${server.url}/v1/events`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify(makeBatch(exampleEvents(Date.now()), { dropped: EXPECTED.deviceDrops })),
  });
  expect(response.status).toBe(202);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await collector?.close();
  await store?.close();
});

/** A context that sends the admin token with every request and lets Playwright inject axe. */
function adminContext(target: Browser): Promise<BrowserContext> {
  return target.newContext({
    bypassCSP: true,
    viewport: { width: 1360, height: 900 },
    extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
  });
}

async function one(sql: string): Promise<number> {
  const rows = await store.database.query<{ value: number }>(sql);
  return Number(rows[0]?.value);
}

describe('dashboard in Chromium', () => {
  it('signs in with the admin token and shows the numbers stored in the database', async () => {
    const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[data-stat="installs"]');

    const shown = async (key: string) =>
      ((await page.locator(`[data-stat="${key}"]`).textContent()) ?? '').trim();
    const installs = await one(
      'SELECT count(DISTINCT anonymous_id)::int AS value FROM telemetry_events',
    );
    const sessions = await one(
      'SELECT count(DISTINCT session_id)::int AS value FROM telemetry_events',
    );
    const pageViews = await one(
      `SELECT round(sum(1.0 / coalesce(sampling_rate, 1)))::int AS value FROM telemetry_events WHERE event_type = 'page.view'`,
    );
    const errors = await one(
      `SELECT count(*)::int AS value FROM telemetry_events WHERE event_type = 'error'`,
    );
    const events = await one('SELECT count(*)::int AS value FROM telemetry_events');
    const median = await one(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY (metadata->>'duration_ms')::float8) AS value
       FROM telemetry_events WHERE event_type = 'session.end'`,
    );
    expect([installs, sessions, pageViews, errors]).toEqual([
      EXPECTED.installs,
      EXPECTED.sessions,
      EXPECTED.pageViews,
      EXPECTED.errors,
    ]);
    expect(await shown('installs')).toBe(String(installs));
    expect(await shown('sessions')).toBe(String(sessions));
    expect(await shown('page-views')).toBe(String(pageViews));
    expect(await shown('errors')).toBe(String(errors));
    expect(await shown('events')).toBe(String(events));
    expect(await shown('median-session')).toBe(`${median / 60_000} min`);
    expect(await shown('device-drops')).toBe('4');

    const buttonMounts = await one(
      `SELECT sum((metadata->>'count')::float8 / coalesce(sampling_rate, 1))::int AS value
       FROM telemetry_events WHERE event_type = 'component.mount' AND metadata->>'component' = 'Button'`,
    );
    const buttonRow = page.locator('[data-table="components"] tr', { hasText: 'Button' });
    await expect
      .poll(() => buttonRow.locator('td').nth(3).textContent())
      .toBe(String(buttonMounts));
    expect(await buttonRow.locator('td').nth(4).textContent()).toBe(
      String(EXPECTED.button.installs),
    );
    expect(await buttonRow.locator('td').nth(5).textContent()).toContain('variant=primary');

    const homeRow = page.locator('[data-table="pages"] tr', { hasText: '/home' });
    expect(await homeRow.locator('td').nth(1).textContent()).toBe(String(EXPECTED.homeViews));

    const lcp = await one(
      `SELECT percentile_cont(0.75) WITHIN GROUP (ORDER BY (metadata->>'value')::float8) AS value
       FROM telemetry_events WHERE event_type = 'web_vital' AND metadata->>'name' = 'LCP'`,
    );
    const lcpRow = page.locator('[data-table="web-vitals"] tr', { hasText: 'LCP' });
    // From the rollups' histogram: within 2 % of the exact p75 (collector/rollups/histogram.ts).
    const shownLcp = Number((await lcpRow.locator('td').nth(2).textContent())?.replace(/\D/g, ''));
    expect(Math.abs(shownLcp - lcp) / lcp).toBeLessThan(0.02);
    expect(await lcpRow.locator('td').nth(4).textContent()).toBe('needs improvement');

    // Hostile strings are shown as text: no script or injected image made it into the DOM.
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('[data-table="errors"]').textContent()).toContain(XSS);

    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/dashboard.png', fullPage: true });
    await page.close();
  });

  it('filters by the from/to range', async () => {
    const context = await browser.newContext({
      extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
    });
    const page = await context.newPage();
    const today = new Date().toISOString().slice(0, 10);
    await page.goto(`${server.url}/?from=${today}&to=${today}`);
    // Alice's first visit, two weeks ago, is outside today's range (unless "an hour ago" was yesterday).
    const expected = await one(
      `SELECT round(sum(1.0 / coalesce(sampling_rate, 1)))::int AS value FROM telemetry_events
       WHERE event_type = 'page.view' AND occurred_at >= '${today}T00:00:00Z'`,
    );
    expect(await page.locator('[data-stat="page-views"]').textContent()).toBe(String(expected));
    expect(await page.locator('input[name="from"]').inputValue()).toBe(today);
    await context.close();
  });

  it('passes axe-core with no violations, unfiltered, filtered and with no data', async () => {
    const context = await adminContext(browser);
    const page = await context.newPage();
    for (const query of [
      '',
      '?service=demo-app',
      '?library=ui-kit',
      '?from=2020-01-01&to=2020-01-31',
    ]) {
      await page.goto(`${server.url}/${query}`);
      expect(await page.locator('script').count(), query).toBe(0);
      expect(await axeViolations(page), query || 'no filter').toEqual([]);
    }
    await context.close();
  });
});

describe("the library author's views in Chromium", () => {
  let libraryStore: EventStore;
  let libraryCollector: Collector;
  let libraryServer: RunningServer;

  beforeAll(async () => {
    libraryStore = await createPgliteStore();
    libraryCollector = createCollector({
      store: libraryStore,
      adminToken: TOKEN,
      rateLimit: false,
      now: () => LIBRARY_NOW,
    });
    libraryServer = await listen(libraryCollector, { port: 0, host: '127.0.0.1' });
    for (const batch of libraryBatches()) {
      const body = makeBatch(batch.events, {
        service_name: batch.origin.service_name,
        dropped: batch.dropped,
        // Sent when the collector's clock says it is: no device clock skew to correct.
        sent_at: new Date(LIBRARY_NOW).toISOString(),
      });
      const response = await fetch(`${libraryServer.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
    }
    // The library author uploaded @acme/ui's manifest (telemetry-kit-manifest's output).
    const upload = await fetch(`${libraryServer.url}/v1/manifests/${encodeURIComponent(ACME)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({
        library: ACME,
        version: '1.1.0',
        components: [
          { name: 'Button', props: { variant: ['primary', 'ghost'] } },
          { name: 'Table', deprecated: 'Use DataGrid instead.' },
          { name: 'Card' },
        ],
      }),
    });
    expect(upload.status).toBe(201);
  });

  afterAll(async () => {
    await libraryServer?.close();
    await libraryCollector?.close();
    await libraryStore?.close();
  });

  it('picks an app and a library with the selectors, and shows both panels for them', async () => {
    const context = await adminContext(browser);
    const page = await context.newPage();
    await page.goto(`${libraryServer.url}/`);
    const options = (name: string) =>
      page.locator(`select[name="${name}"] option`).allTextContents();
    expect(await options('service')).toEqual(['All apps', ADMIN, SHOP]);
    expect(await options('library')).toEqual(['All libraries', ACME, CHARTS]);
    expect(await page.locator('[data-stat="installs"]').textContent()).toBe('5');

    const byApp = page.locator('[data-table="component-services"] tbody tr');
    expect(await byApp.count()).toBe(9);
    expect(await byApp.first().locator('td').allTextContents()).toEqual([
      'Button',
      ACME,
      '1.1.0',
      SHOP,
      '6',
      '2',
    ]);
    const buttonRow = page.locator('[data-table="components"] tbody tr').first();
    expect(await buttonRow.locator('td').nth(6).textContent()).toBe('2');

    // Version adoption: a stacked chart per library, with the share on the newest in words.
    const acme = page.locator(`[data-library="${ACME}"]`);
    expect(await acme.locator('svg[role="img"] title').first().textContent()).toContain(ACME);
    expect(await acme.locator('rect.seg').count()).toBe(4);
    expect(await acme.locator('.legend li').allTextContents()).toEqual(['1.1.0', '1.0.0']);
    expect((await acme.locator('[data-share]').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      `100% of installs were on 1.1.0, the newest version seen, in the week of ${WEEKS[2]} (3 of 3).`,
    );
    const charts = page.locator(`[data-library="${CHARTS}"]`);
    expect(await charts.locator('[data-share] strong').textContent()).toBe('50%');
    const middleWeek = acme.locator('[data-table="library-versions"] tbody tr').nth(1);
    expect(await middleWeek.locator('td').allTextContents()).toEqual([
      WEEKS[1],
      '3',
      '2',
      '2',
      '67%',
    ]);

    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/dashboard-libraries.png', fullPage: true });

    await page.getByLabel('App').selectOption(SHOP);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/service=shop-web/);
    expect(await page.locator('[data-stat="installs"]').textContent()).toBe('3');
    expect(await page.locator('select[name="service"]').inputValue()).toBe(SHOP);
    expect(await page.locator('input[name="from"]').inputValue()).toBeTruthy();

    await page.getByLabel('Library').selectOption(ACME);
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.waitForURL(/library=%40acme%2Fui/);
    expect(new URL(page.url()).searchParams.get('service')).toBe(SHOP);
    expect(await page.locator('select[name="library"]').inputValue()).toBe(ACME);
    expect(await page.locator('[data-table="components"] tbody tr').count()).toBe(3);
    expect(
      await page
        .locator('[data-table="component-services"] tbody tr td:nth-child(4)')
        .allTextContents(),
    ).toEqual([SHOP, SHOP, SHOP]);
    expect(await page.locator('[data-library]').count()).toBe(1);
    expect(await page.locator('[data-filters]').textContent()).toContain(ACME);
    await context.close();
  });

  it("shows the library's manifest against its mounts: never mounted, deprecated in use, unused values", async () => {
    const context = await adminContext(browser);
    const page = await context.newPage();
    await page.goto(`${libraryServer.url}/?library=${encodeURIComponent(ACME)}`);
    const panel = page.locator('[data-panel="manifest"]');
    expect(await panel.locator('h2').textContent()).toContain(ACME);
    expect(await panel.locator('[data-list="never-mounted"] li').allTextContents()).toEqual([
      'Card',
    ]);
    const deprecated = panel.locator('[data-table="deprecated-in-use"] tbody tr');
    expect(await deprecated.count()).toBe(1);
    const cells = await deprecated.first().locator('td').allTextContents();
    expect(cells[0]).toBe('Table');
    expect(cells[1]).toBe('Use DataGrid instead.');
    expect(cells[4]).toBe(`${ADMIN}, ${SHOP}`);
    const coverage = panel.locator('[data-table="prop-coverage"] tbody tr');
    expect(await coverage.first().locator('td').allTextContents()).toEqual([
      'Button',
      'variant',
      '—',
      'primary, ghost',
    ]);
    mkdirSync('artifacts', { recursive: true });
    await panel.screenshot({ path: 'artifacts/dashboard-manifest.png' });
    await context.close();
  });

  it('passes axe-core with no violations in every view of the library panels', async () => {
    const context = await adminContext(browser);
    const page = await context.newPage();
    const views = [
      '',
      `?service=${SHOP}`,
      `?service=${ADMIN}`,
      `?library=${encodeURIComponent(ACME)}`,
      `?library=${encodeURIComponent(CHARTS)}`,
      `?service=${SHOP}&library=${encodeURIComponent(ACME)}`,
      '?library=%40nobody%2Fui',
      '?from=2020-01-01&to=2020-01-31',
    ];
    for (const query of views) {
      await page.goto(`${libraryServer.url}/${query}`);
      expect(await page.locator('script').count(), query).toBe(0);
      expect(await axeViolations(page), query || 'no filter').toEqual([]);
    }
    await context.close();
  });
});

describe('the flows panel in Chromium', () => {
  let flowStore: EventStore;
  let flowCollector: Collector;
  let flowServer: RunningServer;

  beforeAll(async () => {
    flowStore = await createPgliteStore();
    flowCollector = createCollector({ store: flowStore, adminToken: TOKEN, rateLimit: false });
    flowServer = await listen(flowCollector, { port: 0, host: '127.0.0.1' });
    const at = Date.now() - 60_000;
    const events = [
      ['export', 'success', 1_200],
      ['export', 'success', 900],
      ['export', 'failure', 300],
      ['export', 'abandoned', 30_000],
      ['import', 'cancelled', 50],
    ].flatMap(([flow, outcome, ms], i) => {
      const base = {
        timestamp: new Date(at + i * 1_000).toISOString(),
        anonymous_id: `anon_flows_${String(i).padStart(8, '0')}`,
        session_id: `sess_flows_${String(i).padStart(8, '0')}`,
        context: { path: '/export' },
      };
      const correlation = `corr-${i}`;
      return [
        {
          ...base,
          id: `flowstart${String(i).padStart(12, '0')}`,
          event_type: 'flow.start',
          metadata: { flow, correlation_id: correlation },
        },
        {
          ...base,
          id: `flowend${String(i).padStart(14, '0')}`,
          event_type: 'flow.end',
          metadata: { flow, outcome, duration_ms: ms, correlation_id: correlation },
        },
      ];
    });
    const response = await fetch(`${flowServer.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(makeBatch(events)),
    });
    expect(response.status).toBe(202);
  });

  afterAll(async () => {
    await flowServer?.close();
    await flowCollector?.close();
    await flowStore?.close();
  });

  it('shows each flow with its outcomes, success rate, durations and abandoned share, with no axe violation', async () => {
    const context = await adminContext(browser);
    const page = await context.newPage();
    await page.goto(`${flowServer.url}/`);
    const rows = page.locator('[data-table="flows"] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().locator('td').allTextContents()).toEqual([
      'export',
      '4',
      '2',
      '1',
      '0',
      '1',
      '50 %',
      '1 s',
      // p95 = 25.68 s exactly; from the rollups' histogram within 2 %, so 25 or 26 s shown.
      expect.stringMatching(/^2[56] s$/),
      '25 %',
    ]);
    await page
      .locator('[data-panel="flows"]')
      .screenshot({ path: 'artifacts/dashboard-flows.png' });
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  });
});
