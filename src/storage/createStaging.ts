import type { Report } from '../lib/createReport.js';
import type { TelemetryEvent } from '../wire/event.js';
import type { RecentEvents } from './createRecentEvents.js';

/**
 * Events in memory on their way to the store: staged, then one chunk at a time being written.
 * Bounded: a tab whose writes stall must not grow without limit, so the oldest staged events
 * are dropped (and counted) beyond `maxSize`.
 */
export function createStaging(
  maxSize: number,
  recent: RecentEvents,
  report: Pick<Report, 'countDropped'>,
) {
  let staged: TelemetryEvent[] = [];
  /** The chunk being written: neither staged nor known to be stored yet. */
  let inWrite: TelemetryEvent[] = [];
  return {
    /** Adds an event; the writer persists it. */
    add(event: TelemetryEvent) {
      staged.push(event);
      recent.add(event);
      if (staged.length > maxSize) {
        const dropped = staged.splice(0, staged.length - maxSize);
        recent.takeEvents(dropped);
        report.countDropped('overflow', dropped.length, dropped[0]?.event_type);
      }
    },
    /**
     * The next chunk to write, out of staging before the write: staging's own bound cannot then
     * drop (and count) events that the store is about to keep, or drop and count, itself.
     */
    takeChunk(max: number): TelemetryEvent[] {
      inWrite = staged.splice(0, max);
      return inWrite;
    },
    /** The chunk taken last is stored (or known lost). */
    written() {
      inWrite = [];
    },
    hasStaged: () => staged.length > 0,
    /** Drops staged events by id (they went out another way: a beacon). */
    remove(ids: ReadonlySet<string>) {
      if (ids.size) staged = staged.filter((event) => !ids.has(event.id));
    },
    /** Everything in memory: the chunk being written, then what is staged. */
    waiting: (): TelemetryEvent[] => [...inWrite, ...staged],
    size: () => staged.length + inWrite.length,
    discard() {
      staged = [];
      inWrite = [];
    },
  };
}

export type Staging = ReturnType<typeof createStaging>;
