import { withFields } from '../lib/withFields.js';
import type { Flow, FlowOutcome, Metadata, TelemetryClient } from '../types.js';

let count = 0;

/**
 * Starts a flow on `client` through its public `track` and `captureError`, so that the same code
 * serves the real client and the deferred one (whose calls wait for the real client). Only ids
 * and events here: the delivery engine does the rest (pipeline/createFlowTracker.ts) — it checks
 * names and outcomes, drops an end of a flow never started or ended twice (with a debug
 * message), gives each end its `duration_ms` and ends the flows open when the page goes away.
 */
export function startFlow(
  client: Pick<TelemetryClient, 'track' | 'captureError'>,
  name: string,
  metadata?: Metadata,
): Flow {
  // Unique on this page (the counter) and across pages (time and randomness); short and
  // lowercase, so that no scrubbing pattern takes it for a secret or a number.
  const id = Date.now().toString(36) + Math.random().toString(36).slice(2, 8) + count++;
  // The monotonic clock, read for flows only: a wall-clock duration is off by whatever the
  // system clock was set by meanwhile (the engine uses it for flows recorded with track()).
  const began = performance.now();
  const record = (type: string, extra: unknown, outcome?: FlowOutcome) =>
    client.track(
      type,
      // A start's undefined `outcome` and `duration_ms` are left out when it is cleaned.
      withFields(extra, {
        flow: name,
        correlation_id: id,
        outcome,
        duration_ms: outcome && performance.now() - began,
      }),
    );
  const flow: Flow = {
    id,
    end: (outcome, extra) => record('flow.end', extra, outcome),
    fail(error, extra) {
      client.captureError(error, extra, { flow });
      record('flow.end', extra, 'failure');
    },
  };
  record('flow.start', metadata);
  return flow;
}
