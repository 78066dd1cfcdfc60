import { createDeferredClient, type TelemetryClient } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { makeClient } from './harness.js';

describe('createDeferredClient', () => {
  it('answers like an inert client until a client is attached, then replays what it kept, in order', async () => {
    const deferred = createDeferredClient();
    const { client } = deferred;
    client.track('first', { n: 1 });
    client.componentMounted('Button', { variant: 'primary' }, { library: 'ui' });
    client.featureUsed('export');
    expect(client.consent.get()).toBe('unknown');
    expect(client.status()).toMatchObject({ consent: 'unknown', storage: 'none', queued: 3 });
    expect(deferred.attached()).toBe(false);
    // A request made before there is a client waits for it.
    const pending = client.pending();

    const real = makeClient();
    const states: string[] = [];
    client.consent.subscribe((state) => states.push(state));
    deferred.attach(real.client);
    expect(deferred.attached()).toBe(true);
    expect(states).toEqual(['granted']);
    const waiting = (await pending).map((event) => event.event_type);
    expect(waiting).toEqual(['session.start', 'first', 'feature.use', 'component.mount']);
    await client.flush();
    expect(real.received().map((event) => event.event_type)).toEqual(waiting);
  });

  it('keeps at most 1,000 calls and 20,000 mounts before a client is attached', () => {
    const deferred = createDeferredClient();
    for (let i = 0; i < 1_500; i++) deferred.client.track('early', { i });
    for (let i = 0; i < 25_000; i++) deferred.client.componentMounted('Button', { i: i % 3 });
    expect(deferred.client.status().queued).toBe(21_000);
    const seen: unknown[] = [];
    const recorder = {
      ...makeClient().client,
      track: (_type: string, metadata?: Record<string, unknown>) => seen.push(metadata?.i),
      componentMounted: () => seen.push('mount'),
    } as TelemetryClient;
    deferred.attach(recorder);
    // The oldest calls went first; mounts are replayed before the other calls.
    expect(seen.filter((item) => item === 'mount')).toHaveLength(20_000);
    expect(seen.filter((item) => typeof item === 'number')).toEqual(
      Array.from({ length: 1_000 }, (_, i) => i + 500),
    );
  });

  it('moves over to a client attached later and tells consent subscribers its state', async () => {
    const deferred = createDeferredClient();
    const first = makeClient();
    deferred.attach(first.client);
    const states: string[] = [];
    deferred.client.consent.subscribe((state) => states.push(state));
    await first.client.shutdown();
    const second = makeClient({ storageKey: 'second' }, { grant: false });
    deferred.attach(second.client);
    expect(states).toEqual(['unknown']);
    deferred.client.consent.grant();
    expect(states).toEqual(['unknown', 'granted']);
    deferred.client.track('after.move');
    await deferred.client.flush();
    expect(second.received().map((event) => event.event_type)).toContain('after.move');
    expect(first.received().map((event) => event.event_type)).not.toContain('after.move');
  });
});
