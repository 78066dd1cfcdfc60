import type { Report } from '../lib/createReport.js';
import type { Queue } from '../storage/createQueue.js';
import { eventsOf, type Segment } from '../storage/queueStore.js';
import type { EventsBySegment } from '../storage/storedDeliveryState.js';
import type { Transport } from '../types.js';
import { joinEventArrays } from '../wire/buildBatch.js';
import type { DropCounts, TelemetryEvent } from '../wire/event.js';
import type { Backoff } from './createBackoff.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface BatchSenderOptions {
  transport: Transport;
  queue: Queue;
  report: Report;
  backoff: Backoff;
  /** The request body of a batch: the wire envelope around serialised events. */
  body: (eventsJson: string, dropped: DropCounts) => string;
  /** The consent gate, re-read before every request. */
  allowed: () => boolean;
  now: () => number;
}

/** Events to send: serialised, and parsed once a 413 made them be split. */
interface Part {
  json: string;
  count: number;
  events?: TelemetryEvent[];
}

/** What became of a claimed batch: how many the collector acknowledged, and whether to retry. */
interface Outcome {
  delivered: number;
  retry: boolean;
  /** Of a split batch, the events that need no further attempt: delivered, or dropped. */
  settled: TelemetryEvent[];
}

const halves = (part: Part): [Part, Part] => {
  const events = part.events ?? (JSON.parse(part.json) as TelemetryEvent[]);
  const middle = Math.ceil(events.length / 2);
  const half = (list: TelemetryEvent[]): Part => ({
    json: JSON.stringify(list),
    count: list.length,
    events: list,
  });
  return [half(events.slice(0, middle)), half(events.slice(middle))];
};

/**
 * Sends claimed segments as one batch and settles them: deleted on a 2xx (at-least-once), split
 * in halves on a 413, kept and released for a retry on a network failure, 408, 429 or 5xx (with
 * backoff), dropped and counted on any other 4xx — a batch the collector will never accept must
 * not block the queue forever.
 */
export function createBatchSender(options: BatchSenderOptions) {
  const { transport, queue, report, backoff } = options;
  let controller: AbortController | null = null;
  let inFlight: ReadonlySet<string> = new Set();
  /** Bumped by `abort`: an answer to a request sent before it is not acted on. */
  let epoch = 0;

  const request = async (part: Part): Promise<Outcome> => {
    const none: Outcome = { delivered: 0, retry: true, settled: [] };
    if (!options.allowed()) return none;
    const settled = part.events ?? [];
    const dropped = report.unreported();
    const body = options.body(part.json, dropped);
    controller = new AbortController();
    const timeout = setTimeout(() => controller?.abort(), REQUEST_TIMEOUT_MS);
    const sentAt = epoch;
    const response = await transport.send(body, { signal: controller.signal });
    clearTimeout(timeout);
    // Aborted while the request was out: the queue it came from is gone; touching the store
    // now would open (create) it again.
    if (epoch !== sentAt) return none;
    const { status } = response;
    if (status >= 200 && status < 300) {
      backoff.reset();
      report.markReported(dropped);
      const rejected = (response.body as { rejected?: unknown[] } | undefined)?.rejected;
      // Events the collector rejected one by one are lost, but it knows: count them locally only.
      if (Array.isArray(rejected) && rejected.length)
        report.countDropped('invalid', rejected.length);
      report.delivered(options.now());
      return { delivered: part.count, retry: false, settled };
    }
    if (status === 413) {
      if (part.count === 1) {
        report.countDropped('too_large', 1);
        report.problem('the collector refused an event as too large (413); it was dropped');
        return { delivered: 0, retry: false, settled };
      }
      // Too large for the collector: halve until each part fits.
      const [head, tail] = halves(part);
      const first = await request(head);
      if (first.retry) return first;
      const second = await request(tail);
      return {
        delivered: first.delivered + second.delivered,
        retry: second.retry,
        settled: [...first.settled, ...second.settled],
      };
    }
    if (status === 0 || status === 408 || status === 429 || status >= 500) {
      backoff.failed(response.retryAfter);
      report.problem(
        status === 0 ? 'the collector could not be reached' : `the collector answered ${status}`,
      );
      return none;
    }
    report.countDropped('rejected', part.count);
    report.problem(`the collector rejected a batch (${status}); it was dropped`);
    return { delivered: 0, retry: false, settled };
  };

  return {
    /**
     * Sends claimed segments; resolves with how many events were delivered, and `retry`. Without
     * `retry` every event was delivered or dropped: the caller deletes the segments (with its
     * next claim, in the same transaction). With it they are released, but for the settled half
     * of a split batch, which is deleted.
     */
    async send(segments: readonly Segment[]): Promise<{ delivered: number; retry: boolean }> {
      const sentAt = epoch;
      inFlight = new Set(segments.map((segment) => segment.id));
      const outcome = await request({
        json: joinEventArrays(segments.map((segment) => segment.json)),
        count: segments.reduce((sum, segment) => sum + segment.count, 0),
      });
      inFlight = new Set();
      if (epoch !== sentAt || !outcome.retry) return outcome;
      // Half of a split batch went through: its events go, the rest waits for the retry.
      if (outcome.settled.length)
        await queue.acknowledgeEvents(bySegment(segments, outcome.settled));
      await queue.release(segments);
      return outcome;
    },
    /** The segments of the request in flight (the page-hide beacon leaves them out). */
    inFlight: () => inFlight,
    /** Aborts the request in flight; its answer is ignored. */
    abort() {
      epoch++;
      controller?.abort();
      controller = null;
    },
  };
}

/** Settled events grouped by the segment that holds them. */
function bySegment(
  segments: readonly Segment[],
  events: readonly TelemetryEvent[],
): EventsBySegment {
  const out: EventsBySegment = {};
  const settled = new Set(events.map((event) => event.id));
  for (const segment of segments) {
    const ids = eventsOf(segment)
      .map((event) => event.id)
      .filter((id) => settled.has(id));
    if (ids.length) out[segment.id] = ids;
  }
  return out;
}

export type BatchSender = ReturnType<typeof createBatchSender>;
