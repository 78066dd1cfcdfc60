import type { TelemetryEvent } from '../wire/event.js';
import { eventsOf, type QueueStore, type Segment, segmentOf } from './queueStore.js';

interface MemorySegment extends Segment {
  queued_at: number;
  /** Until when (ms) the segment is claimed for sending. */
  lease_until: number;
}

/** The in-memory store: the fallback when IndexedDB is missing, failing or full. */
export function createMemoryStore(): QueueStore {
  let records: MemorySegment[] = [];
  const count = () => records.reduce((sum, record) => sum + record.count, 0);
  /** Keeps the events of a record that `keep` accepts. */
  const filter = (record: MemorySegment, keep: (event: TelemetryEvent, i: number) => boolean) =>
    Object.assign(record, segmentOf(record.id, eventsOf(record).filter(keep)));
  return {
    kind: 'memory',
    async append(segments, queuedAt, maxSize) {
      for (const [i, segment] of segments.entries())
        records.push({ ...segment, queued_at: queuedAt + i / 1000, lease_until: 0 });
      let size = count();
      let dropped = 0;
      // Overflow drops the oldest events: the newest describe the present best.
      while (size > maxSize && records[0]) {
        const oldest = records[0];
        const excess = Math.min(size - maxSize, oldest.count);
        if (excess === oldest.count) records.shift();
        else filter(oldest, (_, i) => i >= excess);
        size -= excess;
        dropped += excess;
      }
      return { dropped, size };
    },
    async claim(limit, now, leaseMs, expireBefore, settled = []) {
      const gone = new Set(settled);
      let expired = 0;
      records = records.filter((record) => {
        if (gone.has(record.id)) return false;
        if (record.queued_at >= expireBefore) return true;
        expired += record.count;
        return false;
      });
      const segments: Segment[] = [];
      let total = 0;
      for (const record of records) {
        if (record.lease_until > now) continue;
        if (segments.length && total + record.count > limit) break;
        record.lease_until = now + leaseMs;
        segments.push({ id: record.id, count: record.count, json: record.json });
        total += record.count;
        if (total >= limit) break;
      }
      return { segments, expired };
    },
    async remove(ids) {
      const gone = new Set(ids);
      records = records.filter((record) => !gone.has(record.id));
    },
    async removeEvents(eventsBySegment) {
      for (const record of records) {
        const ids = eventsBySegment[record.id];
        if (!ids) continue;
        const gone = new Set(ids);
        filter(record, (event) => !gone.has(event.id));
      }
      records = records.filter((record) => record.count);
    },
    async release(ids) {
      const freed = new Set(ids);
      for (const record of records) if (freed.has(record.id)) record.lease_until = 0;
    },
    all: async (): Promise<TelemetryEvent[]> => records.flatMap(eventsOf),
    count: async () => count(),
    async destroy() {
      records = [];
    },
    close() {},
  };
}
