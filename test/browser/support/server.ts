import { createServer, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TelemetryBatch } from '../../../src/index.js';
import { type Assets, bundlePages, type PageName } from './bundle.js';

/**
 * How a request was sent, told apart by the Fetch metadata Chromium attaches
 * (https://w3c.github.io/webappsec-fetch-metadata/): `navigator.sendBeacon` with a text/plain
 * body is a `no-cors` request, while `fetch()` (keepalive or not) defaults to mode `cors`.
 */
export type SentBy = 'beacon' | 'fetch' | 'unknown';

/** One request the receiving endpoint got. */
export interface ReceivedRequest {
  method: string;
  path: string;
  /** `Date.now()` on arrival of the whole body. */
  at: number;
  headers: IncomingHttpHeaders;
  by: SentBy;
  /** The parsed batch of a `POST /v1/events`, when the body was JSON. */
  batch: TelemetryBatch | undefined;
  /** The status the receiver answered with. */
  status: number;
}

/** What the receiver answers to a batch; the test changes it while a scenario runs. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  /** Holds the answer back this long, to keep a request in flight. */
  delayMs?: number;
}

export interface TestServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** The same server under another origin (`http://localhost:<port>`), for cross-origin cases. */
  otherOrigin: string;
  /** URL paths of the lazily loaded `web-vitals` chunks. */
  webVitalsChunks: readonly string[];
  /** URL paths of the lazily loaded delivery engine's chunks. */
  engineChunks: readonly string[];
  /** The engine's chunks and every chunk they import. */
  deliveryChunks: readonly string[];
  /** URL of a page with options for `createTelemetry` passed through the query string. */
  pageUrl(name: PageName, options?: Record<string, unknown>): string;
  /** Every request to `/v1/*` since the last `reset()`, in arrival order. */
  readonly requests: readonly ReceivedRequest[];
  /** Sets the answer to batches from now on (default `202`). */
  answer(next: Answer | ((request: IncomingMessage) => Answer)): void;
  /** Forgets recorded requests and restores the default answer: call it between tests. */
  reset(): void;
  close(): Promise<void>;
}

const ACCEPTED: Answer = { status: 202 };

function sentBy(headers: IncomingHttpHeaders): SentBy {
  const mode = headers['sec-fetch-mode'];
  if (mode === 'no-cors') return 'beacon';
  if (mode === 'cors' || mode === 'same-origin') return 'fetch';
  return 'unknown';
}

function parseBatch(text: string): TelemetryBatch | undefined {
  try {
    return JSON.parse(text) as TelemetryBatch;
  } catch {
    return undefined;
  }
}

const pageHtml = (name: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${name}</title>` +
  `<link rel="icon" href="data:,"></head><body>` +
  `<script type="module" src="/assets/${name}.js"></script></body></html>`;

/**
 * One HTTP server on 127.0.0.1 (port 0) that serves the bundled pages and receives their
 * batches, so pages and endpoint share an origin and no CORS is involved. Requests to
 * `/v1/*` are recorded; batches are answered as the test says; subject deletions get 204.
 */
export async function startTestServer(): Promise<TestServer> {
  const assets: Assets = await bundlePages();
  let requests: ReceivedRequest[] = [];
  let answerWith: Answer | ((request: IncomingMessage) => Answer) = ACCEPTED;

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const method = request.method ?? 'GET';
      const origin = request.headers.origin;
      // Cross-origin callers may read answers; the collector proper allows configured origins.
      const cors: Record<string, string> = origin ? { 'Access-Control-Allow-Origin': origin } : {};

      if (url.pathname.startsWith('/v1/')) {
        const text = Buffer.concat(chunks).toString('utf8');
        let answer: Answer = { status: 204 };
        if (method === 'POST' && url.pathname === '/v1/events') {
          answer = typeof answerWith === 'function' ? answerWith(request) : answerWith;
        } else if (method === 'OPTIONS') {
          answer = {
            status: 204,
            headers: { 'Access-Control-Allow-Methods': 'POST, DELETE' },
          };
        }
        requests.push({
          method,
          path: url.pathname,
          at: Date.now(),
          headers: request.headers,
          by: sentBy(request.headers),
          batch: method === 'POST' ? parseBatch(text) : undefined,
          status: answer.status,
        });
        const ok = answer.status >= 200 && answer.status < 300 && method === 'POST';
        const respond = () => {
          response.writeHead(answer.status, {
            ...cors,
            ...(ok ? { 'Content-Type': 'application/json' } : {}),
            ...answer.headers,
          });
          response.end(ok ? JSON.stringify({ accepted: 0, duplicates: 0, rejected: [] }) : '');
        };
        if (answer.delayMs) setTimeout(respond, answer.delayMs);
        else respond();
        return;
      }

      const pageMatch = /^\/pages\/(\w+)\.html$/.exec(url.pathname);
      const asset = assets.files.get(url.pathname);
      if (pageMatch?.[1] && assets.files.has(`/assets/${pageMatch[1]}.js`)) {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end(pageHtml(pageMatch[1]));
      } else if (asset !== undefined) {
        response.writeHead(200, { 'Content-Type': 'text/javascript; charset=utf-8' });
        response.end(asset);
      } else if (url.pathname === '/blank.html') {
        response.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><title>blank</title><p>elsewhere</p>');
      } else {
        response.writeHead(404);
        response.end();
      }
    });
  });
  // Keep-alive sockets from Chromium would hold `close()` open until they time out.
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    otherOrigin: `http://localhost:${port}`,
    webVitalsChunks: assets.webVitalsChunks,
    engineChunks: assets.engineChunks,
    deliveryChunks: assets.deliveryChunks,
    pageUrl(name, options) {
      const query = options ? `?options=${encodeURIComponent(JSON.stringify(options))}` : '';
      return `${origin}/pages/${name}.html${query}`;
    },
    get requests() {
      return requests;
    },
    answer(next) {
      answerWith = next;
    },
    reset() {
      requests = [];
      answerWith = ACCEPTED;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
