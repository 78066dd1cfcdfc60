import type { TelemetryEvent } from '../wire/event.js';
import type { QueueStore, Segment } from './queueStore.js';

interface MemorySegment extends Segment {
  queued_at: number;
  /** Until when (ms) the segment is claimed for sending. */
  lease_until: number;
}

/** The in-memory store: the fallback when IndexedDB is missing, failing or full. */
export function createMemoryStore(): QueueStore {
  let records: MemorySegment[] = [];
  const count = () => records.reduce((sum, record) => sum + record.events.length, 0);
  const byId = (ids: readonly string[]) => {
    const wanted = new Set(ids);
    return records.filter((record) => wanted.has(record.id));
  };
  return {
    kind: 'memory',
    async append(segments, queuedAt, maxSize) {
      for (const [i, segment] of segments.entries())
        records.push({
          ...segment,
          events: [...segment.events],
          queued_at: queuedAt + i / 1000,
          lease_until: 0,
        });
      let size = count();
      let dropped = 0;
      // Overflow drops the oldest events: the newest describe the present best.
      while (size > maxSize && records[0]) {
        const oldest = records[0];
        const excess = Math.min(size - maxSize, oldest.events.length);
        oldest.events = oldest.events.slice(excess);
        if (!oldest.events.length) records.shift();
        size -= excess;
        dropped += excess;
      }
      return { dropped, size };
    },
    async claim(limit, now, leaseMs, expireBefore) {
      let expired = 0;
      records = records.filter((record) => {
        if (record.queued_at >= expireBefore) return true;
        expired += record.events.length;
        return false;
      });
      const segments: Segment[] = [];
      let total = 0;
      for (const record of records) {
        if (record.lease_until > now) continue;
        if (segments.length && total + record.events.length > limit) break;
        record.lease_until = now + leaseMs;
        segments.push({ id: record.id, events: [...record.events] });
        total += record.events.length;
        if (total >= limit) break;
      }
      return { segments, expired };
    },
    async remove(ids) {
      const gone = new Set(ids);
      records = records.filter((record) => !gone.has(record.id));
    },
    async removeEvents(eventsBySegment) {
      for (const record of byId(Object.keys(eventsBySegment))) {
        const gone = new Set(eventsBySegment[record.id]);
        record.events = record.events.filter((event) => !gone.has(event.id));
      }
      records = records.filter((record) => record.events.length);
    },
    async release(ids) {
      for (const record of byId(ids)) record.lease_until = 0;
    },
    all: async (): Promise<TelemetryEvent[]> => records.flatMap((record) => record.events),
    count: async () => count(),
    async destroy() {
      records = [];
    },
    close() {},
  };
}
