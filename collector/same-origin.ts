/**
 * Forms post only from the collector's own pages (SameSite covers cookies, not the form).
 * Fetch Metadata says so directly where browsers send it; otherwise the Origin must match.
 */
export function isSameOrigin(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null) return site === 'same-origin';
  const origin = request.headers.get('origin');
  return origin === null || origin === new URL(request.url).origin;
}
