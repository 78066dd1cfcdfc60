import type { AdminAccess } from './admin-access.js';
import type { CollectorRoute } from './collector-route.js';
import { renderSignInPage } from './dashboard-page.js';
import { htmlResponse } from './html-response.js';
import { errorResponse } from './json-response.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * Guards the owner's read-only views (the dashboard, `GET /v1/stats`): `GET` and `HEAD` only,
 * and only for the admin token's holder, or for loopback when no token is configured.
 *
 * @param admin - Who counts as the owner.
 * @param route - The view, reached only by the owner.
 */
export function adminOnly(admin: AdminAccess, route: CollectorRoute): CollectorRoute {
  return (request, client) => {
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return methodNotAllowed('GET, HEAD', {});
    if (!admin.isAdmin(request, client.clientAddress)) return unauthorised(admin, request);
    return route(request, client);
  };
}

function unauthorised(admin: AdminAccess, request: Request): Response {
  if (new URL(request.url).pathname === '/' && admin.tokenConfigured) {
    return htmlResponse(401, (styleNonce) => renderSignInPage({ styleNonce, failed: false }));
  }
  if (!admin.tokenConfigured) {
    return errorResponse(
      403,
      'loopback_only',
      'no admin token is configured: the dashboard answers only on localhost',
    );
  }
  return errorResponse(401, 'unauthorised', 'send Authorization: Bearer <admin token>', {
    'www-authenticate': 'Bearer realm="telemetry-kit"',
  });
}
