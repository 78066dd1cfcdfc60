import type { LogRecord as ApiLogRecord } from '@opentelemetry/api-logs';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { ProtobufLogsSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from '@opentelemetry/sdk-logs';
import type { TelemetryBatch } from 'telemetry-kit';
import { createOtlpTransport } from 'telemetry-kit/transports';
import {
  type Collector,
  createCollector,
  type EventStore,
  listen,
  type RunningServer,
} from 'telemetry-kit-collector';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { countEvents, emptyStore, makeBatch, makeEvent, memoryStore } from './fixtures.js';
import {
  CONSENTED_RESOURCE,
  INGEST_TOKEN,
  keyValues,
  logRecord,
  logsPost,
  logsRequest,
} from './otlp-fixtures.js';

const ADMIN_TOKEN = 'otlp-owner-token';
const OWNER = { authorization: `Bearer ${ADMIN_TOKEN}` };

let store: EventStore;
let collector: Collector;
let server: RunningServer;
beforeAll(async () => {
  store = await memoryStore();
  collector = createCollector({
    store,
    ingestToken: INGEST_TOKEN,
    adminToken: ADMIN_TOKEN,
    rateLimit: false,
  });
  server = await listen(collector, { host: '127.0.0.1', port: 0 });
}, 30_000);
afterAll(async () => {
  await server.close();
  await collector.close();
  await store.close();
});
beforeEach(() => emptyStore(store));

type ExporterKind = 'json' | 'protobuf';

/** The real OpenTelemetry JS exporter of either encoding, pointed at this collector. */
function exporter(
  kind: ExporterKind,
  options: { token?: string | null; gzip?: boolean } = {},
): LogRecordExporter {
  const token = options.token === undefined ? INGEST_TOKEN : options.token;
  const config = {
    url: `${server.url}/v1/logs`,
    headers: token === null ? {} : { Authorization: `Bearer ${token}` },
    compression: (options.gzip ? 'gzip' : 'none') as never,
  };
  return kind === 'json' ? new JsonLogExporter(config) : new ProtobufLogExporter(config);
}

/**
 * Records as the SDK makes them: a LoggerProvider with this resource emits them into memory,
 * so the same records can be exported (and re-exported) by the exporter under test.
 */
async function sdkRecords(
  records: ApiLogRecord[],
  resource: Record<string, string | number> = CONSENTED_RESOURCE,
): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes(resource),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger('billing', '1.0.0');
  for (const record of records) logger.emit(record);
  await provider.forceFlush();
  const finished = [...memory.getFinishedLogRecords()];
  await provider.shutdown();
  return finished;
}

/** Exports once; resolves with the exporter's own verdict (code 0 is SUCCESS). */
function exportWith(target: LogRecordExporter, records: ReadableLogRecord[]) {
  return new Promise<{ code: number; error?: Error & { code?: number } }>((resolve) =>
    target.export(records, (result) => resolve(result as never)),
  );
}

const stats = async (query = '') => {
  const response = await fetch(`${server.url}/v1/stats${query}`, { headers: OWNER });
  expect(response.status).toBe(200);
  return response.json();
};

// A type, not an interface: query rows must be assignable to SqlRow.
type StoredRow = {
  id: string;
  event_type: string;
  anonymous_id: string;
  session_id: string;
  user_id: string | null;
  service_name: string;
  service_version: string;
  consent_policy_version: number;
  sampling_rate: number | null;
  metadata: Record<string, unknown>;
  context: Record<string, unknown>;
  occurred_at: Date | string;
};

const rows = () =>
  store.database.query<StoredRow>('SELECT * FROM telemetry_events ORDER BY occurred_at, id');

const backendEvents: ApiLogRecord[] = [
  {
    eventName: 'test_run.created',
    body: { suite: 'smoke', runs: 3, tags: ['fast', 'ci'], owner: { team: 'qa' } },
    attributes: { 'enduser.pseudo.id': 'pseudo_user_0001', 'session.id': 'session_00001' },
  },
  {
    eventName: 'feature.use',
    body: { feature: 'export' },
    attributes: { 'enduser.pseudo.id': 'pseudo_user_0002' },
  },
];

describe('POST /v1/logs from the OpenTelemetry JS SDK', () => {
  for (const kind of ['json', 'protobuf'] as const) {
    for (const gzip of [false, true]) {
      it(`stores what the ${kind} exporter sends${gzip ? ' gzip-compressed' : ''}, mapped to events`, async () => {
        const result = await exportWith(exporter(kind, { gzip }), await sdkRecords(backendEvents));
        expect(result.error).toBeUndefined();
        expect(result.code).toBe(0);
        const stored = await rows();
        expect(stored).toHaveLength(2);
        const created = stored.find((row) => row.event_type === 'test_run.created');
        expect(created).toMatchObject({
          service_name: 'billing-api',
          service_version: '3.4.0',
          consent_policy_version: 2,
          anonymous_id: 'pseudo_user_0001',
          session_id: 'session_00001',
          user_id: null,
          metadata: { suite: 'smoke', runs: 3, tags: ['fast', 'ci'], owner: { team: 'qa' } },
        });
        const used = stored.find((row) => row.event_type === 'feature.use');
        // No session.id: the anonymous id stands in, so session counts stay per user.
        expect(used).toMatchObject({
          anonymous_id: 'pseudo_user_0002',
          session_id: 'pseudo_user_0002',
        });
        for (const row of stored) expect(row.id).toMatch(/^[\w-]{8,64}$/);
      });
    }
  }

  it('shows the events in /v1/stats and on the dashboard under their service.name', async () => {
    const result = await exportWith(exporter('protobuf'), await sdkRecords(backendEvents));
    expect(result.code).toBe(0);
    const figures = await stats('?service=billing-api');
    expect(figures.seen.services).toContain('billing-api');
    expect(figures.totals.events).toBe(2);
    expect(figures.totals.installs).toBe(2);
    expect(figures.features).toEqual([
      expect.objectContaining({ feature: 'export', uses: 1, installs: 1 }),
    ]);
    const page = await fetch(`${server.url}/?service=billing-api`, { headers: OWNER });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('billing-api');
    expect(html).toContain('export');
  });

  it('stores a resend once: by log.record.uid, and by the hash of a record without one', async () => {
    const records = await sdkRecords([
      { ...backendEvents[0], attributes: { 'log.record.uid': '01JD6Q4VYB2M7R9W3H5K8N0PZT' } },
      backendEvents[1] as ApiLogRecord,
    ]);
    const duplicatesBefore = await metric('telemetry_kit_events_total{result="duplicate"}');
    for (const kind of ['json', 'json', 'protobuf', 'protobuf'] as const) {
      expect((await exportWith(exporter(kind), records)).code).toBe(0);
    }
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored.map((row) => row.id)).toContain('01JD6Q4VYB2M7R9W3H5K8N0PZT');
    // The first export stores both; each of the three resends (in either encoding) is two.
    const duplicates = await metric('telemetry_kit_events_total{result="duplicate"}');
    expect(duplicates - duplicatesBefore).toBe(6);
  });

  it('keeps two records that differ only in their time apart', async () => {
    const at = (ms: number) => ({ ...backendEvents[1], timestamp: ms }) as ApiLogRecord;
    const now = Date.now();
    await exportWith(exporter('json'), await sdkRecords([at(now), at(now + 1)]));
    expect(await countEvents(store)).toBe(2);
  });

  it('answers 401 to an exporter without the ingest token or with a wrong one, and stores nothing', async () => {
    const records = await sdkRecords(backendEvents);
    for (const kind of ['json', 'protobuf'] as const) {
      for (const token of [null, 'wrong-token', ADMIN_TOKEN]) {
        const result = await exportWith(exporter(kind, { token }), records);
        expect(result.code).toBe(1);
        expect(result.error?.code).toBe(401);
      }
    }
    expect(await countEvents(store)).toBe(0);
    const response = await fetch(
      logsPost(server.url, JSON.stringify(logsRequest([logRecord()])), {
        authorization: '',
      }),
    );
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthorised' });
  });
});

async function metric(line: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`, { headers: OWNER })).text();
  const found = text.split('\n').find((candidate) => candidate.startsWith(`${line} `));
  return Number(found?.split(' ')[1] ?? Number.NaN);
}

describe('consent and identity', () => {
  it('rejects the records of a resource without telemetry_kit.consent.policy_version in partialSuccess', async () => {
    const consented = logsRequest([logRecord()]);
    const unconsented = logsRequest([logRecord(), logRecord()], { 'service.name': 'jobs' });
    const body = {
      resourceLogs: [
        ...(consented.resourceLogs as unknown[]),
        ...(unconsented.resourceLogs as unknown[]),
      ],
    };
    const response = await fetch(logsPost(server.url, JSON.stringify(body)));
    expect(response.status).toBe(200);
    const answer = await response.json();
    expect(answer.partialSuccess.rejectedLogRecords).toBe(2);
    expect(answer.partialSuccess.errorMessage).toContain('telemetry_kit.consent.policy_version');
    expect(answer.partialSuccess.errorMessage).toContain('resourceLogs.1');
    expect((await rows()).map((row) => row.service_name)).toEqual(['billing-api']);
  });

  it('takes the consent version from OTEL_RESOURCE_ATTRIBUTES-style strings, and granted_at', async () => {
    const response = await fetch(
      logsPost(
        server.url,
        JSON.stringify(
          logsRequest([logRecord()], {
            'service.name': 'jobs',
            'telemetry_kit.consent.policy_version': '7',
            'telemetry_kit.consent.granted_at': '2026-11-30T10:00:00.000Z',
          }),
        ),
      ),
    );
    expect((await response.json()).partialSuccess.rejectedLogRecords).toBe(0);
    expect((await rows())[0]?.consent_policy_version).toBe(7);
  });

  it('never stores a raw user.id or enduser.id, anywhere in the row', async () => {
    const records = await sdkRecords([
      {
        eventName: 'feature.use',
        body: { feature: 'export' },
        attributes: {
          'user.id': 'jane@example.com',
          'enduser.id': 'jane.doe',
          'enduser.pseudo.id': 'pseudo_user_0003',
        },
      },
    ]);
    expect((await exportWith(exporter('protobuf'), records)).code).toBe(0);
    const stored = await store.database.query<{ row: string }>(
      'SELECT row_to_json(e)::text AS row FROM telemetry_events e',
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]?.row).not.toContain('jane');
    expect(stored[0]?.row).toContain('pseudo_user_0003');
  });

  it('gives records without an end user the service as their install, stable across requests', async () => {
    const anonymous = logRecord({ attributes: [] });
    await fetch(logsPost(server.url, JSON.stringify(logsRequest([anonymous]))));
    await fetch(
      logsPost(
        server.url,
        JSON.stringify(logsRequest([logRecord({ attributes: [], eventName: 'job.done' })])),
      ),
    );
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored[0]?.anonymous_id).toMatch(/^svc_[\w-]{32}$/);
    expect(stored[1]?.anonymous_id).toBe(stored[0]?.anonymous_id);
  });

  it('hashes ids that do not fit the wire pattern instead of storing them as given', async () => {
    const record = logRecord({
      attributes: keyValues({
        'log.record.uid': 'not a wire id!',
        'enduser.pseudo.id': 'u1',
        'session.id': 's/1',
      }),
    });
    const response = await fetch(logsPost(server.url, JSON.stringify(logsRequest([record]))));
    expect((await response.json()).partialSuccess.rejectedLogRecords).toBe(0);
    const [row] = await rows();
    expect(row?.id).toMatch(/^uid_[\w-]{32}$/);
    expect(row?.anonymous_id).toMatch(/^pid_[\w-]{32}$/);
    expect(row?.session_id).toMatch(/^sid_[\w-]{32}$/);
  });
});

describe('what createOtlpTransport sends is accepted as is', () => {
  it('stores the browser batch it carries: ids, identities, context, sampling and drops', async () => {
    const captured: { url: string; init: RequestInit }[] = [];
    const capturingFetch = (async (url: string, init: RequestInit) => {
      captured.push({ url, init });
      return new Response(null, { status: 200 });
    }) as typeof fetch;
    const transport = createOtlpTransport({
      endpoint: `${server.url}/v1/logs`,
      headers: { Authorization: `Bearer ${INGEST_TOKEN}` },
      fetch: capturingFetch,
    });
    const events = [
      makeEvent({ event_type: 'page.view', metadata: { path: '/pricing', title: 'Pricing' } }),
      makeEvent({
        event_type: 'feature.toggle',
        metadata: { feature: 'dark-mode', enabled: true, note: null },
        sampling_rate: 0.5,
        user_id: 'a'.repeat(64),
      }),
      makeEvent({
        event_type: 'component.mount',
        metadata: {
          component: 'Button',
          library: 'acme-ui',
          version: '1.4.0',
          props: { variant: 'primary', size: 2 },
          count: 3,
        },
      }),
    ];
    const batch: TelemetryBatch = makeBatch(events, {
      service_name: 'web-shop',
      dropped: { overflow: 4 },
    });
    expect((await transport.send(JSON.stringify(batch), {})).status).toBe(200);
    expect(captured).toHaveLength(1);
    const [{ url, init }] = captured as [{ url: string; init: RequestInit }];

    const response = await fetch(url, {
      method: 'POST',
      headers: init.headers as Record<string, string>,
      body: init.body as string,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      partialSuccess: { rejectedLogRecords: 0, errorMessage: '' },
    });

    const stored = await rows();
    expect(stored.map((row) => row.id).sort()).toEqual(events.map((event) => event.id).sort());
    const byId = new Map(stored.map((row) => [row.id, row]));
    for (const event of events) {
      const row = byId.get(event.id);
      expect(row).toMatchObject({
        event_type: event.event_type,
        anonymous_id: event.anonymous_id,
        session_id: event.session_id,
        service_name: 'web-shop',
        service_version: '1.2.0',
        consent_policy_version: 1,
        context: {
          path: '/home',
          locale: 'en-GB',
          browser: 'chrome',
          os: 'linux',
          device: 'desktop',
        },
      });
      expect(new Date(row?.occurred_at ?? 0).toISOString()).toBe(event.timestamp);
      // A hashed user.id is still a user id on the OTLP wire: not kept.
      expect(row?.user_id).toBeNull();
    }
    expect(byId.get(events[0]?.id ?? '')?.metadata).toEqual({ path: '/pricing', title: 'Pricing' });
    // OTLP has no null: the transport sends an empty string for it.
    expect(byId.get(events[1]?.id ?? '')).toMatchObject({
      metadata: { feature: 'dark-mode', enabled: true, note: '' },
      sampling_rate: 0.5,
    });
    expect(byId.get(events[2]?.id ?? '')?.metadata).toEqual(events[2]?.metadata);
    const drops = await store.database.query<{
      service_name: string;
      reason: string;
      count: number;
    }>('SELECT service_name, reason, count FROM telemetry_device_drops');
    expect(drops).toEqual([{ service_name: 'web-shop', reason: 'overflow', count: 4 }]);

    // The same batch through the batch endpoint is the same events: all duplicates now.
    const native = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(batch),
    });
    expect(await native.json()).toMatchObject({ accepted: 0, duplicates: 3 });
  });
});

describe('answers', () => {
  it('is off without an ingest token: 404', async () => {
    const off = createCollector({ store, rateLimit: false });
    const response = await off.handle(
      logsPost('http://collector.test', JSON.stringify(logsRequest([logRecord()]))),
    );
    expect(response.status).toBe(404);
    await off.close();
  });

  it('answers an empty request with success', async () => {
    const response = await fetch(logsPost(server.url, '{}'));
    expect(response.status).toBe(200);
    expect((await response.json()).partialSuccess.rejectedLogRecords).toBe(0);
  });

  it('answers 429 with Retry-After when a client sends too fast', async () => {
    const limited = createCollector({
      store,
      ingestToken: INGEST_TOKEN,
      rateLimit: { burst: 1, perSecond: 0.01 },
    });
    const send = () =>
      limited.handle(
        logsPost('http://collector.test', JSON.stringify(logsRequest([logRecord()]))),
        {
          clientAddress: '198.51.100.4',
        },
      );
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await limited.close();
  });

  it('answers 503 with Retry-After when the store fails, and the resend then succeeds', async () => {
    let failing = true;
    const flaky: EventStore = {
      ...store,
      insertBatch: (...args) =>
        failing ? Promise.reject(new Error('connection reset')) : store.insertBatch(...args),
    };
    const target = createCollector({
      store: flaky,
      ingestToken: INGEST_TOKEN,
      rateLimit: false,
      onError: () => {},
    });
    const body = JSON.stringify(logsRequest([logRecord()]));
    const first = await target.handle(logsPost('http://collector.test', body));
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('5');
    failing = false;
    expect((await target.handle(logsPost('http://collector.test', body))).status).toBe(200);
    expect(await countEvents(store)).toBe(1);
    await target.close();
  });

  it('answers a protobuf request in protobuf, as OTLP/HTTP asks', async () => {
    const records = await sdkRecords([
      backendEvents[1] as ApiLogRecord,
      { eventName: 'has spaces', body: 'refused' },
    ]);
    const body = ProtobufLogsSerializer.serializeRequest(records) as Uint8Array<ArrayBuffer>;
    const response = await fetch(
      logsPost(server.url, body, { 'content-type': 'application/x-protobuf' }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-protobuf');
    const answer = ProtobufLogsSerializer.deserializeResponse(
      new Uint8Array(await response.arrayBuffer()),
    );
    expect(answer.partialSuccess?.rejectedLogRecords).toBe(1);
    expect(answer.partialSuccess?.errorMessage).toMatch(/event_type: must match/);
    expect(await countEvents(store)).toBe(1);
  });
});
