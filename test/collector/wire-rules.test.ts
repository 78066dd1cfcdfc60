import {
  buildBatch,
  DROP_REASONS,
  EVENT_TYPE_PATTERN,
  ID_PATTERN,
  LIMITS,
  looser,
  type MetadataValue,
  type TelemetryEvent,
  USER_HASH_PATTERN,
} from 'telemetry-kit/wire';
import { describe, expect, it } from 'vitest';
import {
  countEvents,
  ingestRequest,
  makeBatch,
  makeEvent,
  newId,
  sharedCollector,
} from './fixtures.js';

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
/** An object of `count` keys, `k0` to `k{count - 1}`, each holding its number. */
const keysOf = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, i]));

/** Objects `levels` deep below the metadata object, a leaf at the last level. */
const nestedBelow = (levels: number): MetadataValue => {
  let value: MetadataValue = 'leaf';
  for (let i = 1; i < levels; i += 1) value = { a: value };
  return value;
};

/** Caller metadata at every shape limit at once, within the client's size limit. */
const callerMetadataAtLimits = (): { [key: string]: MetadataValue } => ({
  ...keysOf(LIMITS.keysPerObject - 4),
  ['k'.repeat(LIMITS.keyLength)]: 'long key',
  text: 't'.repeat(LIMITS.stringLength),
  list: Array.from({ length: LIMITS.arrayLength }, (_, i) => i),
  deep: nestedBelow(LIMITS.depth),
});

/** One event of each built-in type (DESIGN.md's table), each field at the client's limit. */
function builtInEventsAtClientLimits(): TelemetryEvent[] {
  const path = pathOf(LIMITS.path);
  const event = (event_type: string, metadata: TelemetryEvent['metadata']): TelemetryEvent => ({
    id: newId('ev'),
    event_type,
    timestamp: new Date().toISOString(),
    anonymous_id: 'anon_client_limits_01',
    session_id: 'sess_client_limits_01',
    user_id: 'ab'.repeat(32),
    sampling_rate: 0.5,
    metadata,
    context: {
      path,
      locale: 'l'.repeat(LIMITS.locale),
      browser: 'samsung',
      os: 'chromeos',
      device: 'desktop',
    },
  });
  const props = Object.fromEntries(
    Array.from({ length: LIMITS.props }, (_, i) => [
      `${i}`.padEnd(LIMITS.keyLength, 'p'),
      'v'.repeat(LIMITS.propValue),
    ]),
  );
  return [
    event('page.view', { path, title: 't'.repeat(LIMITS.stringLength) }),
    event('component.mount', {
      component: 'C'.repeat(LIMITS.name),
      library: 'l'.repeat(LIMITS.library),
      version: '1'.repeat(LIMITS.version),
      props,
      count: 1,
    }),
    event('feature.toggle', { feature: 'f'.repeat(LIMITS.name), enabled: true }),
    event('feature.use', { ...callerMetadataAtLimits(), feature: 'f'.repeat(LIMITS.name) }),
    event('session.start', {}),
    event('session.end', { duration_ms: 3_600_000 }),
    event('web_vital', { name: 'LCP', value: 2_500, rating: 'needs-improvement', path }),
    event('error', {
      error_class: 'E'.repeat(LIMITS.errorClass),
      message: 'm'.repeat(LIMITS.errorMessage),
      error_hash: 'ab12cd34',
      source: 'window',
      stack: 's'.repeat(LIMITS.errorStack),
      component_stack_hash: '0badf00d',
    }),
  ];
}

describe('the collector accepts what the client sends', () => {
  it("accepts, whole, a batch built by the wire module's buildBatch at the client's limits", async () => {
    const events = builtInEventsAtClientLimits();
    // What the client itself would let through: its patterns, and metadata within its size.
    for (const { id, event_type, user_id } of events) {
      expect(ID_PATTERN.test(id)).toBe(true);
      expect(EVENT_TYPE_PATTERN.test(event_type)).toBe(true);
      expect(USER_HASH_PATTERN.test(user_id ?? '')).toBe(true);
    }
    expect(JSON.stringify(callerMetadataAtLimits()).length).toBeLessThan(LIMITS.metadataSize);
    const batch = buildBatch(
      {
        service_name: 's'.repeat(LIMITS.serviceName),
        service_version: '1'.repeat(LIMITS.serviceVersion),
        consent: { policy_version: 3, granted_at: new Date().toISOString() },
      },
      events,
      Object.fromEntries(DROP_REASONS.map((reason) => [reason, 1])),
      Date.now(),
    );
    const response = await post(batch);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: events.length, duplicates: 0, rejected: [] });
    expect(await countEvents(shared.store)).toBe(events.length);
  });

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
  type: string;
  field: string;
  bound: number;
  at: (size: number) => Partial<TelemetryEvent>;
  /** How the refusal's reason starts, when not with `field`. */
  reason?: RegExp;
}

const EVENT_BOUNDS: EventBound[] = [
  {
    type: 'page.view',
    field: 'context.path',
    bound: looser(LIMITS.path),
    at: (n) => ({ context: { path: pathOf(n) } }),
  },
  {
    type: 'page.view',
    field: 'metadata.path',
    bound: looser(LIMITS.path),
    at: (n) => ({ metadata: { path: pathOf(n) } }),
  },
  {
    type: 'web_vital',
    field: 'metadata.path',
    bound: looser(LIMITS.path),
    at: (n) => ({ metadata: { name: 'LCP', value: 1, path: pathOf(n) } }),
  },
  {
    type: 'page.view',
    field: 'context.locale',
    bound: looser(LIMITS.locale),
    at: (n) => ({ context: { locale: 'e'.repeat(n) } }),
  },
  {
    type: 'page.view',
    field: 'metadata.note',
    bound: looser(LIMITS.errorStack),
    at: (n) => ({ metadata: { path: '/', note: 'x'.repeat(n) } }),
  },
  {
    type: 'page.view',
    field: 'metadata key',
    bound: looser(LIMITS.keyLength),
    reason: /^metadata\.k+: /,
    at: (n) => ({ metadata: { path: '/', ['k'.repeat(n)]: 1 } }),
  },
  {
    type: 'page.view',
    field: 'metadata.list',
    bound: looser(LIMITS.arrayLength),
    at: (n) => ({ metadata: { path: '/', list: Array.from({ length: n }, () => 1) } }),
  },
  {
    type: 'page.view',
    field: 'metadata',
    bound: looser(LIMITS.keysPerObject),
    at: (n) => ({ metadata: { path: '/', ...keysOf(n - 1) } }),
  },
  {
    type: 'page.view',
    field: 'metadata.nested',
    bound: looser(LIMITS.keysPerObject),
    at: (n) => ({ metadata: { path: '/', nested: keysOf(n) } }),
  },
  {
    type: 'page.view',
    field: 'metadata.title',
    bound: looser(LIMITS.stringLength),
    at: (n) => ({ metadata: { path: '/', title: 't'.repeat(n) } }),
  },
  {
    type: 'component.mount',
    field: 'metadata.component',
    bound: looser(LIMITS.name),
    at: (n) => ({ metadata: { component: 'C'.repeat(n) } }),
  },
  {
    type: 'component.mount',
    field: 'metadata.library',
    bound: looser(LIMITS.library),
    at: (n) => ({ metadata: { component: 'C', library: 'l'.repeat(n) } }),
  },
  {
    type: 'component.mount',
    field: 'metadata.version',
    bound: looser(LIMITS.version),
    at: (n) => ({ metadata: { component: 'C', version: '1'.repeat(n) } }),
  },
  {
    type: 'component.mount',
    field: 'metadata.props',
    bound: looser(LIMITS.props),
    at: (n) => ({ metadata: { component: 'C', props: keysOf(n) } }),
  },
  {
    type: 'component.mount',
    field: 'metadata.props.variant',
    bound: looser(LIMITS.propValue),
    at: (n) => ({ metadata: { component: 'C', props: { variant: 'v'.repeat(n) } } }),
  },
  {
    type: 'feature.toggle',
    field: 'metadata.feature',
    bound: looser(LIMITS.name),
    at: (n) => ({ metadata: { feature: 'f'.repeat(n), enabled: true } }),
  },
  {
    type: 'feature.use',
    field: 'metadata.feature',
    bound: looser(LIMITS.name),
    at: (n) => ({ metadata: { feature: 'f'.repeat(n) } }),
  },
  {
    type: 'error',
    field: 'metadata.error_class',
    bound: looser(LIMITS.errorClass),
    at: (n) => ({ metadata: { error_class: 'E'.repeat(n), error_hash: 'ab12cd34' } }),
  },
  {
    type: 'error',
    field: 'metadata.message',
    bound: looser(LIMITS.errorMessage),
    at: (n) => ({
      metadata: { error_class: 'Error', message: 'm'.repeat(n), error_hash: 'ab12cd34' },
    }),
  },
];

describe("each event bound is the client's limit with the collector's margin", () => {
  it.each(EVENT_BOUNDS)(
    '$type $field: $bound accepted, one more refused with a reason',
    async ({ type, field, bound, at, reason }) => {
      const base = makeEvent({ event_type: type });
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
