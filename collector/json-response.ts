/** The body of every error answer: a stable machine code and a sentence for a developer. */
export interface ErrorBody {
  error: string;
  reason: string;
}

/** A JSON response. `no-store`: nothing here is cacheable, least of all stats. */
export function jsonResponse(status: number, body: unknown, headers: HeadersInit = {}): Response {
  const response = new Response(JSON.stringify(body), { status, headers });
  response.headers.set('content-type', 'application/json; charset=utf-8');
  response.headers.set('cache-control', 'no-store');
  response.headers.set('x-content-type-options', 'nosniff');
  return response;
}

/** A JSON error answer `{ error, reason }`. */
export function errorResponse(
  status: number,
  error: string,
  reason: string,
  headers: HeadersInit = {},
): Response {
  const body: ErrorBody = { error, reason };
  return jsonResponse(status, body, headers);
}
