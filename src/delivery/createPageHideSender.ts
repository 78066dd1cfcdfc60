import type { Report } from '../lib/createReport.js';
import type { Queue } from '../storage/createQueue.js';
import type { EventsBySegment } from '../storage/storedDeliveryState.js';
import { KEEPALIVE_LIMIT, utf8Length } from '../transports/keepalive.js';
import type { Transport } from '../types.js';
import type { DropCounts, TelemetryEvent } from '../wire/event.js';
import { chunkBodies } from './chunkBodies.js';
import type { Backoff } from './createBackoff.js';
import type { Delivery } from './createDelivery.js';

/**
 * Room left for the `visibilitychange` that follows a `pagehide` on unload (Chromium fires
 * `pagehide` first): that is when web-vitals reports the final CLS and INP, and a first beacon
 * using the page's whole keepalive quota would get their beacon refused.
 */
const RESERVE_FOR_VISIBILITYCHANGE = 16 * 1024;

export interface PageHideSenderOptions {
  navigator: Navigator | undefined;
  transport: Transport | undefined;
  queue: Queue;
  delivery: Pick<Delivery, 'inFlight'>;
  backoff: Pick<Backoff, 'failing'>;
  report: Pick<Report, 'unreported' | 'markReported'>;
  body: (events: TelemetryEvent[], dropped: DropCounts) => string;
  /** Remembers synchronously what beacons carried (see `storedBeaconed`). */
  beaconed: { add(bySegment: EventsBySegment): void };
}

/**
 * The page-hide path: this tab's undelivered events go by `navigator.sendBeacon`, in bodies of
 * at most 64 KiB, falling back to a keepalive fetch. What a beacon carried is deleted (its answer
 * cannot be read; the collector dedupes by id if it arrives twice); what does not fit in the
 * page's keepalive quota stays stored for the next visit. The engine calls `hidden` once what
 * is still in memory (drafts, mount counts) has become events.
 *
 * The engine listens on `window` in the bubble phase: that runs after web-vitals' capture-phase
 * `visibilitychange` listener, so the final INP and CLS values it reports on hide are queued.
 */
export function createPageHideSender(options: PageHideSenderOptions) {
  const { queue, transport } = options;
  // Keepalive bytes sent since the page was last visible: Chromium counts all of them against
  // one 64 KiB quota until they complete, and on unload none completes first.
  let spent = 0;
  return {
    /** The page is shown again: the quota is free. */
    shown() {
      spent = 0;
    },
    /**
     * The page is hidden or going away. `beforeVisibilityChange`: a `pagehide` while the page is
     * still visible, which a `visibilitychange` follows.
     */
    hidden(beforeVisibilityChange: boolean) {
      // During an outage or offline a beacon would be lost: keep the events for the next attempt.
      if (!transport || options.backoff.failing() || options.navigator?.onLine === false) {
        void queue.persist();
        return;
      }
      const allowance =
        KEEPALIVE_LIMIT - (beforeVisibilityChange ? RESERVE_FOR_VISIBILITYCHANGE : 0);
      // Newest first: when the quota cannot carry everything, the older events are the ones
      // already stored for the next visit, and the newest include the final web vitals.
      const events = queue.unacknowledged(options.delivery.inFlight()).reverse();
      const dropped = options.report.unreported();
      const sent: TelemetryEvent[] = [];
      for (const chunk of chunkBodies(events, (list) => options.body(list, dropped))) {
        const bytes = utf8Length(chunk.body);
        if (spent + bytes > allowance) break;
        spent += bytes;
        if (transport.beacon?.(chunk.body)) {
          sent.push(...chunk.events);
          continue;
        }
        // No sendBeacon, or it refused: a keepalive fetch, acknowledged if the page lives on.
        void transport.send(chunk.body, {}).then((response) => {
          if (response.status >= 200 && response.status < 300) queue.beaconed(chunk.events);
        });
      }
      if (sent.length) {
        options.beaconed.add(queue.beaconed(sent));
        options.report.markReported(dropped);
      }
      void queue.persist();
    },
  };
}

export type PageHideSender = ReturnType<typeof createPageHideSender>;
