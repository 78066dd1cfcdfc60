import type { Report } from '../lib/createReport.js';
import type { TelemetryEvent } from '../wire/event.js';
import { createRecentEvents } from './createRecentEvents.js';
import { createSegmentWriter } from './createSegmentWriter.js';
import { createStaging } from './createStaging.js';
import { createStoredCount } from './createStoredCount.js';
import { createStoreSlot } from './createStoreSlot.js';
import type { QueueStore, Segment } from './queueStore.js';
import type { EventsBySegment } from './storedDeliveryState.js';

export interface QueueOptions {
  /** IndexedDB factory; undefined means memory only. */
  indexedDB: IDBFactory | undefined;
  databaseName: string;
  /** Most events kept; the oldest are dropped beyond it. */
  maxSize: number;
  /** Most events in one segment: a batch. */
  segmentSize: number;
  now: () => number;
  /** The consent gate, checked before anything is opened or written. */
  allowed: () => boolean;
  report: Pick<Report, 'countDropped' | 'problem'>;
}

const NOT_DELETED = 'could not delete delivered events; the collector will drop the repeats';

/**
 * The events waiting on this device: staged in memory, persisted in batch segments, claimed,
 * and deleted once delivered; and which of them this tab could still beacon.
 */
export function createQueue(options: QueueOptions) {
  const { report } = options;
  let closed = false;
  const recent = createRecentEvents(`${options.databaseName}:claims`);
  const staging = createStaging(options.maxSize, recent, report);
  const count = createStoredCount();
  const slot = createStoreSlot({ ...options, onProblem: report.problem });

  /** The store, opening it if needed; null while consent does not allow one. */
  const store = async (): Promise<QueueStore | null> => {
    const target = await slot.get();
    if (target && count.follow(target)) {
      recent.listen();
      count.set(target, await target.count().catch(() => 0));
    }
    return target;
  };
  /**
   * The store for settling what was claimed or beaconed: the open one even once consent is gone
   * or a shutdown began (a release must not wait a lease out), but never one opened anew after a
   * revoke destroyed it.
   */
  const settling = async () => slot.current() ?? store();
  const writer = createSegmentWriter({
    ...options,
    staging,
    recent,
    count,
    store,
    fallBack: slot.fallBack,
    allowed: () => !closed && options.allowed(),
  });
  /** Deletes acknowledged events once the writes before it are done. */
  const acknowledgeEvents = (bySegment: EventsBySegment) =>
    writer.after(async () => {
      const target = await settling();
      if (!target) return;
      await target.removeEvents(bySegment);
      count.set(target, await target.count());
    }, NOT_DELETED);

  return {
    store,
    persist: writer.persist,
    schedule: writer.schedule,
    stage: staging.add,
    storage: () => slot.current()?.kind ?? 'none',
    /** Staged plus stored (as last seen): the events waiting on this device. */
    size: () => staging.size() + count.get(),
    /** This tab's events that no request has acknowledged or claimed, but those in `busy`. */
    unacknowledged: (busy: ReadonlySet<string>) => recent.untaken(busy),
    /**
     * Deletes `settled` segments and claims the next batch, in one transaction (see
     * QueueStore.claim); null when no store may be used. Claimed segments are no longer this
     * tab's to beacon, nor any other tab's: they are told.
     */
    async claim(
      limit: number,
      leaseMs: number,
      expireBefore: number,
      settled: readonly Segment[] = [],
    ) {
      const target = await store();
      if (!target) return null;
      const settledIds = settled.map((segment) => segment.id);
      const claimed = await target.claim(limit, options.now(), leaseMs, expireBefore, settledIds);
      count.subtract(target, eventCount(settled));
      const ids = claimed.segments.map((segment) => segment.id);
      recent.takeSegments(ids);
      recent.announce(ids);
      return claimed;
    },
    /** Deletes delivered (or dropped) segments. */
    async acknowledge(segments: readonly Segment[]) {
      const target = await settling();
      if (!target) return;
      try {
        await target.remove(segments.map((segment) => segment.id));
        count.subtract(target, eventCount(segments));
      } catch (error) {
        report.problem(NOT_DELETED, error);
      }
    },
    /** Deletes some events of stored segments (half of a split batch, an earlier beacon). */
    acknowledgeEvents,
    /**
     * These events went out by beacon: they leave staging now, and their segments once written.
     * Returns the persisted ones by segment, for the beacon log.
     */
    beaconed(events: readonly TelemetryEvent[]): EventsBySegment {
      recent.takeEvents(events);
      const { placed, staged } = recent.bySegment(events);
      staging.remove(staged);
      if (Object.keys(placed).length) void acknowledgeEvents(placed);
      return placed;
    },
    /** Ends this tab's claim of segments it could not deliver. */
    async release(segments: readonly Segment[]) {
      await (await settling())?.release(segments.map((segment) => segment.id)).catch(() => {});
    },
    /** Stored and staged events, without removing anything. */
    async snapshot(): Promise<TelemetryEvent[]> {
      // Open the store if needed: right after start-up it may still be opening.
      const target = await store();
      const stored = target ? await target.all().catch(() => []) : [];
      const seen = new Set(stored.map((event) => event.id));
      return [...stored, ...staging.waiting().filter((event) => !seen.has(event.id))];
    },
    /** Learns the stored count after a claim changed it (expired events). */
    async recount() {
      const target = slot.current();
      if (target) count.set(target, await target.count().catch(() => count.get()));
    },
    /** Discards everything and deletes the database. Runs at once up to its first await. */
    destroy(): Promise<void> {
      staging.discard();
      count.reset();
      writer.cancel();
      recent.discard();
      return slot.destroy();
    },
    close() {
      closed = true;
      writer.cancel();
      recent.close();
      slot.close();
    },
  };
}

const eventCount = (segments: readonly Segment[]) => segments.reduce((n, s) => n + s.count, 0);

export type Queue = ReturnType<typeof createQueue>;
