import type { TelemetryClient } from 'telemetry-kit';

/**
 * Clients a `TelemetryProvider` owns but has not created yet (it does so in an effect, after
 * the first render). Until then their consent reads `unknown` whatever the user decided, so a
 * consent dialog must wait rather than flash open for a user who already answered.
 */
export const notStarted = new WeakSet<TelemetryClient>();
