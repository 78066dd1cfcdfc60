// The least-work baseline of issue 13: what any SDK must do on the main thread for an event to
// reach the collector, and nothing more. Each call builds an event of telemetry-kit's wire shape
// (a 21-character random id, event_type, ISO timestamp, anonymous and session id, the caller's
// metadata, a coarse context), keeps it in an array, and every 100 events (and on flush) the
// batch is serialised in telemetry-kit's envelope with one JSON.stringify and POSTed to the
// receiver's /v1/events, as telemetry-kit's fetch transport does.
//
// Deliberately left out, so that this is the floor, not a competitor: no storage (nothing
// survives a reload or a failed request; no IndexedDB, no localStorage), no consent gate or
// receipt (the envelope's `consent` is a constant), no cleaning, limits or scrubbing of metadata
// (the caller's object is sent as is), no path shaping (`location.pathname` as it is), no
// sampling, no retries or backoff, no page-hide path, no dropped counts, and the response is read
// but not parsed. The session and anonymous ids are made once per page; the browser, OS and device
// families once at load, outside the measured calls.
import { urlAlphabet } from 'nanoid';

const BATCH_SIZE = 100;
const endpoint = `${location.origin}/v1/events`;
const startedAt = new Date().toISOString();

/**
 * nanoid ids (21 characters of its URL-safe alphabet) from a pool of random bytes, as
 * telemetry-kit's src/ids.ts makes them. nanoid's own browser build calls
 * `crypto.getRandomValues` once per id: about 1 µs more per event here, which no SDK has to pay.
 */
const POOL_BYTES = 4096;
const ID_LENGTH = 21;
let pool = new Uint8Array(0);
let offset = POOL_BYTES;
const newId = () => {
  if (offset + ID_LENGTH > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(POOL_BYTES));
    offset = 0;
  }
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += urlAlphabet[pool[offset++] & 63];
  return id;
};

const anonymousId = newId();
const sessionId = newId();
const ua = navigator.userAgent;
const locale = navigator.language;
const browser = /Firefox\//.test(ua) ? 'firefox' : /Chrome\//.test(ua) ? 'chrome' : 'other';
const os = /Windows/.test(ua)
  ? 'windows'
  : /Mac OS X/.test(ua)
    ? 'macos'
    : /Linux/.test(ua)
      ? 'linux'
      : 'other';
const device = /Mobi/.test(ua) ? 'mobile' : 'desktop';

let pending = [];
/**
 * One request in flight at a time, as telemetry-kit's delivery has: keepalive bodies share a
 * 64 KiB in-flight quota per page (Fetch spec, "keepalive"), and a burst's 100 batches of
 * ~34 KB sent at once would have all but the first refused. Chromium gives a request's share
 * back only once its response is read to the end: unread, the next request was refused for
 * about 50 ms here.
 */
let sending = Promise.resolve();

const send = () => {
  const body = JSON.stringify({
    service_name: 'bench-app',
    service_version: '1.0.0',
    sdk: { name: 'telemetry-kit', version: 'baseline' },
    sent_at: new Date().toISOString(),
    consent: { policy_version: 1, granted_at: startedAt },
    dropped: {},
    events: pending,
  });
  pending = [];
  sending = sending.then(() =>
    fetch(endpoint, {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      keepalive: true,
      credentials: 'omit',
    })
      .then((response) => response.text())
      // The floor keeps nothing for a retry: a failed batch is lost, and the bench's received
      // count shows it.
      .catch(() => {}),
  );
  return sending;
};

const track = (type, metadata) => {
  pending.push({
    id: newId(),
    event_type: type,
    timestamp: new Date().toISOString(),
    anonymous_id: anonymousId,
    session_id: sessionId,
    metadata,
    context: { path: location.pathname, locale, browser, os, device },
  });
  if (pending.length >= BATCH_SIZE) send();
};

window.bench = {
  name: 'least-work baseline',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  run(n) {
    for (let i = 0; i < n; i++) track('feature.use', { feature: 'export', format: 'csv', rows: i });
  },
  flush: () => (pending.length ? send() : sending),
};
