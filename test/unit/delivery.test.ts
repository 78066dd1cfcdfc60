import type { TelemetryBatch, TelemetryEvent } from 'telemetry-kit';
import { createFetchTransport } from 'telemetry-kit/transports';
import { describe, expect, it } from 'vitest';
import { createBackoff, parseRetryAfter } from '../../src/delivery/createBackoff.js';
import { createDelivery } from '../../src/delivery/createDelivery.js';
import { createReport } from '../../src/lib/createReport.js';
import { createQueue } from '../../src/storage/createQueue.js';
import { eventually, makeClient, recordingTransport, sleep, testEvent } from './harness.js';

function fakeFetch(answer: (call: number) => Response = () => new Response('{}', { status: 202 })) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return answer(calls.length);
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

describe('delivery', () => {
  it('posts a CORS-simple text/plain batch with keepalive and the documented envelope', async () => {
    const { fetch, calls } = fakeFetch();
    const { client } = makeClient({
      transport: undefined,
      endpoint: 'https://collector.test/v1/events',
      environment: { fetch },
    });
    client.featureUsed('export', { format: 'csv' });
    await client.flush();
    expect(calls).toHaveLength(1);
    const [{ url, init }] = calls as [{ url: string; init: RequestInit }];
    expect(url).toBe('https://collector.test/v1/events');
    expect(init.method).toBe('POST');
    expect(init.keepalive).toBe(true);
    expect(init.credentials).toBe('omit');
    expect(init.headers).toEqual({ 'Content-Type': 'text/plain;charset=UTF-8' });
    const batch = JSON.parse(String(init.body)) as TelemetryBatch;
    expect(Object.keys(batch).sort()).toEqual(
      ['consent', 'dropped', 'events', 'sdk', 'sent_at', 'service_name', 'service_version'].sort(),
    );
    expect(batch).toMatchObject({
      service_name: 'test-app',
      service_version: '1.0.0',
      sdk: { name: 'telemetry-kit' },
      consent: { policy_version: 1 },
      dropped: {},
    });
    expect(batch.events.map((event) => event.event_type)).toEqual(['session.start', 'feature.use']);
    expect(batch.events[1]?.metadata).toEqual({ format: 'csv', feature: 'export' });
  });

  it('delivers every event exactly once through a 503 outage', async () => {
    let outage = true;
    const delivered: TelemetryEvent[] = [];
    const recorder = recordingTransport((_, batch) => {
      if (outage) return 503;
      delivered.push(...batch.events);
      return 200;
    });
    const { client } = makeClient({ transport: recorder.transport, maxBatchSize: 7 });
    for (let i = 0; i < 30; i++) client.track('a', { i });
    await client.flush();
    await client.flush();
    expect(recorder.batches.length).toBeGreaterThan(0);
    outage = false;
    await client.flush();
    const ids = delivered.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(delivered.filter((event) => event.event_type === 'a')).toHaveLength(30);
    expect(await client.pending()).toEqual([]);
    expect(client.status().lastError).toBeNull();
    expect(client.status().lastSentAt).not.toBeNull();
  });

  it('splits a batch the collector refuses as too large (413)', async () => {
    const recorder = recordingTransport((_, batch) => (batch.events.length > 5 ? 413 : 200));
    const { client } = makeClient({ transport: recorder.transport, maxBatchSize: 40 });
    for (let i = 0; i < 39; i++) client.track('a', { i });
    await client.flush();
    const accepted = recorder.batches.filter((batch) => batch.events.length <= 5);
    expect(accepted.flatMap((batch) => batch.events)).toHaveLength(40);
    expect(await client.pending()).toEqual([]);
  });

  it('drops and counts a batch the collector rejects (400), without retrying it', async () => {
    const recorder = recordingTransport((request) => (request === 1 ? 400 : 200));
    const { client } = makeClient({ transport: recorder.transport });
    client.track('bad');
    await client.flush();
    expect(client.status().dropped.rejected).toBe(2);
    client.track('good');
    await client.flush();
    expect(recorder.batches).toHaveLength(2);
    expect(recorder.batches[1]?.events.map((event) => event.event_type)).toEqual(['good']);
    expect(recorder.batches[1]?.dropped).toEqual({ rejected: 2 });
  });

  it('counts events the collector rejected one by one as invalid', async () => {
    const recorder = recordingTransport(() => ({
      status: 202,
      body: { accepted: 1, rejected: [{ index: 1, reason: 'x' }] },
    }));
    const { client } = makeClient({ transport: recorder.transport });
    client.track('a');
    await client.flush();
    expect(client.status().dropped).toEqual({ invalid: 1 });
  });

  it('flushes on the batch-size threshold without being asked', async () => {
    const { client, batches } = makeClient({ maxBatchSize: 10 });
    for (let i = 0; i < 10; i++) client.track('a', { i });
    await eventually(() => expect(batches.length).toBeGreaterThan(0));
  });

  it('flushes on an interval', async () => {
    const { client, batches } = makeClient({ flushIntervalMs: 30 });
    client.track('a');
    await eventually(() => expect(batches).toHaveLength(1));
  });

  it('flushes when the browser comes back online, even while backing off', async () => {
    let down = true;
    const recorder = recordingTransport(() => (down ? 503 : 200));
    const { client } = makeClient({ transport: recorder.transport });
    client.track('a');
    await client.flush();
    down = false;
    window.dispatchEvent(new Event('online'));
    await eventually(() =>
      expect(recorder.received().filter((event) => event.event_type === 'a')).toHaveLength(2),
    );
  });
});

describe('retries', () => {
  const event = testEvent;

  function harness(answers: Array<{ status: number; retryAfter?: string }>) {
    let now = 1_000_000;
    let retryAt = 0;
    const sent: number[] = [];
    let drops = {};
    const report = createReport(() => {}, { get: () => ({ ...drops }), set: (c) => (drops = c) });
    const queue = createQueue({
      indexedDB: undefined,
      databaseName: 'retries',
      maxSize: 100,
      segmentSize: 50,
      now: () => now,
      allowed: () => true,
      report,
    });
    const delivery = createDelivery({
      transport: {
        send: async () => {
          sent.push(now);
          return answers.shift() ?? { status: 200 };
        },
      },
      queue,
      report,
      backoff: createBackoff({
        retryAt: { get: () => retryAt, set: (at) => (retryAt = at) },
        now: () => now,
        random: () => 1,
      }),
      body: (eventsJson) => eventsJson,
      maxBatchSize: 50,
      maxEventAgeMs: 1e12,
      now: () => now,
      allowed: () => true,
      beaconed: { take: () => ({}) },
    });
    return {
      queue,
      delivery,
      sent,
      advance: (ms: number) => (now += ms),
      waitLeft: () => retryAt - now,
    };
  }

  it('backs off exponentially with jitter between scheduled attempts', async () => {
    const h = harness([{ status: 503 }, { status: 503 }, { status: 503 }]);
    h.queue.stage(event('e1'));
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      await h.delivery.flush('scheduled');
      waits.push(h.waitLeft());
      await h.delivery.flush('scheduled'); // too early: nothing is sent
      h.advance(h.waitLeft());
    }
    expect(h.sent).toHaveLength(3);
    // random() = 1 gives the top of each jitter window: 1 s, 2 s, 4 s.
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    await h.delivery.flush('scheduled');
    expect(h.sent).toHaveLength(4);
  });

  it('honours Retry-After from a 429', async () => {
    const h = harness([{ status: 429, retryAfter: '120' }]);
    h.queue.stage(event('e1'));
    await h.delivery.flush('scheduled');
    expect(h.waitLeft()).toBe(120_000);
    h.advance(119_000);
    await h.delivery.flush('scheduled');
    expect(h.sent).toHaveLength(1);
    h.advance(1_000);
    await h.delivery.flush('scheduled');
    expect(h.sent).toHaveLength(2);
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('999999', now)).toBe(3_600_000);
  });
});

describe('createFetchTransport', () => {
  it('reports a network failure as status 0 instead of rejecting', async () => {
    const transport = createFetchTransport({
      endpoint: 'https://collector.test/v1/events',
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    await expect(transport.send('{}', {})).resolves.toEqual({ status: 0 });
  });

  it('derives the subject deletion URL from the endpoint', async () => {
    const { fetch, calls } = fakeFetch(() => new Response(null, { status: 204 }));
    const transport = createFetchTransport({ endpoint: 'https://c.test/v1/events', fetch });
    await transport.deleteSubject?.('abc_123');
    expect(calls[0]?.url).toBe('https://c.test/v1/subjects/abc_123');
    expect(calls[0]?.init.method).toBe('DELETE');
    await sleep(0);
  });
});
