'use client';
import { useContext } from 'react';
import { createInertClient, type TelemetryClient } from 'telemetry-kit';
import { TelemetryContext } from './context.js';

let inertClient: TelemetryClient | undefined;

/**
 * The client of the nearest `TelemetryProvider`. Without one, a shared inert client whose
 * methods do nothing, so code that records events needs no "is there a provider?" check.
 *
 * @example
 * const telemetry = useTelemetry();
 * <button onClick={() => telemetry.featureUsed('export', { format: 'csv' })}>Export</button>
 */
export function useTelemetry(): TelemetryClient {
  const client = useContext(TelemetryContext);
  if (client) return client;
  // Created on first use, not at import: a module-level call would defeat tree-shaking.
  if (!inertClient) inertClient = createInertClient();
  return inertClient;
}
