import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEVICE_KEYS } from '../../src/storage/deviceKeys.js';
// Only to prove the scenario below reaches every key the library knows of.
import { ERASED_KEYS } from '../../src/storage/eraseDeviceKeys.js';
import { setUpBrowserSuite } from './support/suite.js';
import { setVisibility } from './support/visibility.js';
import { acceptedEvents, pause, report, waitFor } from './support/wire.js';

const suite = setUpBrowserSuite();

/**
 * Flushes only when the test asks; a queue of 20 so that a burst overflows it; batches larger
 * than the burst so that it does not trigger a flush of its own; and a destination (the
 * harness's card library's maintainers, on the same test server) with a lane of its own.
 */
const options = () => ({
  flushIntervalMs: 600_000,
  maxQueueSize: 20,
  maxBatchSize: 50,
  destinations: [
    {
      name: 'harness-ui maintainers',
      endpoint: `${suite.server.origin}/v1/library/events`,
      libraries: ['harness-ui'],
    },
  ],
});
const EVERY_KEY = Object.values(DEVICE_KEYS).map((name) => `telemetry-kit:${name}`);

/**
 * Writes through every public path that keeps something on the device: consent, the event
 * methods (real clicks on the harness's buttons), `identify()`, a delivered flush, a batch in
 * flight when the page is hidden (its beacon goes out: `beaconed`) and answered 503 with
 * Retry-After (`retry_at`), then a burst beyond `maxQueueSize` (`dropped`). Returns the storage
 * the page saw then.
 */
async function driveEveryPath(page: Page) {
  await page.evaluate(() => window.tk.consent.grant());
  for (const name of ['Track a click', 'Toggle dark mode', 'Mount a card'])
    await page.getByRole('button', { name }).click();
  await page.evaluate(() => {
    window.tk.page('/pricing');
    window.tk.featureUsed('export', { format: 'csv' });
    window.tk.captureError(new TypeError('cannot read the order'));
    window.tk.identify('user-1');
    return window.tk.flush();
  });

  // The collector goes down while a batch is in flight, and the page is hidden meanwhile: the
  // beacon still goes out (no failure is known yet), then the batch is answered 503.
  suite.server.answer((request) =>
    request.headers['sec-fetch-mode'] === 'no-cors'
      ? { status: 202 }
      : { status: 503, headers: { 'Retry-After': '3600' }, delayMs: 1_500 },
  );
  const sent = suite.server.requests.length;
  await page.evaluate(() => {
    window.tk.track('before.outage');
    void window.tk.flush();
  });
  await waitFor('the batch to be in flight', () => suite.server.requests.length > sent);
  const stored = (await page.evaluate(() => window.harness.storedEventCount())) ?? 0;
  await page.evaluate(() => window.tk.track('stored.before.hide'));
  // The beacon log names events by the stored segment that holds them: stored first.
  await waitFor(
    'the event to be stored',
    async () => ((await page.evaluate(() => window.harness.storedEventCount())) ?? 0) > stored,
  );
  await setVisibility(page, 'hidden');
  await waitFor('the beacon', () => suite.server.requests.some((r) => r.by === 'beacon'));
  await setVisibility(page, 'visible');
  await waitFor('the 503', () => page.evaluate(() => window.tk.status().lastError !== null));

  await page.evaluate(() => window.harness.trackMany('burst-', 30));
  await waitFor('the drop count to be stored', async () =>
    (await page.evaluate(() => window.harness.storage())).localStorageKeys.includes(
      'telemetry-kit:dropped',
    ),
  );
  return page.evaluate(() => window.harness.storage());
}

/** A page that has gone through every public path, and the proof that it wrote every key. */
async function pageThatWroteEverything() {
  const context = await suite.newContext();
  const page = await suite.open(context, options());
  const before = await driveEveryPath(page);
  const lanes = JSON.parse(
    (await page.evaluate(() => localStorage.getItem('telemetry-kit:lanes'))) ?? '[]',
  ) as string[];
  expect(lanes).toHaveLength(1);
  const lane = lanes[0];
  // The destination's lane keeps its own ids (and whatever delivery state it needed).
  const laneKeys = before.localStorageKeys.filter((key) => key.endsWith(`@${lane}`));
  expect(laneKeys).toEqual(
    expect.arrayContaining([`telemetry-kit:id@${lane}`, `telemetry-kit:session@${lane}`]),
  );
  expect(before).toEqual({
    localStorageKeys: [...EVERY_KEY, ...laneKeys].sort(),
    cookie: '',
    databases: ['telemetry-kit', `telemetry-kit@${lane}`],
  });
  return { context, page, before, lane };
}

describe('deny() and forget() leave nothing on the device (real Chromium)', () => {
  it('deny() leaves only the decision: no id, no queue, no delivery state, no database; a reload sends nothing', async () => {
    const { context, page, before, lane } = await pageThatWroteEverything();
    const laneId = await page.evaluate(
      (key) => localStorage.getItem(key),
      `telemetry-kit:id@${lane}`,
    );
    for (const name of ERASED_KEYS)
      expect(before.localStorageKeys).toContain(`telemetry-kit:${name}`);

    // Taken before the call: the destination's deletion request may arrive in the same
    // millisecond as the call returns.
    const deniedAt = await page.evaluate(() => {
      const at = Date.now();
      window.tk.consent.deny();
      return at;
    });
    await waitFor(
      'the database to be deleted',
      async () =>
        ((await page.evaluate(() => window.harness.storage())).databases ?? []).length === 0,
    );
    await waitFor('the destination to be asked to delete its id', () =>
      suite.server.requests.some(
        (request) =>
          request.method === 'DELETE' && request.path === `/v1/library/subjects/${laneId}`,
      ),
    );
    await pause(300);
    const after = await page.evaluate(() => window.harness.storage());
    const receipt = await page.evaluate(() => localStorage.getItem('telemetry-kit:consent'));
    const pending = await page.evaluate(() => window.tk.pending());

    // The next page load: the decision stands, nothing is stored, opened or sent.
    await page.reload();
    await page.waitForFunction(() => window.tk !== undefined);
    const consentOnReload = await page.evaluate(() => window.tk.consent.get());
    await page.evaluate(() => {
      window.harness.trackMany('after-deny-', 5);
      window.tk.identify('user-1');
      return window.tk.flush();
    });
    await setVisibility(page, 'hidden');
    await pause(300);
    const afterReload = await page.evaluate(() => window.harness.storage());
    await page.goto(`${suite.server.origin}/blank.html`);
    await pause(300);
    const afterDeny = suite.server.requests.filter((request) => request.at >= deniedAt);
    // The one request after a revoke: the destination is asked to delete its own id.
    const sentAfterDeny = afterDeny.filter(
      (request) => request.path !== `/v1/library/subjects/${laneId}`,
    );

    report('deny() leaves only the decision', {
      keysBefore: before.localStorageKeys.length,
      requestsBefore: suite.server.requests.length - sentAfterDeny.length,
      after,
      afterReload,
      requestsAfterDeny: sentAfterDeny.length,
    });
    expect(after).toEqual({
      localStorageKeys: ['telemetry-kit:consent'],
      cookie: '',
      databases: [],
    });
    expect(JSON.parse(receipt ?? 'null')).toMatchObject({ state: 'denied', policy_version: 1 });
    expect(pending).toEqual([]);
    expect(consentOnReload).toBe('denied');
    expect(afterReload).toEqual(after);
    expect(sentAfterDeny).toEqual([]);
    expect(afterDeny.map((request) => `${request.method} ${request.path}`)).toEqual([
      `DELETE /v1/library/subjects/${laneId}`,
    ]);
    expect(await context.cookies()).toEqual([]);
  });

  it('forget() deletes the local data and asks the collector to delete the old id; the next event has new ids', async () => {
    const { page, before, lane } = await pageThatWroteEverything();
    const oldId = await page.evaluate(() => localStorage.getItem('telemetry-kit:id'));
    const laneId = await page.evaluate(
      (key) => localStorage.getItem(key),
      `telemetry-kit:id@${lane}`,
    );
    const oldSession = acceptedEvents(suite.server.requests).at(-1)?.session_id;
    suite.server.answer({ status: 202 });

    const forgottenAt = Date.now();
    // Read in the same task as the forget's end: a later event may create the database again.
    const after = await page.evaluate(async () => {
      await window.tk.forget();
      return window.harness.storage();
    });
    const receipt = await page.evaluate(() => localStorage.getItem('telemetry-kit:consent'));
    const deletions = suite.server.requests.filter((request) => request.method === 'DELETE');

    // The next page load sends nothing from before the forget.
    await page.reload();
    await page.waitForFunction(() => window.tk !== undefined);
    await page.evaluate(() => window.tk.flush());
    await pause(300);
    const sentOnReload = suite.server.requests.filter(
      (request) => request.at > forgottenAt && request.method === 'POST',
    );
    await page.evaluate(() => {
      window.tk.track('after.forget');
      return window.tk.flush();
    });
    const next = acceptedEvents(suite.server.requests).find(
      (event) => event.event_type === 'after.forget',
    );

    report('forget() leaves only the decision', {
      keysBefore: before.localStorageKeys.length,
      after,
      deletions: deletions.map((request) => request.path),
      requestsOnReload: sentOnReload.length,
    });
    expect(after).toEqual({
      localStorageKeys: ['telemetry-kit:consent'],
      cookie: '',
      databases: [],
    });
    expect(JSON.parse(receipt ?? 'null')).toMatchObject({ state: 'granted', policy_version: 1 });
    expect(oldId).toBeTruthy();
    expect(deletions.map((request) => request.path).sort()).toEqual(
      [`/v1/subjects/${oldId}`, `/v1/library/subjects/${laneId}`].sort(),
    );
    expect(sentOnReload).toEqual([]);
    expect(next?.anonymous_id).toBeTruthy();
    expect(next?.anonymous_id).not.toBe(oldId);
    expect(next?.session_id).not.toBe(oldSession);
    expect(next?.user_id).toBeUndefined();
  });
});
