import { describe, expect, it } from 'vitest';
import { countEvents, ingestRequest, makeBatch, sharedCollector } from './fixtures.js';
import { ACME, ADMIN, CHARTS, LIBRARY_NOW, libraryBatches, SHOP } from './library-dataset.js';

/** `?service=` and `?library=` over HTTP: validated, echoed, never a 5xx. */
const TOKEN = 'filters-test-token';
const shared = sharedCollector({ adminToken: TOKEN, rateLimit: false, now: () => LIBRARY_NOW });
const auth = { authorization: `Bearer ${TOKEN}` };
const get = (path: string) =>
  shared.collector.handle(new Request(`http://collector.test${path}`, { headers: auth }));

async function ingestLibraryData(): Promise<void> {
  for (const batch of libraryBatches()) {
    const body = makeBatch(batch.events, {
      service_name: batch.origin.service_name,
      dropped: batch.dropped,
      // Sent when the collector's clock says it is: no device clock skew to correct.
      sent_at: new Date(LIBRARY_NOW).toISOString(),
    });
    expect((await shared.collector.handle(ingestRequest(JSON.stringify(body)))).status).toBe(202);
  }
}

describe('GET /v1/stats?service=&library=', () => {
  it('applies the filters and echoes them', async () => {
    await ingestLibraryData();
    const query = new URLSearchParams({ service: ADMIN, library: ACME });
    const response = await get(`/v1/stats?${query}`);
    expect(response.status).toBe(200);
    const stats = await response.json();
    expect(stats.filters).toEqual({ service: ADMIN, library: ACME });
    expect(stats.seen).toEqual({ services: [ADMIN, SHOP], libraries: [ACME, CHARTS] });
    expect(stats.totals).toMatchObject({ events: 3, installs: 1 });
    expect(stats.components.map((c: { component: string }) => c.component)).toEqual([
      'Table',
      'Button',
      'Table',
    ]);
    const all = await (await get('/v1/stats?service=&library=')).json();
    expect(all.filters).toEqual({ service: null, library: null });
    expect(all.totals.events).toBe(17);
  });

  it('answers 400 invalid_filter with a reason to filters it cannot use, on the API and the page', async () => {
    const bad = [
      `service=${'s'.repeat(201)}`,
      `library=${'l'.repeat(201)}`,
      'service=a&service=b',
      'library=a&library=',
      'service=shop%00web',
      'library=%00',
    ];
    for (const query of bad) {
      for (const path of ['/v1/stats', '/']) {
        const response = await get(`${path}?${query}`);
        expect(response.status, `${path}?${query}`).toBe(400);
        const body = await response.json();
        expect(body.error).toBe('invalid_filter');
        expect(body.reason).toMatch(/`(service|library)`/);
      }
    }
  });

  it('takes any other text as a filter that matches nothing stored, never a 5xx', async () => {
    await ingestLibraryData();
    const odd = [
      "'); DROP TABLE telemetry_events; --",
      '%',
      '_',
      '\\',
      '😀',
      '\uFFFD',
      ` ${SHOP}`,
      's'.repeat(200),
    ];
    for (const value of odd) {
      for (const name of ['service', 'library']) {
        const query = new URLSearchParams({ [name]: value });
        const response = await get(`/v1/stats?${query}`);
        expect(response.status, `${name}=${value}`).toBe(200);
        const stats = await response.json();
        expect(stats.filters[name]).toBe(value);
        expect(stats.totals.events).toBe(0);
        expect((await get(`/?${query}`)).status).toBe(200);
      }
    }
    // A percent-encoding that is not UTF-8 decodes to U+FFFD, which nothing stored matches.
    expect((await get('/v1/stats?library=%E0%A4')).status).toBe(200);
    expect(await countEvents(shared.store)).toBe(17);
  });
});
