import type { ConsentState, TelemetryClient } from '../types.js';
import { CLIENT_METHODS, METHOD_NAMES } from './clientMethods.js';
import { createInertClient } from './createInertClient.js';
import { startFlow } from './startFlow.js';

/** Calls kept before a client is attached; far more than a first render ever makes. */
const EARLY_CALL_LIMIT = 1_000;
/**
 * Mounts kept before a client is attached: every tracked instance of a first commit, which a page
 * of 10,000 buttons exceeds. The same bound as the core's mount log, which they go to.
 */
const EARLY_MOUNT_LIMIT = 20_000;

type Method = (a?: unknown, b?: unknown, c?: unknown) => unknown;

/** A client to hand out before the real one exists, and the hand that gives it the real one. */
export interface DeferredClient {
  /**
   * Stable for its lifetime: until `attach` its answers are the inert client's (nothing decided,
   * nothing stored: what a server renders) and its calls are kept, bounded; then it forwards.
   */
  readonly client: TelemetryClient;
  /**
   * Gives it the real client: kept mounts and calls are replayed in order, waiting requests
   * answered, and consent subscribers told the real state. Attaching another client later (one
   * created anew after the first was shut down) moves the facade over to it.
   */
  attach(client: TelemetryClient): void;
  /** True once a client is attached. */
  attached(): boolean;
}

/**
 * Creates a deferred client: for frameworks that must hand a client out before they may create
 * one (React creates it in an effect, after the first render; code that loads the library
 * lazily creates it later). It stays pure until `attach`: closures only, no listener, no timer.
 *
 * @example
 * const deferred = createDeferredClient();
 * renderApp(deferred.client); // may call track() at once
 * queueMicrotask(() => deferred.attach(createTelemetry(options)));
 */
export function createDeferredClient(): DeferredClient {
  const inert = createInertClient();
  let real: TelemetryClient | undefined;
  let early: Array<(client: TelemetryClient) => void> = [];
  let mounts: unknown[][] = [];
  let markReady: (client: TelemetryClient) => void = () => {};
  const ready = new Promise<TelemetryClient>((resolve) => {
    markReady = resolve;
  });
  const listeners = new Set<(state: ConsentState) => void>();
  let unsubscribe = () => {};
  const notify = (state: ConsentState) => {
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch {
        // A listener's failure (or a listener that is no function) is the host's; the others
        // still hear about the change.
      }
    }
  };
  const current = () => real ?? inert;
  const keep = (call: (client: TelemetryClient) => void) => {
    early.push(call);
    if (early.length > EARLY_CALL_LIMIT) early.shift();
  };

  // Three parameters, not rest ones: no method takes more, and a rest array is an allocation
  // per call on what may be a hot path.
  const method = (name: (typeof METHOD_NAMES)[number]): Method => {
    const of = (client: TelemetryClient) => client[name] as Method;
    switch (CLIENT_METHODS[name]) {
      case 'call':
        return (a, b, c) => {
          if (real) of(real)(a, b, c);
          else keep((client) => of(client)(a, b, c));
        };
      case 'mount':
        return (a, b, c) => {
          if (real) of(real)(a, b, c);
          else if (mounts.length < EARLY_MOUNT_LIMIT) mounts.push([a, b, c]);
        };
      case 'request':
        return (a, b, c) =>
          real ? of(real)(a, b, c) : ready.then((client) => of(client)(a, b, c));
      case 'read':
        return (a, b, c) => of(current())(a, b, c);
      case 'flow':
        // Its track() and captureError() are this client's: kept until attach, then forwarded.
        return (a, b) => startFlow(client as unknown as TelemetryClient, a as string, b as never);
    }
  };
  const client: Record<string, unknown> = {};
  for (const name of METHOD_NAMES) client[name] = method(name);
  client.status = () =>
    real ? real.status() : { ...inert.status(), queued: early.length + mounts.length };
  client.consent = {
    get: () => current().consent.get(),
    grant: () => (real ? real.consent.grant() : keep((c) => c.consent.grant())),
    deny: () => (real ? real.consent.deny() : keep((c) => c.consent.deny())),
    subscribe(listener: (state: ConsentState) => void) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    receipt: () => current().consent.receipt(),
    source: () => current().consent.source(),
  } satisfies TelemetryClient['consent'];

  return {
    client: client as unknown as TelemetryClient,
    attach(next) {
      unsubscribe();
      real = next;
      unsubscribe = next.consent.subscribe(notify);
      const calls = early;
      const kept = mounts;
      early = [];
      mounts = [];
      for (const [name, props, info] of kept)
        next.componentMounted(name as string, props as never, info as never);
      for (const call of calls) call(next);
      markReady(next);
      // Subscribers saw the inert client's 'unknown' so far; let them read the real state.
      notify(next.consent.get());
    },
    attached: () => real !== undefined,
  };
}
