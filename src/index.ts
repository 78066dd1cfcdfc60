/**
 * telemetry-kit: privacy-first usage analytics for the browser. Transports for a custom
 * `transport` option (the default fetch one, the OTLP exporter) are in `telemetry-kit/transports`.
 *
 * @packageDocumentation
 */
export { createTelemetry } from './client.js';
export { createInertClient } from './inert.js';
export type {
  ComponentInfo,
  ConsentController,
  ConsentOptions,
  ConsentReceipt,
  ConsentState,
  DropReason,
  ErrorCaptureOptions,
  ErrorInfo,
  EventContext,
  FlushResult,
  Metadata,
  MetadataValue,
  StorageKind,
  TelemetryBatch,
  TelemetryClient,
  TelemetryEnvironment,
  TelemetryEvent,
  TelemetryOptions,
  TelemetryStatus,
  Transport,
  TransportResponse,
} from './types.js';
