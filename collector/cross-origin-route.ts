import type { ClientInfo, CollectorRoute } from './collector-route.js';
import type { CorsPolicy } from './cors.js';
import { errorResponse } from './json-response.js';
import { methodNotAllowed } from './method-not-allowed.js';

/** A cross-origin route's own work; `headers` go on every answer it gives. */
export type CrossOriginAnswer = (
  request: Request,
  client: ClientInfo,
  headers: Record<string, string>,
) => Promise<Response>;

/**
 * The gate in front of what the app's pages call: it answers the preflight, refuses an
 * unlisted origin before the body is read, then allows one method. `answer` receives the CORS
 * headers, so the page can read the status and `Retry-After` of whatever comes back.
 *
 * @param cors - Which origins may call.
 * @param method - The method (or methods) the route takes besides `OPTIONS`.
 * @param answer - The route itself, reached only from an allowed origin with `method`.
 */
export function crossOriginRoute(
  cors: CorsPolicy,
  method: 'POST' | 'DELETE' | readonly ('GET' | 'DELETE')[],
  answer: CrossOriginAnswer,
): CollectorRoute {
  return (request, client) => {
    if (request.method === 'OPTIONS') return cors.preflight(request);
    const origin = request.headers.get('origin');
    if (!cors.allows(origin)) {
      return errorResponse(
        403,
        'origin_not_allowed',
        'this origin may not send to this collector',
        { vary: 'Origin' },
      );
    }
    const headers = cors.responseHeaders(origin);
    const methods: readonly string[] = typeof method === 'string' ? [method] : method;
    if (!methods.includes(request.method))
      return methodNotAllowed(`${methods.join(', ')}, OPTIONS`, headers);
    return answer(request, client, headers);
  };
}
