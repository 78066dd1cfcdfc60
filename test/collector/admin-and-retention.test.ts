import { createCollector } from 'telemetry-kit-collector';
import { describe, expect, it } from 'vitest';
import { EXPECTED, exampleEvents, XSS } from './example-dataset.js';
import { countEvents, ingestRequest, makeBatch, makeEvent, sharedCollector } from './fixtures.js';

const TOKEN = 'correct horse battery staple';
const DAY = 86_400_000;
const shared = sharedCollector({ adminToken: TOKEN, rateLimit: false });

const get = (
  path: string,
  headers: Record<string, string> = {},
  target = shared.collector,
  clientAddress = '203.0.113.10',
) => target.handle(new Request(`http://collector.test${path}`, { headers }), { clientAddress });

const signIn = (token: string, origin = 'http://collector.test', target = shared.collector) =>
  target.handle(
    new Request('http://collector.test/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
      body: new URLSearchParams({ token }).toString(),
    }),
    { clientAddress: '203.0.113.10' },
  );

describe('the dashboard and GET /v1/stats are for the owner only', () => {
  it('answers 401 without a token: a sign-in form for the page, JSON for the API', async () => {
    const page = await get('/');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('name="token"');
    const api = await get('/v1/stats');
    expect(api.status).toBe(401);
    expect(await api.json()).toMatchObject({ error: 'unauthorised' });
  });

  it('answers 401 to a wrong bearer token, 200 to the right one', async () => {
    expect((await get('/v1/stats', { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await get('/v1/stats', { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await get('/v1/stats', { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });

  it('signs in through the form with an HttpOnly, SameSite=Strict cookie that is not the token', async () => {
    const response = await signIn(TOKEN);
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).not.toContain(encodeURIComponent(TOKEN));
    expect(cookie).not.toContain(TOKEN);
    const session = cookie.split(';')[0] ?? '';
    const page = await get('/', { cookie: session });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('refuses a wrong token in the form (401) and a forged cookie', async () => {
    const response = await signIn('guess');
    expect(response.status).toBe(401);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(await response.text()).toContain('not right');
    expect((await get('/', { cookie: 'telemetry_kit_admin=forged' })).status).toBe(401);
  });

  it('refuses a sign-in form posted from another site', async () => {
    expect((await signIn(TOKEN, 'https://evil.example')).status).toBe(403);
  });

  it('limits sign-in guesses per client', async () => {
    const guarded = createCollector({ store: shared.store, adminToken: TOKEN });
    const statuses = [];
    for (let i = 0; i < 12; i += 1) {
      statuses.push((await signIn(`guess ${i}`, 'http://collector.test', guarded)).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    await guarded.close();
  });

  it('without a token, answers only loopback connections that name a loopback host', async () => {
    const open = createCollector({ store: shared.store, rateLimit: false });
    expect(
      (
        await open.handle(new Request('http://127.0.0.1:4318/v1/stats'), {
          clientAddress: '127.0.0.1',
        })
      ).status,
    ).toBe(200);
    expect(
      (await open.handle(new Request('http://localhost:4318/'), { clientAddress: '::1' })).status,
    ).toBe(200);
    expect(
      (
        await open.handle(new Request('http://collector.example/v1/stats'), {
          clientAddress: '192.0.2.1',
        })
      ).status,
    ).toBe(403);
    // DNS rebinding: a page on rebind.example resolved to 127.0.0.1 still sends its own Host.
    expect(
      (
        await open.handle(new Request('http://rebind.example:4318/v1/stats'), {
          clientAddress: '127.0.0.1',
        })
      ).status,
    ).toBe(403);
    await open.close();
  });
});

describe('GET /v1/stats', () => {
  const auth = { authorization: `Bearer ${TOKEN}` };

  it('returns the dashboard figures as JSON for the range', async () => {
    await shared.collector.handle(
      ingestRequest(JSON.stringify(makeBatch(exampleEvents(Date.now())))),
    );
    const response = await get('/v1/stats', auth);
    const stats = await response.json();
    expect(stats.totals).toMatchObject({
      installs: EXPECTED.installs,
      page_views: EXPECTED.pageViews,
    });
    const narrow = await (
      await get(`/v1/stats?from=${new Date(Date.now() - 2 * DAY).toISOString().slice(0, 10)}`, auth)
    ).json();
    expect(narrow.totals.page_views).toBe(EXPECTED.pageViews - 1);
  });

  it('answers 400 to a range it cannot read', async () => {
    for (const query of [
      'from=yesterday',
      'to=2026-02-30x',
      'from=2026-02-01&to=2026-01-01',
      'from=2000-01-01&to=2026-01-01',
    ]) {
      const response = await get(`/v1/stats?${query}`, auth);
      expect(response.status, query).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'invalid_range' });
    }
  });

  it('escapes every user-supplied string in the dashboard', async () => {
    await shared.collector.handle(
      ingestRequest(JSON.stringify(makeBatch(exampleEvents(Date.now())))),
    );
    const page = await (await get('/', auth)).text();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('<img src=x');
    expect(page).toContain('&lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;');
    expect(XSS).toContain('<script>');
  });
});

describe('retention', () => {
  it('deleteExpired() removes events older than --retention-days and keeps the rest', async () => {
    let now = Date.now();
    const aging = createCollector({
      store: shared.store,
      retentionDays: 30,
      rateLimit: false,
      now: () => now,
    });
    await aging.handle(
      ingestRequest(
        JSON.stringify(
          makeBatch([
            makeEvent({ timestamp: new Date(now - 20 * DAY).toISOString() }),
            makeEvent({ timestamp: new Date(now - 5 * DAY).toISOString() }),
          ]),
        ),
      ),
    );
    expect(await countEvents(shared.store)).toBe(2);
    expect(await aging.deleteExpired()).toBe(0);
    now += 15 * DAY;
    expect(await aging.deleteExpired()).toBe(1);
    expect(await countEvents(shared.store)).toBe(1);
    await aging.close();
  });

  it('runs once when the store is ready, without keeping the process alive', async () => {
    const now = Date.now();
    await shared.store.insertBatch(
      { service_name: 'a', service_version: '1', consent_policy_version: 1 },
      [makeEvent({ timestamp: new Date(now - 50 * DAY).toISOString() }), makeEvent()],
      {},
    );
    const fresh = createCollector({ store: shared.store, retentionDays: 30 });
    expect(await fresh.ready()).toEqual({ ok: true, storeKind: 'pglite' });
    await expect.poll(() => countEvents(shared.store)).toBe(1);
    await fresh.close();
  });

  it('refuses events already older than the retention period', async () => {
    const response = await shared.collector.handle(
      ingestRequest(
        JSON.stringify(
          makeBatch([makeEvent({ timestamp: new Date(Date.now() - 401 * DAY).toISOString() })]),
        ),
      ),
    );
    expect(response.status).toBe(400);
    expect((await response.json()).rejected[0].reason).toMatch(/retention/);
  });
});
