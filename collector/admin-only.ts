import type { AdminAccess } from './admin-access.js';
import type { CollectorRoute } from './collector-route.js';
import { renderSignInPage } from './dashboard-page.js';
import { htmlResponse } from './html-response.js';
import { errorResponse } from './json-response.js';
import { methodNotAllowed } from './method-not-allowed.js';

/**
 * Guards what only the owner may reach (the dashboard, `GET /v1/stats`, manifests): the admin
 * token's holder, or loopback when no token is configured, and only with `methods`.
 *
 * A route that writes (`PUT` a manifest) is still safe from other sites behind the session
 * cookie: a cross-origin `PUT` needs a CORS preflight, which this answers with `405` and no
 * `Access-Control-Allow-Origin`, so the browser never sends it.
 *
 * @param admin - Who counts as the owner.
 * @param route - The view, reached only by the owner.
 * @param methods - The methods it takes. Default `GET` and `HEAD`: a read-only view.
 */
export function adminOnly(
  admin: AdminAccess,
  route: CollectorRoute,
  methods: readonly string[] = ['GET', 'HEAD'],
): CollectorRoute {
  return (request, client) => {
    if (!methods.includes(request.method)) return methodNotAllowed(methods.join(', '), {});
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
