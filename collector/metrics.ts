import { readProcessMetrics } from './process-metrics.js';
import { type MetricFamily, type MetricSample, renderPrometheusText } from './prometheus-text.js';

/** What happened to events a client sent: stored, already stored (a resend), or refused. */
export type EventResult = 'accepted' | 'duplicate' | 'rejected';

/** How many events of one request ended each way. */
export type EventCounts = Readonly<Record<EventResult, number>>;

/** The collector's own counters, and their Prometheus text for `GET /metrics`. */
export interface CollectorMetrics {
  /** Adds one request's events, by result. */
  countEvents(counts: EventCounts): void;
  /**
   * Counts one answered request and its duration.
   *
   * @param route - The route table's name for it (`/v1/events`, `/v1/subjects/:id`, ...), never
   *   the raw path: a label per distinct URL would grow without bound.
   */
  countRequest(route: string, status: number, seconds: number): void;
  /** Counts a store operation that failed (a 503, a failed retention run). */
  countStoreError(): void;
  /** The text exposition of everything counted so far, plus the process's basics. */
  render(): string;
}

/**
 * Request-duration buckets, in seconds: an ingest over PGlite takes a few milliseconds, a
 * dashboard over a year of events can take seconds.
 */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface DurationSeries {
  /** Observations per bucket, not yet cumulative; one more than the bounds, for `+Inf`. */
  counts: number[];
  sum: number;
  count: number;
}

/**
 * Counters kept in plain maps: counting is a map lookup and an addition on the request path,
 * and everything is formatted only when `/metrics` is scraped.
 */
export function createCollectorMetrics(): CollectorMetrics {
  const events: Record<EventResult, number> = { accepted: 0, duplicate: 0, rejected: 0 };
  const requests = new Map<string, { route: string; status: string; count: number }>();
  const durations = new Map<string, DurationSeries>();
  let storeErrors = 0;

  const observeDuration = (route: string, seconds: number) => {
    let series = durations.get(route);
    if (!series) {
      series = { counts: new Array(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      durations.set(route, series);
    }
    let bucket = DURATION_BUCKETS.findIndex((bound) => seconds <= bound);
    if (bucket === -1) bucket = DURATION_BUCKETS.length;
    series.counts[bucket] = (series.counts[bucket] ?? 0) + 1;
    series.sum += seconds;
    series.count += 1;
  };

  const durationSamples = (): MetricSample[] => {
    const samples: MetricSample[] = [];
    for (const [route, series] of durations) {
      let cumulative = 0;
      for (const [index, bound] of DURATION_BUCKETS.entries()) {
        cumulative += series.counts[index] ?? 0;
        samples.push({
          suffix: '_bucket',
          labels: { route, le: String(bound) },
          value: cumulative,
        });
      }
      samples.push({ suffix: '_bucket', labels: { route, le: '+Inf' }, value: series.count });
      samples.push({ suffix: '_sum', labels: { route }, value: series.sum });
      samples.push({ suffix: '_count', labels: { route }, value: series.count });
    }
    return samples;
  };

  return {
    countEvents(counts) {
      events.accepted += counts.accepted;
      events.duplicate += counts.duplicate;
      events.rejected += counts.rejected;
    },
    countRequest(route, status, seconds) {
      const key = `${route} ${status}`;
      const entry = requests.get(key);
      if (entry) entry.count += 1;
      else requests.set(key, { route, status: String(status), count: 1 });
      observeDuration(route, seconds);
    },
    countStoreError() {
      storeErrors += 1;
    },
    render() {
      const families: MetricFamily[] = [
        {
          name: 'telemetry_kit_events_total',
          help: 'Events received, by result: accepted (stored), duplicate (already stored: a resend), rejected (invalid).',
          type: 'counter',
          samples: (['accepted', 'duplicate', 'rejected'] as const).map((result) => ({
            labels: { result },
            value: events[result],
          })),
        },
        {
          name: 'telemetry_kit_http_requests_total',
          help: 'HTTP requests answered, by route and status code.',
          type: 'counter',
          samples: [...requests.values()].map(({ route, status, count }) => ({
            labels: { route, status },
            value: count,
          })),
        },
        {
          name: 'telemetry_kit_http_request_duration_seconds',
          help: 'Time from receiving a request to its answer, by route.',
          type: 'histogram',
          samples: durationSamples(),
        },
        {
          name: 'telemetry_kit_store_errors_total',
          help: 'Store operations that failed (answered 503, or a retention run that failed).',
          type: 'counter',
          samples: [{ value: storeErrors }],
        },
        ...readProcessMetrics(),
      ];
      return renderPrometheusText(families);
    },
  };
}
