import { nanoid } from 'nanoid';
import {
  describeError,
  type ErrorSource,
  hashComponentStack,
  watchErrors,
} from './autocapture/errors.js';
import { watchHistory } from './autocapture/pageViews.js';
import { watchWebVitals } from './autocapture/webVitals.js';
import { chunkBodies } from './beacon.js';
import { createMountCounter, mountMetadata } from './components.js';
import { browserOptedOut, consentStorageName, createConsent } from './consent.js';
import { coarseContext } from './context.js';
import { createDebugReporter } from './debug.js';
import { createDelivery, type DropCounts } from './delivery.js';
import { resolveEnvironment } from './environment.js';
import { createIdentity } from './identity.js';
import { createInertClient } from './inert.js';
import { createKeyValue, parseJson } from './keyValue.js';
import { createQueue } from './queue.js';
import { createSampler } from './sampling.js';
import { cleanMetadata, LIMITS, sanitizePath } from './scrub.js';
import { createFetchTransport } from './transport.js';
import type {
  DropReason,
  ErrorInfo,
  Metadata,
  MetadataValue,
  TelemetryClient,
  TelemetryEvent,
  TelemetryOptions,
} from './types.js';

const EVENT_TYPE = /^[A-Za-z0-9][\w.:-]{0,63}$/;
/** Events held in memory while the user has not decided yet; the oldest go first. */
const HELD_LIMIT = 100;
const ERRORS_PER_SESSION = 25;

type CleanMetadata = { [key: string]: MetadataValue };

/** An accepted event before consent gives it ids. */
interface Draft {
  type: string;
  metadata: CleanMetadata;
  at: number;
  path: string | undefined;
}

/**
 * Creates a telemetry client. Nothing is stored, opened or sent until consent is granted.
 * Never throws: without a DOM (server rendering) or with unusable options it returns an inert
 * client whose methods do nothing.
 *
 * @example
 * const telemetry = createTelemetry({
 *   endpoint: 'https://collector.example.com/v1/events',
 *   serviceName: 'my-app',
 *   consent: { policyVersion: 1 },
 * });
 * telemetry.featureUsed('export', { format: 'csv' });
 */
export function createTelemetry(options: TelemetryOptions): TelemetryClient {
  try {
    return createClient(options);
  } catch (error) {
    try {
      createDebugReporter(options?.debug)('createTelemetry failed; telemetry is off', error);
    } catch {}
    return createInertClient();
  }
}

function createClient(options: TelemetryOptions): TelemetryClient {
  const debug = createDebugReporter(options?.debug);
  if (!options || typeof options !== 'object') {
    debug('createTelemetry needs an options object; telemetry is off');
    return createInertClient();
  }
  const env = resolveEnvironment(options.environment);
  const { window: win, document: doc, navigator: nav, now } = env;
  // No DOM: server rendering or plain Node. An inert client keeps shared code paths working.
  if (!win || !doc) return createInertClient();

  const positive = (value: unknown, fallback: number) =>
    typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.floor(value) : fallback;
  const flushIntervalMs = positive(options.flushIntervalMs, 5_000);
  const maxBatchSize = positive(options.maxBatchSize, 50);
  const maxQueueSize = positive(options.maxQueueSize, 10_000);
  const maxEventAgeMs = positive(options.maxEventAgeMs, 7 * 24 * 60 * 60 * 1000);
  const hasName = typeof options.serviceName === 'string' && options.serviceName.length > 0;
  if (!hasName) debug('serviceName is required; "unknown" is used');
  const serviceName = hasName ? options.serviceName.slice(0, 100) : 'unknown';
  const serviceVersion =
    typeof options.serviceVersion === 'string' ? options.serviceVersion.slice(0, 50) : '';
  const policyVersion = options.consent?.policyVersion ?? 1;
  const errorOptions = typeof options.captureErrors === 'object' ? options.captureErrors : {};
  const prefix =
    typeof options.storageKey === 'string' && options.storageKey
      ? options.storageKey
      : 'telemetry-kit';

  const transport =
    options.transport ??
    (typeof options.endpoint === 'string' && options.endpoint
      ? createFetchTransport({ endpoint: options.endpoint, fetch: env.fetch, navigator: nav })
      : undefined);
  if (!transport) debug('no endpoint or transport: events stay on this device and are never sent');

  const kv = createKeyValue(env.localStorage, prefix);
  const consent = createConsent({
    kv,
    consent: options.consent,
    optedOut: browserOptedOut(nav, win),
    now,
  });
  const identity = createIdentity(kv, options.hashSalt ?? `telemetry-kit:${serviceName}`, () =>
    debug('identify() needs Web Crypto (a secure context); no user id is attached'),
  );
  const sample = createSampler(options.sampling);
  const mounts = createMountCounter();
  const baseContext = coarseContext(nav);
  const startedAt = new Date(now()).toISOString();

  const droppedTotals: Partial<Record<DropReason, number>> = {};
  let lastSentAt: string | null = null;
  let lastError: string | null = null;
  let held: Draft[] = [];
  /** Events built while an `identify()` hash is being computed; staged once it is ready. */
  let awaitingUser: TelemetryEvent[] = [];
  let hashing = false;
  /** An `identify()` made before consent: kept in memory only, applied on grant. */
  let pendingUserId: string | null | undefined;
  let stopped = false;
  let sinceFlush = 0;
  let retryAt: number | undefined;
  const errorsSeen = new Set<string>();
  const cleanups: Array<() => void> = [];

  /** The consent gate at persist and send time: re-reads the stored decision. */
  const allowed = () => !stopped && consent.refresh() === 'granted';
  const note = (message: string) => debug(message);

  const queue = createQueue({
    indexedDB: options.storage === 'memory' ? undefined : env.indexedDB,
    databaseName: prefix,
    maxSize: maxQueueSize,
    now,
    allowed,
    onDropped: (reason, count) => delivery.countDropped(reason, count),
    onProblem(message, detail) {
      lastError = message;
      debug(message, detail);
    },
  });

  const envelope = (events: TelemetryEvent[], dropped: Partial<Record<DropReason, number>>) => {
    const receipt = consent.receipt();
    return JSON.stringify({
      service_name: serviceName,
      service_version: serviceVersion,
      sdk: { name: 'telemetry-kit', version: __SDK_VERSION__ },
      sent_at: new Date(now()).toISOString(),
      consent: {
        policy_version: receipt?.policy_version ?? policyVersion,
        granted_at: receipt?.decided_at ?? startedAt,
      },
      dropped,
      events,
    });
  };

  const delivery = createDelivery({
    transport,
    queue,
    maxBatchSize,
    maxEventAgeMs,
    now,
    random: Math.random,
    allowed,
    envelope,
    onDropped(reason, count) {
      droppedTotals[reason] = (droppedTotals[reason] ?? 0) + count;
      debug(`events were dropped: ${reason}`);
    },
    onDelivered(_count, at) {
      lastSentAt = new Date(at).toISOString();
      lastError = null;
    },
    onError(message) {
      lastError = message;
      debug(message);
    },
    // Kept in localStorage (only ever written with consent) so that the next page load of a
    // site whose collector is down keeps waiting instead of beaconing into the outage.
    retryAt: {
      get: () => (retryAt ??= Number(kv.get('retry_at')) || 0),
      set(at) {
        if (at === retryAt) return;
        retryAt = at;
        if (at) kv.set('retry_at', String(at));
        else kv.remove('retry_at');
      },
    },
    dropCounts: {
      get() {
        const stored = parseJson(kv.get('dropped'));
        const counts: DropCounts = {};
        if (stored && typeof stored === 'object') {
          for (const [reason, count] of Object.entries(stored)) {
            if (Number.isSafeInteger(count) && count > 0) counts[reason as DropReason] = count;
          }
        }
        return counts;
      },
      set(counts) {
        if (Object.keys(counts).length) kv.set('dropped', JSON.stringify(counts));
        else kv.remove('dropped');
      },
    },
  });

  let rawPath = '';
  let cleanPath = '/';
  const sanitize = (path: string) => {
    try {
      const result = options.sanitizePath ? options.sanitizePath(path) : sanitizePath(path);
      if (typeof result === 'string') return result.slice(0, 300);
    } catch {}
    debug('sanitizePath failed or returned a non-string; the built-in sanitiser was used');
    return sanitizePath(path);
  };
  const currentPath = () => {
    const path = String(win.location?.pathname ?? '/');
    if (path !== rawPath) {
      rawPath = path;
      cleanPath = sanitize(path);
    }
    return cleanPath;
  };

  const buildEvent = (
    type: string,
    metadata: CleanMetadata,
    at: number,
    path: string | undefined,
    ids: { anonymousId: string; sessionId: string; userId?: string | undefined },
  ): TelemetryEvent => {
    const event: TelemetryEvent = {
      id: nanoid(),
      event_type: type,
      timestamp: new Date(at).toISOString(),
      anonymous_id: ids.anonymousId,
      session_id: ids.sessionId,
      metadata,
      context: path === undefined ? { ...baseContext } : { ...baseContext, path },
    };
    if (ids.userId) event.user_id = ids.userId;
    return event;
  };

  const applyBeforeSend = (event: TelemetryEvent): TelemetryEvent | null => {
    const beforeSend = options.beforeSend;
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
      metadata: cleanMetadata(edited.metadata, note).value,
    };
  };

  const stage = (event: TelemetryEvent) => {
    queue.stage(event);
    if (++sinceFlush >= maxBatchSize) {
      sinceFlush = 0;
      setTimeout(() => void delivery.flush('scheduled'), 0);
    }
  };

  /** Gives an accepted event its ids and session, samples it, and stages it. Consent: granted. */
  const admit = (draft: Draft) => {
    const session = identity.touchSession(draft.at);
    const anonymousId = identity.anonymousId();
    const userId = identity.userId();
    const add = (
      type: string,
      metadata: CleanMetadata,
      at: number,
      path: string | undefined,
      sessionId: string,
      rate = 1,
    ) => {
      const built = buildEvent(type, metadata, at, path, { anonymousId, sessionId, userId });
      if (rate < 1) built.sampling_rate = rate;
      const event = applyBeforeSend(built);
      if (!event) return;
      if (hashing) awaitingUser.push(event);
      else stage(event);
    };
    if (session.ended) {
      add(
        'session.end',
        { duration_ms: session.ended.durationMs },
        session.ended.at,
        undefined,
        session.ended.sessionId,
      );
    }
    if (session.started) add('session.start', {}, draft.at, draft.path, session.sessionId);
    const rate = sample(draft.type, session.sessionId);
    if (rate > 0) add(draft.type, draft.metadata, draft.at, draft.path, session.sessionId, rate);
  };

  /** The consent gate where events are accepted. */
  const accept = (type: unknown, metadata: CleanMetadata, path: string | undefined) => {
    if (stopped) return;
    const state = consent.get();
    if (state === 'denied') return;
    if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
      debug(
        'event types are 1-64 letters, digits, ".", "_", "-" or ":"; the event was dropped',
        type,
      );
      if (state === 'granted') delivery.countDropped('invalid', 1);
      return;
    }
    const draft: Draft = { type, metadata, at: now(), path };
    if (state === 'granted') {
      admit(draft);
      return;
    }
    held.push(draft);
    if (held.length > HELD_LIMIT) held.shift();
  };

  const clean = (metadata: unknown): CleanMetadata | null => {
    const cleaned = cleanMetadata(metadata, note);
    if (cleaned.size <= LIMITS.metadataSize) return cleaned.value;
    debug(`metadata over ${LIMITS.metadataSize} characters; the event was dropped`);
    if (consent.get() === 'granted') delivery.countDropped('too_large', 1);
    return null;
  };
  const validName = (name: unknown, what: string): name is string => {
    if (typeof name === 'string' && name.length > 0 && name.length <= 200) return true;
    debug(`${what} needs a name (a non-empty string); the call was ignored`, name);
    return false;
  };

  const drainMounts = () => {
    if (consent.get() !== 'granted') return;
    for (const mount of mounts.drain()) {
      admit({
        type: 'component.mount',
        metadata: mountMetadata(mount),
        at: mount.firstAt,
        path: undefined,
      });
    }
  };

  const reportError = (
    error: unknown,
    source: ErrorSource,
    extra?: unknown,
    componentStack?: string,
  ) => {
    if (stopped || consent.get() === 'denied') return;
    const metadata = describeError(error, source, errorOptions.includeStack === true);
    if (componentStack) metadata.component_stack_hash = hashComponentStack(componentStack);
    const hash = String(metadata.error_hash);
    // Uncaught errors repeat (a failing render loop, a timer): one event per distinct error.
    if (source !== 'manual' && source !== 'boundary' && errorsSeen.has(hash)) return;
    if (errorsSeen.size >= (errorOptions.maxPerSession ?? ERRORS_PER_SESSION)) {
      debug('the per-session error cap was reached; further errors are not recorded');
      return;
    }
    errorsSeen.add(hash);
    const cleaned = extra === undefined ? {} : clean(extra);
    if (cleaned) accept('error', { ...cleaned, ...metadata }, currentPath());
  };

  const applyIdentify = (userId: string | null) => {
    identity.identify(userId);
    if (userId === null) return;
    hashing = true;
    void identity.ready().then(() => {
      hashing = false;
      const ready = awaitingUser;
      awaitingUser = [];
      const hash = identity.userId();
      for (const event of ready) {
        if (hash) event.user_id = hash;
        if (allowed()) stage(event);
      }
    });
  };

  // Timers and listeners -------------------------------------------------------------------

  let interval: ReturnType<typeof setInterval> | undefined;
  let vitalsStarted = false;

  const tick = () => {
    drainMounts();
    if (queue.size() > 0) void delivery.flush('scheduled');
  };

  const startDelivery = () => {
    if (interval === undefined) interval = setInterval(tick, flushIntervalMs);
    if (options.webVitals && !vitalsStarted) {
      vitalsStarted = true;
      watchWebVitals((metric) =>
        accept('web_vital', { ...metric, path: currentPath() }, currentPath()),
      ).catch((error) => debug('web-vitals could not be loaded', error));
    }
    // Pick up what earlier pages or closed tabs left in the queue.
    void delivery.flush('scheduled');
  };

  const stopDelivery = () => {
    if (interval !== undefined) clearInterval(interval);
    interval = undefined;
  };

  const discardEverything = async () => {
    held = [];
    awaitingUser = [];
    pendingUserId = undefined;
    mounts.clear();
    delivery.abort();
    identity.clear();
    await queue.destroy();
  };

  consent.subscribe((state) => {
    if (state === 'granted') {
      if (pendingUserId !== undefined) applyIdentify(pendingUserId);
      pendingUserId = undefined;
      const drafts = held;
      held = [];
      for (const draft of drafts) admit(draft);
      startDelivery();
    } else {
      stopDelivery();
      // A revoke, here or in another tab: the queue, the ids and the database go.
      if (state === 'denied') void discardEverything();
    }
  });

  type Events = WindowEventMap & { visibilitychange: Event };
  const listen = <K extends keyof Events>(type: K, handler: (event: Events[K]) => void) => {
    win.addEventListener(type, handler as EventListener);
    cleanups.push(() => win.removeEventListener(type, handler as EventListener));
  };

  // Another tab decided: the storage event carries it here at once.
  listen('storage', (event) => {
    if (event.key === null || event.key === kv.keyOf(consentStorageName)) consent.refresh();
  });
  listen('online', () => {
    drainMounts();
    void delivery.flush('explicit');
  });

  /**
   * Page hide: send this tab's undelivered events by beacon. Listening on `window` in the bubble
   * phase runs after web-vitals' capture-phase `visibilitychange` listener, so the final INP and
   * CLS values it reports on hide are already queued here.
   */
  const onHide = (event: Event) => {
    if (event.type === 'visibilitychange' && doc.visibilityState !== 'hidden') return;
    if (!allowed()) return;
    drainMounts();
    // During an outage a beacon would be lost: keep the events stored for the next attempt.
    if (!transport || delivery.backingOff() || nav?.onLine === false) {
      void queue.persist();
      return;
    }
    const busy = delivery.inFlight();
    const events = queue.unacknowledged().filter((item) => !busy.has(item.id));
    const dropped = delivery.unreported();
    const sent: string[] = [];
    for (const chunk of chunkBodies(events, (list) => envelope(list, dropped))) {
      if (transport.beacon?.(chunk.body)) {
        sent.push(...chunk.ids);
        continue;
      }
      // No sendBeacon, or it refused (quota): a keepalive fetch, acknowledged if the page lives.
      void transport.send(chunk.body, {}).then((response) => {
        if (response.status >= 200 && response.status < 300)
          void queue.acknowledge(chunk.ids, true);
      });
    }
    if (sent.length) {
      delivery.reported(dropped);
      void queue.acknowledge(sent, true);
    }
    void queue.persist();
  };
  listen('visibilitychange', onHide);
  listen('pagehide', onHide);

  if (options.pageViews) {
    let lastPage: string | undefined;
    const onNavigate = () => {
      const path = currentPath();
      if (path === lastPage) return;
      lastPage = path;
      client.page();
    };
    cleanups.push(watchHistory(win, onNavigate));
    queueMicrotask(onNavigate);
  }
  if (options.captureErrors) cleanups.push(watchErrors(win, reportError));

  // The public surface ----------------------------------------------------------------------

  /** Public methods never throw into the host app; a failure becomes one debug line. */
  const guard =
    <A extends unknown[]>(name: string, body: (...args: A) => void) =>
    (...args: A): void => {
      try {
        body(...args);
      } catch (error) {
        debug(`${name} failed unexpectedly`, error);
      }
    };
  const guardAsync =
    <A extends unknown[], R>(name: string, body: (...args: A) => Promise<R>, fallback: () => R) =>
    async (...args: A): Promise<R> => {
      try {
        return await body(...args);
      } catch (error) {
        debug(`${name} failed unexpectedly`, error);
        return fallback();
      }
    };

  const previewIds = () => ({
    anonymousId: identity.peekAnonymousId() ?? 'pending',
    sessionId: 'pending',
  });

  const client: TelemetryClient = {
    track: guard('track', (eventType: string, metadata?: Metadata) => {
      const cleaned = clean(metadata);
      if (cleaned) accept(eventType, cleaned, currentPath());
    }),
    page: guard('page', (path?: string, metadata?: Metadata) => {
      const cleaned = clean(metadata);
      if (!cleaned) return;
      const pagePath = typeof path === 'string' ? sanitize(path) : currentPath();
      const pageMetadata: CleanMetadata = { path: pagePath };
      if (typeof cleaned.title === 'string') pageMetadata.title = cleaned.title;
      accept('page.view', { ...cleaned, ...pageMetadata }, pagePath);
    }),
    featureToggled: guard('featureToggled', (name: string, enabled: boolean) => {
      if (validName(name, 'featureToggled'))
        accept(
          'feature.toggle',
          { feature: name.slice(0, 200), enabled: enabled === true },
          currentPath(),
        );
    }),
    featureUsed: guard('featureUsed', (name: string, metadata?: Metadata) => {
      if (!validName(name, 'featureUsed')) return;
      const cleaned = clean(metadata);
      if (cleaned)
        accept('feature.use', { ...cleaned, feature: name.slice(0, 200) }, currentPath());
    }),
    componentMounted: guard(
      'componentMounted',
      (name: string, props?: Metadata, info?: { library?: string; version?: string }) => {
        if (stopped || consent.get() === 'denied' || !validName(name, 'componentMounted')) return;
        if (!mounts.add(name.slice(0, 200), props, info, now())) {
          debug(
            'too many distinct component + props combinations in one flush window; the rest are not counted',
          );
          if (consent.get() === 'granted') delivery.countDropped('overflow', 1);
        }
      },
    ),
    captureError: guard('captureError', (error: unknown, metadata?: Metadata, info?: ErrorInfo) => {
      const source = info?.source === 'boundary' ? 'boundary' : 'manual';
      const stack = typeof info?.componentStack === 'string' ? info.componentStack : undefined;
      reportError(error, source, metadata, stack);
    }),
    identify: guard('identify', (userId: string | null) => {
      if (userId !== null && (typeof userId !== 'string' || !userId)) {
        debug('identify() takes a non-empty string, or null to clear; the call was ignored');
        return;
      }
      const state = consent.get();
      if (state === 'granted') applyIdentify(userId);
      else if (state === 'unknown') pendingUserId = userId;
    }),
    consent: {
      get: () => consent.get(),
      grant: guard('consent.grant', () => consent.grant()),
      deny: guard('consent.deny', () => consent.deny()),
      subscribe: (listener) => {
        try {
          return consent.subscribe(listener);
        } catch {
          return () => {};
        }
      },
      receipt: () => consent.receipt(),
    },
    flush: guardAsync(
      'flush',
      async () => {
        drainMounts();
        if (hashing) await identity.ready();
        return delivery.flush('explicit');
      },
      () => ({ delivered: 0, pending: queue.size() }),
    ),
    pending: guardAsync(
      'pending',
      async () => {
        const stored = consent.get() === 'granted' ? await queue.snapshot() : [];
        const ids = previewIds();
        const preview = [
          ...held.map((draft) => buildEvent(draft.type, draft.metadata, draft.at, draft.path, ids)),
          ...mounts
            .peek()
            .map((mount) =>
              buildEvent('component.mount', mountMetadata(mount), mount.firstAt, undefined, ids),
            ),
        ];
        // Copies: the caller may edit what it is shown without touching the queue.
        return JSON.parse(
          JSON.stringify([...stored, ...awaitingUser, ...preview]),
        ) as TelemetryEvent[];
      },
      () => [],
    ),
    status: () => ({
      consent: consent.get(),
      storage: consent.get() === 'granted' ? queue.storage() : 'none',
      queued: held.length + awaitingUser.length + mounts.peek().length + queue.size(),
      dropped: { ...droppedTotals },
      lastSentAt,
      lastError,
    }),
    forget: guardAsync(
      'forget',
      async () => {
        const anonymousId = identity.peekAnonymousId();
        await discardEverything();
        if (!anonymousId || !transport?.deleteSubject) return;
        const response = await transport.deleteSubject(anonymousId);
        if (response.status < 200 || response.status >= 300) {
          lastError = `the collector did not confirm the deletion (${response.status})`;
          debug(lastError);
        }
      },
      () => undefined,
    ),
    shutdown: guardAsync(
      'shutdown',
      async () => {
        if (stopped) return;
        drainMounts();
        if (hashing) await identity.ready();
        if (consent.get() === 'granted') await queue.persist();
        stopped = true;
        stopDelivery();
        for (const cleanup of cleanups.splice(0)) cleanup();
        queue.close();
      },
      () => undefined,
    ),
    preview: (eventType, metadata) => {
      try {
        if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) return null;
        const cleaned = cleanMetadata(metadata, note).value;
        return buildEvent(eventType, cleaned, now(), currentPath(), previewIds());
      } catch {
        return null;
      }
    },
  };

  if (consent.get() === 'granted') startDelivery();
  return client;
}
