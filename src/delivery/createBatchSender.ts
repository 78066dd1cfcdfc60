import type { Report } from '../lib/createReport.js';
import type { Queue } from '../storage/createQueue.js';
import type { Segment } from '../storage/queueStore.js';
import type { EventsBySegment } from '../storage/storedDeliveryState.js';
import type { Transport } from '../types.js';
import type { DropCounts, TelemetryEvent } from '../wire/event.js';
import type { Backoff } from './createBackoff.js';

const REQUEST_TIMEOUT_MS = 30_000;

export interface BatchSenderOptions {
  transport: Transport;
  queue: Queue;
  report: Report;
  backoff: Backoff;
  /** The request body of a batch: the wire envelope around `events`. */
  body: (events: TelemetryEvent[], dropped: DropCounts) => string;
  /** The consent gate, re-read before every request. */
  allowed: () => boolean;
  now: () => number;
}

/** What became of a claimed batch: how many the collector acknowledged, and whether to retry. */
interface Outcome {
  delivered: number;
  retry: boolean;
  /** Events that need no further attempt: delivered, or dropped and counted. */
  settled: TelemetryEvent[];
}

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

  const request = async (events: TelemetryEvent[]): Promise<Outcome> => {
    const none: Outcome = { delivered: 0, retry: true, settled: [] };
    if (!options.allowed()) return none;
    const dropped = report.unreported();
    const body = options.body(events, dropped);
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
      return { delivered: events.length, retry: false, settled: events };
    }
    if (status === 413) {
      if (events.length === 1) {
        report.countDropped('too_large', 1);
        report.problem('the collector refused an event as too large (413); it was dropped');
        return { delivered: 0, retry: false, settled: events };
      }
      // Too large for the collector: halve until each part fits.
      const middle = Math.ceil(events.length / 2);
      const first = await request(events.slice(0, middle));
      if (first.retry) return first;
      const second = await request(events.slice(middle));
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
    report.countDropped('rejected', events.length);
    report.problem(`the collector rejected a batch (${status}); it was dropped`);
    return { delivered: 0, retry: false, settled: events };
  };

  return {
    /** Sends claimed segments; resolves with how many events were delivered, and `retry`. */
    async send(segments: readonly Segment[]): Promise<{ delivered: number; retry: boolean }> {
      const sentAt = epoch;
      inFlight = new Set(segments.map((segment) => segment.id));
      const outcome = await request(segments.flatMap((segment) => segment.events));
      inFlight = new Set();
      if (epoch !== sentAt) return outcome;
      if (!outcome.retry) await queue.acknowledge(segments);
      else {
        // Half of a split batch went through: its events go, the rest waits for the retry.
        if (outcome.settled.length)
          await queue.acknowledgeEvents(bySegment(segments, outcome.settled));
        await queue.release(segments);
      }
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
  const settled = new Set(events);
  const out: EventsBySegment = {};
  for (const segment of segments) {
    const ids = segment.events.filter((event) => settled.has(event)).map((event) => event.id);
    if (ids.length) out[segment.id] = ids;
  }
  return out;
}

export type BatchSender = ReturnType<typeof createBatchSender>;
