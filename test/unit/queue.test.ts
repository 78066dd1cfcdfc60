import { IDBDatabase, IDBFactory, IDBObjectStore } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { databaseNames, eventually, makeClient, recordingTransport, sleep } from './harness.js';

describe('the queue', () => {
  it('persists 10,000 events in a handful of transactions', async () => {
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    try {
      const { client } = makeClient({
        maxQueueSize: 20_000,
        transport: recordingTransport(() => 503).transport,
      });
      await client.flush(); // opens the database and settles the start-up flush
      transactions.mockClear();
      for (let i = 0; i < 10_000; i++) client.track('burst', { i });
      await sleep(0);
      await (await client.pending()).length;
      const writes = transactions.mock.calls.filter(([, mode]) => mode === 'readwrite').length;
      expect(writes).toBeLessThanOrEqual(10);
      expect(await client.pending()).toHaveLength(10_001); // plus session.start
      expect(client.status().queued).toBe(10_001);
    } finally {
      transactions.mockRestore();
    }
  });

  it('a burst the engine admits on its own timers is written in at most 10 transactions', {
    timeout: 15_000,
  }, async () => {
    const transactions = vi.spyOn(IDBDatabase.prototype, 'transaction');
    try {
      const { client, received } = makeClient({ maxQueueSize: 20_000 });
      client.track('warm-up'); // starts the session: the burst is then 10,000 events exactly
      await client.flush();
      transactions.mockClear();
      // No flush, no pending(): the engine's admission tasks take the drafts 500 at a time, and
      // the batches that fill up meanwhile (100 events each) ask for a flush, which must wait
      // for the admission's end instead of persisting a partial chunk in a transaction of its
      // own. Appends are the transactions on the events store alone.
      for (let i = 0; i < 10_000; i++) client.track('burst', { i });
      await eventually(
        () =>
          expect(received().filter((event) => event.event_type === 'burst')).toHaveLength(10_000),
        10_000,
      );
      const appends = transactions.mock.calls.filter(
        ([stores, mode]) => stores === 'events' && mode === 'readwrite',
      ).length;
      expect(appends).toBeLessThanOrEqual(10);
    } finally {
      transactions.mockRestore();
    }
  });

  it('tabs share one queue and never send the same event twice', async () => {
    const indexedDB = new IDBFactory();
    const tabs = [0, 1, 2].map(() => makeClient({ environment: { indexedDB }, maxBatchSize: 20 }));
    for (let round = 0; round < 10; round++) {
      for (const [index, tab] of tabs.entries()) {
        for (let i = 0; i < 15; i++) tab.client.track('tab.event', { tab: index, round, i });
      }
      // Every tab flushes at once: each must claim different events.
      await Promise.all(tabs.map((tab) => tab.client.flush()));
    }
    const ids = tabs
      .flatMap((tab) => tab.received())
      .filter((event) => event.event_type === 'tab.event')
      .map((event) => event.id);
    expect(ids).toHaveLength(3 * 10 * 15);
    expect(new Set(ids).size).toBe(ids.length);
    // The work was shared: more than one tab sent batches.
    expect(tabs.filter((tab) => tab.batches.length > 0).length).toBeGreaterThan(1);
  });

  it('survives a reload: events stored by one page are sent by the next', async () => {
    const indexedDB = new IDBFactory();
    const first = makeClient({
      environment: { indexedDB },
      transport: recordingTransport(() => 503).transport,
    });
    first.client.track('before.reload');
    await first.client.shutdown();

    const second = makeClient({ environment: { indexedDB } });
    await second.client.flush();
    expect(second.received().map((event) => event.event_type)).toEqual([
      'session.start',
      'before.reload',
    ]);
    expect(await second.client.pending()).toEqual([]);
  });

  it('drops the oldest on overflow and reports the count in the next batch', async () => {
    const recorder = recordingTransport((request) => (request === 1 ? 503 : 200));
    const { client } = makeClient({
      maxQueueSize: 100,
      maxBatchSize: 50,
      transport: recorder.transport,
    });
    for (let i = 0; i < 150; i++) client.track('overflow', { i });
    await client.flush(); // 503: everything stays queued, bounded to 100
    expect(client.status().dropped.overflow).toBe(51); // session.start and i = 0..49
    await client.flush();
    const delivered = recorder.batches.slice(1);
    expect(delivered[0]?.dropped).toEqual({ overflow: 51 });
    expect(delivered[1]?.dropped).toEqual({});
    const kept = delivered.flatMap((batch) => batch.events).map((event) => event.metadata.i);
    expect(kept).toEqual(Array.from({ length: 100 }, (_, i) => i + 50));
  });

  it('a single task that overfills the buffer many times over keeps the newest and counts the rest', async () => {
    const { client, received } = makeClient({ maxQueueSize: 100, maxBatchSize: 100 });
    await client.flush(); // the session has started: only the burst is in the buffer
    const setItem = vi.spyOn(localStorage, 'setItem');
    try {
      for (let i = 0; i < 5_000; i++) client.track('flood', { i });
      expect(client.status().queued).toBe(100);
      expect(client.status().dropped.overflow).toBe(4_900);
      await Promise.resolve();
      // The drop counts reached localStorage once for the whole task, not once per drop.
      expect(setItem.mock.calls.filter(([key]) => key === 'telemetry-kit:dropped')).toHaveLength(1);
      expect(JSON.parse(localStorage.getItem('telemetry-kit:dropped') ?? '{}')).toEqual({
        overflow: 4_900,
      });
    } finally {
      setItem.mockRestore();
    }
    await client.flush();
    const kept = received()
      .filter((event) => event.event_type === 'flood')
      .map((event) => event.metadata.i);
    expect(kept).toEqual(Array.from({ length: 100 }, (_, i) => i + 4_900));
  });

  it('reports drops counted by a page that closed before it could deliver', async () => {
    const indexedDB = new IDBFactory();
    const closed = makeClient({
      environment: { indexedDB },
      maxQueueSize: 10,
      transport: recordingTransport(() => 503).transport,
    });
    for (let i = 0; i < 15; i++) closed.client.track('a', { i });
    await closed.client.shutdown();
    const next = makeClient({ environment: { indexedDB }, maxQueueSize: 10 });
    await next.client.flush();
    expect(next.batches[0]?.dropped).toEqual({ overflow: 6 });
    expect(next.received()).toHaveLength(10);
    expect(localStorage.getItem('telemetry-kit:dropped')).toBeNull();
  });

  it('falls back to memory when IndexedDB is missing', async () => {
    const { client, received } = makeClient({ environment: { indexedDB: undefined } });
    client.track('a');
    await client.flush();
    expect(client.status().storage).toBe('memory');
    expect(received().map((event) => event.event_type)).toEqual(['session.start', 'a']);
  });

  it('falls back to memory when IndexedDB cannot be opened', async () => {
    const broken = new IDBFactory();
    broken.open = () => {
      throw new DOMException('blocked', 'SecurityError');
    };
    const { client, received } = makeClient({ environment: { indexedDB: broken } });
    client.track('a');
    await client.flush();
    expect(client.status().storage).toBe('memory');
    expect(received()).toHaveLength(2);
  });

  it('falls back to memory on a quota error, losing nothing and throwing nothing', async () => {
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError');
    });
    try {
      const { client, received } = makeClient();
      for (let i = 0; i < 5; i++) client.track('a', { i });
      await client.flush();
      expect(client.status().storage).toBe('memory');
      expect(client.status().lastError).toBeNull();
      expect(received().filter((event) => event.event_type === 'a')).toHaveLength(5);
    } finally {
      put.mockRestore();
    }
  });

  it('drops events older than maxEventAgeMs unsent and counts them', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const indexedDB = new IDBFactory();
    const offline = makeClient({
      environment: { indexedDB, now: () => now },
      transport: recordingTransport(() => 503).transport,
      maxEventAgeMs: 60_000,
    });
    offline.client.track('stale');
    await offline.client.shutdown();
    now += 120_000;
    const online = makeClient({
      environment: { indexedDB, now: () => now },
      maxEventAgeMs: 60_000,
    });
    online.client.track('fresh');
    await online.client.flush();
    const types = online.received().map((event) => event.event_type);
    expect(types).toContain('fresh');
    expect(types).not.toContain('stale');
    expect(online.client.status().dropped.expired).toBe(2); // stale + its session.start
    expect(online.batches.at(-1)?.dropped).toEqual({ expired: 2 });
    expect(await databaseNames(indexedDB)).toEqual(['telemetry-kit']);
  });
});

describe('overflow accounting', () => {
  it('counts each event lost to overflow once, also when tracking goes on during a write', async () => {
    const { client } = makeClient({
      maxQueueSize: 1_000,
      transport: recordingTransport(() => 503).transport,
    });
    await client.flush();
    let tracked = 1; // session.start
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 1_500; i++, tracked++) client.track('burst', { round, i });
      await sleep(25); // the persist timer fired: a 1,000-event write is under way
    }
    await client.flush();
    const stored = (await client.pending()).length;
    expect(stored).toBe(1_000);
    expect(client.status().dropped.overflow).toBe(tracked - stored);
  });
});
