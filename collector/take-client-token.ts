import type { ClientInfo } from './collector-route.js';
import { errorResponse } from './json-response.js';
import type { RateLimiter } from './rate-limit.js';

/**
 * Takes one token from the client's bucket: `429` with `Retry-After` when it is empty, else
 * `undefined` and the request goes on.
 *
 * @param limiter - The buckets to take from; `undefined` when rate limiting is off.
 * @param client - Whose bucket: keyed by `clientAddress`.
 * @param headers - CORS headers the refusal carries, so the browser can read `Retry-After`.
 */
export function takeClientToken(
  limiter: RateLimiter | undefined,
  client: ClientInfo,
  headers: Record<string, string>,
): Response | undefined {
  // Without an address (a Fetch handler whose host did not pass one) there is no client to
  // limit: one shared bucket would throttle every user at once. Hosts pass `clientAddress`.
  if (!limiter || client.clientAddress === undefined) return undefined;
  const decision = limiter.take(client.clientAddress);
  if (decision.allowed) return undefined;
  return errorResponse(429, 'rate_limited', 'too many requests from this client', {
    ...headers,
    'retry-after': String(decision.retryAfterSeconds),
  });
}
