'use client';
import type { TelemetryClient } from 'telemetry-kit';
import { TelemetryContext } from './context.js';
import { sharedInertClient } from './inertClient.js';
import { useContext } from './reactApi.js';

/**
 * The client of the nearest `TelemetryProvider`. Without one, a shared inert client whose
 * methods do nothing, so code that records events needs no "is there a provider?" check.
 *
 * @example
 * const telemetry = useTelemetry();
 * <button onClick={() => telemetry.featureUsed('export', { format: 'csv' })}>Export</button>
 */
export function useTelemetry(): TelemetryClient {
  return useContext(TelemetryContext) ?? sharedInertClient();
}
