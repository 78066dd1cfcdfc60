import { type Collector, createCollector, type EventStore } from 'telemetry-kit-collector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STORE_ENGINES } from './store-engines.js';

const TOKEN = 'manifest upload token';
const NOW = Date.parse('2025-03-10T12:00:00.000Z');
const AUTH = { authorization: `Bearer ${TOKEN}` };

const MANIFEST = {
  library: '@acme/ui',
  version: '2.1.0',
  components: [
    { name: 'Button', props: { variant: ['primary', 'ghost'], disabled: [true, false] } },
    { name: 'OldTabs', deprecated: 'Use Tabs instead.' },
    { name: 'Card', deprecated: false, props: {} },
  ],
};
/** MANIFEST as the collector stores it: props in name order, `deprecated: false` and `{}` gone. */
const STORED = {
  library: '@acme/ui',
  version: '2.1.0',
  components: [
    { name: 'Button', props: { disabled: [true, false], variant: ['primary', 'ghost'] } },
    { name: 'OldTabs', deprecated: 'Use Tabs instead.' },
    { name: 'Card' },
  ],
};

function manifestRequest(
  method: string,
  library: string,
  body?: string,
  headers: Record<string, string> = AUTH,
): Request {
  return new Request(`http://collector.test/v1/manifests/${library}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
}

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`/v1/manifests/:library on ${engine.name}`, () => {
    let store: EventStore;
    let drop: () => Promise<void>;
    let collector: Collector;
    const handle = (request: Request, target = collector) =>
      target.handle(request, { clientAddress: '203.0.113.7' });
    const put = (library: string, body: unknown, headers?: Record<string, string>) =>
      handle(manifestRequest('PUT', library, JSON.stringify(body), headers));

    beforeAll(async () => {
      ({ store, drop } = await engine.open());
      collector = createCollector({
        store,
        adminToken: TOKEN,
        maxBodyBytes: 64_000,
        now: () => NOW,
      });
    }, 60_000);
    afterAll(async () => {
      await collector?.close();
      await drop?.();
    });
    beforeEach(async () => {
      await store.database.query('DELETE FROM telemetry_manifests');
    });

    it('stores a manifest (201), replaces it (200) and answers GET with what was stored', async () => {
      const created = await put('@acme/ui', MANIFEST);
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual(STORED);
      expect(created.headers.get('last-modified')).toBe(new Date(NOW).toUTCString());

      const next = { ...MANIFEST, version: '2.2.0' };
      const replaced = await put('@acme/ui', next);
      expect(replaced.status).toBe(200);
      expect(await replaced.json()).toEqual({ ...STORED, version: '2.2.0' });

      const read = await handle(manifestRequest('GET', '@acme/ui'));
      expect(read.status).toBe(200);
      expect(read.headers.get('content-type')).toMatch(/^application\/json/);
      expect(JSON.stringify(await read.json())).toBe(
        JSON.stringify({ ...STORED, version: '2.2.0' }),
      );
      const rows = await store.database.query<{ n: number; version: string }>(
        'SELECT count(*)::int AS n, max(version) AS version FROM telemetry_manifests',
      );
      expect(rows).toEqual([{ n: 1, version: '2.2.0' }]);
    });

    it('takes a scoped name as is or percent-encoded', async () => {
      expect((await put('%40acme%2Fui', MANIFEST)).status).toBe(201);
      const read = await handle(manifestRequest('GET', '@acme/ui'));
      expect(await read.json()).toEqual(STORED);
    });

    it('answers 404 with JSON for a library with no manifest', async () => {
      const response = await handle(manifestRequest('GET', 'nobody'));
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: 'no_manifest',
        reason: 'no manifest is stored for nobody',
      });
    });

    it('GET /v1/stats carries the manifest report for the library filter, or the only manifest stored', async () => {
      const stats = async (query = '') =>
        (await (
          await handle(new Request(`http://collector.test/v1/stats${query}`, { headers: AUTH }))
        ).json()) as { manifest?: { library: string; never_mounted: string[] } };
      expect((await stats()).manifest).toBeUndefined();
      await put('@acme/ui', MANIFEST);
      const filtered = await stats('?library=%40acme%2Fui');
      expect(filtered.manifest).toMatchObject({ library: '@acme/ui', version: '2.1.0' });
      // Nothing was mounted in this store: every component is never mounted.
      expect(filtered.manifest?.never_mounted).toEqual(['Button', 'OldTabs', 'Card']);
      expect((await stats()).manifest?.library).toBe('@acme/ui');
      expect((await stats('?library=other-ui')).manifest).toBeUndefined();
      await put('other-ui', { ...MANIFEST, library: 'other-ui' });
      // Two manifests and no filter: which one would be a guess; none is shown.
      expect((await stats()).manifest).toBeUndefined();
    });

    it('refuses a body whose library is not the one in the path (400)', async () => {
      const response = await put('@acme/other', MANIFEST);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: 'library_mismatch' });
      expect(await store.database.query('SELECT 1 FROM telemetry_manifests')).toEqual([]);
    });
  });
}

describe('PUT /v1/manifests/:library refuses what it cannot store', () => {
  let store: EventStore;
  let drop: () => Promise<void>;
  let collector: Collector;
  const send = (body: string, headers: Record<string, string> = AUTH) =>
    collector.handle(manifestRequest('PUT', '@acme/ui', body, headers), {
      clientAddress: '203.0.113.7',
    });
  const refusal = async (body: unknown) => {
    const response = await send(typeof body === 'string' ? body : JSON.stringify(body));
    return { status: response.status, body: await response.json() };
  };
  const withComponent = (component: unknown) => ({ ...MANIFEST, components: [component] });

  beforeAll(async () => {
    const engine = STORE_ENGINES[0];
    if (!engine) throw new Error('no engine');
    ({ store, drop } = await engine.open());
    collector = createCollector({ store, adminToken: TOKEN, maxBodyBytes: 64_000 });
  }, 60_000);
  afterAll(async () => {
    await collector?.close();
    await drop?.();
  });

  it('answers 401 without the admin token and 401 with a wrong one, like GET /v1/stats', async () => {
    for (const headers of [{}, { authorization: 'Bearer guess' }]) {
      const response = await send(JSON.stringify(MANIFEST), headers);
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'unauthorised' });
      const read = await collector.handle(manifestRequest('GET', '@acme/ui', undefined, headers), {
        clientAddress: '203.0.113.7',
      });
      expect(read.status).toBe(401);
    }
    expect(await store.database.query('SELECT 1 FROM telemetry_manifests')).toEqual([]);
  });

  it('answers 403 to anyone but loopback when no admin token is configured', async () => {
    const open = createCollector({ store });
    const remote = await open.handle(
      manifestRequest('PUT', '@acme/ui', JSON.stringify(MANIFEST), {}),
      { clientAddress: '203.0.113.7' },
    );
    expect(remote.status).toBe(403);
    expect(await remote.json()).toMatchObject({ error: 'loopback_only' });
    const local = await open.handle(
      new Request('http://localhost/v1/manifests/%40acme%2Fui', {
        method: 'PUT',
        body: JSON.stringify(MANIFEST),
      }),
      { clientAddress: '127.0.0.1' },
    );
    expect(local.status).toBe(201);
    await store.database.query('DELETE FROM telemetry_manifests');
    await open.close();
  });

  it('answers 405 naming GET, HEAD and PUT to other methods', async () => {
    const response = await collector.handle(manifestRequest('POST', '@acme/ui', '{}'), {
      clientAddress: '203.0.113.7',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, HEAD, PUT');
  });

  it('answers 413 to a body over the size limit, before reading all of it', async () => {
    const big = { ...MANIFEST, components: [{ name: 'Button', deprecated: 'x'.repeat(70_000) }] };
    expect(await refusal(big)).toMatchObject({
      status: 413,
      body: { error: 'payload_too_large', reason: 'the body exceeds 64000 bytes' },
    });
  });

  it('answers 400 with the reason for each kind of bad manifest', async () => {
    const cases: [unknown, string, RegExp][] = [
      ['{"library":', 'malformed_json', /not valid JSON/],
      [[], 'invalid_manifest', /^\(root\)/],
      [{ ...MANIFEST, extra: 1 }, 'invalid_manifest', /^extra:/],
      [{ library: '@acme/ui', version: '1.0.0' }, 'invalid_manifest', /^components:/],
      [{ ...MANIFEST, version: '' }, 'invalid_manifest', /^version:/],
      [{ ...MANIFEST, library: 'x'.repeat(201) }, 'invalid_manifest', /^library:/],
      [withComponent({ name: '' }), 'invalid_manifest', /^components\.0\.name:/],
      [withComponent({ name: 'B'.repeat(401) }), 'invalid_manifest', /^components\.0\.name:/],
      [withComponent({ name: 'B', deprecated: 3 }), 'invalid_manifest', /boolean or a message/],
      [withComponent({ name: 'B', props: { size: [] } }), 'invalid_manifest', /at least one/],
      [withComponent({ name: 'B', props: { size: ['sm', 'sm'] } }), 'invalid_manifest', /twice/],
      [withComponent({ name: 'B', props: { size: 'sm' } }), 'invalid_manifest', /props\.size/],
      [
        withComponent({ name: 'B', props: { size: [{}] } }),
        'too_deep',
        /the manifest nests deeper than 5 levels/,
      ],
      [
        withComponent({ name: 'B', props: { size: ['x'.repeat(201)] } }),
        'invalid_manifest',
        /size\.0/,
      ],
      [
        '{"library":"@acme/ui","version":"1","components":[{"name":"B","props":{"__proto__":[1]}}]}',
        'forbidden_key',
        /__proto__/,
      ],
      [
        { ...MANIFEST, components: [{ name: 'B' }, { name: 'B' }] },
        'invalid_manifest',
        /must not name a component twice/,
      ],
      [
        { ...MANIFEST, components: Array.from({ length: 2001 }, (_, i) => ({ name: `C${i}` })) },
        'invalid_manifest',
        /^components:/,
      ],
      [
        withComponent({
          name: 'B',
          props: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, [true]])),
        }),
        'invalid_manifest',
        /^components\.0\.props:/,
      ],
    ];
    for (const [body, error, reason] of cases) {
      const answer = await refusal(body);
      expect(answer, JSON.stringify(body).slice(0, 80)).toMatchObject({
        status: 400,
        body: { error },
      });
      expect(answer.body.reason).toMatch(reason);
    }
    expect(await store.database.query('SELECT 1 FROM telemetry_manifests')).toEqual([]);
  });
});
