import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openIndexedDbStore } from '../../src/indexeddb.js';
import type { EventStore } from '../../src/store.js';
import type { TelemetryEvent } from '../../src/types.js';
import { testEvent } from './harness.js';

const event = (id: string) => testEvent(id, 'test');
const ids = (events: TelemetryEvent[]) => events.map((e) => e.id);

async function open(factory = new IDBFactory()): Promise<EventStore> {
  const store = await openIndexedDbStore(factory, 'leases-test');
  if (!store) throw new Error('no store');
  return store;
}

describe('the IndexedDB store', () => {
  it('leases claimed events: another claim skips them until the lease ends or is released', async () => {
    const store = await open();
    await store.append(['a', 'b', 'c', 'd', 'e'].map(event), 1_000, 100);

    const first = await store.claim(2, 2_000, 30_000, 0);
    expect(ids(first.events)).toEqual(['a', 'b']);
    // A second tab, at the same moment: the next events, never the held ones.
    expect(ids((await store.claim(2, 2_001, 30_000, 0)).events)).toEqual(['c', 'd']);
    await store.release(['a']);
    expect(ids((await store.claim(5, 2_002, 30_000, 0)).events)).toEqual(['a', 'e']);
    // Past every lease, everything not yet removed can be claimed again.
    await store.remove(['b', 'c']);
    expect(ids((await store.claim(5, 40_000, 30_000, 0)).events)).toEqual(['a', 'd', 'e']);
    expect(await store.count()).toBe(3);
    store.close();
  });

  it('deletes events older than the age limit instead of claiming them, and counts them', async () => {
    const store = await open();
    await store.append([event('old1'), event('old2')], 1_000, 100);
    await store.append([event('new')], 5_000, 100);
    const claimed = await store.claim(10, 6_000, 30_000, 4_000);
    expect(ids(claimed.events)).toEqual(['new']);
    expect(claimed.expired).toBe(2);
    expect(ids(await store.all())).toEqual(['new']);
    store.close();
  });

  it('opens a queue written by version 1 (leases inside the events) and sends what it holds', async () => {
    const factory = new IDBFactory();
    const request = factory.open('leases-test', 1);
    request.onupgradeneeded = () => {
      const events = request.result.createObjectStore('events', { keyPath: 'id' });
      events.createIndex('queued_at', 'queued_at');
      events.put({ id: 'v1', queued_at: 1, lease_until: 0, event: event('v1') });
    };
    await new Promise((resolve) => (request.onsuccess = resolve));
    request.result.close();

    const store = await open(factory);
    expect(ids((await store.claim(10, 2, 30_000, 0)).events)).toEqual(['v1']);
    await store.remove(['v1']);
    expect(await store.count()).toBe(0);
    store.close();
  });
});
