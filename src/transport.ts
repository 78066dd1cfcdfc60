import type { Transport, TransportResponse } from './types.js';

/** The in-flight byte quota shared by keepalive fetches and beacons of a page (Fetch spec). */
export const KEEPALIVE_LIMIT = 64 * 1024;

/** Bytes `text` takes as UTF-8, without allocating an encoded copy. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // 2 bytes up to U+07FF, 3 in the rest of the BMP, 4 for a surrogate pair (2 units, 2 each).
    if (code > 0x7f) bytes += code <= 0x7ff || (code >= 0xd800 && code <= 0xdfff) ? 1 : 2;
  }
  return bytes;
}

/**
 * `text/plain` keeps the POST a CORS-simple request: no preflight round trip, and the same body
 * works with `navigator.sendBeacon`, which cannot send preflighted requests at all.
 */
export const BATCH_CONTENT_TYPE = 'text/plain;charset=UTF-8';

export interface FetchTransportOptions {
  /** Batch URL, e.g. `https://collector.example.com/v1/events`. */
  endpoint: string;
  /** URL of subject deletion; default: the endpoint with `/events` replaced by `/subjects`. */
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
    deleteSubject: (anonymousId) =>
      request(`${subjects}/${encodeURIComponent(anonymousId)}`, {
        method: 'DELETE',
        keepalive: true,
        credentials: 'omit',
      }),
  };
}
