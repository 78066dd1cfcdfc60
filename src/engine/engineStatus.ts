import type { Report } from '../lib/createReport.js';
import type { TelemetryStatus } from '../types.js';
import type { DropCounts } from '../wire/event.js';

/**
 * What the engine's `status()` says besides consent: the report's drops, last send and last
 * error, with the drops the inbox counted and has not handed over yet added in (a copy: the
 * report's counts stay as they are), and what the engine knows of its queues.
 */
export function engineStatus(
  report: Pick<Report, 'snapshot'>,
  untakenDrops: DropCounts,
  queues: Pick<TelemetryStatus, 'storage' | 'queued' | 'destinations'>,
): Omit<TelemetryStatus, 'consent'> {
  const { dropped, lastSentAt, lastError } = report.snapshot();
  for (const [reason, count] of Object.entries(untakenDrops) as Array<[keyof DropCounts, number]>)
    dropped[reason] = (dropped[reason] ?? 0) + count;
  return { ...queues, dropped, lastSentAt, lastError };
}
