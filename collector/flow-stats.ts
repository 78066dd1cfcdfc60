import type { CollectorStats } from './collector-stats.js';
import { readFlowRollups } from './flow-rollup-stats.js';
import { IN_SCOPE, LIST_LIMIT, type StatsScope, WEIGHT } from './stats-scope.js';

/** The flows panel: per flow name, how many started and how each ended, and how long they took. */
export type FlowStats = Pick<CollectorStats, 'flows'>;

/** A flow.end's `duration_ms` where it is a number (another client may send anything). */
const DURATION = `CASE WHEN jsonb_typeof(metadata->'duration_ms') = 'number'
  THEN (metadata->>'duration_ms')::float8 END`;
const ended = (outcome: string) =>
  `round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'flow.end' AND metadata->>'outcome' = '${outcome}'), 0))::float8`;

/**
 * Reads the flows panel: `flow.start` and `flow.end` events grouped by `metadata.flow`, counts
 * weighted by 1 / `sampling_rate` like every panel (a flow's end is sampled with its start),
 * `success_rate` = succeeded / started (null before any start in the range), and the p50 / p95
 * of `duration_ms` over every `flow.end` (percentiles unweighted: sampling is per session).
 * From the rollups when `rolled` (a range of whole days), else from the raw events.
 */
export async function readFlowStats(scope: StatsScope, rolled: boolean): Promise<FlowStats> {
  const rows = rolled ? await readFlowRollups(scope) : await readFlowEvents(scope);
  return {
    flows: rows.map((row) => ({
      ...row,
      success_rate: row.started > 0 ? row.succeeded / row.started : null,
    })),
  };
}

function readFlowEvents(scope: StatsScope) {
  return scope.query<Omit<CollectorStats['flows'][number], 'success_rate'>>(`
    SELECT metadata->>'flow' AS flow,
           round(coalesce(sum(${WEIGHT}) FILTER (WHERE event_type = 'flow.start'), 0))::float8 AS started,
           ${ended('success')} AS succeeded,
           ${ended('failure')} AS failed,
           ${ended('cancelled')} AS cancelled,
           ${ended('abandoned')} AS abandoned,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY ${DURATION})
             FILTER (WHERE event_type = 'flow.end') AS p50_ms,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY ${DURATION})
             FILTER (WHERE event_type = 'flow.end') AS p95_ms
    FROM telemetry_events
    WHERE event_type IN ('flow.start', 'flow.end') AND metadata->>'flow' IS NOT NULL AND ${IN_SCOPE}
    GROUP BY 1 ORDER BY started DESC, 1 LIMIT ${LIST_LIMIT}`);
}
