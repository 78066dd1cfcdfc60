import type { TelemetryClient } from 'telemetry-kit';

/** How the simulated export ends: what the playground's buttons choose. */
export type ExportResult = 'success' | 'failure';

/**
 * An "export" recorded as a flow (`telemetry.flow()`): `flow.start` now, `flow.end` when it
 * finishes, sharing a `correlation_id`; the core adds `duration_ms`, and ends an export still
 * running when the page goes away as `abandoned`. It takes `ms`, then ends as `result`: a failure
 * is captured as an error carrying the flow's `correlation_id`.
 */
export function runExport(
  telemetry: TelemetryClient,
  format: string,
  result: ExportResult,
  ms: number,
): Promise<ExportResult> {
  const flow = telemetry.flow('export', { format });
  return new Promise((resolve) => {
    setTimeout(() => {
      if (result === 'failure') flow.fail(new Error('The export server timed out'), { format });
      else flow.end('success', { format });
      resolve(result);
    }, ms);
  });
}
