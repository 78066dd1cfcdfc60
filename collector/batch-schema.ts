import {
  DROP_REASONS,
  EVENT_TYPE_PATTERN,
  ID_PATTERN,
  LIMITS,
  looser,
  type MetadataValue,
  type TelemetryEvent,
} from 'telemetry-kit/wire';
import * as v from 'valibot';
import {
  boundedArray,
  boundedRecord,
  describeIssues,
  nonEmptyText,
  PARSE_CONFIG,
  textUpTo,
} from './bounded-schemas.js';

/**
 * The wire format of DESIGN.md ("Events and the wire") as valibot schemas. The envelope is
 * checked whole; events are checked one by one so one bad event never costs the good ones.
 * Patterns and limits are the wire module's, the ones the browser client enforces; every size
 * bound is the client's limit with the collector's margin (`looser`), so a healthy client never
 * meets them and a hostile one meets them early.
 */

// Reasons quote the pattern itself: a message restating it in words could drift from it.
const ID = v.pipe(v.string(), v.regex(ID_PATTERN, `must match ${ID_PATTERN}`));
const EVENT_TYPE = v.pipe(
  v.string(),
  v.regex(EVENT_TYPE_PATTERN, `must match ${EVENT_TYPE_PATTERN}`),
);

// Bounds with no client limit behind them: the client writes these strings itself, in a fixed
// format or from a short list, so they only keep a hostile body small.
/** `toISOString()` writes 24 characters; an offset or more fraction digits add a few. */
const TIMESTAMP_LENGTH = 40;
/** `context.browser` / `os` / `device`: family names such as `chrome`, `macos`, `desktop`. */
const FAMILY_LENGTH = 32;
/** `sdk.name` / `sdk.version`: set by the SDK's own build, not by the app. */
const SDK_FIELD_LENGTH = 64;

const TIMESTAMP = v.pipe(
  textUpTo(TIMESTAMP_LENGTH),
  v.isoTimestamp('must be an ISO 8601 timestamp'),
);
/** A sanitised page path (`context.path`, and `path` of `page.view` and `web_vital`). */
const PATH = textUpTo(looser(LIMITS.path));
/** Any metadata string: the longest the client sends is an error's stack. */
const METADATA_TEXT = textUpTo(looser(LIMITS.errorStack));
/** A documented metadata field with no tighter client limit than any other metadata string. */
const METADATA_FIELD = textUpTo(looser(LIMITS.stringLength));
const METADATA_KEY = nonEmptyText(looser(LIMITS.keyLength));
const FEATURE = nonEmptyText(looser(LIMITS.name));
const COUNT = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
/**
 * A count or version stored in an `integer` column (`consent_policy_version`, a drop count):
 * past PostgreSQL's 2^31 - 1 the insert itself would fail, and bad input must get a 400, not
 * the 503 of a failed store.
 */
export const MAX_STORED_INTEGER = 2_147_483_647;
const STORED_COUNT = v.pipe(COUNT, v.maxValue(MAX_STORED_INTEGER));

const FINITE = v.pipe(v.number(), v.finite());

// Depth is bounded before validation (see json-shape.ts), so this recursion is shallow. The
// getter picks the one schema that can match instead of trying a union's options in turn:
// a union builds an issue for every option that fails, ten times the work on large arrays.
const METADATA_VALUE: v.GenericSchema<MetadataValue> = v.lazy((input) => {
  if (typeof input === 'string') return METADATA_TEXT;
  if (typeof input === 'number') return FINITE;
  if (typeof input === 'boolean') return BOOLEAN;
  if (Array.isArray(input)) return METADATA_ARRAY;
  if (typeof input === 'object' && input !== null) return METADATA_OBJECT;
  return NULL;
});
const BOOLEAN = v.boolean();
const NULL = v.null('must be a string, number, boolean, null, array or object');
const METADATA_ARRAY = boundedArray(METADATA_VALUE, looser(LIMITS.arrayLength));
const METADATA_OBJECT = boundedRecord(METADATA_KEY, METADATA_VALUE, looser(LIMITS.keysPerObject));

/** `metadata` of any event: JSON values only. (valibot's `record` skips `__proto__` keys.) */
const METADATA = METADATA_OBJECT;

/** A `component.mount` prop value: primitives only. */
const PROP_VALUE = v.union([textUpTo(looser(LIMITS.propValue)), FINITE, v.boolean(), v.null()]);

/**
 * The documented fields of the built-in event types (DESIGN.md table). Loose objects: callers
 * may add fields (`feature.use` explicitly), but the documented ones must have their types.
 */
const BUILT_IN_METADATA: Readonly<Record<string, v.GenericSchema>> = {
  'page.view': v.looseObject({ path: PATH, title: v.optional(METADATA_FIELD) }),
  'component.mount': v.looseObject({
    component: nonEmptyText(looser(LIMITS.name)),
    library: v.optional(textUpTo(looser(LIMITS.library))),
    version: v.optional(textUpTo(looser(LIMITS.version))),
    props: v.optional(boundedRecord(METADATA_KEY, PROP_VALUE, looser(LIMITS.props))),
    count: v.optional(v.pipe(COUNT, v.minValue(1))),
  }),
  'feature.toggle': v.looseObject({ feature: FEATURE, enabled: v.boolean() }),
  'feature.use': v.looseObject({ feature: FEATURE }),
  'session.end': v.looseObject({
    duration_ms: v.pipe(v.number(), v.finite(), v.minValue(0)),
  }),
  web_vital: v.looseObject({
    name: v.picklist(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']),
    value: v.pipe(v.number(), v.finite(), v.minValue(0)),
    rating: v.optional(METADATA_FIELD),
    path: v.optional(PATH),
  }),
  error: v.looseObject({
    error_class: textUpTo(looser(LIMITS.errorClass)),
    message: v.optional(textUpTo(looser(LIMITS.errorMessage))),
    error_hash: v.pipe(METADATA_FIELD, v.minLength(1)),
    source: v.optional(METADATA_FIELD),
  }),
};

const CONTEXT = v.strictObject({
  path: v.optional(PATH),
  locale: v.optional(textUpTo(looser(LIMITS.locale))),
  browser: v.optional(textUpTo(FAMILY_LENGTH)),
  os: v.optional(textUpTo(FAMILY_LENGTH)),
  device: v.optional(textUpTo(FAMILY_LENGTH)),
});

/** A key of `dropped`: any reason-shaped word, so an older or newer client may count others. */
export const DROP_REASON_PATTERN = /^[a-z_]{1,32}$/;

/** The envelope of `POST {endpoint}`; `events` are validated separately. */
export const BatchEnvelopeSchema = v.strictObject({
  service_name: nonEmptyText(looser(LIMITS.serviceName)),
  service_version: textUpTo(looser(LIMITS.serviceVersion)),
  sdk: v.strictObject({
    name: textUpTo(SDK_FIELD_LENGTH),
    version: textUpTo(SDK_FIELD_LENGTH),
  }),
  sent_at: TIMESTAMP,
  // No receipt, no storage: the collector keeps only what a user agreed to.
  consent: v.strictObject({
    policy_version: STORED_COUNT,
    granted_at: TIMESTAMP,
  }),
  dropped: v.pipe(
    v.record(
      v.pipe(v.string(), v.regex(DROP_REASON_PATTERN, 'must be a drop reason')),
      STORED_COUNT,
    ),
    v.maxEntries(looser(DROP_REASONS.length)),
  ),
  events: v.array(v.unknown()),
});

/** The envelope after validation. */
export type BatchEnvelope = v.InferOutput<typeof BatchEnvelopeSchema>;

/** Time bounds an event's `timestamp` must fall within, decided per request. */
export interface TimestampWindow {
  /** Earliest acceptable time (older events would be deleted by retention at once). */
  earliest: number;
  /** Latest acceptable time: now plus tolerated clock skew. */
  latest: number;
}

const EventSchema = v.strictObject({
  id: ID,
  event_type: EVENT_TYPE,
  timestamp: TIMESTAMP,
  anonymous_id: ID,
  session_id: ID,
  // Wider than the wire's USER_HASH_PATTERN (the 64 hex digits of this client's SHA-256): other
  // clients' hashes may have 32 to 128.
  user_id: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{32,128}$/, 'must be a hex hash'))),
  sampling_rate: v.optional(v.pipe(v.number(), v.gtValue(0), v.maxValue(1))),
  metadata: METADATA,
  context: CONTEXT,
});

/** The outcome of checking one event: the event, or why it was rejected. */
export type EventCheck = { ok: true; event: TelemetryEvent } | { ok: false; reason: string };

/** Validates one event of a batch, including its built-in metadata fields and its time. */
export function checkEvent(input: unknown, window: TimestampWindow): EventCheck {
  const parsed = v.safeParse(EventSchema, input, PARSE_CONFIG);
  if (!parsed.success) return { ok: false, reason: describeIssues(parsed.issues) };
  const event = parsed.output;
  const metadataSchema = BUILT_IN_METADATA[event.event_type];
  if (metadataSchema) {
    const metadata = v.safeParse(metadataSchema, event.metadata, PARSE_CONFIG);
    if (!metadata.success) {
      return { ok: false, reason: `metadata.${describeIssues(metadata.issues)}` };
    }
  }
  const time = Date.parse(event.timestamp);
  if (Number.isNaN(time)) return { ok: false, reason: 'timestamp: not a real date' };
  if (time > window.latest) return { ok: false, reason: 'timestamp: in the future' };
  if (time < window.earliest)
    return { ok: false, reason: 'timestamp: older than the retention period' };
  return { ok: true, event: stripUndefined(event) };
}

/** Validates the envelope; `reason` names the first problem. */
export function checkEnvelope(
  input: unknown,
): { ok: true; envelope: BatchEnvelope } | { ok: false; reason: string } {
  const parsed = v.safeParse(BatchEnvelopeSchema, input, PARSE_CONFIG);
  if (parsed.success) return { ok: true, envelope: parsed.output };
  return { ok: false, reason: describeIssues(parsed.issues) };
}

/** `exactOptionalPropertyTypes`: optional fields are absent rather than `undefined`. */
function stripUndefined(event: v.InferOutput<typeof EventSchema>): TelemetryEvent {
  const { user_id, sampling_rate, ...required } = event;
  const context = Object.fromEntries(
    Object.entries(event.context).filter(([, value]) => value !== undefined),
  ) as TelemetryEvent['context'];
  return {
    ...required,
    context,
    ...(user_id === undefined ? {} : { user_id }),
    ...(sampling_rate === undefined ? {} : { sampling_rate }),
  };
}
