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
  createOtlpTransport,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpTransportOptions,
  toOtlpLogs,
} from './otlp.js';
export { createFetchTransport, type FetchTransportOptions } from './transport.js';
