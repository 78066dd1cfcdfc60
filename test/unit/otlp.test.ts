import type { TelemetryBatch } from 'telemetry-kit';
import { createOtlpTransport, toOtlpLogs } from 'telemetry-kit/transports';
import { describe, expect, it } from 'vitest';
import { makeClient } from './harness.js';

const batch: TelemetryBatch = {
  service_name: 'shop',
  service_version: '2.0.0',
  sdk: { name: 'telemetry-kit', version: '0.1.0' },
  sent_at: '2026-01-01T00:00:01.000Z',
  consent: { policy_version: 2, granted_at: '2025-12-31T00:00:00.000Z' },
  dropped: { overflow: 3 },
  events: [
    {
      id: 'evt_1',
      event_type: 'feature.use',
      timestamp: '2026-01-01T00:00:00.500Z',
      anonymous_id: 'anon_1',
      session_id: 'sess_1',
      metadata: { feature: 'export', rows: 120, ratio: 0.5, nested: { ok: true }, list: ['a'] },
      context: {
        path: '/reports/:id',
        locale: 'en-GB',
        browser: 'firefox',
        os: 'macos',
        device: 'desktop',
      },
    },
  ],
};

describe('OTLP/HTTP JSON export', () => {
  it('maps a batch to an ExportLogsServiceRequest with semantic-convention attributes', () => {
    const request = toOtlpLogs(batch);
    const resource = request.resourceLogs[0]!;
    expect(resource.resource.attributes).toEqual(
      expect.arrayContaining([
        { key: 'service.name', value: { stringValue: 'shop' } },
        { key: 'telemetry.sdk.name', value: { stringValue: 'telemetry-kit' } },
        { key: 'telemetry_kit.consent.policy_version', value: { intValue: '2' } },
        { key: 'telemetry_kit.dropped.overflow', value: { intValue: '3' } },
      ]),
    );
    const record = resource.scopeLogs[0]!.logRecords[0]!;
    expect(record.timeUnixNano).toBe('1767225600500000000');
    expect(record.eventName).toBe('feature.use');
    expect(record.severityNumber).toBe(9);
    expect(record.body.kvlistValue.values).toEqual([
      { key: 'feature', value: { stringValue: 'export' } },
      { key: 'rows', value: { intValue: '120' } },
      { key: 'ratio', value: { doubleValue: 0.5 } },
      {
        key: 'nested',
        value: { kvlistValue: { values: [{ key: 'ok', value: { boolValue: true } }] } },
      },
      { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }] } } },
    ]);
    expect(record.attributes).toEqual(
      expect.arrayContaining([
        { key: 'session.id', value: { stringValue: 'sess_1' } },
        { key: 'url.path', value: { stringValue: '/reports/:id' } },
        { key: 'os.type', value: { stringValue: 'darwin' } },
      ]),
    );
  });

  it('delivers a client’s events to an OTLP endpoint as application/json', async () => {
    const requests: Array<{ url: string; init: RequestInit }> = [];
    const transport = createOtlpTransport({
      endpoint: 'https://otel.test/v1/logs',
      headers: { 'x-api-key': 'k' },
      fetch: async (url, init) => {
        requests.push({ url: String(url), init: init ?? {} });
        return new Response('{"partialSuccess":{}}', { status: 200 });
      },
    });
    const { client } = makeClient({ transport });
    client.featureUsed('export');
    await client.flush();
    expect(requests).toHaveLength(1);
    expect(requests[0]?.url).toBe('https://otel.test/v1/logs');
    expect(requests[0]?.init.headers).toEqual({
      'Content-Type': 'application/json',
      'x-api-key': 'k',
    });
    const body = JSON.parse(String(requests[0]?.init.body));
    const names = body.resourceLogs[0].scopeLogs[0].logRecords.map(
      (record: { eventName: string }) => record.eventName,
    );
    expect(names).toEqual(['session.start', 'feature.use']);
    expect(await client.pending()).toEqual([]);
  });
});
