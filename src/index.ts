/**
 * telemetry-kit: privacy-first usage analytics for the browser.
 *
 * @packageDocumentation
 */
export { createTelemetry } from './client.js';
export { createInertClient } from './inert.js';
export {
  createOtlpTransport,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpTransportOptions,
  toOtlpLogs,
} from './otlp.js';
export { sanitizePath } from './scrub.js';
export { createFetchTransport, type FetchTransportOptions } from './transport.js';
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
