import type { ConsentController, Flow, TelemetryClient } from '../types.js';
import { METHOD_NAMES, type MethodName } from './clientMethods.js';

const noop = () => {};
const inertFlow: Flow = { id: '', end: noop, fail: noop };
const inertConsent: ConsentController = {
  get: () => 'unknown',
  grant: noop,
  deny: noop,
  subscribe: () => noop,
  receipt: () => null,
  source: () => null,
};

const resolved =
  <T>(value?: T) =>
  () =>
    Promise.resolve(value);

/** What an inert client answers where a method returns something. */
const INERT_ANSWERS: Partial<Record<MethodName, unknown>> = {
  flush: resolved({ delivered: 0, pending: 0 }),
  pending: resolved([]),
  status: () => ({
    consent: 'unknown',
    storage: 'none',
    queued: 0,
    dropped: {},
    lastSentAt: null,
    lastError: null,
    destinations: [],
  }),
  forget: resolved(),
  collectorCopy: resolved(null),
  shutdown: resolved(),
  preview: resolved(null),
  flow: () => inertFlow,
};

/**
 * A client that records nothing: what `createTelemetry` returns where there is no DOM (server
 * rendering, Node), and what `useTelemetry()` returns with no provider above it. Every method
 * is safe to call and costs nothing.
 */
export function createInertClient(): TelemetryClient {
  const client: Record<string, unknown> = { consent: inertConsent };
  for (const name of METHOD_NAMES) client[name] = INERT_ANSWERS[name] ?? noop;
  return client as unknown as TelemetryClient;
}
