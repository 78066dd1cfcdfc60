import { IDBFactory } from 'fake-indexeddb';
import { createTelemetry } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { databaseNames, makeClient, recordingTransport, sleep, storageKeys } from './harness.js';

describe('consent gates every emission', () => {
  it('sends nothing, opens no database and writes no key or cookie before consent is granted', async () => {
    const { client, batches, beacons, indexedDB } = makeClient(
      { pageViews: true, captureErrors: true },
      { grant: false },
    );
    for (let i = 0; i < 50; i++) client.track('button.click', { i });
    client.page('/pricing');
    client.featureUsed('export');
    client.componentMounted('Button', { variant: 'primary' });
    client.identify('user-42');
    await client.flush();
    window.dispatchEvent(new Event('pagehide'));
    await sleep(50);

    expect(batches).toHaveLength(0);
    expect(beacons).toHaveLength(0);
    expect(await databaseNames(indexedDB)).toEqual([]);
    expect(storageKeys()).toEqual([]);
    expect(document.cookie).toBe('');
    expect(client.status()).toMatchObject({ consent: 'unknown', storage: 'none' });
  });

  it('stores only the decision when the user declines', async () => {
    const { client, indexedDB, batches } = makeClient({}, { grant: false });
    client.track('a');
    client.consent.deny();
    client.track('b');
    await client.flush();
    expect(storageKeys()).toEqual(['telemetry-kit:consent']);
    expect(JSON.parse(localStorage.getItem('telemetry-kit:consent')!)).toMatchObject({
      state: 'denied',
      policy_version: 1,
    });
    expect(await databaseNames(indexedDB)).toEqual([]);
    expect(batches).toHaveLength(0);
  });

  it('sends events held before the decision once consent is granted', async () => {
    const { client, received } = makeClient({}, { grant: false });
    client.track('before.grant', { n: 1 });
    client.consent.grant();
    await client.flush();
    expect(received().map((event) => event.event_type)).toEqual(['session.start', 'before.grant']);
  });

  it('holds at most 100 events before a decision, keeping the newest', async () => {
    const { client, received } = makeClient({}, { grant: false });
    for (let i = 0; i < 150; i++) client.track('held', { i });
    client.consent.grant();
    await client.flush();
    const held = received().filter((event) => event.event_type === 'held');
    expect(held).toHaveLength(100);
    expect(Math.min(...held.map((event) => Number(event.metadata.i)))).toBe(50);
  });

  it('discards the held events when the user declines', async () => {
    const { client, received } = makeClient({}, { grant: false });
    client.track('secret.before.deny');
    client.consent.deny();
    client.consent.grant();
    client.track('after.grant');
    await client.flush();
    expect(received().map((event) => event.event_type)).toEqual(['session.start', 'after.grant']);
  });

  it('treats Global Privacy Control as denied, until the user grants explicitly', async () => {
    Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true });
    try {
      const { client, received } = makeClient({}, { grant: false });
      expect(client.consent.get()).toBe('denied');
      client.track('ignored');
      client.consent.grant();
      client.track('kept');
      await client.flush();
      expect(received().map((event) => event.event_type)).toEqual(['session.start', 'kept']);
    } finally {
      Reflect.deleteProperty(navigator, 'globalPrivacyControl');
    }
  });

  it("treats navigator.doNotTrack === '1' as denied unless respectDoNotTrack is false", () => {
    Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true });
    try {
      expect(makeClient({}, { grant: false }).client.consent.get()).toBe('denied');
      expect(
        makeClient(
          { consent: { respectDoNotTrack: false } },
          { grant: false },
        ).client.consent.get(),
      ).toBe('unknown');
    } finally {
      Reflect.deleteProperty(navigator, 'doNotTrack');
    }
  });

  it('asks again when the policy version changes', () => {
    makeClient({ consent: { policyVersion: 1 } }).client.consent.grant();
    expect(
      makeClient({ consent: { policyVersion: 1 } }, { grant: false }).client.consent.get(),
    ).toBe('granted');
    expect(
      makeClient({ consent: { policyVersion: 2 } }, { grant: false }).client.consent.get(),
    ).toBe('unknown');
  });

  it('deny() deletes the database, the queue and the ids', async () => {
    const { client, indexedDB } = makeClient({
      transport: recordingTransport(() => 503).transport,
    });
    client.identify('user-1');
    client.track('a');
    await client.flush();
    expect(await databaseNames(indexedDB)).toEqual(['telemetry-kit']);
    expect(storageKeys()).toEqual(
      expect.arrayContaining([
        'telemetry-kit:consent',
        'telemetry-kit:id',
        'telemetry-kit:session',
        'telemetry-kit:user',
      ]),
    );
    client.consent.deny();
    await sleep(50);
    expect(await databaseNames(indexedDB)).toEqual([]);
    expect(storageKeys()).toEqual(['telemetry-kit:consent']);
    expect(await client.pending()).toEqual([]);
    expect(client.status()).toMatchObject({ consent: 'denied', storage: 'none', queued: 0 });
  });

  it('drops counted in the task of a deny() leave no key behind', async () => {
    const { client } = makeClient({ maxQueueSize: 5 });
    await client.flush();
    for (let i = 0; i < 20; i++) client.track('over', { i }); // counted as overflow
    client.consent.deny();
    // Drop counts reach localStorage at the end of the task (a microtask), after the deny.
    await sleep(20);
    expect(storageKeys()).toEqual(['telemetry-kit:consent']);
  });

  it('a revoke in one tab stops another tab at once', async () => {
    const indexedDB = new IDBFactory();
    const tabA = makeClient({ environment: { indexedDB } });
    const tabB = makeClient({ environment: { indexedDB } });
    // Tabs share one queue: whichever tab flushes first sends for both.
    const requests = () => tabA.batches.length + tabB.batches.length;
    tabB.client.track('before.revoke');
    await tabB.client.flush();
    expect(requests()).toBe(1);

    tabA.client.consent.deny();
    // The browser tells other tabs through a storage event; both clients here share a window.
    window.dispatchEvent(new StorageEvent('storage', { key: 'telemetry-kit:consent' }));
    expect(tabB.client.consent.get()).toBe('denied');
    tabB.client.track('after.revoke');
    await tabB.client.flush();
    await sleep(50);
    expect(requests()).toBe(1);
    expect(await databaseNames(indexedDB)).toEqual([]);
  });

  it('checks the stored decision before every request, even without a storage event', async () => {
    const { client, batches } = makeClient();
    client.track('a');
    // Another tab wrote a revoke; no event reached this one yet.
    localStorage.setItem(
      'telemetry-kit:consent',
      JSON.stringify({ state: 'denied', policy_version: 1, decided_at: new Date().toISOString() }),
    );
    await client.flush();
    expect(batches).toHaveLength(0);
  });

  it('a revoke during a flush sends nothing more', async () => {
    let client!: ReturnType<typeof createTelemetry>;
    const recorder = recordingTransport((request) => {
      if (request === 1) client.consent.deny();
      return 200;
    });
    client = makeClient({ transport: recorder.transport, maxBatchSize: 10 }).client;
    for (let i = 0; i < 45; i++) client.track('burst', { i });
    await client.flush();
    await sleep(50);
    expect(recorder.batches).toHaveLength(1);
    expect(await client.pending()).toEqual([]);
  });

  it('subscribe() reports changes and returns its unsubscribe', () => {
    const { client } = makeClient({}, { grant: false });
    const seen: string[] = [];
    const unsubscribe = client.consent.subscribe((state) => seen.push(state));
    client.consent.grant();
    unsubscribe();
    client.consent.deny();
    expect(seen).toEqual(['granted']);
    expect(client.consent.receipt()).toMatchObject({ state: 'denied', policy_version: 1 });
  });

  it('every batch carries the consent receipt', async () => {
    const { client, batches } = makeClient({ consent: { policyVersion: 3 } });
    client.track('a');
    await client.flush();
    const receipt = client.consent.receipt();
    expect(batches[0]?.consent).toEqual({ policy_version: 3, granted_at: receipt?.decided_at });
  });

  it('is inert where there is no DOM', async () => {
    const client = createTelemetry({
      serviceName: 'ssr',
      endpoint: 'https://collector.invalid/v1/events',
      environment: { window: undefined, document: undefined },
    });
    client.track('x');
    expect(client.status()).toMatchObject({ storage: 'none', queued: 0 });
    await expect(client.flush()).resolves.toEqual({ delivered: 0, pending: 0 });
  });
});

describe('a revoke during a write', () => {
  it('counts nothing as queued once the queue is gone, even when a write lands after the revoke', async () => {
    const { client, indexedDB } = makeClient({ maxQueueSize: 20_000 });
    await client.flush();
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 2_000; i++) client.track('racing', { i });
      // The engine admits the burst 20 ms later and starts writing it; revoke mid-write.
      await sleep(20 + round);
      client.consent.deny();
      await sleep(50);
      expect(client.status()).toMatchObject({ consent: 'denied', storage: 'none', queued: 0 });
      expect(await databaseNames(indexedDB)).toEqual([]);
      client.consent.grant();
      await client.flush();
    }
  });
});
