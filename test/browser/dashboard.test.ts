import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import {
  type Collector,
  createCollector,
  createPgliteStore,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit/collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED, exampleEvents, XSS } from '../collector/example-dataset.js';
import { makeBatch } from '../collector/fixtures.js';
import { launchChromium } from './chromium.js';

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
    expect(await lcpRow.locator('td').nth(2).textContent()).toBe(
      `${lcp.toLocaleString('en-US')} ms`,
    );
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
});
