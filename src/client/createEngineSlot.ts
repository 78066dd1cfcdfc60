import type { Engine } from '../engine/createEngine.js';
import type { EngineContext } from '../engine/engineContext.js';
import { DEVICE_KEYS } from '../storage/deviceKeys.js';
import { eraseDeviceKeys } from '../storage/eraseDeviceKeys.js';
import type { TelemetryStatus } from '../types.js';

/**
 * The delivery engine as the client holds it: its chunk loaded on first need (consent granted,
 * or a preview before it, which fetches only the library's own code and carries nothing about
 * the user), started on each grant, and told to discard on a revoke or a forget.
 */
export function createEngineSlot(context: EngineContext) {
  const { consent, kv, env, options, settings, debug, inbox } = context;
  let loading: Promise<Engine | null> | null = null;
  let engine: Engine | null = null;
  let loadError: string | null = null;
  /** A deletion of the device's data in progress: a new grant waits for it. */
  let deleting: Promise<void> = Promise.resolve();
  /** The queue database's deletion could not run (its chunk did not load): redo it first. */
  let eraseAgain = false;

  /** Loads the engine (once); resolves null when its chunk cannot be loaded. */
  const load = (): Promise<Engine | null> =>
    (loading ??= import('../engine/createEngine.js').then(
      // `loadError` is left as it is: once there is an engine, status() is the engine's.
      (module) => (engine = module.createEngine(context)),
      (error: unknown) => {
        // A failed chunk load (offline, a deploy that removed it) is retried on the next need.
        loading = null;
        loadError = 'could not load the delivery code';
        debug(loadError, error);
        return null;
      },
    ));

  /**
   * Deletes what an earlier visit or another tab stored, without the engine: the ids and
   * delivery values at once, the queue database with the code that deletes databases (a chunk
   * of its own, shared with the engine, so that no page loads it up front). Should that chunk
   * fail to load, the deletion is done again before the engine starts on the next grant (the
   * engine's chunk imports it): what a revoked database held is never sent.
   */
  const erase = () => {
    eraseDeviceKeys(kv);
    return import('../storage/deviceData.js').then(
      (module) =>
        module.eraseDeviceData(
          kv,
          options.storage === 'memory' ? undefined : env.indexedDB,
          settings.storageKey,
        ),
      (error: unknown) => {
        eraseAgain = true;
        debug('could not load the code that deletes the queue database', error);
      },
    );
  };

  return {
    load,
    /** The engine if its chunk is loaded (started or not). */
    loaded: () => engine,
    /** The engine once consent is granted, starting it if needed; null otherwise. */
    async started(): Promise<Engine | null> {
      if (consent.get() !== 'granted') return null;
      await deleting;
      const loaded = await load();
      if (loaded && eraseAgain) {
        eraseAgain = false;
        deleting = erase();
        await deleting;
      }
      // A revoke (or a shutdown) while the chunk loaded wins.
      if (!loaded || consent.refresh() !== 'granted') return null;
      // Once per grant: the engine knows whether it started since.
      loaded.start();
      return loaded;
    },
    /**
     * What `status()` says besides consent: the engine's (which adds what waits in the inbox and
     * the drops counted there) or, until its chunk is loaded, the inbox's and the chunk load's
     * last problem.
     */
    status: (): Omit<TelemetryStatus, 'consent'> =>
      engine?.status() ?? {
        storage: 'none',
        queued: inbox.size(),
        dropped: { ...inbox.untakenDrops() },
        lastSentAt: null,
        lastError: loadError,
        // The configured destinations with nothing sent yet.
        destinations: settings.destinations.map(({ name, events, libraries }) => ({
          name,
          events,
          libraries,
          queued: 0,
          lastSentAt: null,
          lastError: null,
        })),
      },
    /**
     * A revoke or a forget: the ids, the queue and the database go, from this tab's engine or,
     * where none is loaded, directly (another tab or an earlier visit may have stored them). A
     * forget with a stored anonymous id, or either with a destination's lane recorded, loads the
     * engine, whose transports ask each receiver to delete its id.
     */
    discard(reason: 'revoke' | 'forget'): Promise<void> {
      inbox.discard();
      if (engine) deleting = engine.discard(reason);
      // A lane recorded (its list is written once a lane stores anything): the engine erases it.
      else if (
        (reason === 'forget' && kv.get(DEVICE_KEYS.anonymousId)) ||
        kv.get(DEVICE_KEYS.lanes)
      )
        deleting = load().then((loaded) => (loaded ? loaded.discard(reason) : erase()));
      else deleting = erase();
      return deleting;
    },
  };
}

export type EngineSlot = ReturnType<typeof createEngineSlot>;
