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
  /** When an event may have happened. */
  window: TimestampWindow;
}

/** An event the collector refused, by its position in the batch. */
export interface Rejection {
  index: number;
  reason: string;
}

/** A batch ready to store, or the 4xx answer it earned. */
export type BatchRead =
  | { ok: true; envelope: BatchEnvelope; events: TelemetryEvent[]; rejected: Rejection[] }
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
  for (const [index, input] of envelope.envelope.events.entries()) {
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
  return { ok: true, envelope: envelope.envelope, events: valid, rejected };
}

function refuse(status: 400 | 413 | 415, error: string, reason: string): BatchRead & { ok: false } {
  return { ok: false, status, error, reason };
}
