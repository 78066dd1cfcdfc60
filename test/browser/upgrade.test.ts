import { describe, expect, it } from 'vitest';
import { writeReleaseQueue } from '../support/writeReleaseQueue.js';
import { setUpBrowserSuite } from './support/suite.js';
import { acceptedEvents, report, waitFor } from './support/wire.js';

const suite = setUpBrowserSuite();

describe('an upgrade from the release before batch segments (real Chromium)', () => {
  it('a queue written by release 0.1.0 (a record per event, leases and all) is delivered whole, in order, once', async () => {
    const context = await suite.newContext();
    // The previous release ran on this origin: its queue, and the user's consent under it.
    const earlier = await context.newPage();
    await earlier.goto(`${suite.server.origin}/blank.html`);
    const written = await earlier.evaluate(writeReleaseQueue, {
      name: 'telemetry-kit',
      count: 1_500,
      leased: 100,
    });
    await earlier.evaluate(() =>
      localStorage.setItem(
        'telemetry-kit:consent',
        JSON.stringify({
          state: 'granted',
          policy_version: 1,
          decided_at: new Date().toISOString(),
        }),
      ),
    );
    await earlier.close();

    const page = await suite.open(context);
    const released = () =>
      acceptedEvents(suite.server.requests).filter((event) => event.event_type === 'release.event');
    await waitFor('the earlier queue to arrive', () => released().length >= written.length);
    await waitFor(
      'the upgraded queue to be empty',
      async () => (await page.evaluate(() => window.harness.storedEventCount())) === 0,
    );
    const database = await page.evaluate(async () =>
      (await indexedDB.databases()).find((info) => info.name === 'telemetry-kit'),
    );
    report('upgrade from 0.1.0', {
      written: written.length,
      delivered: released().length,
      batches: suite.server.requests.filter((request) => request.batch).length,
      databaseVersion: database?.version,
    });
    expect(released().map((event) => event.id)).toEqual(written);
    expect(database?.version).toBe(3);
  });
});
