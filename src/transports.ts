/**
 * telemetry-kit/transports: delivery building blocks for a custom `transport` — the default
 * fetch + sendBeacon transport, and the OpenTelemetry (OTLP/HTTP JSON logs) exporter.
 *
 * They live apart from the core entry so that a page which only calls `createTelemetry` does
 * not load them up front: the core builds its default transport inside the delivery engine,
 * which loads once consent is granted.
 *
 * @packageDocumentation
 */

export {
  createFetchTransport,
  type FetchTransportOptions,
} from './transports/createFetchTransport.js';
export {
  createOtlpTransport,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpTransportOptions,
  toOtlpLogs,
} from './transports/createOtlpTransport.js';
