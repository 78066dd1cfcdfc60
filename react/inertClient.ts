'use client';
import { createInertClient, type TelemetryClient } from 'telemetry-kit';

let inertClient: TelemetryClient | undefined;

/**
 * One client for the whole app whose methods do nothing, created on first use: a module-level
 * call would defeat tree-shaking.
 */
export function sharedInertClient(): TelemetryClient {
  if (!inertClient) inertClient = createInertClient();
  return inertClient;
}
