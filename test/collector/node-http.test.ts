import { request as httpRequest } from 'node:http';
import {
  type Collector,
  createCollector,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliOptions } from '../../collector/cli-options.js';
import { countEvents, makeBatch, makeEvent, memoryStore } from './fixtures.js';

let store: EventStore;
let collector: Collector;
let server: RunningServer;

beforeAll(async () => {
  store = await memoryStore();
  collector = createCollector({
    store,
    rateLimit: { burst: 1000, perSecond: 100 },
    maxBodyBytes: 64_000,
  });
  server = await listen(collector, { port: 0, host: '127.0.0.1' });
}, 30_000);
afterAll(async () => {
  await server.close();
  await collector.close();
  await store.close();
});

describe('the Node http adapter', () => {
  it('listens on 127.0.0.1 and reports its URL', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('ingests over real HTTP and answers 202', async () => {
    const response = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify(makeBatch([makeEvent({ anonymous_id: 'anon_http_0000001' })])),
    });
    expect(response.status).toBe(202);
    expect(await countEvents(store, 'anon_http_0000001')).toBe(1);
  });

  it('answers 413 to a streamed oversize upload and keeps serving', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'transfer-encoding': 'chunked' },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'x'.repeat(16_384);
      let sent = 0;
      const pump = () => {
        while (sent < 40) {
          sent += 1;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    expect(status).toBe(413);
    const health = await fetch(`${server.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
  });

  it('uses the socket address for loopback-only access and the rate limit', async () => {
    // No admin token: the dashboard answers this loopback connection.
    const response = await fetch(`${server.url}/v1/stats`);
    expect(response.status).toBe(200);
  });

  it('answers 404 with JSON for unknown paths', async () => {
    const response = await fetch(`${server.url}/wp-admin`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: 'not_found' });
  });
});

describe('behind a proxy (trustProxy)', () => {
  it('rate-limits by the first X-Forwarded-For address instead of the proxy socket', async () => {
    const limited = createCollector({ store, rateLimit: { burst: 1, perSecond: 0.001 } });
    const proxied = await listen(limited, { port: 0, trustProxy: true });
    const send = (forwardedFor: string) =>
      fetch(`${proxied.url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify(makeBatch([makeEvent()])),
      }).then((response) => response.status);
    expect(await send('198.51.100.1, 10.0.0.1')).toBe(202);
    expect(await send('198.51.100.2, 10.0.0.1')).toBe(202);
    expect(await send('198.51.100.1, 10.0.0.1')).toBe(429);
    await proxied.close();
    await limited.close();
  });
});

describe('telemetry-kit-collector options', () => {
  it('defaults to 127.0.0.1:4318, PGlite in .data/collector, 400 days, no origins', () => {
    expect(parseCliOptions([], {})).toEqual({
      ok: true,
      port: 4318,
      host: '127.0.0.1',
      dataDir: '.data/collector',
      databaseUrl: undefined,
      allowedOrigins: [],
      adminToken: undefined,
      ingestToken: undefined,
      retentionDays: 400,
      trustProxy: false,
      help: false,
    });
  });

  it('takes repeatable origins and falls back to TELEMETRY_ADMIN_TOKEN and DATABASE_URL', () => {
    const options = parseCliOptions(
      [
        '--port',
        '0',
        '--allowed-origin',
        'https://a.example',
        '--allowed-origin',
        'https://b.example',
        '--retention-days',
        '30',
      ],
      { TELEMETRY_ADMIN_TOKEN: 'secret', DATABASE_URL: 'postgres://db/x' },
    );
    expect(options).toMatchObject({
      ok: true,
      port: 0,
      allowedOrigins: ['https://a.example', 'https://b.example'],
      adminToken: 'secret',
      databaseUrl: 'postgres://db/x',
      retentionDays: 30,
    });
  });

  it('takes --ingest-token, falling back to TELEMETRY_INGEST_TOKEN', () => {
    expect(parseCliOptions(['--ingest-token', 'from-flag'], {})).toMatchObject({
      ingestToken: 'from-flag',
    });
    expect(parseCliOptions([], { TELEMETRY_INGEST_TOKEN: 'from-env' })).toMatchObject({
      ingestToken: 'from-env',
    });
    expect(
      parseCliOptions(['--ingest-token', 'flag-wins'], { TELEMETRY_INGEST_TOKEN: 'env' }),
    ).toMatchObject({ ingestToken: 'flag-wins' });
  });

  it('explains bad options instead of throwing', () => {
    expect(parseCliOptions(['--port', 'http'], {})).toMatchObject({ ok: false });
    expect(parseCliOptions(['--retention-days', '-1'], {})).toMatchObject({ ok: false });
    expect(parseCliOptions(['--frobnicate'], {})).toMatchObject({ ok: false });
  });
});
