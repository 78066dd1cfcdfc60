import { type AdminAccess, createAdminAccess } from './admin-access.js';
import { createCorsPolicy } from './cors.js';
import { renderDashboardPage, renderSignInPage } from './dashboard-page.js';
import type { EventStore } from './event-store.js';
import { htmlResponse } from './html-response.js';
import { ingestRoute } from './ingest-route.js';
import { errorResponse, jsonResponse } from './json-response.js';
import { methodNotAllowed } from './method-not-allowed.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limit.js';
import { readBodyText } from './request-body.js';
import { isSameOrigin } from './same-origin.js';
import { parseRange } from './stats-range.js';
import { createStoreLifecycle, STORE_RETRY_AFTER } from './store-lifecycle.js';
import { subjectsRoute } from './subjects-route.js';
import { takeClientToken } from './take-client-token.js';

/** Options of `createCollector`. Everything has a default; `adminToken` is strongly advised. */
export interface CollectorOptions {
  /**
   * Where events go. Default: PostgreSQL when `databaseUrl` is set, else embedded PGlite in
   * `dataDir`, else PGlite in memory. A store passed here is not closed by `close()`.
   */
  store?: EventStore | Promise<EventStore>;
  /** PGlite data directory (ignored when `store` or `databaseUrl` is given). */
  dataDir?: string;
  /** PostgreSQL connection string (ignored when `store` is given). */
  databaseUrl?: string;
  /** Origins whose pages may send and delete (`https://app.example.com`, or `*`). Default none. */
  allowedOrigins?: readonly string[];
  /**
   * Token for the dashboard and `GET /v1/stats`. Without one they answer only to loopback
   * connections that name a loopback host.
   */
  adminToken?: string;
  /** Events older than this many days are deleted, once at start and then daily. Default 400. */
  retentionDays?: number;
  /** Largest accepted body. Default 1 MiB; larger gets 413. */
  maxBodyBytes?: number;
  /** Most events in one batch. Default 500; more gets 413 so the browser splits the batch. */
  maxEventsPerBatch?: number;
  /**
   * Per-client token bucket for ingest and deletion, or `false` for none. Clients are told
   * apart by `ClientInfo.clientAddress`; requests handled without one are not limited.
   */
  rateLimit?: RateLimitOptions | false;
  /** Path of ingest. Default `/v1/events`; deletion is the same with `/subjects/:id` for `/events`. */
  endpointPath?: string;
  /** Clock, for tests. Default `Date.now`. */
  now?: () => number;
  /**
   * Told about failures the client only sees as a 5xx (database errors, bugs), since their
   * details stay out of responses. Default: `console.error`.
   */
  onError?: (error: unknown, during: string) => void;
}

/** What the server knows about the connection a request came on. */
export interface ClientInfo {
  /** Remote IP address; keys the rate limit and identifies loopback. */
  clientAddress?: string | undefined;
}

/** Whether the store opened. Errors are data: the CLI prints `reason` and exits. */
export type CollectorReadiness =
  | { ok: true; storeKind: 'pglite' | 'postgres' }
  | { ok: false; reason: string };

/** One route's answer to a request; route modules export factories of these. */
export type CollectorRoute = (request: Request, client: ClientInfo) => Response | Promise<Response>;

/** The reference collector: a Fetch-API handler plus its lifecycle. */
export interface Collector {
  /** Answers one request. Never rejects: failures become 4xx / 5xx responses. */
  handle(request: Request, client?: ClientInfo): Promise<Response>;
  /** Resolves once the store is open and migrated, or with why it could not be. */
  ready(): Promise<CollectorReadiness>;
  /** Deletes events older than the retention period now; returns how many. */
  deleteExpired(): Promise<number>;
  /** Stops the retention timer and closes a store this collector opened. Idempotent. */
  close(): Promise<void>;
}

const SIGN_IN_BODY_BYTES = 4096;

/** Creates the collector. The store opens in the background; `ready()` reports the outcome. */
export function createCollector(options: CollectorOptions = {}): Collector {
  const now = options.now ?? Date.now;
  const onError =
    options.onError ??
    ((error: unknown, during: string) =>
      console.error(`telemetry-kit collector: ${during}:`, error));
  const retentionDays = options.retentionDays ?? 400;
  const maxBodyBytes = options.maxBodyBytes ?? 1_048_576;
  const maxEventsPerBatch = options.maxEventsPerBatch ?? 500;
  const endpointPath = options.endpointPath ?? '/v1/events';
  const subjectsPrefix = `${endpointPath.replace(/\/events$/, '')}/subjects/`;
  const cors = createCorsPolicy(options.allowedOrigins ?? []);
  const admin = createAdminAccess(options.adminToken);
  const ingestLimiter =
    options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit ?? {}, now);
  // Sign-in guesses are limited far more tightly than ingest.
  const signInLimiter = createRateLimiter({ burst: 10, perSecond: 0.2 }, now);

  const lifecycle = createStoreLifecycle({
    store: options.store,
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    retentionDays,
    now,
    onError,
  });
  const { withStore } = lifecycle;

  const ingest = ingestRoute({
    cors,
    limiter: ingestLimiter,
    maxBodyBytes,
    maxEventsPerBatch,
    retentionDays,
    now,
    withStore,
  });
  const subjects = subjectsRoute({
    cors,
    limiter: ingestLimiter,
    pathPrefix: subjectsPrefix,
    withStore,
  });

  const dashboard = async (url: URL) => {
    const range = parseRange(url, now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    return withStore(async (store) => {
      const stats = await store.stats(range.range);
      return htmlResponse(200, (styleNonce) =>
        renderDashboardPage(stats, {
          fromDay: range.fromDay,
          toDay: range.toDay,
          styleNonce,
          canSignOut: admin.tokenConfigured,
        }),
      );
    }, {});
  };

  const stats = async (url: URL) => {
    const range = parseRange(url, now());
    if (!range.ok) return errorResponse(400, 'invalid_range', range.reason);
    return withStore(async (store) => jsonResponse(200, await store.stats(range.range)), {});
  };

  const signIn = async (request: Request, client: ClientInfo) => {
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
    return new Response(null, {
      status: 303,
      headers: {
        location: '/',
        'set-cookie': admin.sessionCookie(request),
        'cache-control': 'no-store',
      },
    });
  };

  const route = async (request: Request, client: ClientInfo): Promise<Response> => {
    const url = new URL(request.url);
    const path = url.pathname;
    if (path === endpointPath) return ingest(request, client);
    if (path.startsWith(subjectsPrefix)) return subjects(request, client);

    if (path === '/healthz') return jsonResponse(200, { ok: true });
    if (path === '/sign-in' && request.method === 'POST') return signIn(request, client);
    if (path === '/sign-out' && request.method === 'POST') {
      if (!isSameOrigin(request))
        return errorResponse(403, 'cross_origin', 'sign out from the dashboard itself');
      return new Response(null, {
        status: 303,
        headers: {
          location: '/',
          'set-cookie': admin.clearedCookie(request),
          'cache-control': 'no-store',
        },
      });
    }
    if (path === '/' || path === '/v1/stats') {
      if (request.method !== 'GET' && request.method !== 'HEAD')
        return methodNotAllowed('GET, HEAD', {});
      if (!admin.isAdmin(request, client.clientAddress)) return unauthorised(admin, path);
      return path === '/' ? dashboard(url) : stats(url);
    }
    return errorResponse(404, 'not_found', 'no such resource');
  };

  return {
    async handle(request, client = {}) {
      if (lifecycle.closed)
        return errorResponse(503, 'closed', 'the collector is shutting down', {
          'retry-after': STORE_RETRY_AFTER,
        });
      try {
        return await route(request, client);
      } catch (error) {
        onError(error, `${request.method} ${new URL(request.url).pathname}`);
        return errorResponse(
          500,
          'internal_error',
          'an unexpected failure; the operator can see it',
        );
      }
    },
    ready: lifecycle.ready,
    deleteExpired: lifecycle.deleteExpired,
    close: lifecycle.close,
  };
}

function unauthorised(admin: AdminAccess, path: string): Response {
  if (path === '/' && admin.tokenConfigured) {
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
