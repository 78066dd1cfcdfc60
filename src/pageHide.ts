import { chunkBodies } from './beacon.js';
import type { Delivery, DropCounts } from './delivery.js';
import type { Queue } from './queue.js';
import { KEEPALIVE_LIMIT, utf8Length } from './transport.js';
import type { TelemetryEvent, Transport } from './types.js';

/**
 * Room left for the `visibilitychange` that follows a `pagehide` on unload (Chromium fires
 * `pagehide` first): that is when web-vitals reports the final CLS and INP, and a first beacon
 * using the page's whole keepalive quota would get their beacon refused.
 */
const RESERVE_FOR_VISIBILITYCHANGE = 16 * 1024;

export interface PageHideOptions {
  document: Document;
  navigator: Navigator | undefined;
  transport: Transport | undefined;
  queue: Queue;
  delivery: Delivery;
  /** The consent gate, re-read. */
  allowed: () => boolean;
  envelope: (events: TelemetryEvent[], dropped: DropCounts) => string;
  /** Runs first: turns what is still aggregated in memory into events. */
  beforeSend: () => void;
  /** Remembers synchronously what beacons carried (see `storedBeaconed`). */
  beaconed: { add(ids: readonly string[]): void };
}

/**
 * The page-hide path: this tab's undelivered events go by `navigator.sendBeacon`, in bodies of
 * at most 64 KiB, falling back to a keepalive fetch. What a beacon carried is deleted (its answer
 * cannot be read; the collector dedupes by id if it arrives twice); what does not fit in the
 * page's keepalive quota stays stored for the next visit.
 *
 * Listen on `window` in the bubble phase: that runs after web-vitals' capture-phase
 * `visibilitychange` listener, so the final INP and CLS values it reports on hide are queued.
 */
export function createPageHideHandler(options: PageHideOptions): (event: Event) => void {
  const { queue, delivery, transport } = options;
  // Keepalive bytes sent since the page was last visible: Chromium counts all of them against
  // one 64 KiB quota until they complete, and on unload none completes first.
  let spent = 0;
  return (event) => {
    const visible = options.document.visibilityState === 'visible';
    if (event.type === 'pageshow' || (event.type === 'visibilitychange' && visible)) {
      spent = 0;
      return;
    }
    if (!options.allowed()) return;
    options.beforeSend();
    // During an outage or offline a beacon would be lost: keep the events for the next attempt.
    if (!transport || delivery.failing() || options.navigator?.onLine === false) {
      void queue.persist();
      return;
    }
    const allowance =
      KEEPALIVE_LIMIT - (event.type === 'pagehide' && visible ? RESERVE_FOR_VISIBILITYCHANGE : 0);
    const busy = delivery.inFlight();
    // Newest first: when the quota cannot carry everything, the older events are the ones
    // already stored for the next visit, and the newest include the final web vitals.
    const events = queue
      .unacknowledged()
      .filter((item) => !busy.has(item.id))
      .reverse();
    const dropped = delivery.unreported();
    const sent: string[] = [];
    for (const chunk of chunkBodies(events, (list) => options.envelope(list, dropped))) {
      const bytes = utf8Length(chunk.body);
      if (spent + bytes > allowance) break;
      spent += bytes;
      if (transport.beacon?.(chunk.body)) {
        sent.push(...chunk.ids);
        continue;
      }
      // No sendBeacon, or it refused: a keepalive fetch, acknowledged if the page lives on.
      void transport.send(chunk.body, {}).then((response) => {
        if (response.status >= 200 && response.status < 300)
          void queue.acknowledge(chunk.ids, true);
      });
    }
    if (sent.length) {
      options.beaconed.add(sent);
      delivery.reported(dropped);
      void queue.acknowledge(sent, true);
    }
    void queue.persist();
  };
}
