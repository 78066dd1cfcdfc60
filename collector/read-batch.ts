import { LIMITS, looser, type TelemetryEvent } from 'telemetry-kit/wire';
import {
  type BatchEnvelope,
  checkEnvelope,
  checkEvent,
  type TimestampWindow,
} from './batch-schema.js';
import { readJsonBody } from './read-json-body.js';

/** Bounds `readBatch` enforces. */
export interface BatchLimits {
  maxBodyBytes: number;
  maxEventsPerBatch: number;
  /** When an event may have happened (its time as corrected for the device's clock). */
  window: TimestampWindow;
  /** The collector's clock when the batch arrived: the device's skew is measured against it. */
  receivedAt: number;
}

/**
 * A device clock off by less than this is left alone: the gap between `sent_at` and the
 * arrival is transit time as much as skew.
 */
export const SKEW_TOLERANCE_MS = 60_000;

/** An event the collector refused, by its position in the batch. */
export interface Rejection {
  index: number;
  reason: string;
}

/** A batch ready to store, or the 4xx answer it earned. */
export type BatchRead =
  | {
      ok: true;
      envelope: BatchEnvelope;
      events: TelemetryEvent[];
      rejected: Rejection[];
      /** How far the device's clock was off when the events' times were corrected; else null. */
      clockSkewMs: number | null;
    }
  | {
      ok: false;
      status: 400 | 413 | 415;
      error: string;
      reason: string;
      rejected?: Rejection[];
    };

// The batch, its `events`, an event and the event's `metadata` are the first four levels; caller
// metadata nests below that, LIMITS.depth levels on the client and twice that here.
const METADATA_LEVEL = 4;
const MAX_DEPTH = METADATA_LEVEL + looser(LIMITS.depth);
const MAX_VALUES = 200_000;

/**
 * Body → validated batch, cheapest checks first: media type, size (while reading), JSON,
 * shape (depth, value count, forbidden keys), event count, envelope, then each event.
 */
export async function readBatch(request: Request, limits: BatchLimits): Promise<BatchRead> {
  const mediaType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'text/plain' && mediaType !== 'application/json') {
    return refuse(
      415,
      'unsupported_media_type',
      'send the batch as text/plain or application/json',
    );
  }
  const body = await readJsonBody(request, {
    maxBytes: limits.maxBodyBytes,
    maxDepth: MAX_DEPTH,
    maxValues: MAX_VALUES,
    subject: 'the batch',
  });
  if (!body.ok) return refuse(body.status, body.error, body.reason);
  const parsed = body.value;
  // Checked before the schema so that an oversize batch gets 413, which tells the browser to
  // split it, rather than a 400 that would make it drop the events.
  const events = (parsed as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > limits.maxEventsPerBatch) {
    return refuse(
      413,
      'too_many_events',
      `a batch holds at most ${limits.maxEventsPerBatch} events; split it`,
    );
  }
  const envelope = checkEnvelope(parsed);
  if (!envelope.ok) return refuse(400, 'invalid_batch', envelope.reason);

  const valid: TelemetryEvent[] = [];
  const rejected: Rejection[] = [];
  const skew = limits.receivedAt - Date.parse(envelope.envelope.sent_at);
  // A device whose clock runs days ahead or behind would have its events refused as "in the
  // future", or filed far in the past: each event's time is moved by the batch's skew, as
  // Segment and Snowplow do, and the corrected time is what is checked and stored.
  const clockSkewMs = Number.isFinite(skew) && Math.abs(skew) >= SKEW_TOLERANCE_MS ? skew : null;
  for (const [index, given] of envelope.envelope.events.entries()) {
    const input = clockSkewMs === null ? given : corrected(given, clockSkewMs);
    const check = checkEvent(input, limits.window);
    if (check.ok) valid.push(check.event);
    else rejected.push({ index, reason: check.reason });
  }
  if (valid.length === 0 && rejected.length > 0) {
    return {
      ...refuse(400, 'no_valid_events', `all ${rejected.length} events were rejected`),
      rejected,
    };
  }
  return { ok: true, envelope: envelope.envelope, events: valid, rejected, clockSkewMs };
}

/** The event with its timestamp moved by `skew`; unchanged where it has no readable time. */
function corrected(input: unknown, skew: number): unknown {
  const timestamp = (input as { timestamp?: unknown } | null)?.timestamp;
  if (typeof timestamp !== 'string') return input;
  const time = Date.parse(timestamp);
  const moved = time + skew;
  if (!Number.isFinite(moved) || Math.abs(moved) > 8.64e15) return input;
  return { ...(input as object), timestamp: new Date(moved).toISOString() };
}

function refuse(status: 400 | 413 | 415, error: string, reason: string): BatchRead & { ok: false } {
  return { ok: false, status, error, reason };
}
