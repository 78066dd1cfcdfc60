import { createServer } from 'node:http';
import { gunzipSync } from 'node:zlib';

/**
 * One local HTTP server for the whole bench: it serves the bundled pages and stands in for every
 * SDK's collector (telemetry-kit, PostHog, Segment, Snowplow, Plausible), answering 200 and
 * recording what arrives. `mode` simulates an outage (503) or a collector that never answers
 * ('hold'). Same origin for pages and endpoints: no CORS, no preflights, for any SDK.
 */
export async function startReceiver() {
  /** @type {Map<string, { body: Buffer, type: string }>} */
  const assets = new Map();
  /** @type {Array<Record<string, unknown>>} */
  let requests = [];
  /** JavaScript served, per page load: path -> bytes. */
  let served = [];
  let mode = 'ok';
  const held = new Set();

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://local');
    if (req.method === 'GET' && assets.has(url.pathname)) {
      const asset = assets.get(url.pathname);
      if (asset.type.startsWith('text/javascript'))
        served.push({ path: url.pathname, bytes: asset.body.length });
      res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'no-store' });
      res.end(asset.body);
      return;
    }
    if (req.method === 'GET' && url.pathname.startsWith('/page/')) {
      // Any path under /page/<name>/... is that SDK's page, so page views have a realistic path.
      const name = url.pathname.split('/')[2];
      const html = assets.get(`/html/${name}`);
      if (html) {
        res.writeHead(200, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
        });
        res.end(html.body);
        return;
      }
    }
    if (req.method === 'GET' && url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let headerBytes = `${req.method} ${req.url} HTTP/1.1\r\n`.length;
      for (let i = 0; i < req.rawHeaders.length; i += 2)
        headerBytes += req.rawHeaders[i].length + req.rawHeaders[i + 1].length + 4;
      const record = {
        at: performance.now(),
        method: req.method,
        path: url.pathname,
        query: url.search,
        bodyBytes: body.length,
        headerBytes,
        ...describe(url, body, req.headers['content-type']),
      };
      requests.push(record);
      if (req.method === 'OPTIONS') {
        res.writeHead(204).end();
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      if (mode === 'down') {
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"down"}');
        return;
      }
      if (mode === 'hold') {
        held.add(res);
        res.on('close', () => held.delete(res));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        record.sdk === 'telemetry-kit'
          ? JSON.stringify({ accepted: record.events })
          : '{"status":1}',
      );
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();

  const releaseHeld = () => {
    for (const res of held) res.writeHead(503).end();
    held.clear();
  };

  return {
    origin: `http://127.0.0.1:${port}`,
    setAsset(path, body, type) {
      assets.set(path, { body: Buffer.from(body), type });
    },
    setMode(next) {
      if (mode === 'hold' && next !== 'hold') releaseHeld();
      mode = next;
    },
    /** Requests recorded since the last reset. */
    requests: () => requests,
    served: () => served,
    reset() {
      requests = [];
      served = [];
    },
    /** Events received (2xx answered) since the last reset, optionally of one SDK. */
    eventCount(sdk) {
      let total = 0;
      for (const r of requests) if (!sdk || r.sdk === sdk) total += r.events;
      return total;
    },
    async close() {
      releaseHeld();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Which SDK sent a request, how many events it carries and of which types. */
function describe(url, body, contentType) {
  const path = url.pathname;
  const text = () => body.toString('utf8');
  try {
    if (path === '/v1/events') {
      const batch = JSON.parse(text());
      const mounts = batch.events.filter((e) => e.event_type === 'component.mount');
      return {
        sdk: 'telemetry-kit',
        events: batch.events.length,
        types: batch.events.map((e) => e.event_type),
        mountCount: mounts.reduce((sum, e) => sum + (Number(e.metadata?.count) || 0), 0),
        compressed: false,
        rawBytes: body.length,
      };
    }
    if (path.startsWith('/com.snowplowanalytics.snowplow/')) {
      const payload = JSON.parse(text());
      return {
        sdk: 'snowplow',
        events: payload.data.length,
        types: payload.data.map((e) => e.e),
        compressed: false,
        rawBytes: body.length,
      };
    }
    if (path === '/api/event') {
      const payload = JSON.parse(text());
      return {
        sdk: 'plausible',
        events: 1,
        types: [payload.n],
        compressed: false,
        rawBytes: body.length,
      };
    }
    if (/^\/v1\/[tpisgab]$/.test(path)) {
      const payload = JSON.parse(text());
      const list = path === '/v1/b' ? payload.batch : [payload];
      return {
        sdk: 'segment',
        events: list.length,
        types: list.map((e) => e.event ?? e.type),
        compressed: false,
        rawBytes: body.length,
      };
    }
    if (/^\/(e|i|batch|capture|track)\b/.test(path) || path.startsWith('/i/v0/e')) {
      const compression = url.searchParams.get('compression');
      let json;
      let compressed = false;
      if (compression === 'gzip-js' || body[0] === 0x1f) {
        json = gunzipSync(body).toString('utf8');
        compressed = true;
      } else if (contentType?.includes('x-www-form-urlencoded')) {
        json = Buffer.from(new URLSearchParams(text()).get('data') ?? '', 'base64').toString(
          'utf8',
        );
      } else json = text();
      const payload = JSON.parse(json);
      const list = Array.isArray(payload)
        ? payload
        : Array.isArray(payload.batch)
          ? payload.batch
          : [payload];
      return {
        sdk: 'posthog',
        events: list.length,
        types: list.map((e) => e.event),
        compressed,
        rawBytes: Buffer.byteLength(json),
      };
    }
  } catch (error) {
    return { sdk: 'unknown', events: 0, types: [], error: String(error) };
  }
  return { sdk: 'unknown', events: 0, types: [] };
}
