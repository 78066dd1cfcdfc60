import type { SourceReport } from './createConsentSource.js';

/**
 * Runs `read` (code that calls into a consent manager, from a timer or an event) and turns a
 * throw into a reported problem: a broken manager never throws into the app.
 */
export function guarded(report: SourceReport, what: string, read: () => void): void {
  try {
    read();
  } catch (error) {
    report.problem(`${what} threw: ${String(error)}`);
  }
}
