import { describe, expect, it } from 'vitest';
import { countEvents, sharedCollector } from './fixtures.js';
import {
  anyValue,
  CONSENTED_RESOURCE,
  gzip,
  INGEST_TOKEN,
  keyValues,
  logRecord,
  logsPost,
  logsRequest,
} from './otlp-fixtures.js';

/**
 * `POST /v1/logs` is validated as strictly as the batch endpoint: a body that cannot be read
 * is a 4xx with a JSON `{ error, reason }`, a record that breaks the rules is counted in
 * `partialSuccess` with its reason, and nothing is ever answered 5xx or stored.
 */
const shared = sharedCollector({
  rateLimit: false,
  ingestToken: INGEST_TOKEN,
  maxBodyBytes: 64 * 1024,
  maxLogRecordsPerRequest: 100,
  onError: (error) => {
    throw error;
  },
});

const URL = 'http://collector.test';
const text =
  (body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string> = {}) =>
  () =>
    logsPost(URL, body, headers);
const json = (body: unknown, headers: Record<string, string> = {}) =>
  text(JSON.stringify(body), headers);
const nestedKvlist = (depth: number): unknown => {
  let value: unknown = { stringValue: 'leaf' };
  for (let i = 0; i < depth; i += 1) value = { kvlistValue: { values: [{ key: 'a', value }] } };
  return value;
};
/** A body whose key-values nest `levels` deep below the body itself. */
const bodyNested = (levels: number) => ({
  kvlistValue: { values: [{ key: 'a', value: nestedKvlist(levels) }] },
});

type BodyCase = { name: string; request: () => Request; status: number; error: string };

const BODIES: BodyCase[] = [
  { name: 'not JSON', request: text('{resourceLogs'), status: 400, error: 'malformed_json' },
  { name: 'empty JSON body', request: text(''), status: 400, error: 'malformed_json' },
  { name: 'JSON null', request: text('null'), status: 400, error: 'invalid_logs' },
  {
    name: 'resourceLogs is an object',
    request: json({ resourceLogs: { 0: {} } }),
    status: 400,
    error: 'invalid_logs',
  },
  {
    name: 'scopeLogs is a string',
    request: json({ resourceLogs: [{ scopeLogs: 'all' }] }),
    status: 400,
    error: 'invalid_logs',
  },
  {
    name: 'logRecords is a number',
    request: json({ resourceLogs: [{ scopeLogs: [{ logRecords: 3 }] }] }),
    status: 400,
    error: 'invalid_logs',
  },
  {
    name: 'resource attributes are not key-values',
    request: json({ resourceLogs: [{ resource: { attributes: [{ name: 'x' }] } }] }),
    status: 400,
    error: 'invalid_logs',
  },
  {
    name: 'a __proto__ key',
    request: text('{"resourceLogs":[],"__proto__":{"polluted":true}}'),
    status: 400,
    error: 'forbidden_key',
  },
  {
    name: 'JSON nested 20,000 deep',
    request: text(`{"resourceLogs":${'['.repeat(20_000)}${']'.repeat(20_000)}}`),
    status: 400,
    error: 'too_deep',
  },
  {
    name: 'JSON nested 200 deep',
    request: text(`{"resourceLogs":${'['.repeat(200)}${']'.repeat(200)}}`),
    status: 400,
    error: 'too_deep',
  },
  {
    // As a batch whose metadata nests too deep: the whole body, before any schema walks it.
    name: 'a record body nested 11 levels below itself',
    request: json(logsRequest([logRecord({ body: bodyNested(11) })])),
    status: 400,
    error: 'too_deep',
  },
  {
    name: 'the same, 11 levels, as protobuf',
    request: text(protobufRequestWithBody(nestedProtobufBody(11)), {
      'content-type': 'application/x-protobuf',
    }),
    status: 400,
    error: 'too_deep',
  },
  {
    name: 'bytes that are not UTF-8',
    request: text(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])),
    status: 400,
    error: 'invalid_encoding',
  },
  {
    name: 'truncated protobuf',
    request: text(new Uint8Array([0x0a, 0x10, 0x0a]), { 'content-type': 'application/x-protobuf' }),
    status: 400,
    error: 'malformed_protobuf',
  },
  {
    name: 'JSON sent as protobuf',
    request: text(JSON.stringify(logsRequest([logRecord()])), {
      'content-type': 'application/x-protobuf',
    }),
    status: 400,
    error: 'malformed_protobuf',
  },
  {
    name: 'protobuf nested past the recursion limit',
    request: text(protobufRequestWithBody(nestedProtobufBody(150)), {
      'content-type': 'application/x-protobuf',
    }),
    status: 400,
    error: 'malformed_protobuf',
  },
  {
    name: 'gzip announced, plain JSON sent',
    request: text(JSON.stringify(logsRequest([logRecord()])), { 'content-encoding': 'gzip' }),
    status: 400,
    error: 'malformed_gzip',
  },
  {
    name: 'a gzip bomb (64 KiB inflating to 10 MB)',
    request: text(gzip(' '.repeat(10_000_000)), { 'content-encoding': 'gzip' }),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'brotli',
    request: text('{}', { 'content-encoding': 'br' }),
    status: 415,
    error: 'unsupported_encoding',
  },
  {
    name: 'text/plain',
    request: text('{}', { 'content-type': 'text/plain' }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'no content type',
    request: () =>
      new Request(`${URL}/v1/logs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST_TOKEN}` },
        body: new Blob(['{}']),
      }),
    status: 415,
    error: 'unsupported_media_type',
  },
  {
    name: 'a body over maxBodyBytes',
    request: json(logsRequest([logRecord({ body: anyValue('x'.repeat(100_000)) })])),
    status: 413,
    error: 'payload_too_large',
  },
  {
    name: 'more records than maxLogRecordsPerRequest',
    request: json(logsRequest(Array.from({ length: 101 }, () => ({})))),
    status: 413,
    error: 'too_many_log_records',
  },
  {
    name: 'a GET',
    request: () =>
      new Request(`${URL}/v1/logs`, { headers: { authorization: `Bearer ${INGEST_TOKEN}` } }),
    status: 405,
    error: 'method_not_allowed',
  },
];

/** An `AnyValue` whose key-values nest `levels` deep, in protobuf's wire format. */
function nestedProtobufBody(levels: number): Uint8Array {
  // AnyValue.kvlist_value (6) → KeyValueList.values (1) → KeyValue { key (1), value (2) }.
  let value: Uint8Array = Uint8Array.of(0x0a, 4, ...new TextEncoder().encode('leaf'));
  for (let i = 0; i <= levels; i += 1) {
    const keyValue = Uint8Array.of(0x0a, 1, 0x61, 0x12, ...varint(value.length), ...value);
    const list = Uint8Array.of(0x0a, ...varint(keyValue.length), ...keyValue);
    value = Uint8Array.of(0x32, ...varint(list.length), ...list);
  }
  return value;
}

/**
 * An `ExportLogsServiceRequest` of one consented resource and one record with this body, in
 * protobuf's wire format, written field by field so the test does not trust the decoder.
 */
function protobufRequestWithBody(body: Uint8Array): Uint8Array<ArrayBuffer> {
  const field = (tag: number, bytes: Uint8Array) =>
    Uint8Array.of(tag, ...varint(bytes.length), ...bytes);
  const text = (value: string) => new TextEncoder().encode(value);
  const attribute = (key: string, anyValue: Uint8Array) =>
    field(0x0a, Uint8Array.of(...field(0x0a, text(key)), ...field(0x12, anyValue)));
  const resource = Uint8Array.of(
    ...attribute('service.name', field(0x0a, text('billing-api'))),
    // int_value (3) is a varint.
    ...attribute('telemetry_kit.consent.policy_version', Uint8Array.of(0x18, 2)),
  );
  const record = Uint8Array.of(...field(0x62, text('test_run.created')), ...field(0x2a, body));
  const scopeLogs = field(0x12, record);
  const resourceLogs = Uint8Array.of(...field(0x0a, resource), ...field(0x12, scopeLogs));
  return Uint8Array.from(field(0x0a, resourceLogs));
}

function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = value;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return bytes;
}

type RecordCase = { name: string; body: unknown; reason: RegExp };

const withRecord = (overrides: Record<string, unknown>) => logsRequest([logRecord(overrides)]);
const withAttributes = (attributes: Record<string, unknown>) =>
  withRecord({
    attributes: keyValues({ 'enduser.pseudo.id': 'pseudo_user_0001', ...attributes }),
  });
const withResource = (resource: Record<string, unknown>) =>
  logsRequest([logRecord()], { ...CONSENTED_RESOURCE, ...resource });
const withoutResource = (key: string) => {
  const resource: Record<string, unknown> = { ...CONSENTED_RESOURCE };
  delete resource[key];
  return logsRequest([logRecord()], resource);
};
const DAY_NS = 86_400_000n * 1_000_000n;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

const RECORDS: RecordCase[] = [
  {
    name: 'no consent assertion on the resource',
    body: withoutResource('telemetry_kit.consent.policy_version'),
    reason: /telemetry_kit\.consent\.policy_version is missing/,
  },
  {
    name: 'a consent version that is not a number',
    body: withResource({ 'telemetry_kit.consent.policy_version': 'one' }),
    reason: /policy_version: must be an integer/,
  },
  {
    name: 'a consent version past a 32-bit integer',
    body: withResource({ 'telemetry_kit.consent.policy_version': 9_999_999_999 }),
    reason: /policy_version: must be an integer from 0 to 2147483647/,
  },
  {
    name: 'a fractional consent version',
    body: withResource({ 'telemetry_kit.consent.policy_version': 1.5 }),
    reason: /policy_version: must be an integer/,
  },
  {
    name: 'granted_at that is not a time',
    body: withResource({ 'telemetry_kit.consent.granted_at': 'yesterday' }),
    reason: /granted_at: must be an ISO 8601 timestamp/,
  },
  {
    name: 'no service.name',
    body: withoutResource('service.name'),
    reason: /service\.name is required/,
  },
  {
    name: 'a 1,000-character service.name',
    body: withResource({ 'service.name': 's'.repeat(1_000) }),
    reason: /service\.name/,
  },
  {
    name: 'service.name as a number',
    body: withResource({ 'service.name': 42 }),
    reason: /service\.name: must be a string/,
  },
  {
    name: 'a drop count past a 32-bit integer',
    body: withResource({ 'telemetry_kit.dropped.overflow': 9_999_999_999 }),
    reason: /dropped\.overflow: must be an integer/,
  },
  {
    name: 'a drop reason that is not one',
    body: withResource({ 'telemetry_kit.dropped.Not-A-Reason': 1 }),
    reason: /not a drop reason/,
  },
  { name: 'no eventName', body: withRecord({ eventName: '' }), reason: /eventName: required/ },
  {
    name: 'an eventName with spaces',
    body: withRecord({ eventName: 'test run created' }),
    reason: /event_type: must match/,
  },
  {
    name: 'an eventName starting with a dot',
    body: withRecord({ eventName: '.hidden' }),
    reason: /event_type: must match/,
  },
  {
    name: 'an eventName of 1,000 characters',
    body: withRecord({ eventName: 'e'.repeat(1_000) }),
    reason: /eventName/,
  },
  { name: 'eventName as a number', body: withRecord({ eventName: 7 }), reason: /eventName/ },
  {
    name: 'event.name attribute as a boolean',
    body: withRecord({ eventName: undefined, attributes: keyValues({ 'event.name': true }) }),
    reason: /event\.name: must be a string/,
  },
  {
    name: 'timeUnixNano as words',
    body: withRecord({ timeUnixNano: 'now' }),
    reason: /timeUnixNano: must be nanoseconds/,
  },
  {
    name: 'a time two days ahead',
    body: withRecord({ timeUnixNano: String(nowNs() + 2n * DAY_NS) }),
    reason: /timestamp: in the future/,
  },
  {
    name: 'a time older than the retention period',
    body: withRecord({ timeUnixNano: String(nowNs() - 500n * DAY_NS) }),
    reason: /timestamp: older than the retention period/,
  },
  {
    name: 'a time past what a date can hold (a JSON number)',
    body: withRecord({ timeUnixNano: 1e25 }),
    reason: /timeUnixNano: out of range/,
  },
  {
    name: 'a string body past 4,000 characters',
    body: withRecord({ body: anyValue('m'.repeat(5_000)) }),
    reason: /metadata\.message/,
  },
  {
    name: 'a body key __proto__',
    body: withRecord({
      body: { kvlistValue: { values: [{ key: '__proto__', value: { boolValue: true } }] } },
    }),
    reason: /key __proto__ is forbidden/,
  },
  {
    name: 'a body of 300 keys',
    body: withRecord({
      body: anyValue(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i]))),
    }),
    reason: /holds more than 100 keys/,
  },
  {
    name: 'intValue that is not an integer',
    body: withRecord({
      body: { kvlistValue: { values: [{ key: 'n', value: { intValue: '1.5' } }] } },
    }),
    reason: /intValue must be a decimal integer/,
  },
  {
    name: 'doubleValue NaN (protojson spelling)',
    body: withRecord({
      body: { kvlistValue: { values: [{ key: 'n', value: { doubleValue: 'NaN' } }] } },
    }),
    reason: /doubleValue must be a finite number/,
  },
  {
    name: 'stringValue as a number',
    body: withRecord({ body: { stringValue: 12 } }),
    reason: /stringValue must be a string/,
  },
  {
    name: 'an AnyValue that is an array',
    body: withRecord({ body: [1, 2] }),
    reason: /body: must be an AnyValue/,
  },
  {
    name: 'a record that is a string',
    body: logsRequest(['hello']),
    reason: /must be a log record object/,
  },
  {
    name: 'feature.toggle without enabled (the built-in rules hold)',
    body: withRecord({ eventName: 'feature.toggle', body: anyValue({ feature: 'dark' }) }),
    reason: /metadata\.enabled/,
  },
  {
    name: 'web_vital of an unknown metric',
    body: withRecord({ eventName: 'web_vital', body: anyValue({ name: 'FID', value: 3 }) }),
    reason: /metadata\.name/,
  },
  {
    name: 'url.path of 2,000 characters',
    body: withAttributes({ 'url.path': `/${'p'.repeat(2_000)}` }),
    reason: /context\.path/,
  },
  {
    name: 'os.type as a number',
    body: withAttributes({ 'os.type': 3 }),
    reason: /context\.os/,
  },
  {
    name: 'a sampling rate above 1',
    body: withAttributes({ 'telemetry_kit.sampling_rate': 2 }),
    reason: /sampling_rate/,
  },
  {
    name: 'session.id as a list',
    body: withAttributes({ 'session.id': ['a', 'b'] }),
    reason: /session\.id: must be a string/,
  },
];

describe('POST /v1/logs refuses what it cannot read with a 4xx and a JSON reason', () => {
  for (const testCase of BODIES) {
    it(`${testCase.name} → ${testCase.status} ${testCase.error}`, async () => {
      const response = await shared.collector.handle(testCase.request());
      expect(response.status).toBe(testCase.status);
      const body = await response.json();
      expect(body.error).toBe(testCase.error);
      expect(typeof body.reason).toBe('string');
      expect(body.reason.length).toBeGreaterThan(0);
      expect(await countEvents(shared.store)).toBe(0);
    });
  }
});

describe('POST /v1/logs rejects bad records in partialSuccess and stores the good ones', () => {
  for (const testCase of RECORDS) {
    it(`${testCase.name}`, async () => {
      const good = logRecord({ eventName: 'good.one' });
      const bad = (testCase.body as { resourceLogs: unknown[] }).resourceLogs;
      const body = { resourceLogs: [...bad, ...(logsRequest([good]).resourceLogs as unknown[])] };
      const response = await shared.collector.handle(logsPost(URL, JSON.stringify(body)));
      expect(response.status).toBe(200);
      const answer = await response.json();
      expect(answer.partialSuccess.rejectedLogRecords).toBe(1);
      expect(answer.partialSuccess.errorMessage).toMatch(/^1 of 2 log records rejected: /);
      expect(answer.partialSuccess.errorMessage).toMatch(testCase.reason);
      expect(answer.partialSuccess.errorMessage).toContain(
        'resourceLogs.0.scopeLogs.0.logRecords.0',
      );
      const stored = await shared.store.database.query<{ event_type: string }>(
        'SELECT event_type FROM telemetry_events',
      );
      expect(stored).toEqual([{ event_type: 'good.one' }]);
    });
  }

  it('stores a body nested 10 levels below itself, as deep as batch metadata may go', async () => {
    for (const encoding of ['json', 'protobuf'] as const) {
      const body =
        encoding === 'json'
          ? JSON.stringify(logsRequest([logRecord({ body: bodyNested(10) })]))
          : protobufRequestWithBody(nestedProtobufBody(10));
      const response = await shared.collector.handle(
        logsPost(URL, body, {
          'content-type': `application/${encoding === 'json' ? 'json' : 'x-protobuf'}`,
        }),
      );
      expect(response.status).toBe(200);
    }
    const [row] = await shared.store.database.query<{ metadata: unknown }>(
      'SELECT metadata FROM telemetry_events LIMIT 1',
    );
    let depth = 0;
    let value = row?.metadata as { a?: unknown } | undefined;
    while (value && typeof value === 'object' && 'a' in value) {
      depth += 1;
      value = value.a as { a?: unknown };
    }
    expect(depth).toBe(11);
    expect(value).toBe('leaf');
  });

  it('counts every rejected record and quotes the first three reasons', async () => {
    const records = Array.from({ length: 5 }, () => logRecord({ eventName: 'bad name' }));
    const response = await shared.collector.handle(
      logsPost(URL, JSON.stringify(logsRequest(records))),
    );
    const answer = await response.json();
    expect(answer.partialSuccess.rejectedLogRecords).toBe(5);
    expect(answer.partialSuccess.errorMessage.match(/event_type: must match/g)).toHaveLength(3);
    expect(answer.partialSuccess.errorMessage).toMatch(/; \.\.\.$/);
  });
});
