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

/** No periodic flush during the test: whatever arrives was sent by the page-hide path. */
const HIDE_ONLY = { flushIntervalMs: 600_000, maxBatchSize: 1_000 };

describe('page hide: what is not yet delivered goes out by sendBeacon (real Chromium)', () => {
  for (const how of ['the tab is closed', 'the window (browser context) is closed'] as const) {
    it(`events tracked right before ${how} arrive by beacon`, async () => {
      const context = await suite.newContext();
      const page = await suite.open(context, HIDE_ONLY);
      await page.evaluate(() => window.tk.consent.grant());
      await page.getByRole('button', { name: 'Mount a card' }).click();
      const tracked = await page.evaluate(() => window.harness.trackMany('last-words-', 40));
      // The grant's own flush found nothing to send: the receiver has seen nothing yet.
      expect(suite.server.requests).toEqual([]);

      const closedAt = Date.now();
      if (how === 'the tab is closed') await page.close({ runBeforeUnload: true });
      else await context.close();
      const took = await waitFor('the tracked events to arrive', () =>
        tracked.every((label) => acceptedLabels(suite.server.requests).has(label)),
      );
      await pause(200);
      const requests = suite.server.requests;
      const types = new Set(acceptedEvents(requests).map((event) => event.event_type));
      report(`4 beacon when ${how}`, {
        tracked: tracked.length,
        msFromCloseToArrival: took || Date.now() - closedAt,
        ...wireFigures(requests),
        secFetchModes: requests.map((request) => request.headers['sec-fetch-mode']),
      });

      expect(requests.every((request) => request.by === 'beacon')).toBe(true);
      expect(wireFigures(requests).repeatsOnWire).toBe(0);
      // The mount counter is drained on hide too: the card's mount is in the last beacon.
      expect(types).toContain('component.mount');
      expect(types).toContain('feature.use');
    });
  }

  it('a flow still open when the tab is closed arrives as abandoned, with its duration, by beacon', async () => {
    const context = await suite.newContext();
    const page = await suite.open(context, HIDE_ONLY);
    await page.evaluate(() => window.tk.consent.grant());
    // The flow API of the bundle the page loads (telemetry.flow()), one flow left open.
    const openId = await page.evaluate(() => {
      window.tk.flow('import').end('success');
      return window.tk.flow('export', { format: 'csv' }).id;
    });
    await pause(300);
    await page.close({ runBeforeUnload: true });
    const ends = () =>
      acceptedEvents(suite.server.requests).filter((event) => event.event_type === 'flow.end');
    await waitFor('both flow ends', () => ends().length === 2);
    const abandoned = ends().find((event) => event.metadata.outcome === 'abandoned');
    expect(abandoned?.metadata).toMatchObject({ flow: 'export', correlation_id: openId });
    expect(abandoned?.metadata.duration_ms).toBeGreaterThanOrEqual(250);
    expect(suite.server.requests.every((request) => request.by === 'beacon')).toBe(true);
  });

  it('a page-hide backlog over 64 KB: beacons stay under the keepalive limit, and what did not fit arrives on the next visit', async () => {
    const context = await suite.newContext();
    const page = await suite.open(context, HIDE_ONLY);
    await page.evaluate(() => window.tk.consent.grant());
    // About 200 KB of events: several beacons' worth.
    const tracked = await page.evaluate(() => window.harness.trackLarge('bulk-', 200, 900));
    // Stored before the page goes: what the beacon cannot carry is then in IndexedDB. (Events
    // tracked in the last few milliseconds before a close, beyond one beacon, can be lost: see
    // docs/core.md, Delivery. On a loaded machine a fixed pause was sometimes too short.)
    await waitFor(
      'the events to be stored',
      async () =>
        ((await page.evaluate(() => window.harness.storedEventCount())) ?? 0) >= tracked.length,
    );
    await page.close({ runBeforeUnload: true });
    const missing = () => {
      const accepted = acceptedLabels(suite.server.requests);
      return tracked.filter((label) => !accepted.has(label));
    };
    await waitFor('the first beacon', () => suite.server.requests.length > 0);
    await pause(500);
    // Chromium refuses a second beacon while the first is in flight: the 64 KiB keepalive
    // quota is shared by every in-flight keepalive request of the page (Fetch spec, "fetch",
    // inflightKeepaliveBytes), so one page hide sends at most 64 KiB in all.
    const onClose = {
      closeRequests: suite.server.requests.map((request) => ({
        by: request.by,
        bytes: Number(request.headers['content-length']),
        events: request.batch?.events.length ?? 0,
      })),
      missingAfterClose: missing().length,
    };

    // Whatever did not fit goes on the next visit, from IndexedDB.
    const next = await suite.open(context, HIDE_ONLY);
    await next.evaluate(() => window.tk.flush());
    await waitFor('the rest to arrive on the next visit', () => missing().length === 0);
    report('page-hide backlog over 64 KB', {
      tracked: tracked.length,
      ...onClose,
      ...wireFigures(suite.server.requests),
    });
    for (const request of onClose.closeRequests)
      expect(request.bytes).toBeLessThanOrEqual(64 * 1024);
    expect(missing()).toEqual([]);
  });

  it('web vitals (LCP, CLS, FCP, TTFB, and INP after a real click) arrive when the page is hidden', async () => {
    const context = await suite.newContext();
    const requested: string[] = [];
    context.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const page = await suite.open(context, {}, 'vitals');
    const isVitalsChunk = (path: string) => suite.server.webVitalsChunks.includes(path);
    const loadedBeforeConsent = requested.some(isVitalsChunk);
    await page.evaluate(() => window.tk.consent.grant());
    await waitFor('web-vitals to load after consent', () => requested.some(isVitalsChunk));

    // The banner shifts the layout at 300 ms; then a real pointer click makes an interaction.
    await waitFor('the layout shift', () =>
      page.evaluate(() => document.body.firstElementChild?.tagName === 'DIV'),
    );
    await pause(100);
    const box = await page.getByRole('button', { name: 'Slow button' }).boundingBox();
    if (!box) throw new Error('the button is not laid out');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await waitFor('the click handler to run', () =>
      page.evaluate(() => document.querySelector('button')?.textContent === 'Clicked'),
    );
    // web-vitals 6 processes Event Timing entries in an idle callback (timeout 1 s,
    // `whenIdleOrHidden`); hidden before that callback ran, it reports no INP at all (the
    // forced report on hide finds no processed interaction yet, and the late processing does
    // not report). Headless Chromium is slow to grant idle time, so wait the timeout out.
    await pause(1_200);

    // Navigating away fires `visibilitychange: hidden` and `pagehide`: web-vitals reports its
    // final LCP, CLS and INP then, and the client beacons them.
    const hiddenAt = Date.now();
    await page.goto(`${suite.server.origin}/blank.html`);
    const names = () =>
      new Set(
        acceptedEvents(suite.server.requests)
          .filter((event) => event.event_type === 'web_vital')
          .map((event) => String(event.metadata.name)),
      );
    await waitFor('all five web vitals to arrive', () =>
      ['LCP', 'CLS', 'FCP', 'TTFB', 'INP'].every((name) => names().has(name)),
    );

    const vitals = suite.server.requests.flatMap((request) =>
      (request.batch?.events ?? [])
        .filter((event) => event.event_type === 'web_vital')
        .map((event) => ({
          name: event.metadata.name,
          value: event.metadata.value,
          rating: event.metadata.rating,
          path: event.metadata.path,
          by: request.by,
          afterHide: request.at >= hiddenAt,
        })),
    );
    report('10 web vitals', { loadedBeforeConsent, vitals, ...wireFigures(suite.server.requests) });

    expect(loadedBeforeConsent).toBe(false);
    expect(wireFigures(suite.server.requests).repeatsOnWire).toBe(0);
    const byName = new Map(vitals.map((vital) => [vital.name, vital]));
    expect(Number(byName.get('INP')?.value)).toBeGreaterThanOrEqual(100);
    expect(Number(byName.get('CLS')?.value)).toBeGreaterThan(0);
    expect(Number(byName.get('LCP')?.value)).toBeGreaterThan(0);
    // INP and CLS are final only when the page is hidden: they come in the hide beacon.
    expect(byName.get('INP')).toMatchObject({ by: 'beacon', afterHide: true });
    expect(byName.get('CLS')).toMatchObject({ by: 'beacon', afterHide: true });
    for (const vital of vitals) expect(vital.path).toBe('/pages/vitals.html');
  });

  // Was a bug, fixed: after a beacon, `createPageHideHandler` (src/pageHide.ts) deletes the beaconed events
  // with `queue.acknowledge(sent, true)`, an IndexedDB transaction that only starts after the
  // handler returns (idb's promise chain); when the hide is an unload, Chromium tears the
  // document down before it commits. The next visit finds every beaconed event still queued
  // and sends it again: all of them when leaving by navigation (every run), most of the time
  // when the tab is closed (4 runs in 5).
  it('events delivered by the page-hide beacon are not sent again on the next visit', async () => {
    const context = await suite.newContext();
    // Three visits: each one's first flush sends whatever the queue still holds, then it tracks
    // 40 events and leaves by navigating away, which beacons them. Whether the delete commits
    // during unload is Chromium's timing (it never did when leaving by navigation in these
    // runs); two chances make a spurious pass of this `it.fails` unlikely.
    for (const visit of [0, 1, 2]) {
      const page = await suite.open(context, HIDE_ONLY);
      if (visit === 0) await page.evaluate(() => window.tk.consent.grant());
      await page.evaluate(() => window.tk.flush());
      if (visit === 2) break;
      await page.evaluate((prefix) => window.harness.trackMany(prefix, 40), `visit${visit}-`);
      await pause(100);
      const before = suite.server.requests.length;
      await page.goto(`${suite.server.origin}/blank.html`);
      await waitFor('the beacon', () =>
        suite.server.requests.slice(before).some((r) => r.by === 'beacon'),
      );
      await page.close();
    }
    const figures = wireFigures(suite.server.requests);
    report('beaconed events resent on the next visit', figures);
    expect(figures.duplicatesAfterAccepted).toBe(0);
  });

  // Was a bug, fixed: Chromium fires `pagehide` before `visibilitychange` when a page unloads (HTML,
  // "unload a document"), so `createPageHideHandler` (src/pageHide.ts) beacons on `pagehide`
  // first, before web-vitals has reported the final CLS and INP (it does so on
  // `visibilitychange`). With a backlog of 64 KiB or more that first beacon uses the page's
  // whole keepalive quota, the second one (with CLS and INP) is refused, and the
  // `queue.persist()` that follows does not commit during unload: the two vitals are lost for
  // good, not even sent on the next visit. Fix idea: on `pagehide` while `visibilityState` is
  // still `visible`, leave the work to the `visibilitychange` that follows; or keep some of the
  // quota back (e.g. fill the first beacon to 48 KiB, newest events first).
  it('final CLS and INP still arrive when the page hides with a backlog over 64 KB', async () => {
    const context = await suite.newContext();
    const page = await suite.open(context, HIDE_ONLY, 'vitals');
    await page.evaluate(() => window.tk.consent.grant());
    await pause(800);
    const box = await page.getByRole('button', { name: 'Slow button' }).boundingBox();
    if (!box) throw new Error('the button is not laid out');
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await pause(1_200);
    await page.evaluate(() => window.harness.trackLarge('backlog-', 70, 900));
    await pause(100);
    await page.goto(`${suite.server.origin}/blank.html`);
    await waitFor('the first beacon', () => suite.server.requests.length > 0);
    await pause(300);
    // Anything the page kept would be sent by the next visit's first flush.
    const next = await suite.open(context, HIDE_ONLY);
    await next.evaluate(() => window.tk.flush());
    const vitals = acceptedEvents(suite.server.requests)
      .filter((event) => event.event_type === 'web_vital')
      .map((event) => String(event.metadata.name));
    report('vitals after a 64 KB page-hide backlog', {
      vitals,
      beacons: suite.server.requests.filter((request) => request.by === 'beacon').length,
    });
    expect(vitals).toEqual(expect.arrayContaining(['CLS', 'INP']));
  });
});
