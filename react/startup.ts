import type { TelemetryClient } from 'telemetry-kit';

/**
 * Clients a `TelemetryProvider` owns but has not created yet (it does so in an effect, after
 * the first render). Until then their consent reads `unknown` whatever the user decided, so a
 * consent dialog must wait rather than flash open for a user who already answered.
 */
const notStarted = new WeakSet<TelemetryClient>();

/** Marks a provider's client as not created yet. */
export function markNotStarted(client: TelemetryClient): void {
  notStarted.add(client);
}

/** Marks a provider's client as created: its consent state is the user's. */
export function markStarted(client: TelemetryClient): void {
  notStarted.delete(client);
}

/** False while `client` is a provider's client that does not exist yet. */
export function isStarted(client: TelemetryClient): boolean {
  return !notStarted.has(client);
}
