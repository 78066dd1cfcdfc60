import type { ConsentController, TelemetryClient } from '../types.js';
import { CLIENT_METHODS, METHOD_NAMES, type MethodName } from './clientMethods.js';

const noop = () => {};
const inertConsent: ConsentController = {
  get: () => 'unknown',
  grant: noop,
  deny: noop,
  subscribe: () => noop,
  receipt: () => null,
};

/** What an inert client answers where a method returns something. */
const INERT_ANSWERS: Partial<{ [name in MethodName]: TelemetryClient[name] }> = {
  flush: () => Promise.resolve({ delivered: 0, pending: 0 }),
  pending: () => Promise.resolve([]),
  status: () => ({
    consent: 'unknown',
    storage: 'none',
    queued: 0,
    dropped: {},
    lastSentAt: null,
    lastError: null,
  }),
  forget: () => Promise.resolve(),
  shutdown: () => Promise.resolve(),
  preview: () => Promise.resolve(null),
};

/**
 * A client that records nothing: what `createTelemetry` returns where there is no DOM (server
 * rendering, Node), and what `useTelemetry()` returns with no provider above it. Every method
 * is safe to call and costs nothing.
 */
export function createInertClient(): TelemetryClient {
  const client: Record<string, unknown> = { consent: inertConsent };
  for (const name of METHOD_NAMES)
    client[name] =
      CLIENT_METHODS[name] === 'call' || CLIENT_METHODS[name] === 'mount'
        ? noop
        : INERT_ANSWERS[name];
  return client as unknown as TelemetryClient;
}
