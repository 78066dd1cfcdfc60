import { IDBFactory } from 'fake-indexeddb';
import type { TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { openIndexedDbStore } from '../../src/storage/openIndexedDbStore.js';
import {
  eventsOf,
  type QueueStore,
  type Segment,
  segmentOf,
} from '../../src/storage/queueStore.js';
import { writeReleaseQueue } from '../support/writeReleaseQueue.js';
import { testEvent } from './harness.js';

const event = (id: string) => testEvent(id, 'test');
/** A segment of one event, named after it: `s` + the event id. */
const single = (id: string): Segment => segmentOf(`s${id}`, [event(id)]);
const ids = (events: TelemetryEvent[]) => events.map((e) => e.id);
const claimedIds = (claim: { segments: Segment[] }) =>
  claim.segments.flatMap((segment) => ids(eventsOf(segment)));

async function open(factory = new IDBFactory()): Promise<QueueStore> {
  const store = await openIndexedDbStore(factory, 'leases-test');
  if (!store) throw new Error('no store');
  return store;
}

describe('the IndexedDB store', () => {
  it('leases claimed segments: another claim skips them until the lease ends or is released', async () => {
    const store = await open();
    await store.append(['a', 'b', 'c', 'd', 'e'].map(single), 1_000, 100);

    const first = await store.claim(2, 2_000, 30_000, 0);
    expect(claimedIds(first)).toEqual(['a', 'b']);
    // A second tab, at the same moment: the next segments, never the held ones.
    expect(claimedIds(await store.claim(2, 2_001, 30_000, 0))).toEqual(['c', 'd']);
    await store.release(['sa']);
    expect(claimedIds(await store.claim(5, 2_002, 30_000, 0))).toEqual(['a', 'e']);
    // Past every lease, everything not yet removed can be claimed again.
    await store.remove(['sb', 'sc']);
    expect(claimedIds(await store.claim(5, 40_000, 30_000, 0))).toEqual(['a', 'd', 'e']);
    expect(await store.count()).toBe(3);
    store.close();
  });

  it('claims whole segments, as many as fit in the batch, and at least one', async () => {
    const store = await open();
    const segment = (id: string, count: number): Segment =>
      segmentOf(
        id,
        Array.from({ length: count }, (_, i) => event(`${id}-${i}`)),
      );
    await store.append([segment('x', 3), segment('y', 3), segment('z', 8)], 1_000, 100);
    expect((await store.claim(7, 2_000, 30_000, 0)).segments.map((s) => s.id)).toEqual(['x', 'y']);
    // Larger than the batch on its own: it still goes, whole, rather than never.
    expect((await store.claim(5, 2_000, 30_000, 0)).segments.map((s) => s.id)).toEqual(['z']);
    expect(await store.count()).toBe(14);
    store.close();
  });

  it('deletes segments older than the age limit instead of claiming them, and counts their events', async () => {
    const store = await open();
    await store.append([segmentOf('old', [event('old1'), event('old2')])], 1_000, 100);
    await store.append([single('new')], 5_000, 100);
    const claimed = await store.claim(10, 6_000, 30_000, 4_000);
    expect(claimedIds(claimed)).toEqual(['new']);
    expect(claimed.expired).toBe(2);
    expect(ids(await store.all())).toEqual(['new']);
    store.close();
  });

  it('deletes some events of a segment and keeps the rest of it', async () => {
    const store = await open();
    await store.append([segmentOf('x', [event('a'), event('b'), event('c')])], 1_000, 100);
    await store.append([single('d')], 2_000, 100);
    await store.removeEvents({ x: ['a', 'c'], sd: ['d'] });
    expect(ids(await store.all())).toEqual(['b']);
    expect(await store.count()).toBe(1);
    store.close();
  });

  it('drops the oldest events beyond the bound, down to single events of the oldest segment', async () => {
    const store = await open();
    await store.append([segmentOf('x', [event('a'), event('b'), event('c')])], 1_000, 5);
    const result = await store.append(
      [segmentOf('y', [event('d'), event('e'), event('f'), event('g')])],
      2_000,
      5,
    );
    expect(result).toEqual({ dropped: 2, size: 5 });
    expect(ids(await store.all())).toEqual(['c', 'd', 'e', 'f', 'g']);
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
    const claimed = await store.claim(10, 2, 30_000, 0);
    expect(claimedIds(claimed)).toEqual(['v1']);
    await store.remove(claimed.segments.map((segment) => segment.id));
    expect(await store.count()).toBe(0);
    store.close();
  });

  it('opens a queue written by the release before segments (version 2), in its order, leases and all', async () => {
    const factory = new IDBFactory();
    // 250 events as release 0.1.0 wrote them, the first 20 leased by a tab that then closed.
    const written = await writeReleaseQueue({
      factory,
      name: 'leases-test',
      count: 250,
      leased: 20,
      queuedAt: 1_000,
    });
    const store = await open(factory);
    expect(await store.count()).toBe(250);
    expect(ids(await store.all())).toEqual(written);
    const sent: string[] = [];
    for (;;) {
      const claimed = await store.claim(100, 10_000, 30_000, 0);
      if (!claimed.segments.length) break;
      sent.push(...claimedIds(claimed));
      await store.remove(claimed.segments.map((segment) => segment.id));
    }
    expect(sent).toEqual(written);
    expect(await store.count()).toBe(0);
    store.close();
  });
});
