import type { Transport, TransportResponse } from '../types.js';
import type { TelemetryBatch } from '../wire/buildBatch.js';
import type { MetadataValue, TelemetryEvent } from '../wire/event.js';
import { KEEPALIVE_LIMIT, utf8Length } from './keepalive.js';

/** OTLP/HTTP JSON `AnyValue` (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding). */
export type OtlpAnyValue =
  | { stringValue: string }
  | { boolValue: boolean }
  | { intValue: string }
  | { doubleValue: number }
  | { arrayValue: { values: OtlpAnyValue[] } }
  | { kvlistValue: { values: OtlpKeyValue[] } };

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpTransportOptions {
  /** The collector's logs URL, e.g. `https://otel.example.com/v1/logs`. */
  endpoint: string;
  /** Extra request headers (an API key, for instance). */
  headers?: Record<string, string>;
  fetch?: typeof fetch | undefined;
}

const OS_TYPES: Record<string, string> = {
  macos: 'darwin',
  ios: 'darwin',
  chromeos: 'linux',
  android: 'linux',
};

function anyValue(value: MetadataValue): OtlpAnyValue {
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  // 64-bit integers are strings in OTLP JSON, since JSON numbers lose precision past 2^53.
  if (typeof value === 'number')
    return Number.isInteger(value) ? { intValue: String(value) } : { doubleValue: value };
  if (value === null) return { stringValue: '' };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(anyValue) } };
  return { kvlistValue: { values: attributes(value) } };
}

function attributes(values: { [key: string]: MetadataValue | undefined }): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  for (const [key, value] of Object.entries(values))
    if (value !== undefined) out.push({ key, value: anyValue(value) });
  return out;
}

const nanos = (iso: string) => `${Date.parse(iso)}000000`;

/** One event as an OTLP log record: semantic-convention attributes where they exist. */
function logRecord(event: TelemetryEvent, observed: string) {
  const { context } = event;
  return {
    timeUnixNano: nanos(event.timestamp),
    observedTimeUnixNano: nanos(observed),
    // SeverityNumber: 9 INFO, 17 ERROR.
    severityNumber: event.event_type === 'error' ? 17 : 9,
    severityText: event.event_type === 'error' ? 'ERROR' : 'INFO',
    eventName: event.event_type,
    body: { kvlistValue: { values: attributes(event.metadata) } },
    attributes: attributes({
      'event.name': event.event_type,
      'telemetry_kit.event_id': event.id,
      'telemetry_kit.anonymous_id': event.anonymous_id,
      'session.id': event.session_id,
      'user.id': event.user_id,
      'telemetry_kit.sampling_rate': event.sampling_rate,
      'url.path': context.path,
      'browser.language': context.locale,
      'telemetry_kit.browser': context.browser,
      'os.type': context.os ? (OS_TYPES[context.os] ?? context.os) : undefined,
      'telemetry_kit.device': context.device,
    }),
  };
}

/** Converts a telemetry-kit batch into an OTLP `ExportLogsServiceRequest`. */
export function toOtlpLogs(batch: TelemetryBatch) {
  const dropped: { [key: string]: MetadataValue } = {};
  for (const [reason, count] of Object.entries(batch.dropped))
    dropped[`telemetry_kit.dropped.${reason}`] = count ?? 0;
  return {
    resourceLogs: [
      {
        resource: {
          attributes: attributes({
            'service.name': batch.service_name,
            'service.version': batch.service_version,
            'telemetry.sdk.name': batch.sdk.name,
            'telemetry.sdk.version': batch.sdk.version,
            'telemetry.sdk.language': 'webjs',
            'telemetry_kit.consent.policy_version': batch.consent.policy_version,
            'telemetry_kit.consent.granted_at': batch.consent.granted_at,
            ...dropped,
          }),
        },
        scopeLogs: [
          {
            scope: { name: batch.sdk.name, version: batch.sdk.version },
            logRecords: batch.events.map((event) => logRecord(event, batch.sent_at)),
          },
        ],
      },
    ],
  };
}

/**
 * Sends the same events to any OpenTelemetry Collector, as OTLP/HTTP JSON logs. A transport
 * of its own: pass it as `transport`. OTLP bodies are `application/json`, which sendBeacon
 * cannot send across origins, so the page-hide path uses a keepalive fetch instead.
 */
export function createOtlpTransport(options: OtlpTransportOptions): Transport {
  const doFetch = options.fetch ?? (typeof fetch === 'function' ? fetch : undefined);
  const post = async (
    body: string,
    keepalive: boolean,
    signal?: AbortSignal,
  ): Promise<TransportResponse> => {
    if (!doFetch) return { status: 0 };
    try {
      const json = JSON.stringify(toOtlpLogs(JSON.parse(body) as TelemetryBatch));
      const response = await doFetch(options.endpoint, {
        method: 'POST',
        body: json,
        headers: { 'Content-Type': 'application/json', ...options.headers },
        keepalive: keepalive && utf8Length(json) <= KEEPALIVE_LIMIT,
        credentials: 'omit',
        ...(signal ? { signal } : {}),
      });
      return { status: response.status, retryAfter: response.headers.get('Retry-After') };
    } catch {
      return { status: 0 };
    }
  };
  return {
    send: (body, { signal }) => post(body, true, signal),
    beacon(body) {
      if (!doFetch || utf8Length(body) > KEEPALIVE_LIMIT) return false;
      void post(body, true);
      return true;
    },
  };
}
