import {
  DROP_REASONS,
  EVENT_TYPE_PATTERN,
  LIMITS,
  looser,
  type TelemetryEvent,
} from 'telemetry-kit/wire';
import { describe, expect, it } from 'vitest';
import { countEvents, ingestRequest, makeBatch, makeEvent, sharedCollector } from './fixtures.js';

/**
 * The collector validates with the wire module's rules (`telemetry-kit/wire`), the ones the
 * browser client enforces: what the client may send is accepted, and each bound is the client's
 * limit with the collector's margin (`looser`).
 */
const shared = sharedCollector({ rateLimit: false });

const post = (body: unknown) =>
  shared.collector.handle(ingestRequest(JSON.stringify(body)), { clientAddress: '203.0.113.8' });

/** A sanitised path of `length` characters, as the client's path scrubbing leaves it. */
const pathOf = (length: number) => `/${'a'.repeat(length - 1)}`;
const keysOf = (count: number, value: (i: number) => unknown = (i) => i) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value(i)]));

describe('the collector accepts what the client sends', () => {
  it('accepts an event whose context.path and page.view path are as long as the client makes them', async () => {
    const path = pathOf(LIMITS.path);
    const event = makeEvent({ metadata: { path }, context: { path, locale: 'en-GB' } });
    const response = await post(makeBatch([event]));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    expect(await countEvents(shared.store)).toBe(1);
  });

  it('refuses an event type starting with a dot, as the client refuses it', async () => {
    expect(EVENT_TYPE_PATTERN.test('.page.view')).toBe(false);
    const response = await post(makeBatch([makeEvent(), makeEvent({ event_type: '.page.view' })]));
    expect(response.status).toBe(202);
    const body = await response.json();
    expect(body.accepted).toBe(1);
    expect(body.rejected).toEqual([{ index: 1, reason: expect.stringMatching(/^event_type: /) }]);
  });
});

/** One bound: an event at it (accepted) and one just past it (refused), both built by `at`. */
interface EventBound {
  field: string;
  bound: number;
  at: (size: number) => Partial<TelemetryEvent>;
  /** How the refusal's reason starts, when not with `field`. */
  reason?: RegExp;
}

const EVENT_BOUNDS: EventBound[] = [
  {
    field: 'context.path',
    bound: looser(LIMITS.path),
    at: (n) => ({ context: { path: pathOf(n) } }),
  },
  {
    field: 'metadata.path',
    bound: looser(LIMITS.path),
    at: (n) => ({ metadata: { path: pathOf(n) } }),
  },
  {
    field: 'metadata.path',
    bound: looser(LIMITS.path),
    at: (n) => ({ event_type: 'web_vital', metadata: { name: 'LCP', value: 1, path: pathOf(n) } }),
  },
  {
    field: 'context.locale',
    bound: looser(LIMITS.locale),
    at: (n) => ({ context: { locale: 'e'.repeat(n) } }),
  },
  {
    field: 'metadata.note',
    bound: looser(LIMITS.errorStack),
    at: (n) => ({ metadata: { path: '/', note: 'x'.repeat(n) } }),
  },
  {
    field: 'metadata key',
    bound: looser(LIMITS.keyLength),
    reason: /^metadata\.k+: /,
    at: (n) => ({ metadata: { path: '/', ['k'.repeat(n)]: 1 } }),
  },
  {
    field: 'metadata.list',
    bound: looser(LIMITS.arrayLength),
    at: (n) => ({ metadata: { path: '/', list: Array.from({ length: n }, () => 1) } }),
  },
  {
    field: 'metadata',
    bound: looser(LIMITS.keysPerObject),
    at: (n) => ({ metadata: { path: '/', ...keysOf(n - 1) } }),
  },
  {
    field: 'metadata.nested',
    bound: looser(LIMITS.keysPerObject),
    at: (n) => ({ metadata: { path: '/', nested: keysOf(n) } }),
  },
  {
    field: 'metadata.title',
    bound: looser(LIMITS.stringLength),
    at: (n) => ({ metadata: { path: '/', title: 't'.repeat(n) } }),
  },
  {
    field: 'metadata.component',
    bound: looser(LIMITS.name),
    at: (n) => ({ event_type: 'component.mount', metadata: { component: 'C'.repeat(n) } }),
  },
  {
    field: 'metadata.library',
    bound: looser(LIMITS.library),
    at: (n) => ({
      event_type: 'component.mount',
      metadata: { component: 'C', library: 'l'.repeat(n) },
    }),
  },
  {
    field: 'metadata.version',
    bound: looser(LIMITS.version),
    at: (n) => ({
      event_type: 'component.mount',
      metadata: { component: 'C', version: '1'.repeat(n) },
    }),
  },
  {
    field: 'metadata.props',
    bound: looser(LIMITS.props),
    at: (n) => ({ event_type: 'component.mount', metadata: { component: 'C', props: keysOf(n) } }),
  },
  {
    field: 'metadata.props.variant',
    bound: looser(LIMITS.propValue),
    at: (n) => ({
      event_type: 'component.mount',
      metadata: { component: 'C', props: { variant: 'v'.repeat(n) } },
    }),
  },
  {
    field: 'metadata.feature',
    bound: looser(LIMITS.name),
    at: (n) => ({
      event_type: 'feature.toggle',
      metadata: { feature: 'f'.repeat(n), enabled: true },
    }),
  },
  {
    field: 'metadata.feature',
    bound: looser(LIMITS.name),
    at: (n) => ({ event_type: 'feature.use', metadata: { feature: 'f'.repeat(n) } }),
  },
  {
    field: 'metadata.error_class',
    bound: looser(LIMITS.errorClass),
    at: (n) => ({
      event_type: 'error',
      metadata: { error_class: 'E'.repeat(n), error_hash: 'ab12cd34' },
    }),
  },
  {
    field: 'metadata.message',
    bound: looser(LIMITS.errorMessage),
    at: (n) => ({
      event_type: 'error',
      metadata: { error_class: 'Error', message: 'm'.repeat(n), error_hash: 'ab12cd34' },
    }),
  },
];

describe("each event bound is the client's limit with the collector's margin", () => {
  it.each(EVENT_BOUNDS)(
    '$field: $bound accepted, one more refused with a reason',
    async ({ field, bound, at, reason }) => {
      const base = makeEvent();
      const fits = { ...base, ...at(bound) };
      const over = { ...base, ...at(bound + 1), id: makeEvent().id };
      const response = await post(makeBatch([fits, over]));
      expect(response.status).toBe(202);
      const body = await response.json();
      expect(body.accepted).toBe(1);
      expect(body.rejected).toEqual([
        { index: 1, reason: expect.stringMatching(reason ?? `^${field.replaceAll('.', '\\.')}: `) },
      ]);
      expect(await countEvents(shared.store)).toBe(1);
    },
  );
});

const ENVELOPE_BOUNDS: { field: string; bound: number; at: (size: number) => object }[] = [
  {
    field: 'service_name',
    bound: looser(LIMITS.serviceName),
    at: (n) => ({ service_name: 's'.repeat(n) }),
  },
  {
    field: 'service_version',
    bound: looser(LIMITS.serviceVersion),
    at: (n) => ({ service_version: '1'.repeat(n) }),
  },
  {
    field: 'dropped',
    bound: looser(DROP_REASONS.length),
    at: (n) => ({
      dropped: Object.fromEntries(
        Array.from({ length: n }, (_, i) => [`reason_${String.fromCharCode(97 + i)}`, 1]),
      ),
    }),
  },
];

describe("each envelope bound is the client's limit with the collector's margin", () => {
  it.each(ENVELOPE_BOUNDS)(
    '$field: $bound accepted, one more refuses the batch with a reason',
    async ({ field, bound, at }) => {
      const fits = await post(makeBatch([makeEvent()], at(bound)));
      expect(fits.status).toBe(202);
      const over = await post(makeBatch([makeEvent()], at(bound + 1)));
      expect(over.status).toBe(400);
      expect(await over.json()).toMatchObject({
        error: 'invalid_batch',
        reason: expect.stringMatching(`^${field}: `),
      });
      expect(await countEvents(shared.store)).toBe(1);
    },
  );
});

describe("metadata's depth is the client's limit with the collector's margin", () => {
  const nestedBelowMetadata = (levels: number) => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i += 1) value = { a: value };
    return makeEvent({ metadata: { path: '/', nested: value } as TelemetryEvent['metadata'] });
  };

  it(`accepts objects ${looser(LIMITS.depth)} levels below metadata`, async () => {
    const response = await post(makeBatch([nestedBelowMetadata(looser(LIMITS.depth))]));
    expect(response.status).toBe(202);
    expect(await countEvents(shared.store)).toBe(1);
  });

  it('refuses one level more as too deep, with a reason', async () => {
    const response = await post(makeBatch([nestedBelowMetadata(looser(LIMITS.depth) + 1)]));
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'too_deep',
      reason: expect.stringContaining('deeper than'),
    });
    expect(await countEvents(shared.store)).toBe(0);
  });
});
