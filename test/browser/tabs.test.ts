import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { setUpBrowserSuite } from './support/suite.js';
import {
  acceptedLabels,
  eventsOnWire,
  pause,
  report,
  waitFor,
  wireFigures,
} from './support/wire.js';

const suite = setUpBrowserSuite();

/** Opens `count` tabs of the harness in one context (one origin, one shared queue). */
async function openTabs(context: BrowserContext, count: number): Promise<Page[]> {
  const tabs: Page[] = [];
  for (let i = 0; i < count; i++) tabs.push(await suite.open(context));
  return tabs;
}

/** Grants in the first tab; the `storage` event carries the decision to the others. */
async function grantEverywhere(tabs: Page[]): Promise<void> {
  await tabs[0]?.evaluate(() => window.tk.consent.grant());
  for (const tab of tabs) {
    await waitFor('the grant to reach every tab', () =>
      tab.evaluate(() => window.tk.consent.get() === 'granted'),
    );
  }
}

describe('several tabs share one queue (real Chromium)', () => {
  it('three tabs tracking at once for 10 s: every event arrives, none is sent twice (nor when the tabs close)', async () => {
    const context = await suite.newContext();
    const tabs = await openTabs(context, 3);
    const visibility = await Promise.all(
      tabs.map((tab) => tab.evaluate(() => document.visibilityState)),
    );
    await grantEverywhere(tabs);

    await Promise.all(
      tabs.map((tab, i) =>
        tab.evaluate((prefix) => window.harness.startTicking(prefix, 50), `tab${i}-`),
      ),
    );
    await pause(10_000);
    const tracked = (
      await Promise.all(tabs.map((tab) => tab.evaluate(() => window.harness.stopTicking())))
    ).flat();

    const took = await waitFor('every event of every tab to arrive', () =>
      tracked.every((label) => acceptedLabels(suite.server.requests).has(label)),
    );
    const whileOpen = wireFigures(suite.server.requests);

    // Closing the tabs runs each one's page-hide path: it must not resend what another tab (or
    // its own periodic flush) already delivered.
    const beforeClose = suite.server.requests.length;
    for (const tab of tabs) await tab.close({ runBeforeUnload: true });
    await pause(500);
    const afterClose = wireFigures(suite.server.requests);
    const closingRequests = suite.server.requests.slice(beforeClose);

    report('5 three tabs for 10 s', {
      visibility,
      tracked: tracked.length,
      msUntilAllArrivedAfterStop: took,
      whileOpen,
      afterClose,
      eventsResentOnClose: eventsOnWire(closingRequests).length,
    });
    expect(new Set(tracked).size).toBe(tracked.length);
    expect(whileOpen.duplicatesAfterAccepted).toBe(0);
    expect(whileOpen.repeatsOnWire).toBe(0);
    expect(afterClose.duplicatesAfterAccepted).toBe(0);
  });

  it('revoke in one tab: the other tab sends nothing from then on, and the database is gone', async () => {
    const context = await suite.newContext();
    const [revoking, other] = await openTabs(context, 2);
    if (!revoking || !other) throw new Error('two tabs expected');
    await grantEverywhere([revoking, other]);
    await revoking.evaluate(() => window.harness.startTicking('a-', 50));
    await other.evaluate(() => window.harness.startTicking('b-', 50));
    await waitFor('both tabs to deliver', () => {
      const labels = [...acceptedLabels(suite.server.requests)];
      return labels.some((l) => l.startsWith('a-')) && labels.some((l) => l.startsWith('b-'));
    });
    await pause(1_500);

    const deniedAt = await revoking.evaluate(() => {
      window.tk.consent.deny();
      return Date.now();
    });
    // Both tabs keep calling track() for 3 s more: flushes are due every second.
    await pause(3_000);
    await Promise.all(
      [revoking, other].map((tab) => tab.evaluate(() => window.harness.stopTicking())),
    );
    const otherConsent = await other.evaluate(() => window.tk.consent.get());
    const heardAt = await other.evaluate(
      () => window.harness.consentChanges.find((change) => change.state === 'denied')?.at,
    );
    const storage = await other.evaluate(() => window.harness.storage());
    const otherStatus = await other.evaluate(() => window.tk.status());
    // Closing the other tab must not beacon anything either.
    await other.close({ runBeforeUnload: true });
    await pause(300);

    const requests = suite.server.requests;
    const after = requests.filter((request) => request.at > deniedAt);
    const last = requests.at(-1)?.at ?? deniedAt;
    report('6 revoke in one tab', {
      requestsBeforeDeny: requests.length - after.length,
      requestsAfterDeny: after.length,
      msFromDenyToLastRequest: last - deniedAt,
      msUntilOtherTabHeardOfDeny: heardAt === undefined ? null : heardAt - deniedAt,
      otherConsent,
      otherStatus,
      storage,
    });
    expect(otherConsent).toBe('denied');
    // A request already on the wire at the deny instant may land a moment later (the margin
    // allows for a loaded CI machine); nothing may be sent once the decision has reached the
    // tab, a few ms later through the `storage` event.
    expect(after.every((request) => request.at - deniedAt < 250)).toBe(true);
    expect(storage.databases).toEqual([]);
    expect(storage.localStorageKeys).toEqual(['telemetry-kit:consent']);
    expect(otherStatus).toMatchObject({ consent: 'denied', storage: 'none', queued: 0 });
  });

  // Each tab remembers the events it staged for its page-hide beacon; tabs announce what they
  // claim from the shared queue (BroadcastChannel) so the beacon skips what went elsewhere.
  it('closing a tab does not resend events another tab already delivered', async () => {
    const context = await suite.newContext();
    const tabs = await openTabs(context, 2);
    await grantEverywhere(tabs);
    await Promise.all(
      tabs.map((tab, i) =>
        tab.evaluate((prefix) => window.harness.startTicking(prefix, 50), `t${i}-`),
      ),
    );
    await pause(2_500);
    const tracked = (
      await Promise.all(tabs.map((tab) => tab.evaluate(() => window.harness.stopTicking())))
    ).flat();
    await waitFor('every event to arrive', () =>
      tracked.every((label) => acceptedLabels(suite.server.requests).has(label)),
    );
    const beforeClose = suite.server.requests.length;
    for (const tab of tabs) await tab.close({ runBeforeUnload: true });
    await pause(300);
    const resent = eventsOnWire(suite.server.requests.slice(beforeClose)).length;
    report('tab close resends delivered events', { tracked: tracked.length, resent });
    expect(resent).toBe(0);
  });
});
