import type { TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { EXPORT_PAGE_SIZE } from '../../collector/export-rows.js';
import { ingestRequest, makeBatch, makeEvent, newId, sharedCollector } from './fixtures.js';

/** `GET /v1/export`: raw events by range, streamed as NDJSON or CSV, owner-only. */
const TOKEN = 'export-test-token';
const NOW = Date.parse('2026-12-02T12:00:00.000Z');
const shared = sharedCollector({ adminToken: TOKEN, rateLimit: false, now: () => NOW });
const get = (path: string, token: string | null = TOKEN) =>
  shared.collector.handle(
    new Request(`http://collector.test${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    }),
  );

async function ingest(events: TelemetryEvent[], service = 'shop') {
  for (let i = 0; i < events.length; i += 500) {
    const body = makeBatch(events.slice(i, i + 500), {
      service_name: service,
      sent_at: new Date(NOW).toISOString(),
    });
    const response = await shared.collector.handle(ingestRequest(JSON.stringify(body)));
    expect(response.status).toBe(202);
  }
}

const at = (offsetMs: number) => new Date(NOW - offsetMs).toISOString();

describe('GET /v1/export', () => {
  it('streams every event of the range as NDJSON, oldest first, across pages, none twice', async () => {
    const count = EXPORT_PAGE_SIZE * 2 + 17;
    // Many in the same millisecond: the cursor must not skip or repeat them.
    const events = Array.from({ length: count }, (_, i) =>
      makeEvent({
        id: newId('exp'),
        event_type: 'feature.use',
        timestamp: at(Math.floor(i / 50) * 1_000),
        metadata: { feature: 'export', i },
      }),
    );
    await ingest(events);
    const response = await get('/v1/export?from=2026-12-01&to=2026-12-02');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="telemetry-2026-12-01-2026-12-02.ndjson"',
    );
    const lines = (await response.text()).trimEnd().split('\n');
    const exported = lines.map((line) => JSON.parse(line));
    expect(exported).toHaveLength(count);
    expect(new Set(exported.map((event) => event.id)).size).toBe(count);
    const times = exported.map((event) => Date.parse(event.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(exported[0]).toMatchObject({
      event_type: 'feature.use',
      service_name: 'shop',
      metadata: { feature: 'export' },
      received_at: expect.any(String),
    });
  });

  it('filters by service and event type, and writes CSV with a header, quoted cells and no formulas', async () => {
    await ingest([
      makeEvent({ event_type: 'page.view', timestamp: at(1_000), metadata: { path: '/a' } }),
      makeEvent({
        event_type: 'feature.use',
        timestamp: at(2_000),
        metadata: { feature: '=HYPERLINK("x")', note: 'a, "b"' },
      }),
    ]);
    await ingest([makeEvent({ event_type: 'page.view', timestamp: at(3_000) })], 'admin');
    const ndjson = await (await get('/v1/export?service=admin')).text();
    expect(ndjson.trimEnd().split('\n')).toHaveLength(1);

    const response = await get('/v1/export?format=csv&service=shop&event_type=feature.use');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const [header, row, ...rest] = (await response.text()).split('\r\n');
    expect(header).toBe(
      'id,event_type,timestamp,anonymous_id,session_id,user_id,sampling_rate,service_name,service_version,metadata,context,received_at',
    );
    expect(rest).toEqual(['']);
    expect(row).toContain(',feature.use,');
    // The metadata cell is JSON, quoted, its quotes doubled (jsonb orders keys its own way).
    const metadataCell = row?.match(/,"(\{.*?\})",/)?.[1]?.replaceAll('""', '"');
    expect(JSON.parse(metadataCell ?? 'null')).toEqual({
      feature: '=HYPERLINK("x")',
      note: 'a, "b"',
    });
  });

  it('neutralises a text a spreadsheet would run as a formula', async () => {
    await ingest([makeEvent({ event_type: 'page.view', timestamp: at(1_000) })], '=cmd|x');
    const csv = await (await get('/v1/export?format=csv')).text();
    expect(csv).toContain(",'=cmd|x,");
  });

  it('is the owner’s: 401 without the token; 400 with a reason for bad parameters, never 5xx', async () => {
    expect((await get('/v1/export', null)).status).toBe(401);
    for (const query of [
      'format=xml',
      'from=yesterday',
      'event_type=bad type',
      'event_type=a&event_type=b',
      'library=x',
      'service=a&service=b',
    ]) {
      const response = await get(`/v1/export?${query}`);
      expect(response.status, query).toBe(400);
      expect((await response.json()).reason, query).toEqual(expect.any(String));
    }
  });

  it('an empty range is an empty file (CSV: the header alone)', async () => {
    expect(await (await get('/v1/export')).text()).toBe('');
    const csv = await (await get('/v1/export?format=csv')).text();
    expect(csv.split('\r\n')).toEqual([expect.stringMatching(/^id,event_type,/), '']);
  });
});

describe('GET /v1/subjects/:anonymous_id', () => {
  const subject = 'anon_subject_access_01';
  const open = (method: string) =>
    shared.collector.handle(
      new Request(`http://collector.test/v1/subjects/${subject}`, { method }),
    );

  it("returns the subject's stored events, oldest first, and nothing once deleted", async () => {
    await ingest([
      makeEvent({ anonymous_id: subject, event_type: 'page.view', timestamp: at(2_000) }),
      makeEvent({
        anonymous_id: subject,
        event_type: 'feature.use',
        timestamp: at(1_000),
        metadata: { feature: 'export' },
      }),
      makeEvent({ event_type: 'page.view', timestamp: at(1_500) }),
    ]);
    const response = await open('GET');
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({ anonymous_id: subject, truncated: false });
    expect(body.events.map((event: { event_type: string }) => event.event_type)).toEqual([
      'page.view',
      'feature.use',
    ]);
    expect(body.events[0]).toMatchObject({ anonymous_id: subject, service_name: 'shop' });
    expect((await open('DELETE')).status).toBe(200);
    expect((await (await open('GET')).json()).events).toEqual([]);
  });

  it('refuses a malformed id with 400 and other methods with 405', async () => {
    const bad = await shared.collector.handle(
      new Request('http://collector.test/v1/subjects/not%20an%20id'),
    );
    expect(bad.status).toBe(400);
    expect((await open('PUT')).status).toBe(405);
  });
});
