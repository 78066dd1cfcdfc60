import { createCollector } from 'telemetry-kit-collector';
import { describe, expect, it } from 'vitest';
import { countEvents, ingestRequest, makeBatch, makeEvent, sharedCollector } from './fixtures.js';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example';
const shared = sharedCollector({
  rateLimit: false,
  allowedOrigins: [APP, 'http://localhost:5173/'],
});

const preflight = (
  path: string,
  origin: string,
  method: string,
  extra: Record<string, string> = {},
) =>
  shared.collector.handle(
    new Request(`http://collector.test${path}`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': method, ...extra },
    }),
  );

describe('CORS only for configured origins', () => {
  it('answers the preflight of DELETE for an allowed origin', async () => {
    const response = await preflight('/v1/subjects/anon_12345678', APP, 'DELETE', {
      'access-control-request-private-network': 'true',
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-allow-methods')).toContain('DELETE');
    expect(response.headers.get('access-control-allow-private-network')).toBe('true');
  });

  it('refuses the preflight of an origin not configured', async () => {
    const response = await preflight('/v1/events', EVIL, 'POST');
    expect(response.status).toBe(403);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('matches configured origins by scheme, host and port (a trailing slash is forgiven)', async () => {
    expect((await preflight('/v1/events', 'http://localhost:5173', 'POST')).status).toBe(204);
    expect((await preflight('/v1/events', 'http://localhost:5174', 'POST')).status).toBe(403);
  });

  it('stores a simple text/plain POST from an allowed origin and lets the page read the answer', async () => {
    const response = await shared.collector.handle(
      ingestRequest(JSON.stringify(makeBatch([makeEvent()])), { origin: APP }),
    );
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(response.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect(await countEvents(shared.store)).toBe(1);
  });

  it('refuses a simple POST from another origin: no preflight protects it, so nothing is stored', async () => {
    const response = await shared.collector.handle(
      ingestRequest(JSON.stringify(makeBatch([makeEvent()])), { origin: EVIL }),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'origin_not_allowed' });
    expect(await countEvents(shared.store)).toBe(0);
  });

  it('accepts requests without an Origin (servers, curl): CORS protects browsers', async () => {
    const response = await shared.collector.handle(
      ingestRequest(JSON.stringify(makeBatch([makeEvent()]))),
    );
    expect(response.status).toBe(202);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('DELETE /v1/subjects/:anonymous_id honours deletion requests', () => {
  const forget = (anonymousId: string, origin = APP) =>
    shared.collector.handle(
      new Request(`http://collector.test/v1/subjects/${anonymousId}`, {
        method: 'DELETE',
        headers: { origin },
      }),
    );

  it("deletes that subject's events and nobody else's", async () => {
    const events = [
      makeEvent({ anonymous_id: 'anon_forget_me_0001' }),
      makeEvent({ anonymous_id: 'anon_forget_me_0001' }),
      makeEvent({ anonymous_id: 'anon_keep_me_000001' }),
    ];
    await shared.collector.handle(ingestRequest(JSON.stringify(makeBatch(events))));
    const response = await forget('anon_forget_me_0001');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 2 });
    expect(response.headers.get('access-control-allow-origin')).toBe(APP);
    expect(await countEvents(shared.store, 'anon_forget_me_0001')).toBe(0);
    expect(await countEvents(shared.store, 'anon_keep_me_000001')).toBe(1);
  });

  it('answers 200 with deleted: 0 for an unknown subject (deletion is idempotent)', async () => {
    const response = await forget('anon_never_seen_001');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: 0 });
  });

  it('refuses deletion from an origin not configured', async () => {
    await shared.collector.handle(
      ingestRequest(
        JSON.stringify(makeBatch([makeEvent({ anonymous_id: 'anon_forget_me_0002' })])),
      ),
    );
    expect((await forget('anon_forget_me_0002', EVIL)).status).toBe(403);
    expect(await countEvents(shared.store, 'anon_forget_me_0002')).toBe(1);
  });

  it('follows a custom endpoint path: /collect/events deletes at /collect/subjects/:id', async () => {
    const custom = createCollector({
      store: shared.store,
      rateLimit: false,
      endpointPath: '/collect/events',
    });
    await custom.handle(
      ingestRequest(
        JSON.stringify(makeBatch([makeEvent({ anonymous_id: 'anon_custom_path_01' })])),
        {},
        'http://collector.test/collect/events',
      ),
    );
    const response = await custom.handle(
      new Request('http://collector.test/collect/subjects/anon_custom_path_01', {
        method: 'DELETE',
      }),
    );
    expect(await response.json()).toEqual({ deleted: 1 });
    await custom.close();
  });
});
