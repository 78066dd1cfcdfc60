import type { TelemetryClient } from '../types.js';

/**
 * What a method of `TelemetryClient` is, for the clients that stand in for a real one (the inert
 * client, the deferred client) and are derived from this list rather than restating the surface:
 * - `call`: records something and returns nothing; kept until there is a client to record it;
 * - `mount`: `componentMounted`, a call on the hot path of a first commit, kept apart;
 * - `request`: returns a promise of what the client knows; waits for the client;
 * - `read`: answers at once, from whatever client there is;
 * - `flow`: `flow()`, which answers at once with a flow whose calls go through the client's.
 * `satisfies` makes a method added to `TelemetryClient` a type error here until it is listed.
 */
export const CLIENT_METHODS = {
  track: 'call',
  page: 'call',
  featureToggled: 'call',
  featureUsed: 'call',
  captureError: 'call',
  identify: 'call',
  flow: 'flow',
  componentMounted: 'mount',
  flush: 'request',
  pending: 'request',
  forget: 'request',
  collectorCopy: 'request',
  status: 'read',
  preview: 'read',
  shutdown: 'read',
} as const satisfies Record<Exclude<keyof TelemetryClient, 'consent'>, MethodKind>;

export type MethodKind = 'call' | 'mount' | 'request' | 'read' | 'flow';

/** The names of the client's methods (all but the `consent` controller). */
export type MethodName = keyof typeof CLIENT_METHODS;

/** Every method name, in the list's order. */
export const METHOD_NAMES = Object.keys(CLIENT_METHODS) as MethodName[];
