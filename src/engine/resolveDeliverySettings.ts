import { positive, type Settings } from '../lib/resolveSettings.js';
import type { TelemetryOptions } from '../types.js';
import { FIELD_LIMITS } from '../wire/fieldLimits.js';

/** The settings only delivery needs, resolved in its chunk rather than in every page's code. */
export function resolveDeliverySettings(options: TelemetryOptions, settings: Settings) {
  return {
    ...settings,
    serviceVersion:
      typeof options.serviceVersion === 'string'
        ? options.serviceVersion.slice(0, FIELD_LIMITS.serviceVersion)
        : '',
    flushIntervalMs: positive(options.flushIntervalMs, 5_000),
    // ~335 bytes an event on the wire: 100 make ~33 KB, inside the 64 KiB keepalive quota,
    // and half the per-request work of 50.
    maxBatchSize: positive(options.maxBatchSize, 100),
    // Week-old usage data misleads more than it informs, and data should not linger.
    maxEventAgeMs: positive(options.maxEventAgeMs, 7 * 24 * 60 * 60 * 1000),
  };
}

export type DeliverySettings = ReturnType<typeof resolveDeliverySettings>;
