import type { ConsentController, TelemetryClient } from '../types.js';

const noop = () => {};
const inertConsent: ConsentController = {
  get: () => 'unknown',
  grant: noop,
  deny: noop,
  subscribe: () => noop,
  receipt: () => null,
};

/**
 * A client that records nothing: what `createTelemetry` returns where there is no DOM (server
 * rendering, Node), and what `useTelemetry()` returns with no provider above it. Every method
 * is safe to call and costs nothing.
 */
export function createInertClient(): TelemetryClient {
  return {
    track: noop,
    page: noop,
    featureToggled: noop,
    featureUsed: noop,
    componentMounted: noop,
    captureError: noop,
    identify: noop,
    consent: inertConsent,
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
}
