import { mkdirSync, readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import {
  type Collector,
  createCollector,
  createPgliteStore,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARD_TABLE_NAMES } from '../../collector/dashboard-tables.js';
import { exampleEvents } from '../collector/example-dataset.js';
import { makeEvent } from '../collector/fixtures.js';
import { ACME, LIBRARY_NOW, libraryBatches } from '../collector/library-dataset.js';
import { parseCsv } from '../collector/read-table-csv.js';
import { launchChromium } from './chromium.js';
import { axeViolations } from './support/axe-violations.js';

/**
 * The dashboard's "Download CSV" links in Chromium: one under every table, named for what it
 * downloads, passing axe, and downloading that table's rows as a file, signed in by the form's
 * session cookie as a person would be.
 */
const TOKEN = 'dashboard-csv-token';
const RANGE = 'from=2026-11-01&to=2026-11-20';
let store: EventStore;
let collector: Collector;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  store = await createPgliteStore();
  collector = createCollector({
    store,
    adminToken: TOKEN,
    rateLimit: false,
    now: () => LIBRARY_NOW,
  });
  server = await listen(collector, { port: 0, host: '127.0.0.1' });
  for (const batch of libraryBatches())
    await store.insertBatch(batch.origin, batch.events, batch.dropped);
  await store.insertBatch(
    { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 },
    [
      ...exampleEvents(LIBRARY_NOW),
      makeEvent({
        event_type: 'flow.start',
        timestamp: new Date(LIBRARY_NOW - 60_000).toISOString(),
        metadata: { flow: 'checkout' },
      }),
    ],
    { overflow: 3 },
  );
  await store.database.query('UPDATE telemetry_device_drops SET received_at = $1', [
    new Date(LIBRARY_NOW - 3_600_000).toISOString(),
  ]);
  const upload = await fetch(`${server.url}/v1/manifests/${encodeURIComponent(ACME)}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({
      library: ACME,
      version: '1.1.0',
      components: [
        { name: 'Button', props: { variant: ['primary', 'ghost'] } },
        { name: 'Table', deprecated: 'Use DataGrid instead.' },
      ],
    }),
  });
  expect(upload.status).toBe(201);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await collector?.close();
  await store?.close();
});

describe('Download CSV links in Chromium', () => {
  it('sit under every table, named for what they download, and pass axe', async () => {
    const context = await browser.newContext({
      bypassCSP: true,
      viewport: { width: 1360, height: 900 },
      extraHTTPHeaders: { authorization: `Bearer ${TOKEN}` },
    });
    const page = await context.newPage();
    await page.goto(`${server.url}/?${RANGE}`);
    const tables = await page
      .locator('table[data-table]')
      .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-table')));
    const links = page.locator('a[data-csv]');
    expect(
      await links.evaluateAll((elements) => elements.map((a) => a.getAttribute('data-csv'))),
    ).toEqual(tables);
    expect(new Set(tables)).toEqual(new Set(DASHBOARD_TABLE_NAMES));
    // Read out as "Download CSV of pages", not as a dozen identical "Download CSV" links.
    await expect
      .poll(() => page.getByRole('link', { name: 'Download CSV of pages' }).count())
      .toBe(1);
    const names = await links.evaluateAll((elements) => elements.map((a) => a.textContent));
    expect(new Set(names).size).toBe(names.length);
    expect(await axeViolations(page)).toEqual([]);

    mkdirSync('artifacts', { recursive: true });
    await page.screenshot({ path: 'artifacts/dashboard-csv-links.png', fullPage: true });
    await page
      .locator('section', { has: page.locator('table[data-table="pages"]') })
      .screenshot({ path: 'artifacts/dashboard-csv-link.png' });
    await context.close();
  });

  it('downloads the table’s rows as a CSV file, signed in by the session cookie', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${server.url}/?${RANGE}&service=shop-web`);
    await page.getByLabel('Admin token').fill(TOKEN);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForSelector('[data-table="component-services"]');
    await page.goto(`${server.url}/?${RANGE}&service=shop-web`);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV of components by app' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(
      'telemetry-component-services-2026-11-01-2026-11-20.csv',
    );
    const [header, ...rows] = parseCsv(readFileSync(await download.path(), 'utf8'));
    expect(header).toEqual(['Component', 'Library', 'Version', 'App', 'Mounts', 'Installs']);
    const shown = await page
      .locator('[data-table="component-services"] tbody tr')
      .evaluateAll((trs) => trs.map((tr) => tr.querySelector('td')?.textContent));
    expect(rows.map((row) => row[0])).toEqual(shown);
    expect(new Set(rows.map((row) => row[3]))).toEqual(new Set(['shop-web']));

    // One library's version table, and its link, are inside a <details>.
    await page.locator(`[data-library="${ACME}"] summary`).click();
    const [versions] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: `Download CSV of installs of ${ACME} per version` }).click(),
    ]);
    expect(versions.suggestedFilename()).toBe(
      'telemetry-library-versions-_acme_ui-2026-11-01-2026-11-20.csv',
    );
    await context.close();
  });
});
