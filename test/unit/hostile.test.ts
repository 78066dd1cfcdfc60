import type { TelemetryClient } from 'telemetry-kit';
import { createTelemetry } from 'telemetry-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClient, sleep } from './harness.js';

/** Values a careless or hostile caller might pass anywhere. */
function hostileValues(): unknown[] {
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  const throwingProxy = new Proxy(
    {},
    {
      get() {
        throw new Error('get trap');
      },
      ownKeys() {
        throw new Error('ownKeys trap');
      },
      getPrototypeOf() {
        throw new Error('getPrototypeOf trap');
      },
      has() {
        throw new Error('has trap');
      },
    },
  );
  return [
    undefined,
    null,
    '',
    'x'.repeat(1_000_000),
    Symbol('s'),
    () => {},
    10n,
    Number.NaN,
    -Infinity,
    circular,
    throwingProxy,
    {
      toJSON: () => {
        throw new Error('toJSON');
      },
    },
    Object.create(null),
    [circular, throwingProxy],
    { __proto__: { polluted: true }, constructor: 'x' },
    new Date(Number.NaN),
    Object.defineProperty({}, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter');
      },
    }),
    { nested: { deeper: { deepest: { a: { b: { c: 1 } } } } } },
    Array.from({ length: 10_000 }, (_, i) => i),
    Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, 'v'.repeat(100)])),
  ];
}

type Method = (client: TelemetryClient, value: unknown) => unknown;
const methods: Record<string, Method> = {
  track: (c, v) => c.track(v as string, v as Record<string, unknown>),
  trackMetadata: (c, v) => c.track('ok', v as Record<string, unknown>),
  page: (c, v) => c.page(v as string, v as Record<string, unknown>),
  featureToggled: (c, v) => c.featureToggled(v as string, v as boolean),
  featureUsed: (c, v) => c.featureUsed(v as string, v as Record<string, unknown>),
  componentMounted: (c, v) =>
    c.componentMounted(v as string, v as Record<string, unknown>, v as { library: string }),
  componentProps: (c, v) =>
    c.componentMounted('Button', v as Record<string, unknown>, v as { library: string }),
  captureError: (c, v) => c.captureError(v, v as Record<string, unknown>),
  identify: (c, v) => c.identify(v as string),
  subscribe: (c, v) => c.consent.subscribe(v as () => void)(),
  preview: (c, v) => c.preview(v as string, v as Record<string, unknown>),
};

describe('never throws into the host app', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  it('every public method returns normally for every hostile input, before and after consent', async () => {
    const messages: string[] = [];
    const { client, received } = makeClient(
      { debug: (message) => messages.push(message) },
      { grant: false },
    );
    const values = hostileValues();
    for (const phase of ['unknown', 'granted'] as const) {
      if (phase === 'granted') client.consent.grant();
      for (const [name, call] of Object.entries(methods)) {
        for (const value of values) {
          expect(
            () => call(client, value),
            `${name}(${String(typeof value)}) in ${phase}`,
          ).not.toThrow();
        }
      }
    }
    await expect(client.flush()).resolves.toBeDefined();
    await expect(client.pending()).resolves.toBeInstanceOf(Array);
    expect(() => client.status()).not.toThrow();
    await expect(client.forget()).resolves.toBeUndefined();
    await expect(client.shutdown()).resolves.toBeUndefined();
    await sleep(50);
    expect(unhandled).toEqual([]);
    // Bad input is reported, once per kind of problem, not once per call.
    expect(messages.length).toBeGreaterThan(5);
    expect(new Set(messages).size).toBe(messages.length);
    // Whatever got through is JSON that fits the limits.
    for (const event of received()) expect(JSON.stringify(event).length).toBeLessThan(20_000);
  });

  it('survives a transport, a beforeSend, a sanitizePath and listeners that all throw', async () => {
    const { client } = makeClient({
      transport: {
        send: () => {
          throw new Error('transport exploded');
        },
      },
      beforeSend: () => {
        throw new Error('beforeSend exploded');
      },
      sanitizePath: () => {
        throw new Error('sanitizePath exploded');
      },
      debug: () => {
        throw new Error('debug exploded');
      },
    });
    client.consent.subscribe(() => {
      throw new Error('listener exploded');
    });
    expect(() => client.track('a')).not.toThrow();
    expect(() => client.consent.deny()).not.toThrow();
    expect(() => client.consent.grant()).not.toThrow();
    await expect(client.flush()).resolves.toBeDefined();
    await sleep(20);
    expect(unhandled).toEqual([]);
  });

  it('createTelemetry itself tolerates missing or nonsense options', () => {
    for (const options of [
      undefined,
      null,
      42,
      'x',
      {},
      { serviceName: 5, maxBatchSize: -1, flushIntervalMs: Number.NaN },
    ]) {
      const client = createTelemetry(options as never);
      expect(() => client.track('a')).not.toThrow();
      expect(() => client.consent.grant()).not.toThrow();
      void client.shutdown();
    }
  });
});
