import type { TelemetryClient } from 'telemetry-kit';

/** How the simulated export ends: what the playground's buttons choose. */
export type ExportResult = 'success' | 'failure';

/**
 * An "export" recorded as a flow: `flow.start` now, `flow.end` when it finishes, sharing a
 * `correlation_id` (the events the core pairs: it adds `duration_ms`, and ends an export still
 * running when the page goes away as `abandoned`). It takes `ms`, then ends as `result`.
 */
export function runExport(
  telemetry: TelemetryClient,
  format: string,
  result: ExportResult,
  ms: number,
): Promise<ExportResult> {
  const correlationId = crypto.randomUUID();
  telemetry.track('flow.start', { flow: 'export', correlation_id: correlationId, format });
  return new Promise((resolve) => {
    setTimeout(() => {
      if (result === 'failure')
        telemetry.captureError(new Error('The export server timed out'), {
          correlation_id: correlationId,
        });
      telemetry.track('flow.end', {
        flow: 'export',
        correlation_id: correlationId,
        outcome: result,
        format,
      });
      resolve(result);
    }, ms);
  });
}
