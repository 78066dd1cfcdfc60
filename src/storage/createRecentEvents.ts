import type { TelemetryEvent } from '../wire/event.js';
import type { EventsBySegment } from './storedDeliveryState.js';

/** This tab's not-yet-acknowledged events kept in memory for the page-hide beacon. */
const LOCAL_LIMIT = 2_000;

/**
 * This tab's recent events, for the page-hide beacon, minus those that are taken: acknowledged,
 * dropped, or in a segment this tab or another one claimed. An array and sets rather than a Map
 * keyed by id: `add()` runs for every event, and a push is cheaper than hashing the id.
 *
 * Tabs tell each other which segments they claimed (a BroadcastChannel): an event persisted by
 * tab A and sent by tab B must not go out again in A's page-hide beacon.
 */
export function createRecentEvents(channelName: string) {
  let recent: TelemetryEvent[] = [];
  let takenIds = new Set<string>();
  let takenSegments = new Set<string>();
  /** The segment each persisted event went into. */
  let segmentOf = new WeakMap<TelemetryEvent, string>();
  let channel: BroadcastChannel | null = null;

  const isTaken = (event: TelemetryEvent) => {
    const segment = segmentOf.get(event);
    return takenIds.has(event.id) || (segment !== undefined && takenSegments.has(segment));
  };

  return {
    add(event: TelemetryEvent) {
      // Trimmed now and then, not on every call: keep the newest LOCAL_LIMIT. The taken sets
      // are pruned only once they are large: usually few events are taken one by one, and a
      // segment id stands for a batch.
      if (recent.push(event) <= LOCAL_LIMIT * 2) return;
      recent = recent.slice(-LOCAL_LIMIT);
      if (takenIds.size > LOCAL_LIMIT) {
        const kept = new Set(recent.map((item) => item.id));
        takenIds = new Set([...takenIds].filter((id) => kept.has(id)));
      }
      if (takenSegments.size > LOCAL_LIMIT) {
        const kept = new Set(recent.map((item) => segmentOf.get(item)));
        takenSegments = new Set([...takenSegments].filter((id) => kept.has(id)));
      }
    },
    /** Notes the segment these events were persisted in. */
    placeIn(events: readonly TelemetryEvent[], segmentId: string) {
      for (const event of events) segmentOf.set(event, segmentId);
    },
    segmentOf: (event: TelemetryEvent) => segmentOf.get(event),
    /** These events no longer need the beacon. */
    takeEvents(events: readonly TelemetryEvent[]) {
      for (const event of events) takenIds.add(event.id);
    },
    /** These segments no longer need the beacon. */
    takeSegments(ids: readonly string[]) {
      for (const id of ids) takenSegments.add(id);
    },
    /** Events not taken, oldest first, but those of the segments in `busy`. */
    untaken(busy: ReadonlySet<string>): TelemetryEvent[] {
      return recent.slice(-LOCAL_LIMIT).filter((event) => {
        const segment = segmentOf.get(event);
        return !isTaken(event) && !(segment !== undefined && busy.has(segment));
      });
    },
    /** Tells the other tabs that this one claimed these segments. */
    announce(ids: readonly string[]) {
      try {
        channel?.postMessage({ claimed: ids });
      } catch {}
    },
    listen() {
      if (channel || typeof BroadcastChannel !== 'function') return;
      try {
        channel = new BroadcastChannel(channelName);
        channel.onmessage = (message: MessageEvent<{ claimed?: unknown }>) => {
          const claimed = message.data?.claimed;
          if (Array.isArray(claimed)) for (const id of claimed) takenSegments.add(String(id));
        };
      } catch {
        channel = null;
      }
    },
    /** Groups persisted events by segment; the unpersisted ones come back apart. */
    bySegment(events: readonly TelemetryEvent[]): { placed: EventsBySegment; staged: Set<string> } {
      const placed: EventsBySegment = {};
      const staged = new Set<string>();
      for (const event of events) {
        const segment = segmentOf.get(event);
        if (segment === undefined) staged.add(event.id);
        else placed[segment] = [...(placed[segment] ?? []), event.id];
      }
      return { placed, staged };
    },
    /** Forgets everything (a revoke, a forget) and stops listening. */
    discard() {
      recent = [];
      takenIds = new Set();
      takenSegments = new Set();
      segmentOf = new WeakMap();
      this.close();
    },
    close() {
      channel?.close();
      channel = null;
    },
  };
}

export type RecentEvents = ReturnType<typeof createRecentEvents>;
