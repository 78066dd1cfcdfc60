import { chunkBodies } from './beacon.js';
import type { Delivery, DropCounts } from './delivery.js';
import type { Queue } from './queue.js';
import type { TelemetryEvent, Transport } from './types.js';

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
}

/**
 * The page-hide path: this tab's undelivered events go by `navigator.sendBeacon`, in bodies of
 * at most 64 KiB (the keepalive quota), falling back to a keepalive fetch. What a beacon carried
 * is deleted (sendBeacon gives no answer; the collector dedupes by id if it arrives twice).
 *
 * Listen on `window` in the bubble phase: that runs after web-vitals' capture-phase
 * `visibilitychange` listener, so the final INP and CLS values it reports on hide are queued.
 */
export function createPageHideHandler(options: PageHideOptions): (event: Event) => void {
  const { queue, delivery, transport } = options;
  return (event) => {
    if (event.type === 'visibilitychange' && options.document.visibilityState !== 'hidden') return;
    if (!options.allowed()) return;
    options.beforeSend();
    // During an outage or offline a beacon would be lost: keep the events for the next attempt.
    if (!transport || delivery.backingOff() || options.navigator?.onLine === false) {
      void queue.persist();
      return;
    }
    const busy = delivery.inFlight();
    const events = queue.unacknowledged().filter((item) => !busy.has(item.id));
    const dropped = delivery.unreported();
    const sent: string[] = [];
    for (const chunk of chunkBodies(events, (list) => options.envelope(list, dropped))) {
      if (transport.beacon?.(chunk.body)) {
        sent.push(...chunk.ids);
        continue;
      }
      // No sendBeacon, or it refused (quota): a keepalive fetch, acknowledged if the page lives.
      void transport.send(chunk.body, {}).then((response) => {
        if (response.status >= 200 && response.status < 300)
          void queue.acknowledge(chunk.ids, true);
      });
    }
    if (sent.length) {
      delivery.reported(dropped);
      void queue.acknowledge(sent, true);
    }
    void queue.persist();
  };
}
