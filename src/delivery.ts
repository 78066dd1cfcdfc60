import type { Queue } from './queue.js';
import type { EventStore } from './store.js';
import type { DropReason, FlushResult, TelemetryEvent, Transport } from './types.js';

/** A claimed batch stays reserved this long; longer than any request should take. */
const LEASE_MS = 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 5 * 60_000;
/** A collector's Retry-After is honoured up to this long; beyond it we assume a mistake. */
const RETRY_AFTER_MAX_MS = 60 * 60_000;

export interface DeliveryOptions {
  transport: Transport | undefined;
  queue: Queue;
  maxBatchSize: number;
  maxEventAgeMs: number;
  now: () => number;
  random: () => number;
  /** The consent gate, re-read before every request. */
  allowed: () => boolean;
  /** Serialises a batch; `dropped` is the count to report with it. */
  envelope: (events: TelemetryEvent[], dropped: Partial<Record<DropReason, number>>) => string;
  onDropped: (reason: DropReason, count: number) => void;
  onDelivered: (count: number, at: number) => void;
  onError: (message: string) => void;
  /** The backoff state, kept where other page loads of this origin can read it. */
  retryAt: { get(): number; set(at: number): void };
  /**
   * Drop counts not yet reported, kept where every tab and the next page load see them: loss
   * is counted per device, and a tab closed before its next delivery must not lose its count.
   */
  dropCounts: { get(): DropCounts; set(counts: DropCounts): void };
  /** Events that page-hide beacons carried: deleted before anything is sent again. */
  beaconed: { take(): string[] };
}

export type DropCounts = Partial<Record<DropReason, number>>;

export type FlushMode = 'scheduled' | 'explicit';

/** Sends queued events in batches: claim, send, then delete on 2xx (at-least-once). */
export interface Delivery {
  flush(mode: FlushMode): Promise<FlushResult>;
  /**
   * True from a failed attempt until the next 2xx, also after the backoff delay ran out: the
   * collector is not known to be back, so the hide path keeps events instead of beaconing them
   * into an outage (a beacon's answer cannot be read).
   */
  failing(): boolean;
  /** Drop counts not yet reported to the collector. */
  unreported(): Partial<Record<DropReason, number>>;
  /** Marks counts as reported (after a beacon carried them). */
  reported(counts: Partial<Record<DropReason, number>>): void;
  countDropped(reason: DropReason, count: number): void;
  /** Resolves when no flush is running (for shutdown, before the store closes). */
  idle(): Promise<void>;
  /** Ids of the events in the request this tab has in flight. */
  inFlight(): ReadonlySet<string>;
  /** Aborts requests in flight and forgets the backoff (consent revoked, data forgotten). */
  abort(): void;
}

/** Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from now. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), RETRY_AFTER_MAX_MS) : undefined;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const { queue, now } = options;
  let attempt = 0;
  let running: Promise<FlushResult> | null = null;
  let controller: AbortController | null = null;
  let inFlight: ReadonlySet<string> = new Set();

  const subtract = (counts: DropCounts) => {
    const pending = options.dropCounts.get();
    for (const [reason, count] of Object.entries(counts) as Array<[DropReason, number]>) {
      const left = (pending[reason] ?? 0) - count;
      if (left > 0) pending[reason] = left;
      else delete pending[reason];
    }
    options.dropCounts.set(pending);
  };

  const backOff = (retryAfter: string | null | undefined) => {
    // Exponential backoff with "full jitter" (AWS Architecture Blog, "Exponential Backoff And
    // Jitter"): spreads the retries of many clients after an outage.
    const exponential = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
    attempt = Math.min(attempt + 1, 20);
    const jittered = exponential / 2 + (options.random() * exponential) / 2;
    const asked = parseRetryAfter(retryAfter, now()) ?? 0;
    options.retryAt.set(now() + Math.max(jittered, asked));
  };

  type Outcome = { delivered: number; retry: boolean };

  /** Bumped by `abort`: a flush or a request asked for before it stops at its next step. */
  let epoch = 0;

  /** Sends one batch; splits it on 413. Resolves with how many the collector acknowledged. */
  const sendBatch = async (store: EventStore, events: TelemetryEvent[]): Promise<Outcome> => {
    const ids = events.map((event) => event.id);
    const transport = options.transport;
    if (!transport || !options.allowed()) {
      await store.release(ids).catch(() => {});
      return { delivered: 0, retry: true };
    }
    const dropped = options.dropCounts.get();
    const body = options.envelope(events, dropped);
    controller = new AbortController();
    const timeout = setTimeout(() => controller?.abort(), REQUEST_TIMEOUT_MS);
    inFlight = new Set(ids);
    const sentAt = epoch;
    const response = await transport.send(body, { signal: controller.signal });
    inFlight = new Set();
    clearTimeout(timeout);
    // Aborted while the request was out: the queue it came from is gone; touching the store
    // now would open (create) it again.
    if (epoch !== sentAt) return { delivered: 0, retry: true };
    const status = response.status;

    if (status >= 200 && status < 300) {
      attempt = 0;
      options.retryAt.set(0);
      subtract(dropped);
      await queue.acknowledge(ids, true);
      const rejected = (response.body as { rejected?: unknown[] } | undefined)?.rejected;
      // Events the collector rejected one by one are lost, but it knows: count them locally only.
      if (Array.isArray(rejected) && rejected.length) options.onDropped('invalid', rejected.length);
      options.onDelivered(events.length, now());
      return { delivered: events.length, retry: false };
    }
    if (status === 413) {
      if (events.length === 1) {
        await queue.acknowledge(ids, true);
        countDropped('too_large', 1);
        options.onError('the collector refused an event as too large (413); it was dropped');
        return { delivered: 0, retry: false };
      }
      // Too large for the collector: halve until each part fits.
      const middle = Math.ceil(events.length / 2);
      const first = await sendBatch(store, events.slice(0, middle));
      if (first.retry) {
        if (epoch === sentAt) await store.release(events.slice(middle).map((event) => event.id));
        return first;
      }
      const second = await sendBatch(store, events.slice(middle));
      return { delivered: first.delivered + second.delivered, retry: second.retry };
    }
    if (status === 0 || status === 408 || status === 429 || status >= 500) {
      await store.release(ids);
      backOff(response.retryAfter);
      options.onError(
        status === 0 ? 'the collector could not be reached' : `the collector answered ${status}`,
      );
      return { delivered: 0, retry: true };
    }
    // Any other 4xx: the collector will never accept this batch; retrying forever would block
    // the queue. Drop it and count the loss.
    await queue.acknowledge(ids, true);
    countDropped('rejected', events.length);
    options.onError(`the collector rejected a batch (${status}); it was dropped`);
    return { delivered: 0, retry: false };
  };

  const countDropped = (reason: DropReason, count: number) => {
    const pending = options.dropCounts.get();
    pending[reason] = (pending[reason] ?? 0) + count;
    options.dropCounts.set(pending);
    options.onDropped(reason, count);
  };

  const run = async (mode: FlushMode, started: number): Promise<FlushResult> => {
    let delivered = 0;
    // After an abort (a revoke or a forget destroyed the queue) a flush must not claim, count or
    // even open the store again: opening it would create the database the forget just deleted.
    const aborted = () => epoch !== started;
    // Timers wait out the backoff (and any Retry-After); an explicit flush() or the browser
    // coming back online is a reason to try now.
    if (mode === 'scheduled' && options.retryAt.get() > now())
      return { delivered, pending: queue.size() };
    await queue.persist();
    const beaconed = options.beaconed.take();
    if (beaconed.length) await queue.acknowledge(beaconed, true);
    for (;;) {
      if (aborted() || !options.allowed() || !options.transport) break;
      const store = await queue.store();
      if (!store) break;
      let claimed: { events: TelemetryEvent[]; expired: number };
      try {
        claimed = await store.claim(
          options.maxBatchSize,
          now(),
          LEASE_MS,
          now() - options.maxEventAgeMs,
        );
      } catch (error) {
        options.onError(`could not read the queue: ${String(error)}`);
        break;
      }
      if (claimed.expired) countDropped('expired', claimed.expired);
      if (!claimed.events.length) break;
      queue.announceClaim(claimed.events.map((event) => event.id));
      const outcome = await sendBatch(store, claimed.events);
      delivered += outcome.delivered;
      if (outcome.retry) break;
    }
    if (!aborted())
      queue.noteStoredSize((await (await queue.store())?.count().catch(() => queue.size())) ?? 0);
    return { delivered, pending: queue.size() };
  };

  return {
    flush(mode) {
      // One flush at a time per tab; a second call waits for the first and then runs.
      // Asked for before an abort, it does not run after it (see `run`).
      const asked = epoch;
      const next = (running ?? Promise.resolve()).then(() => run(mode, asked));
      const tracked = next.catch((error) => {
        options.onError(`flush failed: ${String(error)}`);
        return { delivered: 0, pending: queue.size() };
      });
      running = tracked;
      void tracked.finally(() => {
        if (running === tracked) running = null;
      });
      return tracked;
    },
    failing: () => options.retryAt.get() !== 0,
    idle: async () => {
      while (running) await running;
    },
    inFlight: () => inFlight,
    unreported: () => options.dropCounts.get(),
    reported: subtract,
    countDropped,
    abort() {
      epoch++;
      controller?.abort();
      controller = null;
      attempt = 0;
      options.retryAt.set(0);
      options.dropCounts.set({});
    },
  };
}
