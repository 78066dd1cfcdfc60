import type { DebugReporter } from './debug.js';
import type { ErrorCaptureOptions, TelemetryOptions } from './types.js';

/** Options after validation: every number positive, every name a usable string. */
export interface Settings {
  serviceName: string;
  serviceVersion: string;
  policyVersion: number;
  flushIntervalMs: number;
  maxBatchSize: number;
  maxQueueSize: number;
  maxEventAgeMs: number;
  /** Prefix of the localStorage keys and name of the IndexedDB database. */
  storageKey: string;
  errors: ErrorCaptureOptions;
}

const positive = (value: unknown, fallback: number) =>
  typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.floor(value) : fallback;

/** Repairs what can be repaired, with one debug line for what had to be. */
export function resolveSettings(options: TelemetryOptions, debug: DebugReporter): Settings {
  const hasName = typeof options.serviceName === 'string' && options.serviceName.length > 0;
  if (!hasName) debug('serviceName is required; "unknown" is used');
  return {
    serviceName: hasName ? options.serviceName.slice(0, 100) : 'unknown',
    serviceVersion:
      typeof options.serviceVersion === 'string' ? options.serviceVersion.slice(0, 50) : '',
    policyVersion: positive(options.consent?.policyVersion, 1),
    flushIntervalMs: positive(options.flushIntervalMs, 5_000),
    // ~335 bytes an event on the wire: 100 make ~33 KB, inside the 64 KiB keepalive quota,
    // and half the per-request work of 50.
    maxBatchSize: positive(options.maxBatchSize, 100),
    // ~500 bytes an event: 5 MB of IndexedDB, far below any browser's quota.
    maxQueueSize: positive(options.maxQueueSize, 10_000),
    // Week-old usage data misleads more than it informs, and data should not linger.
    maxEventAgeMs: positive(options.maxEventAgeMs, 7 * 24 * 60 * 60 * 1000),
    storageKey:
      typeof options.storageKey === 'string' && options.storageKey
        ? options.storageKey
        : 'telemetry-kit',
    errors:
      typeof options.captureErrors === 'object' && options.captureErrors
        ? options.captureErrors
        : {},
  };
}
