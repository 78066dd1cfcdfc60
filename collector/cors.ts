/**
 * Cross-origin rules. Ingest is sent as `text/plain` (a CORS-simple request, so the browser
 * sends it without asking first): the collector itself must refuse unlisted origins, not just
 * withhold the response headers. `DELETE` is not simple, so the browser preflights it.
 */

/** Decides what an origin may do. */
export interface CorsPolicy {
  /**
   * Whether a request from `origin` may be processed. Requests without `Origin` (servers,
   * curl) are allowed: CORS protects browsers' users, and rate limiting still applies.
   */
  allows(origin: string | null): boolean;
  /** Headers for an allowed cross-origin response. */
  responseHeaders(origin: string | null): Record<string, string>;
  /** The answer to an `OPTIONS` preflight. */
  preflight(request: Request): Response;
}

/** `allowedOrigins` are exact origins (`https://app.example.com`) or `*` for any. */
export function createCorsPolicy(allowedOrigins: readonly string[]): CorsPolicy {
  const anyOrigin = allowedOrigins.includes('*');
  const origins = new Set(allowedOrigins.map(normaliseOrigin));
  const allows = (origin: string | null) =>
    origin === null || anyOrigin || origins.has(normaliseOrigin(origin));
  return {
    allows,
    responseHeaders(origin) {
      if (origin === null || !allows(origin)) return {};
      return {
        'access-control-allow-origin': origin,
        // Retry-After is not a CORS-safelisted response header: without this the browser's
        // retry logic could not read it on a 429 or 503.
        'access-control-expose-headers': 'Retry-After',
        vary: 'Origin',
      };
    },
    preflight(request) {
      const origin = request.headers.get('origin');
      if (origin === null || !allows(origin)) {
        return new Response(null, { status: 403, headers: { vary: 'Origin' } });
      }
      const headers: Record<string, string> = {
        'access-control-allow-origin': origin,
        'access-control-allow-methods': 'POST, DELETE, OPTIONS',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '86400',
        vary: 'Origin',
      };
      // Private Network Access: a public page may call a collector on a private address only
      // when the preflight says so (https://wicg.github.io/private-network-access/).
      if (request.headers.get('access-control-request-private-network') === 'true') {
        headers['access-control-allow-private-network'] = 'true';
      }
      return new Response(null, { status: 204, headers });
    },
  };
}

/** Origins compare by scheme, host and port; a trailing slash in configuration is forgiven. */
function normaliseOrigin(origin: string): string {
  try {
    return new URL(origin).origin;
  } catch {
    return origin;
  }
}
