import type { Transport, TransportResponse } from '../types.js';
import { KEEPALIVE_LIMIT, utf8Length } from './keepalive.js';

/**
 * `text/plain` keeps the POST a CORS-simple request: no preflight round trip, and the same body
 * works with `navigator.sendBeacon`, which cannot send preflighted requests at all.
 */
export const BATCH_CONTENT_TYPE = 'text/plain;charset=UTF-8';

export interface FetchTransportOptions {
  /** Batch URL, e.g. `https://collector.example.com/v1/events`. */
  endpoint: string;
  /** URL of subject access and deletion; default: the endpoint with `/events` replaced by `/subjects`. */
  subjectsEndpoint?: string;
  fetch?: typeof fetch | undefined;
  navigator?: Navigator | undefined;
}

/**
 * The default transport: `fetch` with `keepalive` (the request outlives the page) and
 * `navigator.sendBeacon` for the page-hide path. Never rejects: failures are `status: 0`.
 */
export function createFetchTransport(options: FetchTransportOptions): Transport {
  const { endpoint, navigator: nav } = options;
  const doFetch = options.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
  const subjects = options.subjectsEndpoint ?? endpoint.replace(/\/events\/?$/, '/subjects');

  const request = async (url: string, init: RequestInit): Promise<TransportResponse> => {
    if (!doFetch) return { status: 0 };
    try {
      const response = await doFetch(url, init);
      let body: unknown;
      try {
        body = await response.json();
      } catch {}
      return { status: response.status, retryAfter: response.headers.get('Retry-After'), body };
    } catch {
      // A keepalive request is refused outright while others hold the page's 64 KiB keepalive
      // quota: a subject deletion must still go, without it.
      if (init.keepalive && init.method === 'DELETE' && !init.signal?.aborted)
        return request(url, { ...init, keepalive: false });
      return { status: 0 };
    }
  };

  return {
    send: (body, { signal }) =>
      request(endpoint, {
        method: 'POST',
        body,
        headers: { 'Content-Type': BATCH_CONTENT_TYPE },
        // keepalive bodies share a 64 KiB in-flight quota per page (Fetch spec, "keepalive");
        // a larger batch must go without it rather than fail.
        keepalive: utf8Length(body) <= KEEPALIVE_LIMIT,
        credentials: 'omit',
        ...(signal ? { signal } : {}),
      }),
    beacon(body) {
      try {
        if (typeof nav?.sendBeacon !== 'function') return false;
        // A string body is sent as text/plain;charset=UTF-8 (Beacon spec, step "extract").
        return nav.sendBeacon(endpoint, body);
      } catch {
        return false;
      }
    },
    getSubject: (anonymousId) =>
      request(`${subjects}/${encodeURIComponent(anonymousId)}`, { credentials: 'omit' }),
    deleteSubject: (anonymousId) =>
      request(`${subjects}/${encodeURIComponent(anonymousId)}`, {
        method: 'DELETE',
        keepalive: true,
        credentials: 'omit',
      }),
  };
}
