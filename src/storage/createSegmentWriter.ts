import type { Report } from '../lib/createReport.js';
import { newId } from '../lib/newId.js';
import type { TelemetryEvent } from '../wire/event.js';
import type { RecentEvents } from './createRecentEvents.js';
import type { Staging } from './createStaging.js';
import type { StoredCount } from './createStoredCount.js';
import { type QueueStore, type Segment, segmentOf } from './queueStore.js';

/**
 * Events per IndexedDB write transaction (ten segments of a default batch): a transaction that
 * ends lets another tab's claim in.
 */
export const PERSIST_CHUNK = 1_000;
/** A burst of events within this window is persisted together. */
const PERSIST_DELAY_MS = 20;

export interface SegmentWriterOptions {
  staging: Staging;
  recent: RecentEvents;
  count: StoredCount;
  report: Pick<Report, 'countDropped' | 'problem'>;
  /** The store, opened if needed; null when none may be used. */
  store: () => Promise<QueueStore | null>;
  /** Replaces the store with memory (IndexedDB failed or is full) and returns it. */
  fallBack: (reason: string, detail?: unknown) => QueueStore;
  maxSize: number;
  segmentSize: number;
  now: () => number;
  /** The consent gate, and whether the queue is closed: checked before every chunk. */
  allowed: () => boolean;
}

/**
 * Persists what is staged, a chunk of segments per transaction, in order; and runs other store
 * work (deleting what a beacon carried) after the writes queued before it.
 */
export function createSegmentWriter(options: SegmentWriterOptions) {
  const { staging, count, report } = options;
  let writing: Promise<unknown> = Promise.resolve();
  let timer: ReturnType<typeof setTimeout> | undefined;
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
      options.recent.placeIn(part, id);
      segments.push(segmentOf(id, part));
    }
    return segments;
  };
  const appendTo = async (target: QueueStore, segments: Segment[]) => {
    const result = await target.append(segments, stamp(segments.length), options.maxSize);
    count.set(target, result.size);
    report.countDropped('overflow', result.dropped);
  };
  /** False when no store may be used (consent revoked, the queue destroyed or closed). */
  const write = async (segments: Segment[]) => {
    const target = await options.store();
    if (!target) return false;
    try {
      await appendTo(target, segments);
    } catch (error) {
      const quota = (error as { name?: string } | null)?.name === 'QuotaExceededError';
      const memory = options.fallBack(
        quota ? 'IndexedDB is full' : 'IndexedDB failed to write',
        error,
      );
      count.follow(memory);
      await appendTo(memory, segments);
    }
    return true;
  };
  /** Runs `work` after everything queued before it; a failure is reported as `problem`. */
  const after = (work: () => Promise<void>, problem: string): Promise<void> => {
    const run = writing.then(work);
    writing = run.catch((error) => report.problem(problem, error));
    return writing as Promise<void>;
  };

  const persist = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    return after(async () => {
      while (staging.hasStaged() && options.allowed()) {
        const stored = await write(toSegments(staging.takeChunk(PERSIST_CHUNK)));
        staging.written();
        if (!stored) return;
        if (staging.hasStaged()) await new Promise((resolve) => setTimeout(resolve, 0));
      }
    }, 'could not persist events');
  };

  return {
    /** Writes everything staged. Resolves once it is stored (or known lost and counted). */
    persist,
    /** Persists what is staged soon, together with whatever else is staged until then. */
    schedule() {
      timer ??= setTimeout(() => void persist(), PERSIST_DELAY_MS);
    },
    after,
    /** Forgets a scheduled write (a destroy, a close). */
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
