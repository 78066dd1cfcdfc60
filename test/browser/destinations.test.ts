import type { Page } from 'playwright-core';
import {
  type Collector,
  createCollector,
  createPgliteStore,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setUpBrowserSuite } from './support/suite.js';
import { report, waitFor } from './support/wire.js';

/**
 * Two real collectors (PGlite stores, the collector's own HTTP server): the app's, and the
 * acme-ui maintainers' as the app's destination. The pages come from the suite's server, a
 * third origin, so both collectors see real cross-origin requests, beacons and deletions.
 */
const suite = setUpBrowserSuite();

interface RunningCollector {
  store: EventStore;
  collector: Collector;
  server: RunningServer;
}

async function startCollector(): Promise<RunningCollector> {
  const store = await createPgliteStore();
  const collector = createCollector({ store, rateLimit: false, allowedOrigins: ['*'] });
  const server = await listen(collector, { port: 0, host: '127.0.0.1' });
  return { store, collector, server };
}

async function stopCollector(running: RunningCollector | undefined) {
  await running?.server.close();
  await running?.collector.close();
  await running?.store.close();
}

let app: RunningCollector;
let acme: RunningCollector;

beforeAll(async () => {
  [app, acme] = await Promise.all([startCollector(), startCollector()]);
});
afterAll(async () => {
  await Promise.all([stopCollector(app), stopCollector(acme)]);
});
afterEach(async () => {
  for (const { store } of [app, acme]) await store.database.query('DELETE FROM telemetry_events');
});

interface Row {
  id: string;
  event_type: string;
  anonymous_id: string;
  session_id: string;
  user_id: string | null;
  service_name: string;
  component: string | null;
  library: string | null;
  path: string | null;
}

const rowsOf = ({ store }: RunningCollector) =>
  store.database.query<Row & Record<string, unknown>>(
    `SELECT id, event_type, anonymous_id, session_id, user_id, service_name,
            metadata->>'component' AS component, metadata->>'library' AS library,
            context->>'path' AS path
       FROM telemetry_events ORDER BY occurred_at, id`,
  );

const options = () => ({
  endpoint: `${app.server.url}/v1/events`,
  serviceName: 'shop',
  destinations: [
    {
      name: 'acme-ui maintainers',
      endpoint: `${acme.server.url}/v1/events`,
      libraries: ['acme-ui'],
    },
  ],
});

/** Mounts components of two libraries and tracks an event of the app's own. */
const use = (page: Page, variant: string) =>
  page.evaluate((v) => {
    window.tk.componentMounted('Button', { variant: v }, { library: 'acme-ui', version: '2.0.0' });
    window.tk.componentMounted('Grid', {}, { library: 'other-grid', version: '1.0.0' });
    window.tk.track('checkout.started', { step: v });
  }, variant);

describe('destinations in real Chromium, with two real collectors', () => {
  it('two tabs and a reload: each collector gets its share once, under ids the other never sees', async () => {
    const context = await suite.newContext();
    const first = await suite.open(context, options());
    const second = await suite.open(context, options());
    await first.evaluate(() => window.tk.consent.grant());
    await waitFor('the grant to reach the second tab', () =>
      second.evaluate(() => window.tk.consent.get() === 'granted'),
    );
    await first.evaluate(() => window.tk.identify('user-42'));
    await use(first, 'primary');
    await first.evaluate(() => window.tk.flush());
    await use(second, 'ghost');
    await first.reload();
    await first.waitForFunction(() => window.tk !== undefined);
    await use(first, 'link');
    await Promise.all([first, second].map((tab) => tab.evaluate(() => window.tk.flush())));

    const took = await waitFor('both collectors to have every event', async () => {
      const [appRows, acmeRows] = await Promise.all([rowsOf(app), rowsOf(acme)]);
      return (
        appRows.filter((row) => row.event_type === 'checkout.started').length === 3 &&
        acmeRows.length === 3
      );
    });
    const appRows = await rowsOf(app);
    const acmeRows = await rowsOf(acme);
    const status = await first.evaluate(async () => {
      await window.tk.flush();
      return window.tk.status().destinations;
    });
    report('destinations two tabs and a reload', {
      msUntilBoth: took,
      app: appRows.length,
      acme: acmeRows.length,
      status,
    });

    // The maintainers get acme-ui's mounts only, under the app's service name, never a path or user.
    expect(acmeRows.map((row) => [row.event_type, row.component, row.library])).toEqual([
      ['component.mount', 'Button', 'acme-ui'],
      ['component.mount', 'Button', 'acme-ui'],
      ['component.mount', 'Button', 'acme-ui'],
    ]);
    expect(new Set(acmeRows.map((row) => row.service_name))).toEqual(new Set(['shop']));
    expect(acmeRows.every((row) => row.user_id === null && row.path === null)).toBe(true);
    // The app's collector has everything of both libraries.
    expect(appRows.filter((row) => row.event_type === 'component.mount')).toHaveLength(6);
    // One id per receiver, shared by the tabs and the reload; no id, session or event id in common.
    const appIds = new Set(appRows.map((row) => row.anonymous_id));
    const acmeIds = new Set(acmeRows.map((row) => row.anonymous_id));
    expect(appIds.size).toBe(1);
    expect(acmeIds.size).toBe(1);
    for (const field of ['anonymous_id', 'session_id', 'id'] as const) {
      const seen = new Set(appRows.map((row) => row[field]));
      expect(acmeRows.filter((row) => seen.has(row[field]))).toEqual([]);
    }
    expect(status).toEqual([
      expect.objectContaining({ name: 'acme-ui maintainers', queued: 0, lastError: null }),
    ]);
  });

  it('closing the tab delivers to both by beacon', async () => {
    const context = await suite.newContext();
    const page = await suite.open(context, { ...options(), flushIntervalMs: 60_000 });
    await page.evaluate(() => window.tk.consent.grant());
    await page.evaluate(() => window.tk.flush());
    await use(page, 'primary');
    await page.close({ runBeforeUnload: true });
    await waitFor('the beacons to reach both collectors', async () => {
      const [appRows, acmeRows] = await Promise.all([rowsOf(app), rowsOf(acme)]);
      return (
        appRows.some((row) => row.event_type === 'checkout.started') &&
        acmeRows.some((row) => row.component === 'Button')
      );
    });
  });

  it('a revoke in one tab stops both tabs and each collector deletes its own subject', async () => {
    const context = await suite.newContext();
    const revoking = await suite.open(context, options());
    const other = await suite.open(context, options());
    await revoking.evaluate(() => window.tk.consent.grant());
    await waitFor('the grant to reach the other tab', () =>
      other.evaluate(() => window.tk.consent.get() === 'granted'),
    );
    await use(revoking, 'primary');
    await revoking.evaluate(() => window.tk.flush());
    await use(other, 'ghost');
    await Promise.all([revoking, other].map((tab) => tab.evaluate(() => window.tk.flush())));
    await waitFor('both collectors to have the events', async () => {
      const [appRows, acmeRows] = await Promise.all([rowsOf(app), rowsOf(acme)]);
      return appRows.length >= 4 && acmeRows.length === 2;
    });

    await revoking.evaluate(() => window.tk.consent.deny());
    // The maintainers' collector was asked to delete its subject: nothing of this browser is left.
    await waitFor(
      'the destination to delete its subject',
      async () => (await rowsOf(acme)).length === 0,
    );
    const storage = await revoking.evaluate(() => window.harness.storage());
    expect(storage.databases).toEqual([]);
    expect(storage.localStorageKeys).toEqual(['telemetry-kit:consent']);

    const before = (await rowsOf(app)).length;
    await use(other, 'after-revoke');
    await other.evaluate(() => window.tk.flush());
    await other.close({ runBeforeUnload: true });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await rowsOf(acme)).toEqual([]);
    expect((await rowsOf(app)).length).toBe(before);
  });

  it("collectorCopy(): the app's collector answers with what it stores about this browser", async () => {
    const context = await suite.newContext();
    const page = await suite.open(context, options());
    await page.evaluate(() => window.tk.consent.grant());
    await use(page, 'primary');
    await page.evaluate(() => window.tk.flush());
    await waitFor('the events to be stored', async () =>
      (await rowsOf(app)).some((row) => row.event_type === 'checkout.started'),
    );
    const copy = await page.evaluate(() => window.tk.collectorCopy());
    const stored = await rowsOf(app);
    expect(copy?.anonymous_id).toBe(stored[0]?.anonymous_id);
    expect(copy?.truncated).toBe(false);
    expect(copy?.events.map((event) => event.id).sort()).toEqual(
      stored.map((row) => row.id).sort(),
    );
    // After a revoke there is nothing to ask about.
    await page.evaluate(() => window.tk.consent.deny());
    expect(await page.evaluate(() => window.tk.collectorCopy())).toBeNull();
  });
});
