import type { DropCounts, DropReason } from '../wire/event.js';
import type { DebugReporter } from './debug.js';
import { explainDrop } from './explainDrop.js';

/** Where drop counts not yet sent to the collector are kept (see storage/storedDeliveryState.ts). */
export interface UnreportedDrops {
  get(): DropCounts;
  set(counts: DropCounts): void;
}

/**
 * What the delivery engine reports about itself: events lost by reason (counted for `status()`
 * and kept for the next batch's `dropped`), the last delivery and the last problem. The engine
 * owns it and hands it down to the parts that count; nothing here reaches back.
 */
export function createReport(debug: DebugReporter, unreported: UnreportedDrops) {
  const dropped: DropCounts = {};
  let lastSentAt: string | null = null;
  let lastError: string | null = null;
  return {
    /**
     * Counts `count` events lost for `reason`; `debug` explains the reason the first time it
     * drops events (of `eventType`, where the caller knows it).
     */
    countDropped(reason: DropReason, count: number, eventType?: string) {
      if (count <= 0) return;
      dropped[reason] = (dropped[reason] ?? 0) + count;
      const pending = unreported.get();
      pending[reason] = (pending[reason] ?? 0) + count;
      unreported.set(pending);
      debug(explainDrop(reason, eventType));
    },
    /** Adds counts another part kept (the inbox's, before the engine took them). */
    countAll(counts: DropCounts) {
      for (const [reason, count] of Object.entries(counts) as Array<[DropReason, number]>)
        this.countDropped(reason, count);
    },
    /** Drop counts not yet reported to the collector: what the next batch carries. */
    unreported: (): DropCounts => unreported.get(),
    /** A batch (or beacon) carrying `counts` was delivered: they are reported. */
    markReported(counts: DropCounts) {
      const pending = unreported.get();
      for (const [reason, count] of Object.entries(counts) as Array<[DropReason, number]>) {
        const left = (pending[reason] ?? 0) - count;
        if (left > 0) pending[reason] = left;
        else delete pending[reason];
      }
      unreported.set(pending);
    },
    /** Consent was revoked or the data forgotten: nothing is left to report. */
    clearUnreported() {
      unreported.set({});
    },
    problem(message: string, detail?: unknown) {
      lastError = message;
      debug(message, detail);
    },
    delivered(at: number) {
      lastSentAt = new Date(at).toISOString();
      lastError = null;
    },
    /** What `status()` shows of it. */
    snapshot: () => ({ dropped: { ...dropped }, lastSentAt, lastError }),
  };
}

export type Report = ReturnType<typeof createReport>;
