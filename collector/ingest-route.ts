import type { CollectorRoute } from './collector-route.js';
import type { CorsPolicy } from './cors.js';
import { crossOriginRoute } from './cross-origin-route.js';
import { jsonResponse } from './json-response.js';
import type { CollectorMetrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';
import { readBatch } from './read-batch.js';
import type { WithStore } from './store-lifecycle.js';
import { takeClientToken } from './take-client-token.js';

/** What the ingest route needs from the collector. */
export interface IngestRouteOptions {
  cors: CorsPolicy;
  limiter: RateLimiter | undefined;
  maxBodyBytes: number;
  maxEventsPerBatch: number;
  retentionDays: number;
  now: () => number;
  withStore: WithStore;
  metrics: Pick<CollectorMetrics, 'countEvents'>;
}

const DAY_MS = 86_400_000;
// Browser clocks drift; a day of tolerance keeps honest devices while refusing far futures.
const CLOCK_SKEW_MS = DAY_MS;

/**
 * `POST /v1/events`: stores a batch and answers `202 { accepted, duplicates, rejected }`.
 * Everything that can refuse a batch runs before the store is touched, so bad input gets a 4xx
 * and never a 5xx.
 *
 * @param options.cors - Origins whose pages may send.
 * @param options.limiter - Per-client buckets, shared with subject deletion; `undefined` for none.
 * @param options.maxBodyBytes - Larger bodies get `413`, and reading stops there.
 * @param options.maxEventsPerBatch - More events get `413`, so the browser splits the batch.
 * @param options.retentionDays - Events older than this are refused: retention would delete them.
 * @param options.now - The clock timestamps are checked against.
 * @param options.withStore - Where accepted events go.
 * @param options.metrics - Counts the events by result.
 */
export function ingestRoute(options: IngestRouteOptions): CollectorRoute {
  const { limiter, maxBodyBytes, maxEventsPerBatch, retentionDays, now, withStore, metrics } =
    options;
  return crossOriginRoute(options.cors, 'POST', async (request, client, headers) => {
    const limited = takeClientToken(limiter, client, headers);
    if (limited) return limited;
    const batch = await readBatch(request, {
      maxBodyBytes,
      maxEventsPerBatch,
      window: { earliest: now() - retentionDays * DAY_MS, latest: now() + CLOCK_SKEW_MS },
      receivedAt: now(),
    });
    if (!batch.ok) {
      const rejected = batch.rejected?.length ?? 0;
      if (rejected > 0) metrics.countEvents({ accepted: 0, duplicate: 0, rejected });
      const { status, ...body } = batch;
      return jsonResponse(status, body, headers);
    }
    const { service_name, service_version, consent, dropped } = batch.envelope;
    return withStore(async (store) => {
      const result = await store.insertBatch(
        {
          service_name,
          service_version,
          consent_policy_version: consent.policy_version,
          clock_skew_ms: batch.clockSkewMs,
        },
        batch.events,
        dropped,
      );
      metrics.countEvents({
        accepted: result.inserted,
        duplicate: result.duplicates,
        rejected: batch.rejected.length,
      });
      const accepted = {
        accepted: result.inserted,
        duplicates: result.duplicates,
        rejected: batch.rejected,
      };
      return jsonResponse(202, accepted, headers);
    }, headers);
  });
}
