import type { TelemetryEvent } from '../wire/event.js';

/**
 * A batch segment: up to one batch of events, stored, claimed, leased and deleted as a unit. One
 * record per batch rather than one per event: IndexedDB's cost is mostly per record (a request,
 * a structured clone, an IPC to the storage process), so a segment of 100 costs about what one
 * event used to. The events are kept as the JSON array they are sent as, serialised once when
 * they are persisted: cloning one string is far cheaper than cloning a hundred objects, and a
 * batch body is then only an envelope around what the store returns.
 */
export interface Segment {
  id: string;
  /** Events in it. */
  count: number;
  /** The events, as a JSON array of `TelemetryEvent`. */
  json: string;
}

/** A segment of `events`. */
export const segmentOf = (id: string, events: readonly TelemetryEvent[]): Segment => ({
  id,
  count: events.length,
  json: JSON.stringify(events),
});

/** The events of a segment. */
export const eventsOf = (segment: Segment): TelemetryEvent[] =>
  JSON.parse(segment.json) as TelemetryEvent[];

/** The persistent half of the queue: IndexedDB, or memory where IndexedDB cannot be used. */
export interface QueueStore {
  readonly kind: 'indexeddb' | 'memory';
  /**
   * Appends segments in one transaction, then drops the oldest events beyond `maxSize`. The
   * i-th segment is stamped `queuedAt + i / 1000` so order survives within a millisecond.
   * Resolves with how many events were dropped and how many are stored now.
   */
  append(
    segments: readonly Segment[],
    queuedAt: number,
    maxSize: number,
  ): Promise<{ dropped: number; size: number }>;
  /**
   * Claims the oldest segments nobody holds, whole, as many as fit in `limit` events (at least
   * one), until `now + leaseMs`. Segments queued before `expireBefore` are deleted instead and
   * their events counted as `expired`. Several tabs share one queue: a claim is taken inside one
   * read-write transaction, which IndexedDB runs one at a time, so two tabs never claim the
   * same segment. `settled` segments (the batch delivered before) are deleted first, in the same
   * transaction: one transaction per batch instead of two.
   */
  claim(
    limit: number,
    now: number,
    leaseMs: number,
    expireBefore: number,
    settled?: readonly string[],
  ): Promise<{ segments: Segment[]; expired: number }>;
  /** Deletes delivered segments. */
  remove(segmentIds: readonly string[]): Promise<void>;
  /**
   * Deletes some events of some segments and keeps the rest of each (the acknowledged half of a
   * split batch; what a page-hide beacon carried). Keyed by segment id.
   */
  removeEvents(eventsBySegment: Readonly<Record<string, readonly string[]>>): Promise<void>;
  /** Ends claims early, so the segments can be sent again. */
  release(segmentIds: readonly string[]): Promise<void>;
  /** Every stored event, oldest first. */
  all(): Promise<TelemetryEvent[]>;
  /** Stored events (not segments). */
  count(): Promise<number>;
  /** Deletes everything and, for IndexedDB, the database itself. */
  destroy(): Promise<void>;
  close(): void;
}
