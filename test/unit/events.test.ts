import type { TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it, vi } from 'vitest';
import { databaseNames, eventually, makeClient, sleep, storageKeys } from './harness.js';

const vitalsLoaded = vi.hoisted(() => ({ count: 0 }));
vi.mock('web-vitals', () => {
  vitalsLoaded.count++;
  const report = (name: string, value: number) => (callback: (metric: object) => void) =>
    callback({ name, value, rating: 'good' });
  return {
    onLCP: report('LCP', 1234.4),
    onINP: report('INP', 88),
    onCLS: report('CLS', 0.012345),
    onFCP: report('FCP', 800),
    onTTFB: report('TTFB', 120),
  };
});

const types = (events: TelemetryEvent[]) => events.map((event) => event.event_type);

describe('events', () => {
  it('have an id, an ISO timestamp, ids, metadata and a coarse context', async () => {
    const { client, received } = makeClient();
    client.track('thing.done', { ok: true });
    await client.flush();
    const [start, event] = received() as [TelemetryEvent, TelemetryEvent];
    expect(start.event_type).toBe('session.start');
    expect(event.id).toMatch(/^[\w-]{21}$/);
    expect(new Date(event.timestamp).toISOString()).toBe(event.timestamp);
    expect(event.anonymous_id).toBe(localStorage.getItem('telemetry-kit:id'));
    expect(event.session_id).toBe(start.session_id);
    expect(event.metadata).toEqual({ ok: true });
    expect(Object.keys(event.context).sort()).toEqual([
      'browser',
      'device',
      'locale',
      'os',
      'path',
    ]);
    expect(JSON.stringify(event)).not.toContain(navigator.userAgent);
  });

  it('rotate the session after 30 minutes of inactivity, with session.end and its duration', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    const { client, received } = makeClient({ environment: { now: () => now } });
    client.track('a');
    now += 10 * 60_000;
    client.track('b');
    now += 31 * 60_000;
    client.track('c');
    await client.flush();
    const events = received();
    expect(types(events)).toEqual(['session.start', 'a', 'b', 'session.end', 'session.start', 'c']);
    const end = events[3]!;
    expect(end.metadata).toEqual({ duration_ms: 10 * 60_000 });
    expect(end.session_id).toBe(events[0]?.session_id);
    expect(events[5]?.session_id).not.toBe(events[0]?.session_id);
  });

  it('page() records page.view with a sanitised path', async () => {
    const { client, received } = makeClient();
    client.page('/orders/12345/items/550e8400-e29b-41d4-a716-446655440000?coupon=SECRET#top', {
      title: 'Order',
    });
    await client.flush();
    const view = received().find((event) => event.event_type === 'page.view')!;
    expect(view.metadata).toEqual({ path: '/orders/:id/items/:id', title: 'Order' });
    expect(view.context.path).toBe('/orders/:id/items/:id');
  });

  it('featureToggled() and featureUsed() record feature.toggle and feature.use', async () => {
    const { client, received } = makeClient();
    client.featureToggled('dark-mode', true);
    client.featureUsed('export', { format: 'csv' });
    await client.flush();
    const [toggle, use] = received().slice(1);
    expect(toggle).toMatchObject({
      event_type: 'feature.toggle',
      metadata: { feature: 'dark-mode', enabled: true },
    });
    expect(use).toMatchObject({
      event_type: 'feature.use',
      metadata: { feature: 'export', format: 'csv' },
    });
  });

  it('componentMounted() aggregates mounts per flush window into one event with a count', async () => {
    const { client, received } = makeClient();
    for (let i = 0; i < 10_000; i++)
      client.componentMounted(
        'Button',
        { variant: 'primary' },
        { library: 'acme-ui', version: '2.1.0' },
      );
    client.componentMounted(
      'Button',
      { variant: 'ghost', onClick: () => {}, style: { color: 'red' }, children: 'Hi' },
      { library: 'acme-ui', version: '2.1.0' },
    );
    await client.flush();
    const mounts = received().filter((event) => event.event_type === 'component.mount');
    expect(mounts.map((event) => event.metadata)).toEqual([
      {
        component: 'Button',
        library: 'acme-ui',
        version: '2.1.0',
        props: { variant: 'primary' },
        count: 10_000,
      },
      {
        component: 'Button',
        library: 'acme-ui',
        version: '2.1.0',
        props: { variant: 'ghost' },
        count: 1,
      },
    ]);
    client.componentMounted(
      'Button',
      { variant: 'primary' },
      { library: 'acme-ui', version: '2.1.0' },
    );
    await client.flush();
    expect(
      received()
        .filter((event) => event.event_type === 'component.mount')
        .at(-1)?.metadata.count,
    ).toBe(1);
  });

  it('captureError() records class, scrubbed message and a stable hash, without a stack', async () => {
    const { client, received } = makeClient();
    client.captureError(new TypeError('cannot read user jane@example.com at 10.0.0.1'));
    client.captureError(new TypeError('cannot read user jane@example.com at 10.0.0.1'));
    await client.flush();
    const [first, second] = received().filter((event) => event.event_type === 'error');
    expect(first?.metadata).toMatchObject({
      error_class: 'TypeError',
      message: 'cannot read user [email] at [ip]',
      source: 'manual',
    });
    expect(first?.metadata.error_hash).toMatch(/^[0-9a-f]{8}$/);
    expect(second?.metadata.error_hash).toBe(first?.metadata.error_hash);
    expect(first?.metadata).not.toHaveProperty('stack');
  });

  it('captures uncaught errors and unhandled rejections, deduped and capped', async () => {
    const { client, received } = makeClient({ captureErrors: { maxPerSession: 3 } });
    const boom = new Error('boom');
    for (let i = 0; i < 5; i++)
      window.dispatchEvent(new ErrorEvent('error', { error: boom, message: 'boom' }));
    const rejection = new Event('unhandledrejection') as Event & { reason?: unknown };
    rejection.reason = new RangeError('out of range');
    window.dispatchEvent(rejection);
    for (let i = 0; i < 5; i++)
      window.dispatchEvent(
        new ErrorEvent('error', { error: new Error(`distinct ${'x'.repeat(i)}`) }),
      );
    // Uncaught errors are recorded one task later (see createErrorReporter).
    await eventually(async () => {
      const queued = await client.pending();
      expect(queued.filter((event) => event.event_type === 'error')).toHaveLength(3);
    });
    await client.flush();
    const errors = received().filter((event) => event.event_type === 'error');
    expect(errors.map((event) => [event.metadata.error_class, event.metadata.source])).toEqual([
      ['Error', 'window'],
      ['RangeError', 'promise'],
      ['Error', 'window'],
    ]);
  });

  it('includes a scrubbed stack only when asked', async () => {
    const { client, received } = makeClient({ captureErrors: { includeStack: true } });
    client.captureError(new Error('with stack'));
    await client.flush();
    expect(
      String(received().find((event) => event.event_type === 'error')?.metadata.stack),
    ).toContain('with stack');
  });

  it('identify() attaches a salted SHA-256 and never stores the raw id', async () => {
    const { client, received } = makeClient({ hashSalt: 'pepper' });
    client.identify('user-42@example.com');
    client.track('a');
    await client.flush();
    const expected = Array.from(
      new Uint8Array(
        await crypto.subtle.digest(
          'SHA-256',
          new TextEncoder().encode('pepper:user-42@example.com'),
        ),
      ),
      (byte) => byte.toString(16).padStart(2, '0'),
    ).join('');
    const event = received().find((item) => item.event_type === 'a')!;
    expect(event.user_id).toBe(expected);
    const stored = storageKeys()
      .map((key) => localStorage.getItem(key))
      .join(' ');
    expect(stored).not.toContain('user-42');
    expect(JSON.stringify(received())).not.toContain('user-42');
  });

  it('records page views from the History API when pageViews is on', async () => {
    history.replaceState(null, '', '/start');
    const originalPushState = history.pushState;
    const { client, received } = makeClient({ pageViews: true });
    await sleep(0);
    history.pushState(null, '', '/products/42?ref=mail');
    history.replaceState(null, '', '/products/42?ref=other'); // same route: no new view
    history.pushState(null, '', '/cart');
    history.back();
    await sleep(20);
    await client.flush();
    const paths = received()
      .filter((event) => event.event_type === 'page.view')
      .map((event) => event.metadata.path);
    expect(paths.slice(0, 3)).toEqual(['/start', '/products/:id', '/cart']);
    await client.shutdown();
    expect(history.pushState).toBe(originalPushState);
  });

  it('loads web-vitals only after consent, and records each metric', async () => {
    vitalsLoaded.count = 0;
    history.replaceState(null, '', '/');
    const { client, received } = makeClient({ webVitals: true }, { grant: false });
    await sleep(20);
    expect(vitalsLoaded.count).toBe(0);
    client.consent.grant();
    await eventually(() => expect(vitalsLoaded.count).toBe(1));
    await sleep(10);
    await client.flush();
    const vitals = received().filter((event) => event.event_type === 'web_vital');
    expect(vitals.map((event) => [event.metadata.name, event.metadata.value])).toEqual([
      ['LCP', 1234],
      ['INP', 88],
      ['CLS', 0.0123],
      ['FCP', 800],
      ['TTFB', 120],
    ]);
    expect(vitals[0]?.metadata).toMatchObject({ rating: 'good', path: '/' });
  });

  it('samples per event type, decided once per session, and records sampling_rate', async () => {
    const { client, received } = makeClient({ sampling: { default: 0, 'feature.use': 0.5 } });
    for (let i = 0; i < 20; i++) client.featureUsed('x');
    client.track('dropped.by.default');
    client.captureError(new Error('errors default to 100 %'));
    await client.flush();
    const uses = received().filter((event) => event.event_type === 'feature.use');
    expect([0, 20]).toContain(uses.length); // all or nothing within one session
    for (const use of uses) expect(use.sampling_rate).toBe(0.5);
    expect(types(received())).not.toContain('dropped.by.default');
    expect(received().find((event) => event.event_type === 'error')).not.toHaveProperty(
      'sampling_rate',
    );
  });

  it('beforeSend can edit or drop events, and its edits are scrubbed too', async () => {
    const { client, received } = makeClient({
      beforeSend: (event) => {
        if (event.event_type === 'drop.me') return null;
        return { ...event, metadata: { ...event.metadata, added: 'mail me at a@b.co' } };
      },
    });
    client.track('keep.me');
    client.track('drop.me');
    await client.flush();
    expect(types(received())).toEqual(['session.start', 'keep.me']);
    expect(received()[1]?.metadata).toEqual({ added: 'mail me at [email]' });
  });

  it('forget() deletes local data, rotates the ids and asks the collector to delete', async () => {
    const { client, deletions, received } = makeClient();
    client.track('a');
    await client.flush();
    const before = localStorage.getItem('telemetry-kit:id');
    client.track('queued');
    await client.forget();
    expect(deletions).toEqual([before]);
    expect(await client.pending()).toEqual([]);
    expect(localStorage.getItem('telemetry-kit:id')).toBeNull();
    client.track('after');
    await client.flush();
    const after = received().find((event) => event.event_type === 'after')!;
    expect(after.anonymous_id).not.toBe(before);
    expect(types(received())).not.toContain('queued');
  });

  it('forget() during a flush: the flush stops, and does not create the deleted database again', async () => {
    let answer: (status: { status: number }) => void = () => {};
    const transport = {
      send: () => new Promise<{ status: number }>((resolve) => (answer = resolve)),
      deleteSubject: async () => ({ status: 200 }),
    };
    const { client, indexedDB } = makeClient({ transport, maxBatchSize: 2 });
    for (let i = 0; i < 5; i++) client.track('in.flight', { i });
    const flushing = client.flush();
    await eventually(async () => expect(await databaseNames(indexedDB)).toEqual(['telemetry-kit']));
    await sleep(20); // the first batch is out, its answer held
    await client.forget();
    expect(await databaseNames(indexedDB)).toEqual([]);
    answer({ status: 200 });
    await flushing;
    await sleep(50);
    expect(await databaseNames(indexedDB)).toEqual([]);
    expect(await client.pending()).toEqual([]);
  });

  it('status() and pending() show what is waiting on this device', async () => {
    const { client } = makeClient({}, { grant: false });
    client.track('held');
    client.componentMounted('Card');
    expect(client.status()).toMatchObject({
      consent: 'unknown',
      storage: 'none',
      queued: 2,
      lastSentAt: null,
    });
    expect(types(await client.pending())).toEqual(['held', 'component.mount']);
    const shown = await client.pending();
    shown[0]!.event_type = 'edited';
    expect(types(await client.pending())).toEqual(['held', 'component.mount']);
  });

  it('preview() builds an example event with the same code, recording nothing', async () => {
    const { client } = makeClient({}, { grant: false });
    const example = await client.preview('page.view', { path: '/docs' });
    expect(example).toMatchObject({
      event_type: 'page.view',
      metadata: { path: '/docs' },
      anonymous_id: 'pending',
    });
    expect(client.status().queued).toBe(0);
    expect(storageKeys()).toEqual([]);
  });
});

describe('error boundaries', () => {
  it('record source "boundary" and a hash of the component stack, never the stack itself', async () => {
    const { client, received } = makeClient();
    const componentStack =
      '\n    at Exploding (http://localhost:5173/src/App.tsx?t=1:10:9)\n    at ErrorsPage (http://localhost:5173/src/ErrorsPage.tsx:20:3)';
    client.captureError(
      new Error('render failed'),
      { route: '/errors' },
      { source: 'boundary', componentStack },
    );
    // The same failure after a rebuild: other URLs and line numbers, same components.
    client.captureError(
      new Error('render failed'),
      {},
      {
        source: 'boundary',
        componentStack:
          '\n    at Exploding (http://localhost:5173/assets/index-abc.js:1:999)\n    at ErrorsPage (http://localhost:5173/assets/index-abc.js:1:50)',
      },
    );
    await client.flush();
    const [first, second] = received().filter((event) => event.event_type === 'error');
    expect(first?.metadata).toMatchObject({
      source: 'boundary',
      route: '/errors',
      message: 'render failed',
    });
    expect(first?.metadata.component_stack_hash).toMatch(/^[0-9a-f]{8}$/);
    expect(second?.metadata.component_stack_hash).toBe(first?.metadata.component_stack_hash);
    expect(JSON.stringify(received())).not.toContain('Exploding');
  });
});

describe('show me the data', () => {
  it('pending() shows held events and mount counts with the ids they will be sent with', async () => {
    const { client, received } = makeClient({}, { grant: false });
    client.track('held');
    client.componentMounted('Card', { elevated: true });
    const first = (await client.pending()).map((event) => event.id);
    const second = (await client.pending()).map((event) => event.id);
    expect(second).toEqual(first);
    client.consent.grant();
    await client.flush();
    const sent = received().map((event) => event.id);
    expect(sent).toEqual(expect.arrayContaining(first));
  });

  it('preview("page.view") carries the current path like page()', async () => {
    history.replaceState(null, '', '/docs/42');
    const { client } = makeClient({}, { grant: false });
    expect((await client.preview('page.view'))?.metadata).toEqual({ path: '/docs/:id' });
  });
});

describe('errors reported twice', () => {
  it('an error a boundary reports in the same task as window.onerror is recorded once, as boundary', async () => {
    const { client, received } = makeClient({ captureErrors: true });
    const crash = new Error('render failed');
    // React 18 development: window.onerror first, then the boundary.
    window.dispatchEvent(new ErrorEvent('error', { error: crash, message: crash.message }));
    client.captureError(crash, undefined, { source: 'boundary', componentStack: '\n at Widget' });
    await sleep(10);
    await client.flush();
    const errors = received().filter((event) => event.event_type === 'error');
    expect(errors.map((event) => event.metadata.source)).toEqual(['boundary']);
  });
});

describe('component mounts', () => {
  it('props that clean to the same values count as one combination', async () => {
    const { client, received } = makeClient();
    client.componentMounted('Avatar', { size: 'sm', alt: 'ann@example.com' });
    client.componentMounted('Avatar', { size: 'sm', alt: 'bob@example.com' });
    client.componentMounted('Avatar', { alt: 'ann@example.com', size: 'sm', children: 'A' });
    await client.flush();
    const mounts = received().filter((event) => event.event_type === 'component.mount');
    expect(mounts.map((event) => event.metadata)).toEqual([
      {
        component: 'Avatar',
        library: '',
        version: '',
        props: { alt: '[email]', size: 'sm' },
        count: 3,
      },
    ]);
  });
});

describe('scrubbed when the event is built, not when it is tracked', () => {
  it('an email across the 1,000-character limit is still found: cleaning keeps twice the limit for scrubbing', async () => {
    const { client, received } = makeClient();
    client.track('long.note', { note: `${'a '.repeat(496)}jane.doe@example.com` });
    await client.flush();
    const note = received().find((event) => event.event_type === 'long.note')?.metadata.note;
    expect(typeof note).toBe('string');
    expect(note).not.toContain('jane.doe');
    expect((note as string).length).toBeLessThanOrEqual(1_000);
  });

  it('a secret-looking key is reported through debug when the event is built, and never stored', async () => {
    const messages: string[] = [];
    const { client, received } = makeClient({ debug: (message) => messages.push(message) });
    client.track('signed.in', { apiKey: 'abc', method: 'sso' });
    await client.flush();
    expect(received().find((event) => event.event_type === 'signed.in')?.metadata).toEqual({
      method: 'sso',
    });
    expect(messages).toContain('metadata key "apiKey" looks secret; removed');
  });

  it('errors differing only in an email share one error_hash, made from the scrubbed message', async () => {
    const { client, received } = makeClient();
    client.captureError(new Error('no account for ann@example.com'));
    client.captureError(new Error('no account for bob@example.org'));
    await client.flush();
    const errors = received().filter((event) => event.event_type === 'error');
    expect(errors.map((event) => event.metadata.message)).toEqual([
      'no account for [email]',
      'no account for [email]',
    ]);
    expect(errors[0]?.metadata.error_hash).toMatch(/^[0-9a-f]{8}$/);
    expect(errors[1]?.metadata.error_hash).toBe(errors[0]?.metadata.error_hash);
  });

  it("the caller's sanitizePath output has each segment scrubbed too", async () => {
    const { client, received } = makeClient({ sanitizePath: (path) => path });
    client.page('/users/jane.doe@example.com/settings');
    await client.flush();
    const view = received().find((event) => event.event_type === 'page.view');
    expect(view?.metadata.path).toBe('/users/[email]/settings');
    expect(view?.context.path).toBe('/users/[email]/settings');
  });

  it('mounts wait in a bounded log until counted; beyond it they are dropped and counted', async () => {
    const messages: string[] = [];
    const { client, received } = makeClient({ debug: (message) => messages.push(message) });
    for (let i = 0; i < 20_005; i++) client.componentMounted('Row', { even: i % 2 === 0 });
    // Told once its text has loaded (src/lib/debug.ts), a moment after the call.
    await eventually(() =>
      expect(messages).toContain(
        'too many component mounts waiting to be counted; the rest are not counted',
      ),
    );
    await client.flush();
    const mounts = received().filter((event) => event.event_type === 'component.mount');
    expect(mounts.reduce((sum, event) => sum + (event.metadata.count as number), 0)).toBe(20_000);
    expect(client.status().dropped).toMatchObject({ overflow: 5 });
  });
});
