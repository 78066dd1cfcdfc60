import { errorResponse } from './json-response.js';

/** `405` naming the methods that would work, in `Allow` as RFC 9110 (15.5.6) asks. */
export function methodNotAllowed(allow: string, headers: Record<string, string>): Response {
  return errorResponse(405, 'method_not_allowed', `use ${allow}`, { ...headers, allow });
}
