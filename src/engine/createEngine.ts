import type { ConsentGate } from '../capture/createConsent.js';
import type { Draft, Inbox } from '../capture/createInbox.js';
import { watchWebVitals } from '../capture/watchWebVitals.js';
import { createBackoff } from '../delivery/createBackoff.js';
import { createDelivery } from '../delivery/createDelivery.js';
import { createPageHideSender } from '../delivery/createPageHideSender.js';
import { createReport } from '../lib/createReport.js';
import type { DebugReporter } from '../lib/debug.js';
import type { Settings } from '../lib/resolveSettings.js';
import { buildEvent } from '../pipeline/buildEvent.js';
import { coarseContext } from '../pipeline/coarseContext.js';
import { createEventPipeline } from '../pipeline/createEventPipeline.js';
import { createIdentity } from '../pipeline/createIdentity.js';
import { createQueue } from '../storage/createQueue.js';
import { eraseDeviceKeys, queueDatabaseName } from '../storage/deviceData.js';
import type { KeyValue } from '../storage/keyValue.js';
import { storedBeaconed, storedDropCounts, storedRetryAt } from '../storage/storedDeliveryState.js';
import { createFetchTransport } from '../transports/createFetchTransport.js';
import type { FlushResult, StorageKind, TelemetryEnvironment, TelemetryOptions } from '../types.js';
import { type BatchHeader, serializeBatch } from '../wire/buildBatch.js';
import type { DropCounts, TelemetryEvent } from '../wire/event.js';
import { createIntake } from './createIntake.js';
import { resolveDeliverySettings } from './resolveDeliverySettings.js';

/** What the client hands the engine: its options, its platform, its gate and its inbox. */
export interface EngineContext {
  options: TelemetryOptions;
  settings: Settings;
  env: TelemetryEnvironment;
  kv: KeyValue;
  consent: ConsentGate;
  /** Where the client's events wait; the engine takes from it and gives nothing back. */
  inbox: Inbox;
  debug: DebugReporter;
  /** The page's path as events record it. */
  currentPath: () => string;
  /** When the client was created: the consent receipt's time when none is stored. */
  startedAt: string;
}

/** What the engine reports for `status()`. */
export interface EngineStatus {
  storage: StorageKind;
  queued: number;
  dropped: DropCounts;
  lastSentAt: string | null;
  lastError: string | null;
}

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
  const report = createReport(debug, storedDropCounts(kv, allowed));
  const transport =
    options.transport ??
    (typeof options.endpoint === 'string' && options.endpoint
      ? createFetchTransport({
          endpoint: options.endpoint,
          fetch: env.fetch,
          navigator: env.navigator,
        })
      : undefined);
  const identity = createIdentity(
    kv,
    options.hashSalt ?? `telemetry-kit:${settings.serviceName}`,
    () => debug('identify() needs Web Crypto (a secure context); no user id is attached'),
  );
  const eventContext = coarseContext(env.navigator);
  const queue = createQueue({
    indexedDB: options.storage === 'memory' ? undefined : env.indexedDB,
    databaseName: queueDatabaseName(settings.storageKey),
    maxSize: settings.maxQueueSize,
    segmentSize: settings.maxBatchSize,
    now,
    allowed,
    report,
  });
  const backoff = createBackoff({ retryAt: storedRetryAt(kv), now, random: Math.random });
  const beaconed = storedBeaconed(kv);
  const header = (): BatchHeader => {
    const receipt = consent.receipt();
    return {
      service_name: settings.serviceName,
      service_version: settings.serviceVersion,
      consent: {
        policy_version: receipt?.policy_version ?? settings.policyVersion,
        granted_at: receipt?.decided_at ?? context.startedAt,
      },
    };
  };
  /** A batch body around events stored serialised (delivery) or in memory (page hide). */
  const body = (eventsJson: string, dropped: DropCounts) =>
    serializeBatch(header(), eventsJson, dropped, now());
  const bodyOf = (events: TelemetryEvent[], dropped: DropCounts) =>
    body(JSON.stringify(events), dropped);
  const delivery = createDelivery({
    transport,
    queue,
    report,
    backoff,
    body,
    maxBatchSize: settings.maxBatchSize,
    maxEventAgeMs: settings.maxEventAgeMs,
    now,
    allowed,
    beaconed,
  });
  const pipeline = createEventPipeline({
    identity,
    sampling: options.sampling,
    beforeSend: options.beforeSend,
    context: eventContext,
    debug,
    report,
  });
  const intake = createIntake({
    inbox,
    pipeline,
    identity,
    queue,
    delivery,
    report,
    debug,
    now,
    maxBatchSize: settings.maxBatchSize,
    allowed,
  });
  const pageHide = createPageHideSender({
    navigator: env.navigator,
    transport,
    queue,
    delivery,
    backoff,
    report,
    body: bodyOf,
    beaconed,
  });

  /** A draft as the event it becomes, with the ids there are so far (placeholders before consent). */
  const preview = (draft: Draft) =>
    buildEvent(
      draft,
      eventContext,
      { anonymousId: identity.peekAnonymousId() ?? 'pending', sessionId: 'pending' },
      debug,
    );

  // Page-lifecycle listeners and web vitals matter only once there is something to deliver:
  // they start with the engine, on the first grant, and end with `shutdown`.
  let interval: ReturnType<typeof setInterval> | undefined;
  const cleanups: Array<() => void> = [];
  const onLifecycle = (event: Event) => {
    const visible = env.document?.visibilityState === 'visible';
    if (event.type === 'pageshow' || (event.type === 'visibilitychange' && visible))
      pageHide.shown();
    else if (allowed()) {
      intake.admitAll();
      pageHide.hidden(event.type === 'pagehide' && visible);
    }
  };
  const listen = () => {
    const win = env.window as Window;
    const on = (type: string, handler: (event: Event) => void) => {
      win.addEventListener(type, handler);
      cleanups.push(() => win.removeEventListener(type, handler));
    };
    on('online', () => void engine.flush());
    for (const type of ['visibilitychange', 'pagehide', 'pageshow']) on(type, onLifecycle);
    if (options.webVitals)
      watchWebVitals((metric) => {
        const path = context.currentPath();
        intake.enqueue({ type: 'web_vital', metadata: { ...metric, path }, at: now(), path });
      }).catch((error) => debug('web-vitals could not be loaded', error));
  };

  const engine = {
    /** Consent is granted: send what earlier pages left, take what waits, flush on a timer. */
    start() {
      if (!cleanups.length) {
        listen();
        cleanups.push(inbox.subscribe(() => intake.schedule()));
      }
      interval ??= setInterval(() => {
        intake.admitAll();
        if (queue.size() > 0) void delivery.flush('scheduled');
      }, settings.flushIntervalMs);
      // Open the store now (status() reports it) and send what earlier pages or closed tabs
      // left in the queue; drafts wait for that first claim (see intake.hold).
      void queue.store();
      intake.hold(delivery.flush('scheduled'));
    },
    async flush(): Promise<FlushResult> {
      intake.admitAll();
      await intake.ready();
      return delivery.flush('explicit');
    },
    /** Everything this device holds about the user, as events: stored, waiting, previewed. */
    async snapshot(): Promise<TelemetryEvent[]> {
      intake.admitDrafts();
      const stored = allowed() ? [...(await queue.snapshot()), ...intake.awaiting()] : [];
      return [...stored, ...[...inbox.waiting(), ...intake.previewMounts()].map(preview)];
    },
    preview,
    status: (): EngineStatus => ({
      storage: queue.storage(),
      queued: queue.size() + intake.size(),
      ...report.snapshot(),
    }),
    /**
     * Consent was revoked, or the data forgotten: the queue, the ids and the database go. After a
     * revoke the engine waits for a new grant; after a forget it goes on, and the next event
     * starts afresh, and the collector is asked to delete what it holds about the old id.
     */
    async discard(reason: 'revoke' | 'forget'): Promise<void> {
      const anonymousId = identity.peekAnonymousId();
      if (reason === 'revoke') {
        clearInterval(interval);
        interval = undefined;
      }
      intake.discard();
      delivery.abort();
      backoff.reset();
      report.clearUnreported();
      identity.reset();
      // Everything up to the first await runs at once, so a grant right after a revoke sees an
      // empty queue and waits for the deletion before it opens the database again.
      const deleting = queue.destroy();
      eraseDeviceKeys(kv);
      await deleting;
      if (reason !== 'forget' || !anonymousId || !transport?.deleteSubject) return;
      const response = await transport.deleteSubject(anonymousId);
      if (response.status < 200 || response.status >= 300)
        report.problem(`the collector did not confirm the deletion (${response.status})`);
    },
    /** Persists what waits, lets a flush in progress end, then stops and closes. */
    async shutdown() {
      if (allowed()) {
        intake.admitAll();
        await intake.ready();
        await queue.persist();
      }
      stopped = true;
      await delivery.idle();
      clearInterval(interval);
      intake.stop();
      for (const cleanup of cleanups.splice(0)) cleanup();
      queue.close();
    },
  };
  return engine;
}

export type Engine = ReturnType<typeof createEngine>;
