import type { AdminAccess } from './admin-access.js';
import type { CollectorRoute } from './collector-route.js';
import { renderSignInPage } from './dashboard-page.js';
import { htmlResponse } from './html-response.js';
import { errorResponse } from './json-response.js';
import { createRateLimiter } from './rate-limit.js';
import { readBodyText } from './request-body.js';
import { isSameOrigin } from './same-origin.js';
import { takeClientToken } from './take-client-token.js';

/** What the sign-in form needs from the collector. */
export interface SignInRouteOptions {
  admin: AdminAccess;
  now: () => number;
}

const SIGN_IN_BODY_BYTES = 4096;

/**
 * `POST /sign-in`: the dashboard's form posts the admin token here; the right one sets the
 * session cookie and goes back to the dashboard, a wrong one shows the form again with `401`.
 * Without a configured token there is nothing to sign in to: `404`.
 *
 * @param options.admin - Checks the token and makes the cookie.
 * @param options.now - The clock of the guess limit.
 */
export function signInRoute(options: SignInRouteOptions): CollectorRoute {
  const { admin, now } = options;
  // Sign-in guesses are limited far more tightly than ingest.
  const signInLimiter = createRateLimiter({ burst: 10, perSecond: 0.2 }, now);
  return async (request, client) => {
    if (!admin.tokenConfigured)
      return errorResponse(404, 'not_found', 'no admin token is configured');
    if (!isSameOrigin(request))
      return errorResponse(403, 'cross_origin', 'sign in from the dashboard itself');
    const limited = takeClientToken(signInLimiter, client, {});
    if (limited) return limited;
    const body = await readBodyText(request, SIGN_IN_BODY_BYTES);
    const token = body.ok ? (new URLSearchParams(body.text).get('token') ?? '') : '';
    if (!admin.isToken(token)) {
      return htmlResponse(401, (styleNonce) => renderSignInPage({ styleNonce, failed: true }));
    }
    return backToDashboard(admin.sessionCookie(request));
  };
}

/**
 * `POST /sign-out`: clears the session cookie and goes back to the dashboard.
 *
 * @param options.admin - Makes the cleared cookie.
 */
export function signOutRoute(options: { admin: AdminAccess }): CollectorRoute {
  const { admin } = options;
  return (request) => {
    if (!isSameOrigin(request))
      return errorResponse(403, 'cross_origin', 'sign out from the dashboard itself');
    return backToDashboard(admin.clearedCookie(request));
  };
}

function backToDashboard(setCookie: string): Response {
  return new Response(null, {
    status: 303,
    headers: {
      location: '/',
      'set-cookie': setCookie,
      'cache-control': 'no-store',
    },
  });
}
