import type { TelemetryEvent } from './types.js';

/** One queued event as stored on the device. */
export interface StoredEvent {
  id: string;
  /** When it was queued (ms): the order of delivery and of overflow. */
  queued_at: number;
  event: TelemetryEvent;
}

/** The persistent half of the queue: IndexedDB, or memory where IndexedDB cannot be used. */
export interface EventStore {
  readonly kind: 'indexeddb' | 'memory';
  /**
   * Appends events in one transaction, then drops the oldest beyond `maxSize`. The i-th event
   * is stamped `queuedAt + i / 1000` so order survives within a millisecond.
   * Resolves with how many were dropped and how many are stored now.
   */
  append(
    events: TelemetryEvent[],
    queuedAt: number,
    maxSize: number,
  ): Promise<{ dropped: number; size: number }>;
  /**
   * Claims up to `limit` events nobody holds, oldest first, until `now + leaseMs`. Events queued
   * before `expireBefore` are deleted instead and counted as `expired`. Several tabs share one
   * queue: a claim is taken inside one read-write transaction, which IndexedDB runs one at a
   * time, so two tabs never claim the same event.
   */
  claim(
    limit: number,
    now: number,
    leaseMs: number,
    expireBefore: number,
  ): Promise<{ events: TelemetryEvent[]; expired: number }>;
  /** Deletes acknowledged events. */
  remove(ids: readonly string[]): Promise<void>;
  /** Ends claims early, so the events can be sent again. */
  release(ids: readonly string[]): Promise<void>;
  /** Everything stored, oldest first. */
  all(): Promise<TelemetryEvent[]>;
  count(): Promise<number>;
  /** Deletes every event and, for IndexedDB, the database itself. */
  destroy(): Promise<void>;
  close(): void;
}

/** The in-memory store: the fallback when IndexedDB is missing, failing or full. */
export function createMemoryStore(): EventStore {
  /** `lease_until`: until when (ms) the event is claimed for sending. */
  let records: Array<StoredEvent & { lease_until: number }> = [];
  return {
    kind: 'memory',
    async append(events, queuedAt, maxSize) {
      for (const event of events)
        records.push({ id: event.id, queued_at: queuedAt, lease_until: 0, event });
      const dropped = Math.max(0, records.length - maxSize);
      if (dropped) records = records.slice(dropped);
      return { dropped, size: records.length };
    },
    async claim(limit, now, leaseMs, expireBefore) {
      const before = records.length;
      records = records.filter((record) => record.queued_at >= expireBefore);
      const events: TelemetryEvent[] = [];
      for (const record of records) {
        if (events.length >= limit) break;
        if (record.lease_until > now) continue;
        record.lease_until = now + leaseMs;
        events.push(record.event);
      }
      return { events, expired: before - records.length };
    },
    async remove(ids) {
      const gone = new Set(ids);
      records = records.filter((record) => !gone.has(record.id));
    },
    async release(ids) {
      const freed = new Set(ids);
      for (const record of records) if (freed.has(record.id)) record.lease_until = 0;
    },
    all: async () => records.map((record) => record.event),
    count: async () => records.length,
    async destroy() {
      records = [];
    },
    close() {},
  };
}
