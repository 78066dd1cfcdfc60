import { createHash } from 'node:crypto';
import {
  DROP_REASONS,
  ID_PATTERN,
  LIMITS,
  looser,
  type MetadataValue,
  type TelemetryEvent,
} from 'telemetry-kit/wire';
import * as v from 'valibot';
import {
  checkEvent,
  DROP_REASON_PATTERN,
  type EventCheck,
  MAX_STORED_INTEGER,
  type TimestampWindow,
} from './batch-schema.js';
import { describeIssues, PARSE_CONFIG } from './bounded-schemas.js';
import type { BatchOrigin } from './event-store.js';
import { type AnyValueRead, readAnyValue, readKeyValues } from './otlp-any-value.js';
import type { LogsRequest, OtlpAttributes } from './otlp-logs-schema.js';
import { type LogRecord, readLogRecord } from './read-log-record.js';

/**
 * OTLP log records → telemetry-kit events (DESIGN.md, "OpenTelemetry in, Prometheus out"):
 *
 * | event | from |
 * |---|---|
 * | `event_type` | `eventName`, else the attribute `event.name` |
 * | `metadata` | the body's key-values; any other body as `{ message }` |
 * | `id` | `log.record.uid`, else `telemetry_kit.event_id`, else a hash of the record |
 * | `anonymous_id` | `enduser.pseudo.id`, else `telemetry_kit.anonymous_id`, else the service's |
 * | `session_id` | `session.id`, else the anonymous id |
 * | `context` | `url.path`, `browser.language`, `os.type`, `telemetry_kit.browser` / `.device` |
 * | batch origin | resource `service.name`, `service.version`, `telemetry_kit.consent.*` |
 *
 * `user.id` and `enduser.id` are never read: a raw user id is never stored. Every event is then
 * checked by the batch endpoint's own `checkEvent`, so both doors hold the same rules.
 */

/** Events of one origin (service, version, consent), stored with one insert. */
export interface LogsGroup {
  origin: BatchOrigin;
  events: TelemetryEvent[];
  /** `telemetry_kit.dropped.<reason>` counts of the group's resources (the browser's losses). */
  dropped: Record<string, number>;
}

/** A record the collector refused, by its place in the request. */
export interface RejectedRecord {
  path: string;
  reason: string;
}

/** What a request's records became. */
export interface MappedLogs {
  groups: LogsGroup[];
  rejected: RejectedRecord[];
}

/** When records may have happened, and when the request came (for records without a time). */
export interface MappingClock {
  window: TimestampWindow;
  receivedAt: number;
}

const CONSENT_VERSION = 'telemetry_kit.consent.policy_version';
const CONSENT_GRANTED_AT = 'telemetry_kit.consent.granted_at';
const DROPPED_PREFIX = 'telemetry_kit.dropped.';
/** The batch envelope's bound on `consent.granted_at` (`toISOString()` plus an offset). */
const TIMESTAMP_LENGTH = 40;

const SERVICE_NAME = v.pipe(v.string(), v.minLength(1), v.maxLength(looser(LIMITS.serviceName)));
const SERVICE_VERSION = v.pipe(v.string(), v.maxLength(looser(LIMITS.serviceVersion)));

/** Maps every record of a checked request, grouping the valid ones by origin. */
export function mapLogsRequest(request: LogsRequest, clock: MappingClock): MappedLogs {
  const groups = new Map<string, LogsGroup>();
  const rejected: RejectedRecord[] = [];
  for (const [resourceIndex, resourceLogs] of (request.resourceLogs ?? []).entries()) {
    const resourcePath = `resourceLogs.${resourceIndex}`;
    const resource = mapResource(resourceLogs.resource?.attributes);
    for (const [scopeIndex, scopeLogs] of (resourceLogs.scopeLogs ?? []).entries()) {
      const scopePath = `${resourcePath}.scopeLogs.${scopeIndex}`;
      const scope = `${scopeLogs.scope?.name ?? ''}@${scopeLogs.scope?.version ?? ''}`;
      for (const [recordIndex, input] of (scopeLogs.logRecords ?? []).entries()) {
        const path = `${scopePath}.logRecords.${recordIndex}`;
        if (!resource.ok) {
          rejected.push({ path, reason: `${resourcePath}.resource: ${resource.reason}` });
          continue;
        }
        const check = mapLogRecord(input, resource.resource, scope, clock);
        if (!check.ok) {
          rejected.push({ path, reason: check.reason });
          continue;
        }
        groupFor(groups, resource.resource).events.push(check.event);
      }
    }
    if (resource.ok && Object.keys(resource.resource.dropped).length > 0) {
      const group = groupFor(groups, resource.resource);
      for (const [reason, count] of Object.entries(resource.resource.dropped)) {
        group.dropped[reason] = Math.min(MAX_STORED_INTEGER, (group.dropped[reason] ?? 0) + count);
      }
    }
  }
  return { groups: [...groups.values()], rejected };
}

/** A resource's facts that every one of its records shares. */
interface MappedResource {
  origin: BatchOrigin;
  dropped: Record<string, number>;
  /** The anonymous id of records that name no end user: the service (instance) itself. */
  serviceAnonymousId: string;
}

function groupFor(groups: Map<string, LogsGroup>, resource: MappedResource): LogsGroup {
  const { origin } = resource;
  const key = JSON.stringify([
    origin.service_name,
    origin.service_version,
    origin.consent_policy_version,
  ]);
  let group = groups.get(key);
  if (!group) {
    group = { origin, events: [], dropped: {} };
    groups.set(key, group);
  }
  return group;
}

type ResourceMapping = { ok: true; resource: MappedResource } | { ok: false; reason: string };

function mapResource(attributes: OtlpAttributes): ResourceMapping {
  const values = attributeMap(attributes);
  const name = readText(values, 'service.name');
  if (!name.ok) return name;
  if (name.value === undefined) return { ok: false, reason: 'service.name is required' };
  const serviceName = v.safeParse(SERVICE_NAME, name.value, PARSE_CONFIG);
  if (!serviceName.success) {
    return { ok: false, reason: `service.name: ${describeIssues(serviceName.issues)}` };
  }
  const version = readText(values, 'service.version');
  if (!version.ok) return version;
  const serviceVersion = v.safeParse(SERVICE_VERSION, version.value ?? '', PARSE_CONFIG);
  if (!serviceVersion.success) {
    return { ok: false, reason: `service.version: ${describeIssues(serviceVersion.issues)}` };
  }
  // The sending service asserts its users' consent; without the assertion nothing is kept, as
  // a batch without its consent receipt is refused whole.
  const consent = readStoredInteger(values, CONSENT_VERSION);
  if (!consent.ok) return consent;
  if (consent.value === undefined) {
    return {
      ok: false,
      reason: `${CONSENT_VERSION} is missing: set it to the consent policy version your users agreed to`,
    };
  }
  const grantedAt = readText(values, CONSENT_GRANTED_AT);
  if (!grantedAt.ok) return grantedAt;
  if (
    grantedAt.value !== undefined &&
    (grantedAt.value.length > TIMESTAMP_LENGTH || Number.isNaN(Date.parse(grantedAt.value)))
  ) {
    return { ok: false, reason: `${CONSENT_GRANTED_AT}: must be an ISO 8601 timestamp` };
  }
  const dropped = readDropped(values);
  if (!dropped.ok) return dropped;
  const instance = readText(values, 'service.instance.id');
  return {
    ok: true,
    resource: {
      origin: {
        service_name: serviceName.output,
        service_version: serviceVersion.output,
        consent_policy_version: consent.value,
      },
      dropped: dropped.dropped,
      serviceAnonymousId: `svc_${hash([serviceName.output, instance.ok ? instance.value : ''])}`,
    },
  };
}

function readDropped(
  values: AttributeMap,
): { ok: true; dropped: Record<string, number> } | { ok: false; reason: string } {
  const dropped: Record<string, number> = {};
  let reasons = 0;
  for (const key of values.keys()) {
    if (!key.startsWith(DROPPED_PREFIX)) continue;
    const reason = key.slice(DROPPED_PREFIX.length);
    if (!DROP_REASON_PATTERN.test(reason))
      return { ok: false, reason: `${key}: not a drop reason` };
    reasons += 1;
    if (reasons > looser(DROP_REASONS.length)) {
      return { ok: false, reason: `more than ${looser(DROP_REASONS.length)} drop reasons` };
    }
    const count = readStoredInteger(values, key);
    if (!count.ok) return count;
    if (count.value !== undefined) dropped[reason] = count.value;
  }
  return { ok: true, dropped };
}

function mapLogRecord(
  input: unknown,
  resource: MappedResource,
  scope: string,
  clock: MappingClock,
): EventCheck {
  const read = readLogRecord(input);
  if (!read.ok) return read;
  const { record } = read;
  const values = record.attributes;

  let eventType = record.eventName || undefined;
  if (eventType === undefined) {
    const attribute = readText(values, 'event.name');
    if (!attribute.ok) return attribute;
    eventType = attribute.value;
  }
  if (eventType === undefined || eventType === '') {
    return {
      ok: false,
      reason: 'eventName: required (a record without one is a log line, not a usage event)',
    };
  }

  const metadata = readBody(record.body);
  if (!metadata.ok) return metadata;

  const uid = readText(values, 'log.record.uid');
  if (!uid.ok) return uid;
  const eventId = readText(values, 'telemetry_kit.event_id');
  if (!eventId.ok) return eventId;
  const givenId = uid.value ?? eventId.value;
  // Without an id of its own, the record's content is its identity: a resend of the same
  // record hashes the same, so the primary key dedupes it like a retried batch.
  const id =
    givenId === undefined
      ? `otlp_${hash(recordContent(record, input, metadata.value, resource, scope))}`
      : wireId(givenId, 'uid_');

  const pseudoId = readText(values, 'enduser.pseudo.id');
  if (!pseudoId.ok) return pseudoId;
  const kitAnonymousId = readText(values, 'telemetry_kit.anonymous_id');
  if (!kitAnonymousId.ok) return kitAnonymousId;
  const givenAnonymousId = pseudoId.value ?? kitAnonymousId.value;
  const anonymousId =
    givenAnonymousId === undefined ? resource.serviceAnonymousId : wireId(givenAnonymousId, 'pid_');
  const session = readText(values, 'session.id');
  if (!session.ok) return session;

  const time = eventTime(record, clock.receivedAt);
  if (!time.ok) return time;

  const context: Record<string, unknown> = {};
  for (const [field, key] of CONTEXT_ATTRIBUTES) {
    const read = readAttribute(values, key);
    if (!read.ok) return read;
    if (read.value !== undefined) context[field] = read.value;
  }
  const samplingRate = readAttribute(values, 'telemetry_kit.sampling_rate');
  if (!samplingRate.ok) return samplingRate;

  return checkEvent(
    {
      id,
      event_type: eventType,
      timestamp: time.timestamp,
      anonymous_id: anonymousId,
      session_id: session.value === undefined ? anonymousId : wireId(session.value, 'sid_'),
      metadata: metadata.value,
      context,
      ...(samplingRate.value === undefined ? {} : { sampling_rate: samplingRate.value }),
    },
    clock.window,
  );
}

/**
 * What a record says, read the same way from either encoding (decoded protobuf omits what
 * JSON exporters write as defaults, and writes 64-bit integers as strings), so a record
 * resent as protobuf after JSON still hashes the same.
 */
function recordContent(
  record: LogRecord,
  input: unknown,
  metadata: { [key: string]: MetadataValue },
  resource: MappedResource,
  scope: string,
): unknown[] {
  const { severityNumber, severityText } = input as {
    severityNumber?: unknown;
    severityText?: unknown;
  };
  const attributes = [...record.attributes].map(([key, value]) => {
    const read = readAnyValue(value, key);
    return [key, read.ok ? read.value : null];
  });
  return [
    resource.origin.service_name,
    scope,
    String(record.timeUnixNano ?? 0),
    String(record.observedTimeUnixNano ?? 0),
    Number(severityNumber ?? 0),
    typeof severityText === 'string' ? severityText : '',
    record.eventName ?? '',
    metadata,
    attributes,
  ];
}

/** Event context fields and the attributes (semantic conventions first) they come from. */
const CONTEXT_ATTRIBUTES = [
  ['path', 'url.path'],
  ['locale', 'browser.language'],
  ['browser', 'telemetry_kit.browser'],
  ['os', 'os.type'],
  ['device', 'telemetry_kit.device'],
] as const;

function readBody(
  body: unknown,
): { ok: true; value: { [key: string]: MetadataValue } } | { ok: false; reason: string } {
  if (body === undefined || body === null) return { ok: true, value: {} };
  const kvlist = (body as { kvlistValue?: unknown }).kvlistValue;
  if (typeof body === 'object' && kvlist !== undefined && kvlist !== null) {
    // The body's key-values are the metadata object itself: nesting counts from below it.
    const read = readKeyValues(kvlist, 'body.kvlistValue', 0);
    return read.ok ? { ok: true, value: read.value as { [key: string]: MetadataValue } } : read;
  }
  const read = readAnyValue(body, 'body');
  if (!read.ok) return read;
  return { ok: true, value: read.value === null ? {} : { message: read.value } };
}

function eventTime(
  record: LogRecord,
  receivedAt: number,
): { ok: true; timestamp: string } | { ok: false; reason: string } {
  // OTLP: 0 means unknown; observedTimeUnixNano is when a collector or SDK first saw it.
  const nanos = knownTime(record.timeUnixNano) ?? knownTime(record.observedTimeUnixNano);
  const millis =
    nanos === undefined
      ? receivedAt
      : typeof nanos === 'number'
        ? Math.floor(nanos / 1e6)
        : Number(nanos.slice(0, -6) || '0');
  // Beyond ±8.64e15 ms `Date` has no ISO form (ECMA-262 21.4.1.1); toISOString would throw.
  if (!(millis <= 8.64e15)) return { ok: false, reason: 'timeUnixNano: out of range' };
  return { ok: true, timestamp: new Date(millis).toISOString() };
}

function knownTime(nanos: string | number | undefined): string | number | undefined {
  return nanos === undefined || nanos === 0 || /^0+$/.test(String(nanos)) ? undefined : nanos;
}

/** An id as the wire allows it: as given when it matches `ID_PATTERN`, else a hash of it. */
function wireId(value: string, prefix: string): string {
  return ID_PATTERN.test(value) ? value : `${prefix}${hash(value)}`;
}

/** 32 base64url characters (192 bits) of SHA-256: an id `ID_PATTERN` accepts. */
function hash(value: unknown): string {
  return createHash('sha256')
    .update(typeof value === 'string' ? value : JSON.stringify(value))
    .digest('base64url')
    .slice(0, 32);
}

type AttributeMap = Map<string, unknown>;

function attributeMap(attributes: OtlpAttributes): AttributeMap {
  const values: AttributeMap = new Map();
  for (const { key, value } of attributes ?? []) values.set(key, value);
  return values;
}

type Read<T> = { ok: true; value: T | undefined } | { ok: false; reason: string };

/** An attribute's value, `undefined` when absent or empty. */
function readAttribute(values: AttributeMap, key: string): Read<MetadataValue> {
  if (!values.has(key)) return { ok: true, value: undefined };
  const read: AnyValueRead = readAnyValue(values.get(key), `attributes.${key}`);
  if (!read.ok) return read;
  return { ok: true, value: read.value === null ? undefined : read.value };
}

function readText(values: AttributeMap, key: string): Read<string> {
  const read = readAttribute(values, key);
  if (!read.ok || read.value === undefined) return read as Read<string>;
  if (typeof read.value !== 'string')
    return { ok: false, reason: `attributes.${key}: must be a string` };
  return { ok: true, value: read.value };
}

/**
 * A non-negative integer that fits the `integer` column it goes to. Digit strings count:
 * `OTEL_RESOURCE_ATTRIBUTES=telemetry_kit.consent.policy_version=3` makes every value a string.
 */
function readStoredInteger(values: AttributeMap, key: string): Read<number> {
  const read = readAttribute(values, key);
  if (!read.ok || read.value === undefined) return read as Read<number>;
  const number =
    typeof read.value === 'string' && /^\d{1,10}$/.test(read.value)
      ? Number(read.value)
      : read.value;
  if (
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    number < 0 ||
    number > MAX_STORED_INTEGER
  ) {
    return {
      ok: false,
      reason: `attributes.${key}: must be an integer from 0 to ${MAX_STORED_INTEGER}`,
    };
  }
  return { ok: true, value: number };
}
