import type { Report } from '../lib/createReport.js';
import type { Queue } from '../storage/createQueue.js';
import type { Segment } from '../storage/queueStore.js';
import type { EventsBySegment } from '../storage/storedDeliveryState.js';
import type { FlushResult, Transport } from '../types.js';
import type { DropCounts } from '../wire/event.js';
import type { Backoff } from './createBackoff.js';
import { createBatchSender } from './createBatchSender.js';

/** A claim stays reserved this long; far longer than its requests should take. */
const LEASE_MS = 60_000;
/**
 * Batches claimed together, then sent one after another: a claim is a read-write transaction,
 * and with one per batch the transactions, not the events, were most of what delivery cost.
 * Five keeps a claim's requests well inside its lease, and leaves other tabs work to share.
 */
const BATCHES_PER_CLAIM = 5;

export type FlushMode = 'scheduled' | 'explicit';

export interface DeliveryOptions {
  transport: Transport | undefined;
  queue: Queue;
  report: Report;
  backoff: Backoff;
  /** The request body of a batch: the wire envelope around serialised events. */
  body: (eventsJson: string, dropped: DropCounts) => string;
  maxBatchSize: number;
  maxEventAgeMs: number;
  now: () => number;
  /** The consent gate, re-read before every claim and every request. */
  allowed: () => boolean;
  /** What earlier page-hide beacons carried (storedBeaconed): deleted before anything is sent. */
  beaconed: { take(): EventsBySegment };
}

/**
 * Sends the queue: claim a batch, send it, acknowledge it, and again, until the queue is empty,
 * the collector fails, or consent is gone. One flush at a time per tab; timers wait out the
 * backoff, an explicit `flush()` or the browser coming back online tries at once.
 */
export function createDelivery(options: DeliveryOptions) {
  const { queue, now } = options;
  const transport = options.transport;
  const sender = transport && createBatchSender({ ...options, transport });
  let running: Promise<FlushResult> | null = null;
  /** Bumped by `abort`: a flush asked for before it stops at its next step. */
  let epoch = 0;

  const run = async (mode: FlushMode, asked: number): Promise<FlushResult> => {
    let delivered = 0;
    // After an abort (a revoke or a forget destroyed the queue) a flush must not claim, count or
    // even open the store again: opening it would create the database the forget just deleted.
    const aborted = () => epoch !== asked;
    if (mode === 'scheduled' && options.backoff.waiting())
      return { delivered, pending: queue.size() };
    await queue.persist();
    const beaconed = options.beaconed.take();
    if (Object.keys(beaconed).length) await queue.acknowledgeEvents(beaconed);
    /** Segments delivered (or dropped), deleted by the next claim's transaction. */
    let settled: Segment[] = [];
    let more = true;
    while (more && sender && !aborted() && options.allowed()) {
      let claimed: Awaited<ReturnType<Queue['claim']>>;
      try {
        const limit = options.maxBatchSize * BATCHES_PER_CLAIM;
        claimed = await queue.claim(limit, LEASE_MS, now() - options.maxEventAgeMs, settled);
        settled = [];
      } catch (error) {
        options.report.problem(`could not read the queue: ${String(error)}`);
        break;
      }
      if (!claimed) break;
      options.report.countDropped('expired', claimed.expired);
      if (!claimed.segments.length) break;
      const batches = inBatches(claimed.segments, options.maxBatchSize);
      for (const [i, batch] of batches.entries()) {
        const outcome = await sender.send(batch);
        delivered += outcome.delivered;
        if (!outcome.retry) settled.push(...batch);
        // A failure, a revoke or a shutdown: what this claim still holds is released for later.
        if (outcome.retry || aborted() || !options.allowed()) {
          if (!aborted()) await queue.release(batches.slice(i + 1).flat());
          more = false;
          break;
        }
      }
    }
    // The loop ended before a claim could take them (consent gone, a shutdown): delete them now.
    if (settled.length && !aborted()) await queue.acknowledge(settled);
    if (!aborted()) await queue.recount();
    return { delivered, pending: queue.size() };
  };

  return {
    flush(mode: FlushMode): Promise<FlushResult> {
      // A second call waits for the first and then runs. Asked for before an abort, it does not
      // run after it (see `run`).
      const asked = epoch;
      const next = (running ?? Promise.resolve()).then(() => run(mode, asked));
      const tracked = next.catch((error) => {
        options.report.problem(`flush failed: ${String(error)}`);
        return { delivered: 0, pending: queue.size() };
      });
      running = tracked;
      void tracked.finally(() => {
        if (running === tracked) running = null;
      });
      return tracked;
    },
    /** Resolves when no flush is running (for shutdown, before the store closes). */
    idle: async () => {
      while (running) await running;
    },
    /** The segments of the request in flight. */
    inFlight: (): ReadonlySet<string> => sender?.inFlight() ?? new Set(),
    /** Aborts flushes and requests in flight (consent revoked, data forgotten). */
    abort() {
      epoch++;
      sender?.abort();
    },
  };
}

/** Claimed segments, in order, as batches of at most `max` events (a larger segment alone). */
function inBatches(segments: readonly Segment[], max: number): Segment[][] {
  const batches: Segment[][] = [];
  let batch: Segment[] = [];
  let size = 0;
  for (const segment of segments) {
    if (batch.length && size + segment.count > max) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(segment);
    size += segment.count;
  }
  if (batch.length) batches.push(batch);
  return batches;
}

export type Delivery = ReturnType<typeof createDelivery>;
