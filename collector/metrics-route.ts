import type { CollectorRoute } from './collector-route.js';
import type { CollectorMetrics } from './metrics.js';
import { PROMETHEUS_TEXT_TYPE } from './prometheus-text.js';

/** What `GET /metrics` needs from the collector. */
export interface MetricsRouteOptions {
  metrics: CollectorMetrics;
}

/**
 * `GET /metrics`: the collector's counters in the Prometheus text format
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Put it behind `adminOnly`:
 * request counts by route say how the collector is used.
 *
 * @param options.metrics - The counters the routes update.
 */
export function metricsRoute(options: MetricsRouteOptions): CollectorRoute {
  const { metrics } = options;
  return () =>
    new Response(metrics.render(), {
      status: 200,
      headers: {
        'content-type': PROMETHEUS_TEXT_TYPE,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
    });
}
