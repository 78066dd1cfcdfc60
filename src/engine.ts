import { watchWebVitals } from './autocapture/webVitals.js';
import { type Capture, type Draft, EVENT_TYPE } from './capture.js';
import type { MountLog } from './components.js';
import type { ConsentGate } from './consent.js';
import { coarseContext } from './context.js';
import type { DebugReporter } from './debug.js';
import { createDelivery, type DropCounts, type FlushMode } from './delivery.js';
import { storedBeaconed, storedDropCounts, storedRetryAt } from './deliveryState.js';
import { buildEvent, finishDraft, mergeMounts } from './finish.js';
import { createIdentity } from './identity.js';
import { newId } from './ids.js';
import type { KeyValue } from './keyValue.js';
import { type MountCounter, mountDraft } from './mountCounter.js';
import { createPageHideHandler } from './pageHide.js';
import { createQueue } from './queue.js';
import { createSampler } from './sampling.js';
import { cleanMetadata } from './scrub.js';
import { positive, type Settings } from './settings.js';
import { createFetchTransport } from './transport.js';
import type {
  DropReason,
  FlushResult,
  StorageKind,
  TelemetryEnvironment,
  TelemetryEvent,
  TelemetryOptions,
  TransportResponse,
} from './types.js';

export { mergeMounts, previewEvents } from './finish.js';
export { createMountCounter, mountDraft } from './mountCounter.js';

/**
 * Drafts turned into events (scrubbed, given ids and a session, sampled, shown to `beforeSend`)
 * per task: a burst of 10,000 calls becomes 20 tasks of a few milliseconds, each far from 50 ms
 * even when garbage collection or a busy machine triples it. Persisting waits until all are
 * admitted, so the burst still takes 10 IndexedDB transactions (the queue's write chunk).
 */
const ADMIT_CHUNK = 500;
/** A burst of calls within this window is admitted and persisted together. */
const ADMIT_DELAY_MS = 20;

/** What the client shares with the engine: its settings, its gate and where it reports. */
export interface EngineContext {
  options: TelemetryOptions;
  settings: Settings;
  env: TelemetryEnvironment;
  kv: KeyValue;
  consent: ConsentGate;
  capture: Capture;
  debug: DebugReporter;
  /** The consent gate at persist and send time: re-reads the stored decision. */
  allowed: () => boolean;
  /** Mounts logged by `componentMounted`, not counted yet. */
  log: MountLog;
  /** Where they are counted (the client's: "show me the data" counts before consent too). */
  mounts: MountCounter;
  /** What `status()` reports; the engine keeps it up to date. */
  report: { dropped: DropCounts; lastSentAt: string | null; lastError: string | null };
  /** When the client was created: the consent receipt's time when none is stored. */
  startedAt: string;
  /** The page's path as events record it. */
  currentPath: () => string;
}

/**
 * The delivery engine: everything after an event is accepted — ids and session, sampling,
 * `beforeSend`, staging, persisting in IndexedDB, claiming, sending, the page-hide beacon.
 * It is its own chunk, loaded by the client only once consent is granted: a page whose user
 * never opts in never downloads it.
 */
export function createEngine(context: EngineContext) {
  const { options, env, kv, consent, capture, debug, allowed, report } = context;
  const { now } = env;
  /** The coarse, page-independent part of every event's context. */
  const eventContext = coarseContext(env.navigator);
  const settings = {
    ...context.settings,
    serviceVersion:
      typeof options.serviceVersion === 'string' ? options.serviceVersion.slice(0, 50) : '',
    flushIntervalMs: positive(options.flushIntervalMs, 5_000),
    // ~335 bytes an event on the wire: 100 make ~33 KB, inside the 64 KiB keepalive quota,
    // and half the per-request work of 50.
    maxBatchSize: positive(options.maxBatchSize, 100),
    // Week-old usage data misleads more than it informs, and data should not linger.
    maxEventAgeMs: positive(options.maxEventAgeMs, 7 * 24 * 60 * 60 * 1000),
  };
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
  const sample = createSampler(options.sampling);
  /** Events built while an `identify()` hash is being computed; staged once it is ready. */
  let awaitingUser: TelemetryEvent[] = [];
  let hashing = false;
  let sinceFlush = 0;
  /** A batch filled up during a burst's admission: flush once the admission ends. */
  let flushWanted = false;
  let admitTimer: ReturnType<typeof setTimeout> | undefined;
  /** True while the start-up flush runs: new drafts wait for it (see `start`). */
  let holding = false;
  let interval: ReturnType<typeof setInterval> | undefined;

  const queue = createQueue({
    indexedDB: options.storage === 'memory' ? undefined : env.indexedDB,
    databaseName: settings.storageKey,
    maxSize: settings.maxQueueSize,
    now,
    allowed,
    onDropped: (reason, count) => delivery.countDropped(reason, count),
    onProblem(message, detail) {
      report.lastError = message;
      debug(message, detail);
    },
  });

  const envelope = (events: TelemetryEvent[], dropped: DropCounts) => {
    const receipt = consent.receipt();
    return JSON.stringify({
      service_name: settings.serviceName,
      service_version: settings.serviceVersion,
      sdk: { name: 'telemetry-kit', version: __SDK_VERSION__ },
      sent_at: new Date(now()).toISOString(),
      consent: {
        policy_version: receipt?.policy_version ?? settings.policyVersion,
        granted_at: receipt?.decided_at ?? context.startedAt,
      },
      dropped,
      events,
    });
  };

  const beaconed = storedBeaconed(kv);
  const delivery = createDelivery({
    transport,
    queue,
    maxBatchSize: settings.maxBatchSize,
    maxEventAgeMs: settings.maxEventAgeMs,
    now,
    random: Math.random,
    allowed,
    envelope,
    onDropped(reason, count) {
      report.dropped[reason] = (report.dropped[reason] ?? 0) + count;
      debug(`events were dropped: ${reason}`);
    },
    onDelivered(_count, at) {
      report.lastSentAt = new Date(at).toISOString();
      report.lastError = null;
    },
    onError(message) {
      report.lastError = message;
      debug(message);
    },
    retryAt: storedRetryAt(kv),
    dropCounts: storedDropCounts(kv, allowed),
    beaconed,
  });

  const stage = (event: TelemetryEvent) => {
    if (hashing) {
      awaitingUser.push(event);
      return;
    }
    queue.stage(event);
    if (++sinceFlush >= settings.maxBatchSize) {
      sinceFlush = 0;
      // In the middle of a burst's admission, the flush waits for its end: flushing now would
      // persist a partial chunk in a transaction of its own.
      if (capture.size() > 0) flushWanted = true;
      else setTimeout(() => void delivery.flush('scheduled'), 0);
    }
  };

  const applyBeforeSend = (event: TelemetryEvent): TelemetryEvent | null => {
    const { beforeSend } = options;
    if (typeof beforeSend !== 'function') return event;
    let result: unknown;
    try {
      result = beforeSend(event);
    } catch (error) {
      debug('beforeSend threw; the event was dropped', error);
      delivery.countDropped('invalid', 1);
      return null;
    }
    if (!result) return null;
    const edited = result as Partial<TelemetryEvent>;
    if (
      typeof edited !== 'object' ||
      typeof edited.event_type !== 'string' ||
      !EVENT_TYPE.test(edited.event_type)
    ) {
      debug('beforeSend returned something that is not an event; it was dropped');
      delivery.countDropped('invalid', 1);
      return null;
    }
    // Whatever beforeSend added goes through the same scrubbing as caller metadata.
    return {
      ...event,
      event_type: edited.event_type,
      metadata: cleanMetadata(edited.metadata, (message) => debug(message)).value,
    };
  };

  /** Gives a draft its ids and session, samples it, lets `beforeSend` see it, and stages it. */
  const admit = (draft: Draft) => {
    // Scrubbed first: a session it starts takes its path.
    finishDraft(draft, debug);
    const session = identity.touchSession(draft.at);
    const ids = {
      anonymousId: identity.anonymousId(),
      sessionId: session.sessionId,
      userId: identity.userId(),
    };
    const add = (event: TelemetryEvent, rate = 1) => {
      if (rate < 1) event.sampling_rate = rate;
      const edited = applyBeforeSend(event);
      if (edited) stage(edited);
    };
    if (session.ended) {
      const { ended } = session;
      const metadata = { duration_ms: ended.durationMs };
      const end: Draft = {
        id: newId(),
        type: 'session.end',
        metadata,
        at: ended.at,
        path: undefined,
      };
      add(buildEvent(end, eventContext, { ...ids, sessionId: ended.sessionId }, debug));
    }
    if (session.started) {
      const start: Draft = {
        id: newId(),
        type: 'session.start',
        metadata: {},
        at: draft.at,
        path: draft.path,
      };
      add(buildEvent(start, eventContext, ids, debug));
    }
    const rate = sample(draft.type, session.sessionId);
    if (rate > 0) add(buildEvent(draft, eventContext, ids, debug), rate);
  };

  /** Counts the mounts logged since the last count. */
  const countMounts = () => {
    const { entries, at } = context.log.take();
    const rejected = context.mounts.addLogged(entries, at);
    if (!rejected) return;
    debug('too many component + props combinations in one window; the rest are not counted');
    delivery.countDropped('overflow', rejected);
  };

  /**
   * Ends the mount-count window: each aggregated count becomes one event; counts whose props
   * scrub to the same values become one.
   */
  const drainMounts = () => {
    if (!allowed()) return;
    countMounts();
    const drafts = mergeMounts(context.mounts.drain().map(mountDraft), debug);
    for (const draft of drafts) capture.enqueue(draft);
  };

  /** Admits every draft now (a page hide, a flush, "show me the data"). */
  const admitAll = () => {
    clearTimeout(admitTimer);
    admitTimer = undefined;
    if (!allowed()) return;
    for (const draft of capture.take(Number.POSITIVE_INFINITY)) admit(draft);
  };

  /**
   * Admits drafts a chunk per task, then persists them: a burst costs the caller only the
   * drafts, and no task here runs long.
   */
  const admitSoon = (delay: number) => {
    admitTimer ??= setTimeout(() => {
      admitTimer = undefined;
      if (!allowed()) return;
      countMounts();
      for (const draft of capture.take(ADMIT_CHUNK)) admit(draft);
      if (capture.size()) {
        admitSoon(0);
        return;
      }
      void queue.persist();
      if (flushWanted) {
        flushWanted = false;
        setTimeout(() => void delivery.flush('scheduled'), 0);
      }
    }, delay);
  };

  const onHide = createPageHideHandler({
    document: env.document as Document,
    navigator: env.navigator,
    transport,
    queue,
    delivery,
    allowed,
    envelope,
    beforeSend() {
      drainMounts();
      admitAll();
    },
    beaconed,
  });

  const ready = () => (hashing ? identity.ready() : Promise.resolve());

  // Page-lifecycle listeners and web vitals matter only once there is something to deliver:
  // they start with the engine, on the first grant, and end with `close`.
  let listening = false;
  const cleanups: Array<() => void> = [];
  const listenOnce = () => {
    if (listening) return;
    listening = true;
    const win = env.window as Window;
    const on = (type: string, handler: (event: Event) => void) => {
      win.addEventListener(type, handler);
      cleanups.push(() => win.removeEventListener(type, handler));
    };
    on('online', () => {
      drainMounts();
      void engine.flush('explicit');
    });
    for (const type of ['visibilitychange', 'pagehide', 'pageshow']) on(type, onHide);
    if (options.webVitals) {
      watchWebVitals((metric) => {
        const path = context.currentPath();
        capture.accept('web_vital', { ...metric, path }, path);
      }).catch((error) => debug('web-vitals could not be loaded', error));
    }
  };

  const engine = {
    /** Consent is granted: take what waits, send what earlier pages left, flush on a timer. */
    start(early: DropCounts, userId: string | null | undefined) {
      listenOnce();
      for (const [reason, count] of Object.entries(early) as Array<[DropReason, number]>)
        delivery.countDropped(reason, count);
      if (userId !== undefined) this.identify(userId);
      interval ??= setInterval(() => {
        drainMounts();
        admitAll();
        if (queue.size() > 0) void delivery.flush('scheduled');
      }, settings.flushIntervalMs);
      // Open the store now (status() reports it) and send what earlier pages or closed tabs
      // left in the queue. Drafts accepted while this chunk loaded wait for that first claim
      // (at most a second): a batch claimed by a page that closes before its answer stays
      // leased, so fresh events are better left to the next flush or the page-hide beacon.
      void queue.store();
      holding = true;
      const admitWaiting = () => {
        if (!holding) return;
        holding = false;
        clearTimeout(wait);
        admitSoon(0);
      };
      const wait = setTimeout(admitWaiting, 1_000);
      void delivery.flush('scheduled').finally(admitWaiting);
    },
    stop() {
      clearInterval(interval);
      interval = undefined;
    },
    /** A draft is waiting (taken once the start-up flush has claimed what it sends). */
    schedule() {
      if (!holding) admitSoon(ADMIT_DELAY_MS);
    },
    identify(userId: string | null) {
      identity.identify(userId);
      if (userId === null) return;
      hashing = true;
      void identity.ready().then(() => {
        hashing = false;
        const waiting = awaitingUser;
        awaitingUser = [];
        const hash = identity.userId();
        for (const event of waiting) {
          if (hash) event.user_id = hash;
          if (consent.refresh() === 'granted') stage(event);
        }
        queue.schedule();
      });
    },
    async flush(mode: FlushMode): Promise<FlushResult> {
      drainMounts();
      admitAll();
      await ready();
      return delivery.flush(mode);
    },
    /** Everything this device holds about the user, as events. */
    async snapshot(): Promise<TelemetryEvent[]> {
      admitAll();
      return [...(await queue.snapshot()), ...awaitingUser];
    },
    countDropped: (reason: DropReason, count: number) => delivery.countDropped(reason, count),
    size: () => queue.size() + awaitingUser.length,
    storage: (): StorageKind => queue.storage(),
    peekAnonymousId: () => identity.peekAnonymousId(),
    /** Consent was revoked or the data forgotten: the queue, the ids and the database go. */
    discard(): Promise<void> {
      clearTimeout(admitTimer);
      admitTimer = undefined;
      awaitingUser = [];
      hashing = false;
      delivery.abort();
      identity.clear();
      return queue.destroy();
    },
    deleteSubject: (anonymousId: string): Promise<TransportResponse> | undefined =>
      transport?.deleteSubject?.(anonymousId),
    async shutdown() {
      drainMounts();
      admitAll();
      await ready();
      if (consent.get() === 'granted') await queue.persist();
    },
    /** After `shutdown` stopped new work: waits for a flush in progress, then closes. */
    async close() {
      await delivery.idle();
      this.stop();
      clearTimeout(admitTimer);
      for (const cleanup of cleanups.splice(0)) cleanup();
      queue.close();
    },
  };
  return engine;
}

export type Engine = ReturnType<typeof createEngine>;
