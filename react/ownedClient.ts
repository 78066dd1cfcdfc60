'use client';
import {
  createDeferredClient,
  createTelemetry,
  type TelemetryClient,
  type TelemetryOptions,
} from 'telemetry-kit';

/**
 * A client that a `TelemetryProvider` owns, split in two so that React can render it purely:
 * `client` is the core's deferred client (closures only, safe in a render or a `useState`
 * initializer, which StrictMode calls twice), and `start` / `stop` create and shut down the real
 * client from effects.
 */
export interface OwnedClient {
  /** Stable for the provider's lifetime: forwards to the real client, keeping early calls. */
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
  const deferred = createDeferredClient();
  let real: TelemetryClient | undefined;
  let running = false;
  let stopTimer: ReturnType<typeof setTimeout> | undefined;
  return {
    client: deferred.client,
    start() {
      clearTimeout(stopTimer);
      stopTimer = undefined;
      if (running) return;
      running = true;
      real = createTelemetry(options);
      deferred.attach(real);
    },
    stop() {
      if (!running || stopTimer !== undefined) return;
      stopTimer = setTimeout(() => {
        running = false;
        // A later `start` (a re-shown Activity) creates a fresh client; until then calls reach
        // the shut-down one, which ignores them.
        void real?.shutdown();
      }, 0);
    },
  };
}
