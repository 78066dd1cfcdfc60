import { createCollector, type EventStore } from 'telemetry-kit-collector';
import { describe, expect, it } from 'vitest';
import { countEvents, ingestRequest, makeBatch, makeEvent, sharedCollector } from './fixtures.js';

const shared = sharedCollector({ rateLimit: false });

const post = (body: unknown, headers: Record<string, string> = {}) =>
  shared.collector.handle(ingestRequest(JSON.stringify(body), headers), {
    clientAddress: '203.0.113.7',
  });

describe('POST /v1/events', () => {
  it('accepts a batch sent as text/plain (the beacon-friendly CORS-simple type) with 202', async () => {
    const response = await post(makeBatch([makeEvent(), makeEvent()]));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await countEvents(shared.store)).toBe(2);
  });

  it('accepts application/json too', async () => {
    const response = await post(makeBatch([makeEvent()]), { 'content-type': 'application/json' });
    expect(response.status).toBe(202);
    expect(await countEvents(shared.store)).toBe(1);
  });

  it('rejects invalid events one by one without losing the valid ones in the same batch', async () => {
    const response = await post(
      makeBatch([
        makeEvent(),
        makeEvent({ timestamp: 'yesterday' }),
        makeEvent(),
        { ...makeEvent(), id: 42 },
        makeEvent({ event_type: 'feature.toggle', metadata: { feature: 'dark', enabled: 'yes' } }),
      ]),
    );
    expect(response.status).toBe(202);
    const body = await response.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([1, 3, 4]);
    expect(body.rejected[0].reason).toMatch(/^timestamp/);
    expect(body.rejected[1].reason).toMatch(/^id/);
    expect(body.rejected[2].reason).toMatch(/^metadata\.enabled/);
    expect(await countEvents(shared.store)).toBe(2);
  });

  it('dedupes by event id: a retried or beaconed batch never doubles a count', async () => {
    const batch = makeBatch([makeEvent(), makeEvent(), makeEvent()]);
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(await (await post(batch)).json()).toMatchObject({ accepted: 0, duplicates: 3 });
    expect(await countEvents(shared.store)).toBe(3);
  });

  it('stores the device-side drop counts of the batch', async () => {
    await post(makeBatch([makeEvent()], { dropped: { overflow: 5, quota: 2 } }));
    const rows = await shared.store.database.query<{ reason: string; count: number }>(
      'SELECT reason, count FROM telemetry_device_drops ORDER BY reason',
    );
    expect(rows).toEqual([
      { reason: 'overflow', count: 5 },
      { reason: 'quota', count: 2 },
    ]);
  });

  it('accepts an empty batch that only reports drops', async () => {
    const response = await post(makeBatch([], { dropped: { expired: 1 } }));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
  });

  it('answers 400 with the per-event reasons when every event is invalid', async () => {
    const response = await post(makeBatch([{ nope: true }]));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'no_valid_events',
      rejected: [{ index: 0 }],
    });
  });

  it('keeps sampling_rate so counts can be scaled back up', async () => {
    const event = makeEvent({ sampling_rate: 0.25 });
    await post(makeBatch([event]));
    const rows = await shared.store.database.query<{ sampling_rate: number }>(
      'SELECT sampling_rate FROM telemetry_events WHERE id = $1',
      [event.id],
    );
    expect(rows).toEqual([{ sampling_rate: 0.25 }]);
  });
});

describe('limits', () => {
  it('answers 413 past the body limit (1 MiB by default) and stores nothing', async () => {
    const big = makeBatch([makeEvent({ metadata: { path: '/x', blob: 'a'.repeat(4000) } })]);
    const events = Array.from({ length: 300 }, () => ({ ...big.events[0], id: makeEvent().id }));
    const response = await post({ ...big, events });
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'payload_too_large' });
    expect(await countEvents(shared.store)).toBe(0);
  });

  it('honours a configured body limit, also without a Content-Length', async () => {
    const small = createCollector({ store: shared.store, maxBodyBytes: 1000, rateLimit: false });
    const body = JSON.stringify(makeBatch([makeEvent(), makeEvent(), makeEvent(), makeEvent()]));
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body));
        controller.close();
      },
    });
    const request = new Request('http://collector.test/v1/events', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(request.headers.get('content-length')).toBeNull();
    expect((await small.handle(request)).status).toBe(413);
    await small.close();
  });

  it('answers 413 to too many events so the browser splits the batch', async () => {
    const response = await post(makeBatch(Array.from({ length: 501 }, () => makeEvent())));
    expect(response.status).toBe(413);
    expect(await response.json()).toMatchObject({ error: 'too_many_events' });
    expect(await countEvents(shared.store)).toBe(0);
  });

  it('limits each client with a token bucket: 429 with Retry-After, other clients unaffected', async () => {
    let time = Date.now();
    const limited = createCollector({
      store: shared.store,
      rateLimit: { burst: 3, perSecond: 1 },
      now: () => time,
    });
    const send = (clientAddress: string) =>
      limited.handle(ingestRequest(JSON.stringify(makeBatch([makeEvent()]))), { clientAddress });
    const statuses = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await send('198.51.100.1')).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    const refused = await send('198.51.100.1');
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: 'rate_limited' });
    expect((await send('198.51.100.2')).status).toBe(202);
    time += 1000;
    expect((await send('198.51.100.1')).status).toBe(202);
    expect(await countEvents(shared.store)).toBe(5);
    await limited.close();
  });
});

describe('failures inside the collector', () => {
  const brokenStore = (): EventStore => ({
    database: shared.store.database,
    insertBatch: () => Promise.reject(new Error('connection refused')),
    deleteSubject: () => Promise.reject(new Error('connection refused')),
    deleteOlderThan: () => Promise.reject(new Error('connection refused')),
    rebuildRollups: () => Promise.reject(new Error('connection refused')),
    stats: () => Promise.reject(new Error('connection refused')),
    close: () => Promise.resolve(),
  });

  it('answers 503 with Retry-After when the store fails, keeps answering, and tells the operator', async () => {
    const reported: string[] = [];
    const broken = createCollector({
      store: brokenStore(),
      rateLimit: false,
      onError: (error, during) => reported.push(`${during}: ${(error as Error).message}`),
    });
    for (let i = 0; i < 3; i += 1) {
      const response = await broken.handle(ingestRequest(JSON.stringify(makeBatch([makeEvent()]))));
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      const body = await response.json();
      expect(body).toMatchObject({ error: 'store_unavailable' });
      expect(JSON.stringify(body)).not.toContain('connection refused');
    }
    await broken.close();
    expect(reported.filter((line) => line === 'store: connection refused')).toHaveLength(3);
  });

  it('answers 503 when the store never opened, and ready() says why', async () => {
    const broken = createCollector({
      store: Promise.reject(new Error('no such database')),
      rateLimit: false,
    });
    expect(await broken.ready()).toEqual({ ok: false, reason: 'no such database' });
    const response = await broken.handle(ingestRequest(JSON.stringify(makeBatch([makeEvent()]))));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    await broken.close();
  });

  it('still validates before touching a broken store: bad input is 4xx, not 503', async () => {
    const broken = createCollector({ store: brokenStore(), rateLimit: false, onError: () => {} });
    const response = await broken.handle(ingestRequest('{not json'));
    expect(response.status).toBe(400);
    await broken.close();
  });
});
