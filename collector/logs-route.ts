import type { CollectorRoute } from './collector-route.js';
import type { CorsPolicy } from './cors.js';
import { crossOriginRoute } from './cross-origin-route.js';
import { errorResponse, jsonResponse } from './json-response.js';
import type { CollectorMetrics } from './metrics.js';
import { mapLogsRequest, type RejectedRecord } from './otlp-mapping.js';
import { encodeExportLogsResponse, type LogsPartialSuccess } from './otlp-protobuf.js';
import type { RateLimiter } from './rate-limit.js';
import { type OtlpEncoding, readOtlpLogs } from './read-otlp-logs.js';
import type { WithStore } from './store-lifecycle.js';
import { takeClientToken } from './take-client-token.js';

/** What `POST /v1/logs` needs from the collector. */
export interface LogsRouteOptions {
  cors: CorsPolicy;
  limiter: RateLimiter | undefined;
  /** Whether the request carries the ingest token. */
  isIngestToken: (request: Request) => boolean;
  maxBodyBytes: number;
  maxLogRecords: number;
  retentionDays: number;
  now: () => number;
  withStore: WithStore;
  metrics: Pick<CollectorMetrics, 'countEvents'>;
}

const DAY_MS = 86_400_000;
/** As for batches: a day of clock skew is tolerated, further futures are refused. */
const CLOCK_SKEW_MS = DAY_MS;
/** Rejection reasons quoted in `errorMessage`; the count says how many there were in all. */
const REASONS_QUOTED = 3;

/**
 * `POST /v1/logs`: OTLP/HTTP logs (https://opentelemetry.io/docs/specs/otlp/#otlphttp) from any
 * OpenTelemetry SDK or Collector, JSON or protobuf, gzip or not, stored as events. Answers as
 * the spec asks: `200` with `partialSuccess` counting the records refused (encoded like the
 * request), `400` / `413` / `415` for a body that cannot be read, `429` and `503` with
 * `Retry-After`. Errors are JSON `{ error, reason }` as everywhere in the collector. Everything
 * that can refuse runs before the store is touched, so bad input is never answered 5xx.
 *
 * @param options.isIngestToken - The bearer check; a request without the token gets `401`.
 * @param options.maxLogRecords - More records in one request get `413`.
 * @param options.retentionDays - Records older than this are refused: retention would delete them.
 * @param options.metrics - Counts the records by result, with the batches' events.
 */
export function logsRoute(options: LogsRouteOptions): CollectorRoute {
  const { limiter, isIngestToken, maxBodyBytes, maxLogRecords, retentionDays, now } = options;
  const { withStore, metrics } = options;
  return crossOriginRoute(options.cors, 'POST', async (request, client, headers) => {
    const limited = takeClientToken(limiter, client, headers);
    if (limited) return limited;
    if (!isIngestToken(request)) {
      return errorResponse(401, 'unauthorised', 'send Authorization: Bearer <ingest token>', {
        ...headers,
        'www-authenticate': 'Bearer realm="telemetry-kit ingest"',
      });
    }
    const read = await readOtlpLogs(request, { maxBodyBytes, maxLogRecords });
    if (!read.ok) {
      const { status, error, reason } = read;
      return errorResponse(status, error, reason, headers);
    }
    const time = now();
    const { groups, rejected } = mapLogsRequest(read.request, {
      window: { earliest: time - retentionDays * DAY_MS, latest: time + CLOCK_SKEW_MS },
      receivedAt: time,
    });
    return withStore(async (store) => {
      let accepted = 0;
      let duplicate = 0;
      for (const group of groups) {
        const result = await store.insertBatch(group.origin, group.events, group.dropped);
        accepted += result.inserted;
        duplicate += result.duplicates;
      }
      metrics.countEvents({ accepted, duplicate, rejected: rejected.length });
      return exportResponse(read.encoding, partialSuccess(rejected, read.records), headers);
    }, headers);
  });
}

function partialSuccess(rejected: readonly RejectedRecord[], records: number): LogsPartialSuccess {
  if (rejected.length === 0) return { rejectedLogRecords: 0, errorMessage: '' };
  const quoted = rejected
    .slice(0, REASONS_QUOTED)
    .map(({ path, reason }) => `${path}: ${reason}`)
    .join('; ');
  const more = rejected.length > REASONS_QUOTED ? '; ...' : '';
  return {
    rejectedLogRecords: rejected.length,
    errorMessage: `${rejected.length} of ${records} log records rejected: ${quoted}${more}`.slice(
      0,
      2000,
    ),
  };
}

function exportResponse(
  encoding: OtlpEncoding,
  partial: LogsPartialSuccess,
  headers: Record<string, string>,
): Response {
  if (encoding === 'json') return jsonResponse(200, { partialSuccess: partial }, headers);
  return new Response(encodeExportLogsResponse(partial), {
    status: 200,
    headers: {
      ...headers,
      'content-type': 'application/x-protobuf',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
