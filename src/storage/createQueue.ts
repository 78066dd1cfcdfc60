import type { Report } from '../lib/createReport.js';
import { newId } from '../lib/newId.js';
import type { TelemetryEvent } from '../wire/event.js';
import { createRecentEvents } from './createRecentEvents.js';
import { createStoreSlot } from './createStoreSlot.js';
import { type QueueStore, type Segment, segmentOf } from './queueStore.js';
import type { EventsBySegment } from './storedDeliveryState.js';

/**
 * Events per IndexedDB write transaction (ten segments of a default batch). The puts of one
 * transaction are spread over short tasks (see the store), and a transaction that ends lets
 * another tab's claim in.
 */
export const PERSIST_CHUNK = 1_000;
/** A burst of events within this window is persisted together. */
const PERSIST_DELAY_MS = 20;

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

/**
 * Staging in memory, then persisting in batch segments. Everything about which events wait on
 * this device: what is staged, what is stored, and which of them this tab could still beacon.
 */
export function createQueue(options: QueueOptions) {
  const { report, maxSize } = options;
  let staged: TelemetryEvent[] = [];
  /** The chunk being written: neither staged nor known to be stored yet. */
  let inWrite: TelemetryEvent[] = [];
  let storedSize = 0;
  let writing: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  const recent = createRecentEvents(`${options.databaseName}:claims`);
  const slot = createStoreSlot({ ...options, onProblem: report.problem });
  /** The store whose count `storedSize` is. */
  let counted: QueueStore | null = null;
  /**
   * Learns the stored count from `target`, unless the queue moved on to another store (or none:
   * a revoke destroyed it) while the count was under way: a write that completes after a
   * destroy must not bring its count back.
   */
  const setStored = (target: QueueStore, size: number) => {
    if (target === counted) storedSize = Math.max(0, size);
  };

  const store = async (): Promise<QueueStore | null> => {
    const target = await slot.get();
    if (target && target !== counted) {
      counted = target;
      recent.listen();
      setStored(target, await target.count().catch(() => 0));
    }
    return target;
  };

  /**
   * The store for settling what was claimed or beaconed: the open one even once consent is gone
   * or a shutdown began (a release must not wait a lease out), but never one opened anew after a
   * revoke destroyed it.
   */
  const settling = async () => slot.current() ?? store();

  /** Next free queue stamp: writes in the same millisecond still keep their order. */
  let nextStamp = 0;
  const stamp = (segments: number) => {
    const start = Math.max(options.now(), nextStamp);
    nextStamp = start + segments / 1000;
    return start;
  };
  const toSegments = (events: TelemetryEvent[]): Segment[] => {
    const segments: Segment[] = [];
    for (let start = 0; start < events.length; start += options.segmentSize) {
      const id = newId();
      const part = events.slice(start, start + options.segmentSize);
      recent.placeIn(part, id);
      segments.push(segmentOf(id, part));
    }
    return segments;
  };
  const appendTo = async (target: QueueStore, segments: Segment[]) => {
    const result = await target.append(segments, stamp(segments.length), maxSize);
    setStored(target, result.size);
    report.countDropped('overflow', result.dropped);
  };
  /** False when no store may be used (consent revoked, the queue destroyed or closed). */
  const write = async (segments: Segment[]) => {
    const target = await store();
    if (!target) return false;
    try {
      await appendTo(target, segments);
    } catch (error) {
      const quota = (error as { name?: string } | null)?.name === 'QuotaExceededError';
      counted = slot.fallBack(quota ? 'IndexedDB is full' : 'IndexedDB failed to write', error);
      await appendTo(counted, segments);
    }
    return true;
  };

  /** Writes everything staged. Resolves once it is stored (or known lost and counted). */
  const persist = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    const run = writing.then(async () => {
      while (staged.length && !closed && options.allowed()) {
        // The chunk leaves staging before the write, so staging's own bound cannot drop (and
        // count) events that the store is about to keep, or drop and count, itself.
        inWrite = staged.splice(0, PERSIST_CHUNK);
        const stored = await write(toSegments(inWrite));
        inWrite = [];
        if (!stored) return;
        if (staged.length) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    });
    writing = run.catch((error) => report.problem('could not persist events', error));
    return writing as Promise<void>;
  };

  /** Deletes acknowledged events once the writes before it are done. */
  const removeEvents = (bySegment: EventsBySegment) => {
    const removal = writing.then(async () => {
      const target = await settling();
      if (!target) return;
      await target.removeEvents(bySegment);
      setStored(target, await target.count());
    });
    writing = removal.catch((error) =>
      report.problem(
        'could not delete delivered events; the collector will drop the repeats',
        error,
      ),
    );
    return writing as Promise<void>;
  };

  return {
    store,
    persist,
    /** Adds an event to memory; `persist` (or `schedule`) writes it. */
    stage(event: TelemetryEvent) {
      staged.push(event);
      recent.add(event);
      // Staged events are bounded too: a tab whose writes stall must not grow without limit.
      if (staged.length > maxSize) {
        const dropped = staged.splice(0, staged.length - maxSize);
        recent.takeEvents(dropped);
        report.countDropped('overflow', dropped.length);
      }
    },
    /** Persists what is staged soon, together with whatever else is staged until then. */
    schedule() {
      timer ??= setTimeout(() => void persist(), PERSIST_DELAY_MS);
    },
    storage: () => slot.current()?.kind ?? 'none',
    /** Staged plus stored (as last seen): the events waiting on this device. */
    size: () => staged.length + inWrite.length + storedSize,
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
      setStored(target, storedSize - settled.reduce((n, s) => n + s.count, 0));
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
        setStored(target, storedSize - segments.reduce((n, s) => n + s.count, 0));
      } catch (error) {
        report.problem(
          'could not delete delivered events; the collector will drop the repeats',
          error,
        );
      }
    },
    /** Deletes some events of stored segments (half of a split batch, an earlier beacon). */
    acknowledgeEvents: removeEvents,
    /**
     * These events went out by beacon: they leave staging now, and their segments once written.
     * Returns the persisted ones by segment, for the beacon log.
     */
    beaconed(events: readonly TelemetryEvent[]): EventsBySegment {
      recent.takeEvents(events);
      const { placed, staged: unplaced } = recent.bySegment(events);
      if (unplaced.size) staged = staged.filter((event) => !unplaced.has(event.id));
      if (Object.keys(placed).length) void removeEvents(placed);
      return placed;
    },
    /** Ends this tab's claim of segments it could not deliver. */
    async release(segments: readonly Segment[]) {
      await (await settling())?.release(segments.map((segment) => segment.id)).catch(() => {});
    },
    /** Staged and stored events, without removing anything. */
    async snapshot(): Promise<TelemetryEvent[]> {
      // Open the store if needed: right after start-up it may still be opening.
      const target = await store();
      const stored = target ? await target.all().catch(() => []) : [];
      const seen = new Set(stored.map((event) => event.id));
      return [...stored, ...[...inWrite, ...staged].filter((event) => !seen.has(event.id))];
    },
    /** Learns the stored count after a claim changed it (expired events). */
    async recount() {
      const target = slot.current();
      if (target) setStored(target, await target.count().catch(() => storedSize));
    },
    /** Discards everything and deletes the database. Runs at once up to its first await. */
    destroy(): Promise<void> {
      staged = [];
      inWrite = [];
      storedSize = 0;
      counted = null;
      clearTimeout(timer);
      timer = undefined;
      recent.clear();
      return slot.destroy();
    },
    close() {
      closed = true;
      clearTimeout(timer);
      timer = undefined;
      recent.close();
      slot.close();
    },
  };
}

export type Queue = ReturnType<typeof createQueue>;
