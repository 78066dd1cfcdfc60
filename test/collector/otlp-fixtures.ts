import { gzipSync } from 'node:zlib';

/** The ingest token the OTLP tests configure. */
export const INGEST_TOKEN = 'ingest-token-for-tests';

/** OTLP/JSON `AnyValue` of a plain value, as an SDK's JSON exporter writes it. */
export function anyValue(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (typeof value === 'number') {
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  }
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  if (value && typeof value === 'object') return { kvlistValue: { values: keyValues(value) } };
  return {};
}

/** OTLP/JSON attributes of a plain object. */
export function keyValues(values: object): { key: string; value: unknown }[] {
  return Object.entries(values).map(([key, value]) => ({ key, value: anyValue(value) }));
}

/** Resource attributes that pass: a service and its consent assertion. */
export const CONSENTED_RESOURCE = {
  'service.name': 'billing-api',
  'service.version': '3.4.0',
  'telemetry_kit.consent.policy_version': 2,
};

/** A log record as OTLP/JSON, timed now; override any field. */
export function logRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timeUnixNano: `${Date.now()}000000`,
    observedTimeUnixNano: `${Date.now()}000000`,
    severityNumber: 9,
    severityText: 'INFO',
    eventName: 'test_run.created',
    body: anyValue({ suite: 'smoke', runs: 3 }),
    attributes: keyValues({ 'enduser.pseudo.id': 'pseudo_user_0001', 'session.id': 'sess_0001xx' }),
    ...overrides,
  };
}

/** An `ExportLogsServiceRequest` of one resource and one scope. */
export function logsRequest(
  records: unknown[],
  resource: Record<string, unknown> = CONSENTED_RESOURCE,
): Record<string, unknown> {
  return {
    resourceLogs: [
      {
        resource: { attributes: keyValues(resource) },
        scopeLogs: [{ scope: { name: 'billing', version: '1.0.0' }, logRecords: records }],
      },
    ],
  };
}

/** A `POST /v1/logs` with a body exactly as given, the ingest token and JSON unless told. */
export function logsPost(
  url: string,
  body: string | Uint8Array<ArrayBuffer>,
  headers: Record<string, string> = {},
): Request {
  return new Request(`${url}/v1/logs`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${INGEST_TOKEN}`,
      ...headers,
    },
    body,
  });
}

/** gzip of a text or bytes, for `Content-Encoding: gzip` bodies. */
export function gzip(body: string | Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(gzipSync(body));
}
