import { IDBFactory } from 'fake-indexeddb';
import type { ConsentReceipt, TelemetryClient, TelemetryOptions, Transport } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { DEVICE_KEYS } from '../../src/storage/deviceKeys.js';
// Only to prove the scenario below reaches every key the library knows of.
import { ERASED_KEYS } from '../../src/storage/eraseDeviceKeys.js';
import {
  type Answer,
  databaseNames,
  eventually,
  makeClient,
  recordingTransport,
  sleep,
  storageKeys,
} from './harness.js';

/** The page goes to the background, as in beacon.test.ts. */
const hide = () => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  Reflect.deleteProperty(document, 'visibilityState');
};

/**
 * A collector that answers 200, except that one answer can be held back and then given as the
 * test says: a request in flight while the page is hidden, answered 503 afterwards.
 */
function slowCollector() {
  let nextAnswer: Answer = 200;
  const recorder = recordingTransport(() => {
    const answer = nextAnswer;
    nextAnswer = 200;
    return answer;
  });
  let gate: Promise<void> = Promise.resolve();
  let waiting = 0;
  const transport: Transport = {
    ...recorder.transport,
    async send(body, options) {
      waiting++;
      await gate;
      waiting--;
      return recorder.transport.send(body, options);
    },
  };
  return {
    ...recorder,
    transport,
    /** Requests sent and not answered yet. */
    waiting: () => waiting,
    /** Holds the next answer until `answer()`, then gives `answer`. */
    holdNextAnswer(answer: Answer) {
      let open = () => {};
      gate = new Promise((resolve) => (open = resolve));
      return {
        answer() {
          nextAnswer = answer;
          gate = Promise.resolve();
          open();
        },
      };
    },
  };
}

const databaseOf = (storageKey: string | undefined) => storageKey ?? 'telemetry-kit';
const keyOf = (storageKey: string | undefined, name: string) => `${databaseOf(storageKey)}:${name}`;
const receiptOf = (storageKey: string | undefined) =>
  JSON.parse(
    localStorage.getItem(keyOf(storageKey, DEVICE_KEYS.consent)) ?? 'null',
  ) as ConsentReceipt | null;

/**
 * Writes through every public path that keeps something on the device, the way a page's life
 * does: consent, every event method, `identify()`, a delivered flush, a batch in flight when the
 * page is hidden (its beacon goes out: `beaconed`) and answered 503 with Retry-After
 * (`retry_at`), then a burst beyond `maxQueueSize` (`dropped`). The queue database holds what
 * the outage kept.
 */
async function driveEveryPath(
  client: TelemetryClient,
  collector: ReturnType<typeof slowCollector>,
  storageKey?: string,
) {
  client.consent.grant();
  client.track('app.opened', { plan: 'free' });
  client.page('/pricing');
  client.featureToggled('dark-mode', true);
  client.featureUsed('export', { format: 'csv' });
  client.componentMounted('Button', { variant: 'primary' }, { library: '@acme/ui', version: '1' });
  client.captureError(new TypeError('cannot read the order'));
  client.identify('user-1');
  await client.flush();

  const outage = collector.holdNextAnswer({ status: 503, retryAfter: '3600' });
  client.track('before.outage');
  const flushing = client.flush();
  await eventually(() => expect(collector.waiting()).toBe(1));
  client.track('stored.before.hide');
  // Persisted first: the beacon log names events by the stored segment that holds them.
  await sleep(50);
  hide();
  expect(collector.beacons).toHaveLength(1);
  outage.answer();
  await flushing;

  for (let i = 0; i < 30; i++) client.track('burst', { i });
  await eventually(() =>
    expect(localStorage.getItem(keyOf(storageKey, DEVICE_KEYS.dropped))).not.toBeNull(),
  );
}

/**
 * Before the erase: every key the library knows of was written, the destination's lane has its
 * own ids, and both queue databases exist.
 */
async function expectEverythingWritten(indexedDB: IDBFactory, storageKey?: string) {
  await eventually(async () => {
    const lanes = JSON.parse(localStorage.getItem(keyOf(storageKey, DEVICE_KEYS.lanes)) ?? '[]');
    expect(lanes).toHaveLength(1);
    const lane = lanes[0] as string;
    const base = Object.values(DEVICE_KEYS).map((name) => keyOf(storageKey, name));
    const ofLane = storageKeys().filter((key) => key.endsWith(`@${lane}`));
    expect(ofLane).toEqual(
      expect.arrayContaining([
        keyOf(storageKey, `${DEVICE_KEYS.anonymousId}@${lane}`),
        keyOf(storageKey, `${DEVICE_KEYS.session}@${lane}`),
      ]),
    );
    expect(storageKeys()).toEqual([...base, ...ofLane].sort());
    expect((await databaseNames(indexedDB)).sort()).toEqual(
      [databaseOf(storageKey), `${databaseOf(storageKey)}@${lane}`].sort(),
    );
  });
  for (const name of ERASED_KEYS) expect(storageKeys()).toContain(keyOf(storageKey, name));
}

/** A client that has gone through every public path, and the proof that it wrote every key. */
async function clientThatWroteEverything(storageKey: string | undefined) {
  const collector = slowCollector();
  const { client, indexedDB } = makeClient(
    { ...options(storageKey), transport: collector.transport },
    { grant: false },
  );
  await driveEveryPath(client, collector, storageKey);
  await expectEverythingWritten(indexedDB, storageKey);
  return { client, indexedDB, collector };
}

/** After the erase: the decision alone, no database, no cookie. */
async function expectOnlyTheDecision(indexedDB: IDBFactory, storageKey?: string) {
  expect(storageKeys()).toEqual([keyOf(storageKey, DEVICE_KEYS.consent)]);
  expect(await databaseNames(indexedDB)).toEqual([]);
  expect(document.cookie).toBe('');
}

/** The component library's maintainers: a destination of the client `options` configures. */
let library = recordingTransport();
/** Options of the storing client: small limits, and a destination (its own collector). */
const options = (storageKey: string | undefined): Partial<TelemetryOptions> => {
  library = recordingTransport();
  return {
    maxQueueSize: 20,
    maxBatchSize: 50,
    ...(storageKey === undefined ? {} : { storageKey }),
    destinations: [
      { name: '@acme/ui maintainers', transport: library.transport, libraries: ['@acme/ui'] },
    ],
  };
};

describe.each([
  ['the default storage key', undefined],
  ["storageKey: 'custom'", 'custom'],
])('deny() and forget() delete every id and the queue (%s)', (_, storageKey) => {
  it('deny() leaves only the decision: no id, no queue, no delivery state, no database, no cookie', async () => {
    const { client, indexedDB, collector } = await clientThatWroteEverything(storageKey);
    expect((await client.pending()).length).toBeGreaterThan(0);
    const requests = collector.batches.length + collector.beacons.length;

    const libraryId = library.received()[0]?.anonymous_id;
    client.consent.deny();
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual([]));
    // A revoke asks the destination to delete its id too.
    expect(library.deletions).toEqual([libraryId]);
    expect(collector.deletions).toEqual([]);
    // Late writers (drop counts at the end of a task, an identify() hash) had their chance.
    await sleep(50);
    await expectOnlyTheDecision(indexedDB, storageKey);
    expect(receiptOf(storageKey)).toMatchObject({ state: 'denied', policy_version: 1 });
    expect(await client.pending()).toEqual([]);
    expect(client.status()).toMatchObject({ consent: 'denied', storage: 'none', queued: 0 });
    client.track('after.deny');
    await client.flush();
    hide();
    await sleep(50);
    expect(collector.batches.length + collector.beacons.length).toBe(requests);
    await expectOnlyTheDecision(indexedDB, storageKey);
  });

  it('after deny(), the next page load on the device sends nothing and stores nothing', async () => {
    const { client, indexedDB } = await clientThatWroteEverything(storageKey);
    client.consent.deny();
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual([]));
    await client.shutdown();

    const reload = makeClient(
      { ...options(storageKey), environment: { indexedDB } },
      { grant: false },
    );
    expect(reload.client.consent.get()).toBe('denied');
    reload.client.track('next.page');
    reload.client.page('/next');
    reload.client.identify('user-1');
    await reload.client.flush();
    hide();
    await sleep(50);
    expect(reload.batches).toEqual([]);
    expect(reload.beacons).toEqual([]);
    expect(reload.deletions).toEqual([]);
    expect(await reload.client.pending()).toEqual([]);
    await expectOnlyTheDecision(indexedDB, storageKey);
  });

  it('forget() deletes the local data, asks the collector to delete the old id, and later events get new ids', async () => {
    const { client, indexedDB, collector } = await clientThatWroteEverything(storageKey);
    const oldId = localStorage.getItem(keyOf(storageKey, DEVICE_KEYS.anonymousId));
    const oldSession = collector.received().at(-1)?.session_id;
    expect(oldId).toBeTruthy();
    expect(oldSession).toBeTruthy();
    const [mount] = library.received();
    expect(mount).toMatchObject({ event_type: 'component.mount' });
    expect(mount?.anonymous_id).not.toBe(oldId);

    await client.forget();
    // Right after: only the grant is left. (Consent stands, so the next event, or a pending()
    // read, opens a new and empty database.)
    await expectOnlyTheDecision(indexedDB, storageKey);
    expect(receiptOf(storageKey)).toMatchObject({ state: 'granted', policy_version: 1 });
    expect(collector.deletions).toEqual([oldId]);
    // The destination is asked to delete its own id, never the app's.
    expect(library.deletions).toEqual([mount?.anonymous_id]);
    expect(await client.pending()).toEqual([]);

    const batchesBefore = collector.batches.length;
    client.track('after.forget');
    await client.flush();
    const sentAfter = collector.batches.slice(batchesBefore).flatMap((batch) => batch.events);
    // Nothing from before the forget: a new session, then the new event, both under a new id.
    expect(sentAfter.map((event) => event.event_type)).toEqual(['session.start', 'after.forget']);
    const after = sentAfter[1];
    expect(after?.anonymous_id).toBeTruthy();
    expect(after?.anonymous_id).not.toBe(oldId);
    expect(after?.session_id).not.toBe(oldSession);
    expect(after?.user_id).toBeUndefined();
  });
});

describe('deny() in one tab stops every tab of the origin and deletes what they stored', () => {
  it('a revoke from another tab leaves nothing, including what this tab stored', async () => {
    const indexedDB = new IDBFactory();
    const collector = slowCollector();
    const storing = makeClient(
      { ...options(undefined), transport: collector.transport, environment: { indexedDB } },
      { grant: false },
    );
    await driveEveryPath(storing.client, collector, undefined);
    // The other tab loaded after the grant: it shares the decision, the ids and the queue.
    const revoking = makeClient({ environment: { indexedDB } }, { grant: false });
    expect(revoking.client.consent.get()).toBe('granted');
    // It stores an event of its own; a flush there would send the shared queue and clear the
    // shared delivery state, which this test wants to see deleted.
    revoking.client.track('in.the.other.tab');
    await sleep(50);
    await expectEverythingWritten(indexedDB);
    const requests = () =>
      collector.batches.length +
      collector.beacons.length +
      revoking.batches.length +
      revoking.beacons.length;
    const before = requests();

    revoking.client.consent.deny();
    // The browser tells the storing tab through a storage event; both clients share a window.
    window.dispatchEvent(new StorageEvent('storage', { key: 'telemetry-kit:consent' }));
    expect(storing.client.consent.get()).toBe('denied');
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual([]));
    await sleep(50);
    await expectOnlyTheDecision(indexedDB);
    expect(receiptOf(undefined)).toMatchObject({ state: 'denied' });
    expect(await storing.client.pending()).toEqual([]);

    storing.client.track('after.revoke');
    await storing.client.flush();
    hide();
    await sleep(50);
    expect(requests()).toBe(before);
    await expectOnlyTheDecision(indexedDB);
  });

  it('a revoke in a tab that never loaded the delivery code still deletes what another tab stored', async () => {
    const indexedDB = new IDBFactory();
    // Open before the other tab's grant, and never told of it: this tab is still undecided.
    const revoking = makeClient({ environment: { indexedDB } }, { grant: false });
    const collector = slowCollector();
    const storing = makeClient(
      { ...options(undefined), transport: collector.transport, environment: { indexedDB } },
      { grant: false },
    );
    await driveEveryPath(storing.client, collector, undefined);
    await expectEverythingWritten(indexedDB);
    expect(revoking.client.consent.get()).toBe('unknown');
    const before = collector.batches.length + collector.beacons.length;

    revoking.client.consent.deny();
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual([]));
    await sleep(50);
    await expectOnlyTheDecision(indexedDB);
    // No storage event reached the storing tab: it reads the decision before it stores or sends.
    storing.client.track('after.revoke');
    await storing.client.flush();
    hide();
    await sleep(50);
    expect(storing.client.consent.get()).toBe('denied');
    expect(collector.batches.length + collector.beacons.length).toBe(before);
    expect(revoking.batches).toEqual([]);
    await expectOnlyTheDecision(indexedDB);
  });
});

describe('a new policyVersion asks again', () => {
  it('declining it deletes what an earlier visit stored, with no delivery code loaded', async () => {
    const indexedDB = new IDBFactory();
    const collector = slowCollector();
    const earlier = makeClient(
      { ...options(undefined), transport: collector.transport, environment: { indexedDB } },
      { grant: false },
    );
    await driveEveryPath(earlier.client, collector, undefined);
    await expectEverythingWritten(indexedDB);
    await earlier.client.shutdown();

    const next = makeClient(
      { consent: { policyVersion: 2 }, environment: { indexedDB } },
      { grant: false },
    );
    expect(next.client.consent.get()).toBe('unknown');
    next.client.consent.deny();
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual([]));
    await sleep(50);
    await expectOnlyTheDecision(indexedDB);
    expect(receiptOf(undefined)).toMatchObject({ state: 'denied', policy_version: 2 });
    expect(next.batches).toEqual([]);
    expect(next.deletions).toEqual([]);
  });
});
