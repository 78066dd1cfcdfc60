import { ID_PATTERN } from 'telemetry-kit/wire';
import type { CollectorRoute } from './collector-route.js';
import type { CorsPolicy } from './cors.js';
import { crossOriginRoute } from './cross-origin-route.js';
import { EXPORT_COLUMNS, exportedEvent } from './export-rows.js';
import { errorResponse, jsonResponse } from './json-response.js';
import type { RateLimiter } from './rate-limit.js';
import type { WithStore } from './store-lifecycle.js';
import { takeClientToken } from './take-client-token.js';

/** What the subject-deletion route needs from the collector. */
export interface SubjectsRouteOptions {
  cors: CorsPolicy;
  limiter: RateLimiter | undefined;
  pathPrefix: string;
  withStore: WithStore;
}

/** Most events `GET /v1/subjects/:anonymous_id` returns; `truncated` says when there were more. */
export const SUBJECT_EVENTS_LIMIT = 10_000;

/**
 * `DELETE /v1/subjects/:anonymous_id`: deletes every event of one subject and answers
 * `200 { deleted }`; a repeated request finds nothing left and answers `{ deleted: 0 }`.
 * `GET` returns what is stored about it — `200 { anonymous_id, events, truncated }`, oldest
 * first, as `GET /v1/export` writes them — for the subject's right of access. Both are open
 * like ingest: knowing the random anonymous id is what entitles a caller, and only that
 * browser holds it.
 *
 * @param options.cors - Origins whose pages may ask for deletion.
 * @param options.limiter - Per-client buckets, shared with ingest; `undefined` for none.
 * @param options.pathPrefix - The path up to the id (`/v1/subjects/`).
 * @param options.withStore - The store to delete from.
 */
export function subjectsRoute(options: SubjectsRouteOptions): CollectorRoute {
  const { limiter, pathPrefix, withStore } = options;
  return crossOriginRoute(options.cors, ['GET', 'DELETE'], async (request, client, headers) => {
    const anonymousId = decodeSegment(new URL(request.url).pathname.slice(pathPrefix.length));
    if (!ID_PATTERN.test(anonymousId)) {
      return errorResponse(400, 'invalid_id', `an anonymous id must match ${ID_PATTERN}`, headers);
    }
    const limited = takeClientToken(limiter, client, headers);
    if (limited) return limited;
    if (request.method === 'GET')
      return withStore(async (store) => {
        const rows = await store.database.query(
          `SELECT ${EXPORT_COLUMNS} FROM telemetry_events WHERE anonymous_id = $1
            ORDER BY occurred_at, id LIMIT ${SUBJECT_EVENTS_LIMIT + 1}`,
          [anonymousId],
        );
        const events = rows.slice(0, SUBJECT_EVENTS_LIMIT).map(exportedEvent);
        const truncated = rows.length > SUBJECT_EVENTS_LIMIT;
        return jsonResponse(200, { anonymous_id: anonymousId, events, truncated }, headers);
      }, headers);
    return withStore(async (store) => {
      const deleted = await store.deleteSubject(anonymousId);
      return jsonResponse(200, { deleted }, headers);
    }, headers);
  });
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
