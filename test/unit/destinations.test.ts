import type { TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { eventually, makeClient, recordingTransport, sleep } from './harness.js';

/** A clock the test moves: backoff deadlines and `Retry-After` are read from it. */
function testClock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

const ids = (events: TelemetryEvent[]) => events.map((event) => event.id);
const mountsOf = (events: TelemetryEvent[]) =>
  events.filter((event) => event.event_type === 'component.mount');

/** The acme-ui maintainers' collector, as the app adds it. */
const acme = (transport = recordingTransport()) => ({
  recorder: transport,
  destination: {
    name: '@acme/ui maintainers',
    transport: transport.transport,
    libraries: ['@acme/ui'],
  },
});

describe('destinations: a component library receives its own usage', () => {
  it('routes the mounts of its libraries to it, with its own ids and no user id or path', async () => {
    const library = acme();
    const { client, received } = makeClient({ destinations: [library.destination] });
    client.identify('user-1');
    client.componentMounted(
      'Button',
      { variant: 'primary' },
      { library: '@acme/ui', version: '2.1.0' },
    );
    client.componentMounted('Grid', {}, { library: '@other/grid', version: '1.0.0' });
    client.track('app.opened');
    await client.flush();

    const app = received();
    const shared = library.recorder.received();
    // The app's collector receives everything; the destination one mount, of its own library.
    expect(mountsOf(app)).toHaveLength(2);
    expect(shared.map((event) => event.event_type)).toEqual(['component.mount']);
    const [copy] = shared;
    const original = mountsOf(app).find((event) => event.metadata.component === 'Button');
    expect(copy?.metadata).toEqual(original?.metadata);
    // Unlinkable: no id in common, no user id, no page path.
    expect(copy?.id).not.toBe(original?.id);
    expect(copy?.anonymous_id).not.toBe(original?.anonymous_id);
    expect(copy?.session_id).not.toBe(original?.session_id);
    expect(original?.user_id).toBeTruthy();
    expect(copy).not.toHaveProperty('user_id');
    expect(copy?.context).not.toHaveProperty('path');
    expect(copy?.context.browser).toBe(original?.context.browser);
    // The batch keeps the app's service name: the author sees which app uses the component.
    expect(library.recorder.batches[0]?.service_name).toBe('test-app');
  });

  it('keeps its ids across page loads, apart from the app ones', async () => {
    const library = acme();
    const first = makeClient({ destinations: [library.destination] });
    first.client.componentMounted('Button', {}, { library: '@acme/ui' });
    await first.client.flush();
    await first.client.shutdown();
    const second = makeClient(
      { destinations: [library.destination], environment: { indexedDB: first.indexedDB } },
      { grant: false },
    );
    second.client.componentMounted('Card', {}, { library: '@acme/ui' });
    await second.client.flush();
    const [a, b] = library.recorder.received();
    expect(b?.anonymous_id).toBe(a?.anonymous_id);
    expect(b?.session_id).toBe(a?.session_id);
    expect(second.received()[0]?.anonymous_id).not.toBe(a?.anonymous_id);
  });

  it('takes the event types it is given, of every library when it names none', async () => {
    const features = recordingTransport();
    const { client } = makeClient({
      destinations: [{ name: 'features', transport: features.transport, events: ['feature.use'] }],
    });
    client.featureUsed('export', { format: 'csv' });
    client.componentMounted('Button', {}, { library: '@acme/ui' });
    client.track('app.opened');
    await client.flush();
    expect(features.received().map((event) => event.event_type)).toEqual(['feature.use']);

    const everyLibrary = recordingTransport();
    const other = makeClient({
      storageKey: 'other',
      destinations: [{ name: 'all mounts', transport: everyLibrary.transport }],
    });
    other.client.componentMounted('Button', {}, { library: '@acme/ui' });
    other.client.componentMounted('Grid', {}, { library: '@other/grid' });
    await other.client.flush();
    expect(mountsOf(everyLibrary.received())).toHaveLength(2);
  });

  it('an outage at one destination neither delays nor loses the app collector events, and it catches up once', async () => {
    const clock = testClock();
    let down = true;
    /** What the destination's collector stored: the events of the batches it answered 200. */
    const stored: TelemetryEvent[] = [];
    const library = acme(
      recordingTransport((_, batch) => {
        if (down) return { status: 503, retryAfter: '60' };
        stored.push(...batch.events);
        return 200;
      }),
    );
    const { client, received } = makeClient({
      destinations: [library.destination],
      environment: { now: clock.now },
    });
    const variants: string[] = [];
    // A minute of use: a mount every 10 s, each flushed.
    for (let second = 0; second < 60; second += 10) {
      client.componentMounted('Button', { variant: `v${second}` }, { library: '@acme/ui' });
      variants.push(`v${second}`);
      const result = await client.flush();
      // The app's collector has everything at once, every time.
      expect(result.pending).toBe(0);
      expect(mountsOf(received())).toHaveLength(variants.length);
      clock.advance(10_000);
    }
    expect(library.recorder.batches.length).toBeGreaterThan(0);
    expect(stored).toEqual([]);
    const during = client.status().destinations[0];
    expect(during).toMatchObject({ name: '@acme/ui maintainers', queued: variants.length });
    expect(during?.lastError).toMatch(/503/);

    down = false;
    clock.advance(1_000);
    await client.flush();
    // Everything, once each, in order.
    expect(stored.map((event) => event.metadata.props)).toEqual(
      variants.map((variant) => ({ variant })),
    );
    expect(new Set(ids(stored)).size).toBe(variants.length);
    expect(client.status().destinations[0]).toMatchObject({ queued: 0, lastError: null });
    expect(client.status().destinations[0]?.lastSentAt).toBeTruthy();
    // And nothing is sent again.
    const batches = library.recorder.batches.length;
    await client.flush();
    expect(library.recorder.batches).toHaveLength(batches);
  });

  it('an outage at the app collector does not hold back the destination', async () => {
    const library = acme();
    const { client } = makeClient({
      destinations: [library.destination],
      transport: recordingTransport(() => ({ status: 503, retryAfter: '3600' })).transport,
    });
    client.componentMounted('Button', {}, { library: '@acme/ui' });
    const result = await client.flush();
    expect(result.pending).toBeGreaterThan(0);
    expect(mountsOf(library.recorder.received())).toHaveLength(1);
    expect(client.status().lastError).toMatch(/503/);
    expect(client.status().destinations[0]).toMatchObject({ queued: 0, lastError: null });
  });

  it('sends nothing to any destination before consent, and lists them for the consent UI', async () => {
    const library = acme();
    const { client } = makeClient({ destinations: [library.destination] }, { grant: false });
    client.componentMounted('Button', {}, { library: '@acme/ui' });
    await client.flush();
    await sleep(30);
    expect(library.recorder.batches).toEqual([]);
    expect(client.status().destinations).toEqual([
      {
        name: '@acme/ui maintainers',
        events: ['component.mount'],
        libraries: ['@acme/ui'],
        queued: 0,
        lastSentAt: null,
        lastError: null,
      },
    ]);
    client.consent.grant();
    await client.flush();
    expect(mountsOf(library.recorder.received())).toHaveLength(1);
    expect(library.recorder.deletions).toEqual([]);
  });

  it('deny() and forget() ask each destination to delete its own id', async () => {
    const library = acme();
    const { client, deletions, received } = makeClient({ destinations: [library.destination] });
    client.componentMounted('Button', {}, { library: '@acme/ui' });
    await client.flush();
    const first = library.recorder.received()[0]?.anonymous_id;
    await client.forget();
    expect(library.recorder.deletions).toEqual([first]);
    expect(deletions).toEqual([received()[0]?.anonymous_id]);

    client.componentMounted('Card', {}, { library: '@acme/ui' });
    await client.flush();
    const second = library.recorder.received().at(-1)?.anonymous_id;
    expect(second).not.toBe(first);
    client.consent.deny();
    await eventually(() => expect(library.recorder.deletions).toEqual([first, second]));
    const sent = library.recorder.batches.length;
    client.componentMounted('Chip', {}, { library: '@acme/ui' });
    await client.flush();
    expect(library.recorder.batches).toHaveLength(sent);
  });

  it('bad configuration is one debug message per destination, which is ignored; nothing throws', async () => {
    const messages: string[] = [];
    const good = (name: string) => ({ name, transport: recordingTransport().transport });
    const { client } = makeClient({
      debug: (message) => messages.push(message),
      destinations: [
        good('one'),
        { name: 'no endpoint' },
        { name: 'libraries', endpoint: '/x', libraries: '@acme/ui' as unknown as string[] },
        { name: '', endpoint: '/x' },
        good('one'),
        good('two'),
        good('three'),
        good('four'),
        good('five'),
        good('six'),
        null as never,
      ],
    });
    await eventually(() => expect(messages.length).toBeGreaterThanOrEqual(6));
    expect(client.status().destinations.map((d) => d.name)).toEqual([
      'one',
      'two',
      'three',
      'four',
      'five',
    ]);
    expect(messages.filter((m) => m.startsWith('destination no endpoint'))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith('destination libraries'))).toHaveLength(1);
    expect(messages.filter((m) => m.startsWith('destination one '))).toHaveLength(1);
    expect(messages.filter((m) => m.includes('six is ignored'))).toHaveLength(1);

    const notArray: string[] = [];
    const other = makeClient({
      storageKey: 'other',
      debug: (message) => notArray.push(message),
      destinations: 'https://x.example' as never,
    });
    await eventually(() =>
      expect(notArray).toContain('destinations must be an array; none is used'),
    );
    expect(other.client.status().destinations).toEqual([]);
  });
});
