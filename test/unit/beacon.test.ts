import { IDBFactory } from 'fake-indexeddb';
import type { TelemetryBatch, TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { chunkBodies } from '../../src/delivery/chunkBodies.js';
import { utf8Length } from '../../src/transports/keepalive.js';
import { engineStarted, makeClient, recordingTransport, sleep } from './harness.js';

const hide = () => {
  Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));
  Reflect.deleteProperty(document, 'visibilityState');
};

describe('page hide', () => {
  it('sends undelivered events by sendBeacon when the page is hidden', async () => {
    const { client, beacons, batches } = makeClient();
    await engineStarted(client);
    client.track('right.before.hide');
    hide();
    expect(batches).toHaveLength(0);
    expect(beacons).toHaveLength(1);
    const batch = JSON.parse(beacons[0]!) as TelemetryBatch;
    // Newest first (see createPageHideHandler).
    expect(batch.events.map((event) => event.event_type)).toEqual([
      'right.before.hide',
      'session.start',
    ]);
    expect(batch.consent.policy_version).toBe(1);
    await sleep(50);
    expect(await client.pending()).toEqual([]);
  });

  it('sends on pagehide too, and never the same event twice', async () => {
    const { client, beacons } = makeClient();
    await engineStarted(client);
    client.track('a');
    window.dispatchEvent(new Event('pagehide'));
    hide();
    await sleep(20);
    const ids = beacons.flatMap((body) =>
      (JSON.parse(body) as TelemetryBatch).events.map((event) => event.id),
    );
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(2);
  });

  it('stays within the 64 KB keepalive quota and keeps the rest for later', async () => {
    const { client, beacons, batches } = makeClient({ maxQueueSize: 5_000 });
    await engineStarted(client);
    // ~1 KB of metadata each, multi-byte characters included: bytes, not characters, count.
    for (let i = 0; i < 300; i++)
      client.track('big', { i, text: 'é'.repeat(400), more: 'x'.repeat(200) });
    hide();
    const total = beacons.reduce((sum, body) => sum + utf8Length(body), 0);
    expect(beacons.length).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(64 * 1024);
    const beaconed = beacons.flatMap((body) =>
      (JSON.parse(body) as TelemetryBatch).events.map((event) => event.id),
    );
    await sleep(50);
    // The rest waits in the queue, or went by fetch meanwhile (the batch-size threshold).
    const kept = (await client.pending()).map((event) => event.id);
    const fetched = batches.flatMap((batch) => batch.events.map((event) => event.id));
    expect(beaconed.filter((id) => kept.includes(id) || fetched.includes(id))).toEqual([]);
    expect(new Set([...beaconed, ...kept, ...fetched]).size).toBe(301);
  });

  it('leaves room on pagehide for the visibilitychange that follows (final web vitals)', async () => {
    const { client, beacons } = makeClient({ maxQueueSize: 5_000 });
    await engineStarted(client);
    for (let i = 0; i < 300; i++) client.track('big', { i, text: 'x'.repeat(900) });
    window.dispatchEvent(new Event('pagehide')); // Chromium: pagehide first, page still visible
    const first = beacons.reduce((sum, body) => sum + utf8Length(body), 0);
    expect(first).toBeLessThanOrEqual(48 * 1024);
    client.track('web_vital.final', { name: 'CLS' });
    hide();
    const last = JSON.parse(beacons.at(-1)!) as TelemetryBatch;
    expect(last.events.map((event) => event.event_type)).toContain('web_vital.final');
  });

  it('remembers what a beacon carried, so the next page does not send it again', async () => {
    const indexedDB = new IDBFactory();
    const leaving = makeClient({ environment: { indexedDB } });
    await leaving.client.flush(); // the start-up flush is over: what follows waits for the hide
    for (let i = 0; i < 5; i++) leaving.client.track('a', { i });
    await sleep(50); // persisted
    hide();
    expect(leaving.beacons).toHaveLength(1);
    // The beacon log names the 6 events (session.start and 5) by the segment that holds them.
    const log = JSON.parse(localStorage.getItem('telemetry-kit:beaconed') ?? '{}') as Record<
      string,
      string[]
    >;
    expect(Object.values(log).flat()).toHaveLength(6);
    // The page is torn down before its IndexedDB delete commits: put the segments back.
    const beaconed = (JSON.parse(leaving.beacons[0]!) as TelemetryBatch).events;
    await leaving.client.shutdown();
    const request = indexedDB.open('telemetry-kit');
    await new Promise((resolve) => (request.onsuccess = resolve));
    const tx = request.result.transaction(['segments', 'segment_info'], 'readwrite');
    for (const [segment, ids] of Object.entries(log)) {
      const events = beaconed.filter((event) => ids.includes(event.id));
      tx.objectStore('segments').put({ id: segment, json: JSON.stringify(events) });
      tx.objectStore('segment_info').put({
        id: segment,
        queued_at: 1,
        count: events.length,
        lease_until: 0,
      });
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    request.result.close();

    const next = makeClient({ environment: { indexedDB } });
    await next.client.flush();
    const resent = next.received().filter((event) => beaconed.some((sent) => sent.id === event.id));
    expect(resent).toEqual([]);
    expect(localStorage.getItem('telemetry-kit:beaconed')).toBeNull();
  });

  it('falls back to a keepalive fetch when sendBeacon refuses', async () => {
    const recorder = recordingTransport();
    recorder.refuseBeacons();
    const { client } = makeClient({ transport: recorder.transport });
    await engineStarted(client);
    client.track('a');
    hide();
    await sleep(50);
    expect(recorder.beacons).toHaveLength(0);
    expect(recorder.batches).toHaveLength(1);
    expect(await client.pending()).toEqual([]);
  });

  it('keeps events stored while the collector is failing, even after the backoff delay ran out', async () => {
    let now = Date.now();
    const recorder = recordingTransport(() => 503);
    const { client } = makeClient({
      transport: recorder.transport,
      environment: { now: () => now },
    });
    client.track('a');
    await client.flush();
    now += 10 * 60_000; // the backoff delay is long over; no attempt has succeeded since
    client.track('b');
    hide();
    await sleep(50);
    expect(recorder.beacons).toHaveLength(0);
    expect((await client.pending()).map((event) => event.event_type)).toEqual([
      'session.start',
      'a',
      'b',
    ]);
  });

  it('keeps events stored instead of beaconing them into an outage', async () => {
    const recorder = recordingTransport(() => 503);
    const { client } = makeClient({ transport: recorder.transport });
    client.track('a');
    await client.flush();
    client.track('b');
    hide();
    await sleep(50);
    expect(recorder.beacons).toHaveLength(0);
    expect((await client.pending()).map((event) => event.event_type)).toEqual([
      'session.start',
      'a',
      'b',
    ]);
  });

  it('does not beacon events that another tab already sent', async () => {
    const indexedDB = new IDBFactory();
    const tabA = makeClient({ environment: { indexedDB } });
    const tabB = makeClient({ environment: { indexedDB } });
    for (let i = 0; i < 10; i++) tabA.client.track('from.a', { i });
    await sleep(50); // persisted by A
    await tabB.client.flush(); // B claims and delivers A's events
    await sleep(20); // B's claim announcement reaches A
    tabA.client.track('still.unsent');
    hide();
    const beaconed = tabA.beacons.flatMap((body) => (JSON.parse(body) as TelemetryBatch).events);
    const sentByB = new Set(tabB.received().map((event) => event.id));
    expect(sentByB.size).toBeGreaterThanOrEqual(10);
    expect(beaconed.filter((event) => sentByB.has(event.id))).toEqual([]);
    expect(beaconed.map((event) => event.event_type)).toContain('still.unsent');
  });

  it('sends nothing on hide without consent', async () => {
    const { client, beacons, batches } = makeClient({}, { grant: false });
    client.track('a');
    hide();
    await sleep(20);
    expect(beacons).toHaveLength(0);
    expect(batches).toHaveLength(0);
  });
});

describe('chunkBodies', () => {
  const event = (id: string, size: number): TelemetryEvent => ({
    id,
    event_type: 't',
    timestamp: '2026-01-01T00:00:00.000Z',
    anonymous_id: 'a',
    session_id: 's',
    metadata: { text: 'x'.repeat(size) },
    context: {},
  });
  const envelope = (events: TelemetryEvent[]) =>
    JSON.stringify({ envelope: 'x'.repeat(100), events });

  it('packs events greedily under the limit and leaves out one that can never fit', () => {
    const events = [event('a', 400), event('b', 400), event('huge', 5_000), event('c', 400)];
    // Each small event serialises to ~560 bytes and the envelope to ~130: two fit in 1,400.
    const chunks = chunkBodies(events, envelope, 1_400);
    expect(chunks.map((chunk) => chunk.events.map((e) => e.id))).toEqual([['a', 'b'], ['c']]);
    for (const chunk of chunks) expect(utf8Length(chunk.body)).toBeLessThanOrEqual(1_400);
  });
});
