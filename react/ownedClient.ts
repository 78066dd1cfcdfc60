'use client';
import {
  type ConsentState,
  createInertClient,
  createTelemetry,
  type TelemetryClient,
  type TelemetryOptions,
} from 'telemetry-kit';
import { notStarted } from './startup.js';

/** Calls made before the real client exists; far more than a first render ever makes. */
const EARLY_CALL_LIMIT = 1_000;
/**
 * Component mounts before the real client exists: every tracked instance of the first commit
 * (children's effects run before the provider's), which a page of 10,000 buttons exceeds. The
 * same bound as the core's mount log, which they go to.
 */
const EARLY_MOUNT_LIMIT = 20_000;

/**
 * A client that a `TelemetryProvider` owns, split in two so that React can render it purely:
 * `client` is a stable facade made of closures only (safe in a render or a `useState`
 * initializer, which StrictMode calls twice), and `start` / `stop` create and shut down the real
 * client from effects.
 */
export interface OwnedClient {
  /** Stable for the provider's lifetime: forwards to the real client, queueing early calls. */
  client: TelemetryClient;
  /** Creates the real client, or keeps the running one when a pending `stop` is cancelled. */
  start(): void;
  /**
   * Shuts the real client down on the next task, unless `start` comes first: StrictMode's
   * simulated unmount is followed by a re-mount in the same commit, which must keep the client
   * (and its listeners, timers and counts) instead of creating a second one.
   */
  stop(): void;
}

/** Wraps `createTelemetry(options)` so that it is created in an effect, once. */
export function createOwnedClient(options: TelemetryOptions): OwnedClient {
  // Until the real client exists, answers are the inert client's, as on the server: nothing
  // decided, nothing stored. That keeps the first client render identical to the server render.
  const inert = createInertClient();
  let real: TelemetryClient | undefined;
  let running = false;
  let stopTimer: ReturnType<typeof setTimeout> | undefined;
  let earlyCalls: Array<(client: TelemetryClient) => void> = [];
  let earlyMounts: Array<Parameters<TelemetryClient['componentMounted']>> = [];
  let markReady: (client: TelemetryClient) => void = () => {};
  const ready = new Promise<TelemetryClient>((resolve) => {
    markReady = resolve;
  });
  const consentListeners = new Set<(state: ConsentState) => void>();
  let unsubscribeReal = () => {};

  /** Runs `call` now, or once the real client exists (children's effects run before ours). */
  const forward = (call: (client: TelemetryClient) => void) => {
    // After the final stop, `real` is the shut-down client, which ignores calls.
    if (real) {
      call(real);
      return;
    }
    earlyCalls.push(call);
    if (earlyCalls.length > EARLY_CALL_LIMIT) earlyCalls.shift();
  };
  const whenReady = <R>(call: (client: TelemetryClient) => Promise<R>): Promise<R> =>
    real ? call(real) : ready.then(call);
  const current = () => real ?? inert;
  const notifyConsent = (state: ConsentState) => {
    for (const listener of [...consentListeners]) {
      try {
        listener(state);
      } catch {
        // A listener's failure (or a listener that is no function) is the host's; the others
        // still hear about the change.
      }
    }
  };

  const client: TelemetryClient = {
    track: (eventType, metadata) => forward((c) => c.track(eventType, metadata)),
    page: (path, metadata) => forward((c) => c.page(path, metadata)),
    featureToggled: (name, enabled) => forward((c) => c.featureToggled(name, enabled)),
    featureUsed: (name, metadata) => forward((c) => c.featureUsed(name, metadata)),
    // The hot call of a first commit: straight to the real client, or kept apart from the
    // other early calls so their limit does not drop mounts.
    componentMounted: (name, props, info) => {
      if (real) real.componentMounted(name, props, info);
      else if (earlyMounts.length < EARLY_MOUNT_LIMIT) earlyMounts.push([name, props, info]);
    },
    captureError: (error, metadata, info) => forward((c) => c.captureError(error, metadata, info)),
    identify: (userId) => forward((c) => c.identify(userId)),
    consent: {
      get: () => current().consent.get(),
      grant: () => forward((c) => c.consent.grant()),
      deny: () => forward((c) => c.consent.deny()),
      subscribe(listener) {
        consentListeners.add(listener);
        return () => {
          consentListeners.delete(listener);
        };
      },
      receipt: () => current().consent.receipt(),
    },
    flush: () => whenReady((c) => c.flush()),
    pending: () => whenReady((c) => c.pending()),
    status: () =>
      real ? real.status() : { ...inert.status(), queued: earlyCalls.length + earlyMounts.length },
    forget: () => whenReady((c) => c.forget()),
    shutdown: () => current().shutdown(),
    preview: (eventType, metadata) => current().preview(eventType, metadata),
  };

  notStarted.add(client);
  return {
    client,
    start() {
      clearTimeout(stopTimer);
      stopTimer = undefined;
      if (running) return;
      running = true;
      const created = createTelemetry(options);
      real = created;
      unsubscribeReal = created.consent.subscribe(notifyConsent);
      const calls = earlyCalls;
      const mounts = earlyMounts;
      earlyCalls = [];
      earlyMounts = [];
      for (const mount of mounts) created.componentMounted(...mount);
      for (const call of calls) call(created);
      markReady(created);
      notStarted.delete(client);
      // Subscribers (useSyncExternalStore) saw 'unknown' so far; let them read the real state.
      notifyConsent(created.consent.get());
    },
    stop() {
      if (!running || stopTimer !== undefined) return;
      stopTimer = setTimeout(() => {
        running = false;
        unsubscribeReal();
        // A later `start` (a re-shown Activity) creates a fresh client; until then calls reach
        // the shut-down one, which ignores them.
        void real?.shutdown();
      }, 0);
    },
  };
}
