import { LIMITS, looser } from 'telemetry-kit/wire';
import { MAX_ATTRIBUTES } from './otlp-logs-schema.js';

/**
 * One OTLP log record's fields that become an event, checked by hand rather than by a schema:
 * this runs once per record, and a valibot object schema copying every attribute cost more
 * than the rest of the mapping (measured in test/bench/ingest.bench.ts). The checks are the
 * ones a schema would make: types, bounds, and a reason naming the first problem.
 */

/** A record's fields with their types checked; `body` is read later by `readAnyValue`. */
export interface LogRecord {
  timeUnixNano: string | number | undefined;
  observedTimeUnixNano: string | number | undefined;
  eventName: string | undefined;
  body: unknown;
  /** Attribute values by key, as decoded (a key given twice keeps its last value). */
  attributes: Map<string, unknown>;
}

/** A checked record, or why the input is not one. */
export type LogRecordRead = { ok: true; record: LogRecord } | { ok: false; reason: string };

/** Longer than any event type may be, so a long name's reason is the event type pattern's. */
const EVENT_NAME_LENGTH = looser(LIMITS.name);
const NANOS = /^\d{1,20}$/;
const NANOS_MESSAGE = 'must be nanoseconds since the epoch, as a decimal string';

/** Checks one element of a scope's `logRecords`. */
export function readLogRecord(input: unknown): LogRecordRead {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: '(root): must be a log record object' };
  }
  const record = input as Record<string, unknown>;
  const timeUnixNano = record.timeUnixNano ?? undefined;
  if (!isNanos(timeUnixNano)) return { ok: false, reason: `timeUnixNano: ${NANOS_MESSAGE}` };
  const observedTimeUnixNano = record.observedTimeUnixNano ?? undefined;
  if (!isNanos(observedTimeUnixNano)) {
    return { ok: false, reason: `observedTimeUnixNano: ${NANOS_MESSAGE}` };
  }
  const eventName = record.eventName ?? undefined;
  if (eventName !== undefined && typeof eventName !== 'string') {
    return { ok: false, reason: 'eventName: must be a string' };
  }
  if (eventName !== undefined && eventName.length > EVENT_NAME_LENGTH) {
    return { ok: false, reason: `eventName: longer than ${EVENT_NAME_LENGTH} characters` };
  }
  const attributes = readAttributeList(record.attributes);
  if (typeof attributes === 'string') return { ok: false, reason: attributes };
  return {
    ok: true,
    record: { timeUnixNano, observedTimeUnixNano, eventName, body: record.body, attributes },
  };
}

/** A `KeyValue` list as a map from key to (unread) value, or the reason it is not one. */
function readAttributeList(input: unknown): Map<string, unknown> | string {
  const attributes = new Map<string, unknown>();
  if (input === undefined || input === null) return attributes;
  if (!Array.isArray(input)) return 'attributes: must be a list of key-values';
  if (input.length > MAX_ATTRIBUTES) return `attributes: more than ${MAX_ATTRIBUTES}`;
  for (const [index, entry] of input.entries()) {
    const key = (entry as { key?: unknown } | null)?.key;
    if (typeof key !== 'string') return `attributes.${index}.key: must be a string`;
    attributes.set(key, (entry as { value?: unknown }).value);
  }
  return attributes;
}

function isNanos(value: unknown): value is string | number | undefined {
  if (value === undefined) return true;
  if (typeof value === 'string') return NANOS.test(value);
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
