import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether a request carries the ingest token as `Authorization: Bearer <token>`, the header
 * every OpenTelemetry exporter can be given (`OTEL_EXPORTER_OTLP_HEADERS`, an otlphttp
 * exporter's `headers`). As with the admin token, both sides are hashed before the
 * constant-time comparison, so neither the token's content nor its length leaks through timing.
 *
 * @param token - The configured ingest token; must not be empty.
 */
export function createIngestTokenCheck(token: string): (request: Request) => boolean {
  const digest = sha256(token);
  return (request) => {
    const bearer = /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
    return bearer !== undefined && timingSafeEqual(sha256(bearer.trim()), digest);
  };
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
