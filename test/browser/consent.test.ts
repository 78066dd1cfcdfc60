import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpBrowserSuite } from './support/suite.js';
import {
  acceptedEvents,
  acceptedLabels,
  pause,
  report,
  waitFor,
  wireFigures,
} from './support/wire.js';

const suite = setUpBrowserSuite();

/** Clicks through the harness's buttons (real input events) until `ms` have passed. */
async function clickAround(page: Page, ms: number): Promise<number> {
  const buttons = [
    'Track a click',
    'Next page',
    'Toggle dark mode',
    'Mount a card',
    'Break something',
  ] as const;
  const until = Date.now() + ms;
  let clicks = 0;
  while (Date.now() < until) {
    await page
      .getByRole('button', { name: buttons[clicks % buttons.length] ?? 'Track a click' })
      .click();
    clicks++;
    await pause(40);
  }
  return clicks;
}

describe('consent gates every emission (real Chromium)', () => {
  it('before consent, after 5 s of clicking around: no request, no database, no storage key, no cookie', async () => {
    const context = await suite.newContext();
    // Every request the page makes, not only those that reach the receiver: the lazy
    // web-vitals and delivery-engine chunks must not be fetched before consent either.
    const requested: string[] = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const page = await suite.open(context, {
      pageViews: true,
      webVitals: true,
      captureErrors: true,
    });

    const clicks = await clickAround(page, 5_000);
    await page.evaluate(() => {
      window.harness.trackMany('before-', 20);
      window.tk.page('/somewhere/else');
      window.tk.identify('user-42');
    });
    const status = await page.evaluate(() => window.tk.status());
    const storage = await page.evaluate(() => window.harness.storage());
    // Leaving the page runs the page-hide path, which must not beacon undecided events either.
    await page.goto(`${suite.server.origin}/blank.html`);
    await pause(300);

    report('1 before consent', {
      clicks,
      held: status.queued,
      requestsToCollector: suite.server.requests.length,
      pageRequests: requested.length,
      webVitalsChunkLoaded: requested.some((path) => suite.server.webVitalsChunks.includes(path)),
      engineChunkLoaded: requested.some((path) => suite.server.engineChunks.includes(path)),
    });
    expect(status.consent).toBe('unknown');
    expect(status.storage).toBe('none');
    expect(suite.server.requests).toEqual([]);
    // The page itself and its code only: not the lazily split web-vitals or engine chunks.
    expect(suite.server.webVitalsChunks.length).toBeGreaterThan(0);
    expect(requested.filter((path) => suite.server.webVitalsChunks.includes(path))).toEqual([]);
    expect(suite.server.engineChunks.length).toBeGreaterThan(0);
    expect(requested.filter((path) => suite.server.engineChunks.includes(path))).toEqual([]);
    expect(storage).toEqual({ localStorageKeys: [], cookie: '', databases: [] });
    expect(await context.cookies()).toEqual([]);
  });

  it('"show me the data" before consent: the library fetches its own delivery chunk to scrub what it shows, and nothing else happens', async () => {
    const context = await suite.newContext();
    const requested: string[] = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const page = await suite.open(context);
    const before = requested.length;
    const shown = await page.evaluate(async () => {
      window.tk.track('contact.form', { note: 'write to jane.doe@example.com', password: 'x' });
      window.tk.componentMounted('Avatar', { alt: 'jane.doe@example.com' });
      return window.tk.pending();
    });
    const preview = await page.evaluate(() => window.tk.preview('page.view'));
    const storage = await page.evaluate(() => window.harness.storage());
    const fetched = requested.slice(before);
    report('show me the data before consent', { fetched, shown: shown.length });
    // What is shown is what would be sent: scrubbed, secret keys removed, mounts counted.
    expect(shown.map((event) => event.event_type)).toEqual(['contact.form', 'component.mount']);
    expect(shown[0]?.metadata).toEqual({ note: 'write to [email]' });
    expect(shown[1]?.metadata).toMatchObject({
      component: 'Avatar',
      props: { alt: '[email]' },
      count: 1,
    });
    expect(preview?.event_type).toBe('page.view');
    // The only requests: the library's own delivery code, each file once. Nothing sent, stored
    // or opened.
    expect(fetched.length).toBeGreaterThan(0);
    expect(new Set(fetched).size).toBe(fetched.length);
    expect(suite.server.engineChunks).toContain(fetched[0]);
    for (const file of fetched) expect(suite.server.deliveryChunks).toContain(file);
    expect(suite.server.requests).toEqual([]);
    expect(storage).toEqual({ localStorageKeys: [], cookie: '', databases: [] });
    expect(await page.evaluate(() => window.tk.status())).toMatchObject({
      consent: 'unknown',
      storage: 'none',
    });
  });

  it('grant: every tracked event arrives, each id once, as a CORS-simple text/plain batch with the consent receipt', async () => {
    const context = await suite.newContext();
    const page = await suite.open(context, { pageViews: true, captureErrors: true });
    // Held in memory while undecided; granted, they are sent like the rest.
    await page.getByRole('button', { name: 'Track a click' }).click();
    await page.getByRole('button', { name: 'Track a click' }).click();
    const grantedAt = await page.evaluate(() => {
      window.tk.consent.grant();
      return Date.now();
    });
    const tracked = await page.evaluate(() => window.harness.trackMany('granted-', 120));
    await page.getByRole('button', { name: 'Toggle dark mode' }).click();
    await page.getByRole('button', { name: 'Mount a card' }).click();
    await page.getByRole('button', { name: 'Break something' }).click();
    const expected = ['click-0', 'click-1', ...tracked];

    const errorSources = () =>
      new Set(
        acceptedEvents(suite.server.requests)
          .filter((event) => event.event_type === 'error')
          .map((event) => String(event.metadata.source)),
      );
    const took = await waitFor(
      'every labelled event and both uncaught errors to arrive',
      () =>
        expected.every((label) => acceptedLabels(suite.server.requests).has(label)) &&
        errorSources().has('window') &&
        errorSources().has('promise'),
    );
    await page.evaluate(() => window.tk.flush());
    const requests = suite.server.requests;
    const figures = wireFigures(requests);
    const types = new Set(requests.flatMap((r) => r.batch?.events.map((e) => e.event_type) ?? []));
    const storage = await page.evaluate(() => window.harness.storage());
    report('2 grant', { tracked: expected.length, msUntilAllArrived: took, ...figures });

    expect(figures.repeatsOnWire).toBe(0);
    for (const type of [
      'session.start',
      'page.view',
      'feature.toggle',
      'component.mount',
      'feature.use',
    ])
      expect(types).toContain(type);
    for (const request of requests) {
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('text/plain;charset=UTF-8');
      expect(request.batch?.sdk).toEqual({ name: 'telemetry-kit', version: '0.0.0-test' });
      expect(request.batch?.consent.policy_version).toBe(1);
      expect(Date.parse(request.batch?.consent.granted_at ?? '')).toBeGreaterThanOrEqual(
        grantedAt - 1_000,
      );
    }
    // With consent: the decision, the ids and the queue database exist; still no cookie.
    expect(storage.localStorageKeys).toContain('telemetry-kit:consent');
    expect(storage.databases).toEqual(['telemetry-kit']);
    expect(storage.cookie).toBe('');
  });

  for (const signal of [
    {
      name: 'Global Privacy Control',
      script:
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
    },
    {
      name: 'Do-Not-Track',
      script: "Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' })",
    },
  ]) {
    it(`${signal.name} set: consent is denied by default, no request, no database`, async () => {
      const context = await suite.newContext();
      await context.addInitScript({ content: signal.script });
      const page = await suite.open(context, { pageViews: true });
      const consent = await page.evaluate(() => window.tk.consent.get());
      await clickAround(page, 1_000);
      await page.evaluate(() => window.harness.trackMany('signal-', 10));
      const storage = await page.evaluate(() => window.harness.storage());
      await page.goto(`${suite.server.origin}/blank.html`);
      await pause(300);

      report(`7 ${signal.name}`, { consent, requests: suite.server.requests.length });
      expect(consent).toBe('denied');
      expect(suite.server.requests).toEqual([]);
      expect(storage).toEqual({ localStorageKeys: [], cookie: '', databases: [] });
    });
  }

  it("Global Privacy Control set: the user's own grant overrides it and events are delivered", async () => {
    const context = await suite.newContext();
    await context.addInitScript({
      content:
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
    });
    const page = await suite.open(context);
    await page.evaluate(() => window.tk.consent.grant());
    const tracked = await page.evaluate(() => window.harness.trackMany('override-', 5));
    await waitFor('the events to arrive', () =>
      tracked.every((label) => acceptedLabels(suite.server.requests).has(label)),
    );
    expect(await page.evaluate(() => window.tk.consent.get())).toBe('granted');
  });

  it('deny while a flush sends batch after batch: no request after the deny, the database is gone', async () => {
    // Each answer is held back 1 s: the flush loop has one batch in flight at a time, and the
    // deny comes while the first one waits.
    suite.server.answer({ status: 202, delayMs: 1_000 });
    const context = await suite.newContext();
    const page = await suite.open(context, { maxBatchSize: 10, flushIntervalMs: 600_000 });
    await page.evaluate(() => window.tk.consent.grant());
    await page.evaluate(() => window.harness.trackMany('racing-', 100));
    await waitFor('the first batch to be on the wire', () => suite.server.requests.length > 0);
    const deniedAt = await page.evaluate(() => {
      window.tk.consent.deny();
      return Date.now();
    });
    await pause(1_500);
    const storage = await page.evaluate(() => window.harness.storage());
    const after = suite.server.requests.filter((request) => request.at > deniedAt);
    report('deny during a flush', {
      requestsBeforeDeny: suite.server.requests.length - after.length,
      requestsAfterDeny: after.length,
      eventsDelivered: wireFigures(suite.server.requests).distinctIds,
    });
    expect(after).toEqual([]);
    expect(storage.databases).toEqual([]);
    expect(storage.localStorageKeys).toEqual(['telemetry-kit:consent']);
  });

  it('forget(): the queue and ids are deleted, the collector is asked to delete the subject, later events get new ids', async () => {
    const context = await suite.newContext();
    const page = await suite.open(context);
    await page.evaluate(() => window.tk.consent.grant());
    const before = await page.evaluate(() => window.harness.trackMany('before-forget-', 5));
    await waitFor('the first events to arrive', () =>
      before.every((label) => acceptedLabels(suite.server.requests).has(label)),
    );
    const oldId = acceptedEvents(suite.server.requests)[0]?.anonymous_id;
    await page.evaluate(() => window.tk.forget());
    const deletion = suite.server.requests.find((request) => request.method === 'DELETE');
    const storage = await page.evaluate(() => window.harness.storage());

    const after = await page.evaluate(() => window.harness.trackMany('after-forget-', 3));
    await waitFor('the later events to arrive', () =>
      after.every((label) => acceptedLabels(suite.server.requests).has(label)),
    );
    const newIds = new Set(
      acceptedEvents(suite.server.requests)
        .filter((event) => String(event.metadata.label).startsWith('after-forget-'))
        .map((event) => event.anonymous_id),
    );
    report('forget()', {
      deletion: deletion?.path,
      storageRightAfter: storage,
      newIds: newIds.size,
    });
    expect(oldId).toBeTruthy();
    expect(deletion?.path).toBe(`/v1/subjects/${oldId}`);
    expect(storage.databases).toEqual([]);
    expect(storage.localStorageKeys).toEqual(['telemetry-kit:consent']);
    expect(newIds.size).toBe(1);
    expect(newIds.has(oldId ?? '')).toBe(false);
  });

  it('a new policyVersion asks again: nothing is sent until the user grants the new policy', async () => {
    // A collector outage keeps the first events queued across the policy change.
    suite.server.answer({ status: 503, headers: { 'Retry-After': '1' } });
    const context = await suite.newContext();
    const v1 = await suite.open(context, { consent: { policyVersion: 1 } });
    await v1.evaluate(() => window.tk.consent.grant());
    const queued = await v1.evaluate(() => window.harness.trackMany('policy-v1-', 5));
    await waitFor('the first delivery to fail', () =>
      v1.evaluate(() => window.tk.status().lastError !== null),
    );
    await v1.close();
    suite.server.reset();

    const v2 = await suite.open(context, { consent: { policyVersion: 2 } });
    const consent = await v2.evaluate(() => window.tk.consent.get());
    const held = await v2.evaluate(() => window.harness.trackMany('policy-v2-', 5));
    await pause(2_500);
    const requestsBeforeGrant = suite.server.requests.length;

    await v2.evaluate(() => window.tk.consent.grant());
    await waitFor('the queued and the held events to arrive', () =>
      [...queued, ...held].every((label) => acceptedLabels(suite.server.requests).has(label)),
    );
    const receipts = new Set(
      suite.server.requests.map((request) => request.batch?.consent.policy_version),
    );
    report('new policy version', { consent, requestsBeforeGrant, receipts: [...receipts] });
    expect(consent).toBe('unknown');
    expect(requestsBeforeGrant).toBe(0);
    expect([...receipts]).toEqual([2]);
  });
});
