import type { ErrorCaptureOptions, TelemetryOptions } from '../types.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';
import type { DebugReporter } from './debug.js';
import { Message } from './message.js';
import { type Destination, resolveDestinations } from './resolveDestinations.js';

/**
 * Options after validation: every number positive, every name a usable string. These are the
 * ones the client needs before consent; the delivery engine resolves its own
 * (`engine/resolveDeliverySettings.ts`), so
 * they are not in the code every page loads.
 */
export interface Settings {
  serviceName: string;
  policyVersion: number;
  maxQueueSize: number;
  /** Prefix of the localStorage keys and name of the IndexedDB database. */
  storageKey: string;
  errors: ErrorCaptureOptions;
  /** The valid destinations, in the order given. */
  destinations: Destination[];
}

/** A positive whole number, or the fallback. */
export const positive = (value: unknown, fallback: number) =>
  typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.floor(value) : fallback;

/** Repairs what can be repaired, with one debug line for what had to be. */
export function resolveSettings(options: TelemetryOptions, debug: DebugReporter): Settings {
  const hasName = typeof options.serviceName === 'string' && options.serviceName.length > 0;
  if (!hasName) debug(Message.NeedsServiceName);
  return {
    serviceName: hasName ? options.serviceName.slice(0, CAPTURE_LIMITS.serviceName) : 'unknown',
    policyVersion: positive(options.consent?.policyVersion, 1),
    // ~500 bytes an event: 5 MB of IndexedDB, far below any browser's quota.
    maxQueueSize: positive(options.maxQueueSize, 10_000),
    storageKey:
      typeof options.storageKey === 'string' && options.storageKey
        ? options.storageKey
        : 'telemetry-kit',
    errors:
      typeof options.captureErrors === 'object' && options.captureErrors
        ? options.captureErrors
        : {},
    destinations: resolveDestinations(options.destinations, debug),
  };
}
