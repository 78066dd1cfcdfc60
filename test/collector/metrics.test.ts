import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import {
  type Collector,
  type CollectorOptions,
  createCollector,
  type EventStore,
} from 'telemetry-kit-collector';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderPrometheusText } from '../../collector/prometheus-text.js';
import { emptyStore, ingestRequest, makeBatch, makeEvent, memoryStore } from './fixtures.js';

const TOKEN = 'metrics-owner-token';
const OWNER = { authorization: `Bearer ${TOKEN}` };
const CLIENT = { clientAddress: '203.0.113.20' };

let store: EventStore;
let collector: Collector;
beforeAll(async () => {
  store = await memoryStore();
}, 30_000);
afterAll(() => store.close());
beforeEach(() => emptyStore(store));
afterEach(() => collector.close());

/** A fresh collector per test, so every counter starts at zero. */
function start(options: Omit<CollectorOptions, 'store'> = {}, target: EventStore = store) {
  collector = createCollector({ adminToken: TOKEN, rateLimit: false, ...options, store: target });
  return collector;
}

const get = (path: string, headers: Record<string, string> = {}) =>
  collector.handle(new Request(`http://collector.test${path}`, { headers }), CLIENT);
const ingest = (body: unknown) => collector.handle(ingestRequest(JSON.stringify(body)), CLIENT);

async function scrapeText(): Promise<string> {
  const response = await get('/metrics', OWNER);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  const text = await response.text();
  expectWellFormed(text);
  return text;
}

const scrape = async () => parsePrometheusTextFormat(await scrapeText());

/**
 * A histogram's lines one by one (`_bucket`, `_sum`, `_count` as their own families): the parser
 * reads a histogram with labels besides `le` as one series, so its lines are read untyped.
 */
function histogramLines(text: string, name: string): ParsedFamily[] {
  // Grouped by line name (stable, so buckets keep their order): a family per name.
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith(`${name}_`))
    .sort((a, b) => lineName(a).localeCompare(lineName(b)));
  return parsePrometheusTextFormat(`${lines.join('\n')}\n`);
}

/** Every line is a comment of the format or `name{labels} value`, as Prometheus reads them. */
function expectWellFormed(text: string) {
  expect(text.endsWith('\n')).toBe(true);
  const sample =
    /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\["\\n])*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN)$/;
  for (const line of text.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(sample);
  }
}

const lineName = (line: string) => line.split(/[{ ]/)[0] ?? '';

function family(families: ParsedFamily[], name: string): ParsedFamily {
  const found = families.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no ${name} in /metrics`);
  return found;
}

function value(families: ParsedFamily[], name: string, labels: Record<string, string> = {}) {
  const sample = family(families, name).metrics.find((metric) =>
    Object.entries(labels).every(([key, wanted]) => metric.labels?.[key] === wanted),
  );
  return sample === undefined ? undefined : Number(sample.value);
}

describe('GET /metrics is for the owner only, like /v1/stats', () => {
  it('answers 401 without the admin token and 200 with it', async () => {
    start();
    const anonymous = await get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'unauthorised' });
    expect((await get('/metrics', { authorization: 'Bearer guess' })).status).toBe(401);
    expect((await get('/metrics', OWNER)).status).toBe(200);
  });

  it('answers only loopback when no admin token is configured', async () => {
    collector = createCollector({ rateLimit: false, store });
    const remote = await collector.handle(new Request('http://collector.test/metrics'), CLIENT);
    expect(remote.status).toBe(403);
    const local = await collector.handle(new Request('http://127.0.0.1:4318/metrics'), {
      clientAddress: '127.0.0.1',
    });
    expect(local.status).toBe(200);
  });

  it('refuses methods other than GET and HEAD', async () => {
    start();
    const response = await collector.handle(
      new Request('http://collector.test/metrics', { method: 'POST', headers: OWNER }),
      CLIENT,
    );
    expect(response.status).toBe(405);
  });
});

describe('the Prometheus text a parser reads', () => {
  it('counts events by result: accepted, duplicate, rejected', async () => {
    start();
    const before = await scrape();
    for (const result of ['accepted', 'duplicate', 'rejected']) {
      expect(value(before, 'telemetry_kit_events_total', { result })).toBe(0);
    }
    const batch = makeBatch([makeEvent(), makeEvent(), makeEvent({ timestamp: 'yesterday' })]);
    expect((await ingest(batch)).status).toBe(202);
    expect((await ingest(batch)).status).toBe(202);
    expect((await ingest(makeBatch([{ nope: true }]))).status).toBe(400);
    const after = await scrape();
    expect(family(after, 'telemetry_kit_events_total').type).toBe('COUNTER');
    expect(value(after, 'telemetry_kit_events_total', { result: 'accepted' })).toBe(2);
    expect(value(after, 'telemetry_kit_events_total', { result: 'duplicate' })).toBe(2);
    expect(value(after, 'telemetry_kit_events_total', { result: 'rejected' })).toBe(3);
  });

  it('counts requests by route template and status, never by raw path', async () => {
    start();
    await ingest(makeBatch([makeEvent()]));
    await ingest(makeBatch([makeEvent()]));
    await collector.handle(
      new Request('http://collector.test/v1/subjects/anon_default_000001', { method: 'DELETE' }),
      CLIENT,
    );
    await get('/wp-login.php');
    await get('/.env');
    await get('/v1/stats');
    const families = await scrape();
    const requests = (route: string, status: string) =>
      value(families, 'telemetry_kit_http_requests_total', { route, status });
    expect(requests('/v1/events', '202')).toBe(2);
    expect(requests('/v1/subjects/:anonymous_id', '200')).toBe(1);
    expect(requests('unmatched', '404')).toBe(2);
    expect(requests('/v1/stats', '401')).toBe(1);
    const routes = family(families, 'telemetry_kit_http_requests_total').metrics.map(
      (metric) => metric.labels?.route,
    );
    expect(routes).not.toContain('/wp-login.php');
    expect(routes).not.toContain('/v1/subjects/anon_default_000001');
  });

  it('keeps a request-duration histogram per route whose count is the requests answered', async () => {
    start();
    for (let i = 0; i < 3; i += 1) await ingest(makeBatch([makeEvent()]));
    await get('/healthz');
    const text = await scrapeText();
    const name = 'telemetry_kit_http_request_duration_seconds';
    expect(family(parsePrometheusTextFormat(text), name).type).toBe('HISTOGRAM');
    const lines = histogramLines(text, name);
    const ingestRoute = { route: '/v1/events' };
    const buckets = family(lines, `${name}_bucket`).metrics.filter(
      (metric) => metric.labels?.route === '/v1/events',
    );
    expect(buckets.at(-1)?.labels?.le).toBe('+Inf');
    expect(buckets.at(-1)?.value).toBe('3');
    // Cumulative: each bucket holds at least the one below it.
    const counts = buckets.map((bucket) => Number(bucket.value));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(value(lines, `${name}_count`, ingestRoute)).toBe(3);
    expect(value(lines, `${name}_sum`, ingestRoute)).toBeGreaterThan(0);
    expect(value(lines, `${name}_count`, { route: '/healthz' })).toBe(1);
  });

  it('counts store errors, each answered 503', async () => {
    const failing: EventStore = {
      ...store,
      insertBatch: () => Promise.reject(new Error('disk full')),
    };
    start({ onError: () => {} }, failing);
    expect(value(await scrape(), 'telemetry_kit_store_errors_total')).toBe(0);
    expect((await ingest(makeBatch([makeEvent()]))).status).toBe(503);
    expect((await ingest(makeBatch([makeEvent()]))).status).toBe(503);
    const families = await scrape();
    expect(value(families, 'telemetry_kit_store_errors_total')).toBe(2);
    expect(value(families, 'telemetry_kit_events_total', { result: 'accepted' })).toBe(0);
  });

  it("reports the process's basics under the usual names", async () => {
    start();
    const families = await scrape();
    expect(value(families, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value(families, 'process_resident_memory_bytes')).toBeGreaterThan(1_000_000);
    const started = value(families, 'process_start_time_seconds') ?? 0;
    expect(Math.abs(started - (Date.now() / 1000 - process.uptime()))).toBeLessThan(2);
    expect(value(families, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(family(families, 'nodejs_version_info').metrics[0]?.labels?.version).toBe(
      process.version,
    );
  });
});

describe('renderPrometheusText', () => {
  it('escapes label values and help so a parser reads them back unchanged', () => {
    const tricky = 'C:\\dir\\"quoted"\nsecond line';
    const text = renderPrometheusText([
      {
        name: 'odd_values',
        help: 'Help with a \\ backslash\nand a line feed.',
        type: 'gauge',
        samples: [
          { labels: { path: tricky }, value: 1.5 },
          { labels: { path: 'inf' }, value: Number.POSITIVE_INFINITY },
          { labels: { path: 'nan' }, value: Number.NaN },
        ],
      },
    ]);
    expectWellFormed(text);
    const [parsed] = parsePrometheusTextFormat(text);
    expect(parsed?.help).toBe('Help with a \\ backslash\nand a line feed.');
    expect(parsed?.metrics.map((metric) => [metric.labels?.path, metric.value])).toEqual([
      [tricky, '1.5'],
      ['inf', '+Inf'],
      ['nan', 'NaN'],
    ]);
  });
});
