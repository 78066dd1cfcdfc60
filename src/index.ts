/**
 * telemetry-kit: privacy-first usage analytics for the browser. Transports for a custom
 * `transport` option (the default fetch one, the OTLP exporter) are in `telemetry-kit/transports`;
 * the wire format's rules, for a collector of your own, in `telemetry-kit/wire`.
 *
 * @packageDocumentation
 */
export { createDeferredClient, type DeferredClient } from './client/createDeferredClient.js';
export { createInertClient } from './client/createInertClient.js';
export { createTelemetry } from './client/createTelemetry.js';
export { withFlow } from './client/withFlow.js';
export type {
  CollectorCopy,
  ComponentInfo,
  ConsentController,
  ConsentOptions,
  ConsentReceipt,
  ConsentSource,
  ConsentState,
  DestinationOptions,
  DestinationStatus,
  ErrorCaptureOptions,
  ErrorInfo,
  Flow,
  FlowOutcome,
  FlushResult,
  Metadata,
  StorageKind,
  TelemetryClient,
  TelemetryEnvironment,
  TelemetryOptions,
  TelemetryStatus,
  Transport,
  TransportResponse,
} from './types.js';
export type { TelemetryBatch } from './wire/buildBatch.js';
export type {
  DropCounts,
  DropReason,
  EventContext,
  MetadataValue,
  TelemetryEvent,
} from './wire/event.js';
