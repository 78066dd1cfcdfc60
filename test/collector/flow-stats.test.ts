import type { TelemetryEvent } from 'telemetry-kit';
import { describe, expect, it } from 'vitest';
import { ingestRequest, makeBatch, makeEvent, newId, sharedCollector } from './fixtures.js';

/** `flows` in GET /v1/stats and the dashboard's flows panel, from flow.start / flow.end events. */
const TOKEN = 'flows-test-token';
const shared = sharedCollector({ adminToken: TOKEN, rateLimit: false });
const auth = { authorization: `Bearer ${TOKEN}` };
const get = (path: string) =>
  shared.collector.handle(new Request(`http://collector.test${path}`, { headers: auth }));

/** One flow's events: its start and, unless `outcome` is null, its end after `ms`. */
function flow(
  name: string,
  outcome: string | null,
  ms: unknown,
  extra: Partial<TelemetryEvent> = {},
): TelemetryEvent[] {
  const correlation = newId('flow');
  const start = makeEvent({
    event_type: 'flow.start',
    metadata: { flow: name, correlation_id: correlation },
    ...extra,
  });
  if (outcome === null) return [start];
  return [
    start,
    makeEvent({
      event_type: 'flow.end',
      metadata: { flow: name, correlation_id: correlation, outcome, duration_ms: ms as number },
      ...extra,
    }),
  ];
}

async function ingest(events: TelemetryEvent[], service = 'demo-app') {
  const body = JSON.stringify(makeBatch(events, { service_name: service }));
  expect((await shared.collector.handle(ingestRequest(body))).status).toBe(202);
}

/**
 * A duration percentile as the dashboard's whole-day ranges read it: from the rollups'
 * histograms, within 2 % of the exact one (collector/rollups/histogram.ts).
 */
const nearly = (ms: number) => expect.closeTo(ms, -Math.log10(ms * 0.04));

describe('GET /v1/stats: flows', () => {
  it('counts starts and outcomes per flow, with success rate and p50 / p95 durations', async () => {
    await ingest([
      ...flow('export', 'success', 100),
      ...flow('export', 'success', 200),
      ...flow('export', 'success', 300),
      ...flow('export', 'failure', 1_000),
      ...flow('export', 'abandoned', 5_000),
      ...flow('export', null, null),
      ...flow('import', 'cancelled', 50),
      // Sampled at 50 %: each stands for two.
      ...flow('import', 'success', 150, { sampling_rate: 0.5 }),
    ]);
    const stats = await (await get('/v1/stats')).json();
    expect(stats.flows).toEqual([
      {
        flow: 'export',
        started: 6,
        succeeded: 3,
        failed: 1,
        cancelled: 0,
        abandoned: 1,
        success_rate: 0.5,
        p50_ms: nearly(300),
        p95_ms: nearly(4_200),
        // p95 of 100, 200, 300, 1000, 5000: 1000 + 0.8 × 4000.
      },
      {
        flow: 'import',
        started: 3,
        succeeded: 2,
        failed: 0,
        cancelled: 1,
        abandoned: 0,
        success_rate: expect.closeTo(2 / 3, 5),
        p50_ms: nearly(100),
        p95_ms: nearly(145),
      },
    ]);
  });

  it('takes the service filter, and survives a duration that is no number', async () => {
    await ingest([...flow('checkout', 'success', 'soon'), ...flow('checkout', 'failure', 80)]);
    await ingest(flow('checkout', 'success', 10), 'other-app');
    const response = await get('/v1/stats?service=demo-app');
    expect(response.status).toBe(200);
    const stats = await response.json();
    expect(stats.flows).toEqual([
      expect.objectContaining({
        flow: 'checkout',
        started: 2,
        succeeded: 1,
        failed: 1,
        p50_ms: nearly(80),
        p95_ms: nearly(80),
      }),
    ]);
    const other = await (await get('/v1/stats?service=other-app')).json();
    expect(other.flows).toEqual([expect.objectContaining({ started: 1, success_rate: 1 })]);
  });

  it('has no flows without flow events, and the dashboard says so', async () => {
    await ingest([makeEvent()]);
    expect((await (await get('/v1/stats')).json()).flows).toEqual([]);
    const page = await (await get('/')).text();
    expect(page).toContain('No flow events in this range.');
  });

  it('shows each flow on the dashboard: outcomes, success rate, durations, abandoned share', async () => {
    await ingest([
      ...flow('export', 'success', 1_500),
      ...flow('export', 'abandoned', 20_000),
      ...flow('export', 'failure', 400),
      ...flow('export', null, null),
    ]);
    const page = await (await get('/')).text();
    const section = page.slice(page.indexOf('data-panel="flows"'));
    const row = section.slice(section.indexOf('<tbody>'), section.indexOf('</tbody>'));
    const cells = [...row.matchAll(/<td>(.*?)<\/td>/g)].map((match) =>
      (match[1] ?? '').replace(/<[^>]+>/g, ''),
    );
    expect(cells).toEqual(['export', '4', '1', '1', '0', '1', '25 %', '2 s', '18 s', '25 %']);
  });
});
