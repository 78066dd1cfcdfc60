import type { CleanMetadata } from '../capture/createInbox.js';
import { eraseDeviceKeys } from '../storage/eraseDeviceKeys.js';
import type { FlushResult, TelemetryStatus } from '../types.js';
import type { TelemetryEvent } from '../wire/event.js';
import { assembleStages } from './assembleStages.js';
import { askForCopy, askToDelete } from './createLane.js';
import { createPreview } from './createPreview.js';
import type { EngineContext } from './engineContext.js';
import { engineStatus } from './engineStatus.js';
import { resolveDeliverySettings } from './resolveDeliverySettings.js';
import { watchPageLifecycle } from './watchPageLifecycle.js';

/**
 * The delivery engine: everything after an event is accepted — the event pipeline, the queue,
 * delivery and the page-hide beacon. It is its own chunk, loaded by the client once consent is
 * granted (or when "show me the data" asks for a preview before that, which touches no storage):
 * a page whose user never opts in never downloads it. It owns its drop counts and last error.
 */
export function createEngine(context: EngineContext) {
  const { options, env, kv, consent, inbox, debug } = context;
  const { now } = env;
  const settings = resolveDeliverySettings(options, context.settings);
  /** Set by `shutdown`: nothing is written or sent from then on. */
  let stopped = false;
  /** The consent gate at persist and send time: re-reads the stored decision. */
  const allowed = () => !stopped && consent.refresh() === 'granted';
  const stages = assembleStages(context, settings, allowed);
  const { report, identity, intake, lanes } = stages;
  const { queue } = lanes.main;
  const preview = createPreview(stages, debug);

  // Page-lifecycle listeners and web vitals matter only once there is something to deliver:
  // they start with the engine, on the first grant, and end with `shutdown`.
  let interval: ReturnType<typeof setInterval> | undefined;
  /** Started since the last grant: a revoke stops it, and the next grant starts it again. */
  let started = false;
  const cleanups: Array<() => void> = [];
  const listen = () =>
    watchPageLifecycle({
      window: env.window as Window,
      document: env.document,
      allowed,
      admitAll: intake.admitAll,
      abandonFlows: intake.abandonFlows,
      pageHide: {
        shown: () => {
          for (const lane of [lanes.main, ...lanes.destinations]) lane.pageHide.shown();
        },
        hidden: (beforeVisibilityChange) => {
          for (const lane of [lanes.main, ...lanes.destinations])
            lane.pageHide.hidden(beforeVisibilityChange);
        },
      },
      flush: () => void engine.flush(),
      webVitals: options.webVitals === true,
      onVital: intake.enqueue,
      currentPath: context.currentPath,
      now,
      debug,
    });

  const engine = {
    /**
     * Consent is granted: send what earlier pages left, take what waits, flush on a timer. Once
     * per grant: the client calls it whenever it needs the engine with consent.
     */
    start() {
      if (started) return;
      started = true;
      if (!cleanups.length)
        cleanups.push(
          listen(),
          inbox.subscribe(() => intake.schedule()),
        );
      interval ??= setInterval(() => {
        intake.admitAll();
        lanes.flushWaiting();
      }, settings.flushIntervalMs);
      // Open the stores now (status() reports the app's) and send what earlier pages or closed
      // tabs left in the queues; drafts wait for that first claim (see intake.hold).
      lanes.record();
      lanes.open();
      intake.hold(lanes.flush('scheduled'));
    },
    async flush(): Promise<FlushResult> {
      intake.admitAll();
      await intake.ready();
      return lanes.flush('explicit');
    },
    /**
     * Everything this device holds about the user, as events: stored, waiting, previewed. Copies:
     * the caller may edit what it is shown without touching the queue.
     */
    async snapshot(): Promise<TelemetryEvent[]> {
      intake.admitDrafts();
      const stored = allowed() ? [...(await queue.snapshot()), ...intake.awaiting()] : [];
      return JSON.parse(
        JSON.stringify([
          ...stored,
          ...[...inbox.waiting(), ...intake.previewMounts()].map(preview),
        ]),
      );
    },
    /**
     * `preview()` once the client has checked the type and cleaned the metadata (in the call: the
     * caller may change its object afterwards). Built-in types get the fields their methods add,
     * so the example matches a real event.
     */
    previewCall(type: string, metadata: CleanMetadata, path: string, at: number) {
      if (type === 'page.view' && typeof metadata.path !== 'string') metadata.path = path;
      return preview({ type, metadata, at, path });
    },
    /**
     * What `status()` says besides consent, with what waits in the inbox and the drops it counted.
     * Until it is started (since the last grant), the storage is reported as none.
     */
    status: (): Omit<TelemetryStatus, 'consent'> =>
      engineStatus(report, inbox.untakenDrops(), {
        storage: started && consent.get() === 'granted' ? queue.storage() : 'none',
        queued: inbox.size() + queue.size() + intake.size(),
        destinations: lanes.status(),
      }),
    /**
     * Consent was revoked, or the data forgotten: the queue, the ids and the database go. After a
     * revoke the engine waits for a new grant; after a forget it goes on, and the next event
     * starts afresh, and the collector is asked to delete what it holds about the old id. Each
     * destination is asked to delete its own id on both.
     */
    async discard(reason: 'revoke' | 'forget'): Promise<void> {
      const anonymousId = identity.peekAnonymousId();
      if (reason === 'revoke') {
        started = false;
        clearInterval(interval);
        interval = undefined;
      }
      intake.discard();
      identity.discard();
      // Everything up to the first await runs at once, so a grant right after a revoke sees
      // empty queues and waits for the deletion before it opens the databases again.
      const deleting = lanes.discard();
      eraseDeviceKeys(kv);
      await deleting;
      if (reason === 'forget' && anonymousId) await askToDelete(lanes.main, anonymousId);
    },
    /** What the app's collector holds about the anonymous id (`collectorCopy()`). */
    collectorCopy: () => askForCopy(lanes.main, identity.peekAnonymousId()),
    /** Persists what waits, lets a flush in progress end, then stops and closes. */
    async shutdown() {
      if (allowed()) {
        intake.admitAll();
        await intake.ready();
        await lanes.persist();
      }
      stopped = true;
      clearInterval(interval);
      intake.close();
      for (const cleanup of cleanups.splice(0)) cleanup();
      await lanes.close();
    },
  };
  return engine;
}

export type Engine = ReturnType<typeof createEngine>;
