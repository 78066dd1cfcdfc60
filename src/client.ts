import { createErrorReporter, type ErrorSource, watchErrors } from './autocapture/errors.js';
import { watchHistory } from './autocapture/pageViews.js';
import { watchWebVitals } from './autocapture/webVitals.js';
import { type CleanMetadata, createCapture, EVENT_TYPE } from './capture.js';
import { createMountCounter, mountMetadata } from './components.js';
import { browserOptedOut, consentStorageName, createConsent } from './consent.js';
import { coarseContext } from './context.js';
import { createDebugReporter } from './debug.js';
import { createDelivery, type DropCounts } from './delivery.js';
import { storedBeaconed, storedDropCounts, storedRetryAt } from './deliveryState.js';
import { resolveEnvironment } from './environment.js';
import { createIdentity } from './identity.js';
import { createInertClient } from './inert.js';
import { createKeyValue } from './keyValue.js';
import { createPageHideHandler } from './pageHide.js';
import { createPaths } from './paths.js';
import { createQueue } from './queue.js';
import { createSampler } from './sampling.js';
import { cleanMetadata } from './scrub.js';
import { resolveSettings } from './settings.js';
import { createFetchTransport } from './transport.js';
import type {
  ComponentInfo,
  DropReason,
  ErrorInfo,
  Metadata,
  TelemetryClient,
  TelemetryEvent,
  TelemetryOptions,
} from './types.js';

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

  const settings = resolveSettings(options, debug);
  const transport =
    options.transport ??
    (typeof options.endpoint === 'string' && options.endpoint
      ? createFetchTransport({ endpoint: options.endpoint, fetch: env.fetch, navigator: nav })
      : undefined);
  if (!transport) debug('no endpoint or transport: events stay on this device and are never sent');

  const kv = createKeyValue(env.localStorage, settings.storageKey);
  const consent = createConsent({
    kv,
    consent: options.consent,
    policyVersion: settings.policyVersion,
    optedOut: browserOptedOut(nav, win),
    now,
  });
  const identity = createIdentity(
    kv,
    options.hashSalt ?? `telemetry-kit:${settings.serviceName}`,
    () => debug('identify() needs Web Crypto (a secure context); no user id is attached'),
  );
  const paths = createPaths(win, options.sanitizePath, debug);
  const mounts = createMountCounter();
  const startedAt = new Date(now()).toISOString();
  const droppedTotals: DropCounts = {};
  let lastSentAt: string | null = null;
  let lastError: string | null = null;
  let stopped = false;
  let sinceFlush = 0;
  const cleanups: Array<() => void> = [];

  /** The consent gate at persist and send time: re-reads the stored decision. */
  const allowed = () => !stopped && consent.refresh() === 'granted';
  const countDropped = (reason: DropReason, count: number) => delivery.countDropped(reason, count);

  const queue = createQueue({
    indexedDB: options.storage === 'memory' ? undefined : env.indexedDB,
    databaseName: settings.storageKey,
    maxSize: settings.maxQueueSize,
    now,
    allowed,
    onDropped: countDropped,
    onProblem(message, detail) {
      lastError = message;
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
        granted_at: receipt?.decided_at ?? startedAt,
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
    retryAt: storedRetryAt(kv),
    dropCounts: storedDropCounts(kv),
    beaconed,
  });

  const capture = createCapture({
    consent,
    identity,
    sample: createSampler(options.sampling),
    context: coarseContext(nav),
    beforeSend: options.beforeSend,
    now,
    debug,
    countDropped,
    active: () => !stopped,
    stage(event) {
      queue.stage(event);
      if (++sinceFlush >= settings.maxBatchSize) {
        sinceFlush = 0;
        setTimeout(() => void delivery.flush('scheduled'), 0);
      }
    },
  });

  const validName = (name: unknown, what: string): name is string => {
    if (typeof name === 'string' && name.length > 0 && name.length <= 200) return true;
    debug(`${what} needs a name (a non-empty string); the call was ignored`, name);
    return false;
  };

  /** Ends the mount-count window: each aggregated count becomes one event. */
  const drainMounts = () => {
    if (consent.get() !== 'granted') return;
    for (const mount of mounts.drain()) {
      capture.admit({
        id: mount.id,
        type: 'component.mount',
        metadata: mountMetadata(mount),
        at: mount.firstAt,
        path: undefined,
      });
    }
  };

  const reportError = createErrorReporter(
    settings.errors,
    (metadata, extra) => {
      const cleaned = extra === undefined ? {} : capture.clean(extra);
      if (cleaned) capture.accept('error', { ...cleaned, ...metadata }, paths.current());
    },
    () => debug('the error cap was reached; further errors are not recorded'),
  );
  const onError = (
    error: unknown,
    source: ErrorSource,
    extra?: unknown,
    componentStack?: string,
  ) => {
    if (!stopped && consent.get() !== 'denied') reportError(error, source, extra, componentStack);
  };

  // Delivery follows consent ----------------------------------------------------------------

  let interval: ReturnType<typeof setInterval> | undefined;
  let vitalsStarted = false;

  const startDelivery = () => {
    interval ??= setInterval(() => {
      drainMounts();
      if (queue.size() > 0) void delivery.flush('scheduled');
    }, settings.flushIntervalMs);
    if (options.webVitals && !vitalsStarted) {
      vitalsStarted = true;
      watchWebVitals((metric) =>
        capture.accept('web_vital', { ...metric, path: paths.current() }, paths.current()),
      ).catch((error) => debug('web-vitals could not be loaded', error));
    }
    // Open the store now (status() reports it) and pick up what earlier pages or closed tabs
    // left in the queue.
    void queue.store();
    void delivery.flush('scheduled');
  };

  const stopDelivery = () => {
    if (interval !== undefined) clearInterval(interval);
    interval = undefined;
  };

  const discardEverything = async () => {
    capture.discard();
    mounts.clear();
    delivery.abort();
    identity.clear();
    await queue.destroy();
  };

  consent.subscribe((state) => {
    if (state === 'granted') {
      capture.release();
      startDelivery();
    } else {
      stopDelivery();
      // A revoke, here or in another tab: the queue, the ids and the database go.
      if (state === 'denied') void discardEverything();
    }
  });

  // Listeners -------------------------------------------------------------------------------

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
  const onHide = createPageHideHandler({
    document: doc,
    navigator: nav,
    transport,
    queue,
    delivery,
    allowed,
    envelope,
    beforeSend: drainMounts,
    beaconed,
  });
  listen('visibilitychange', onHide);
  listen('pagehide', onHide);
  listen('pageshow', onHide);

  if (options.pageViews) {
    let lastPage: string | undefined;
    const onNavigate = () => {
      const path = paths.current();
      if (path === lastPage) return;
      lastPage = path;
      client.page();
    };
    cleanups.push(watchHistory(win, onNavigate));
    queueMicrotask(onNavigate);
  }
  if (options.captureErrors) cleanups.push(watchErrors(win, onError));

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

  const client: TelemetryClient = {
    track: guard('track', (eventType: string, metadata?: Metadata) => {
      const cleaned = capture.clean(metadata);
      if (cleaned) capture.accept(eventType, cleaned, paths.current());
    }),
    page: guard('page', (path?: string, metadata?: Metadata) => {
      const cleaned = capture.clean(metadata);
      if (!cleaned) return;
      const pagePath = typeof path === 'string' ? paths.sanitize(path) : paths.current();
      const pageMetadata: CleanMetadata = { path: pagePath };
      if (typeof cleaned.title === 'string') pageMetadata.title = cleaned.title;
      capture.accept('page.view', { ...cleaned, ...pageMetadata }, pagePath);
    }),
    featureToggled: guard('featureToggled', (name: string, enabled: boolean) => {
      if (!validName(name, 'featureToggled')) return;
      capture.accept(
        'feature.toggle',
        { feature: name, enabled: enabled === true },
        paths.current(),
      );
    }),
    featureUsed: guard('featureUsed', (name: string, metadata?: Metadata) => {
      if (!validName(name, 'featureUsed')) return;
      const cleaned = capture.clean(metadata);
      if (cleaned) capture.accept('feature.use', { ...cleaned, feature: name }, paths.current());
    }),
    componentMounted: guard(
      'componentMounted',
      (name: string, props?: Metadata, info?: ComponentInfo) => {
        if (stopped || consent.get() === 'denied' || !validName(name, 'componentMounted')) return;
        if (!mounts.add(name, props, info, now())) {
          debug(
            'too many distinct component + props combinations in one flush window; the rest are not counted',
          );
          if (consent.get() === 'granted') countDropped('overflow', 1);
        }
      },
    ),
    captureError: guard('captureError', (error: unknown, metadata?: Metadata, info?: ErrorInfo) => {
      const source = info?.source === 'boundary' ? 'boundary' : 'manual';
      const stack = typeof info?.componentStack === 'string' ? info.componentStack : undefined;
      onError(error, source, metadata, stack);
    }),
    identify: guard('identify', (userId: string | null) => {
      if (userId !== null && (typeof userId !== 'string' || !userId)) {
        debug('identify() takes a non-empty string, or null to clear; the call was ignored');
        return;
      }
      capture.identify(userId);
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
        await capture.ready();
        return delivery.flush('explicit');
      },
      () => ({ delivered: 0, pending: queue.size() }),
    ),
    pending: guardAsync(
      'pending',
      async () => {
        const stored = consent.get() === 'granted' ? await queue.snapshot() : [];
        const aggregated = mounts
          .peek()
          .map((mount) =>
            capture.preview(
              'component.mount',
              mountMetadata(mount),
              mount.firstAt,
              undefined,
              mount.id,
            ),
          );
        // Copies: the caller may edit what it is shown without touching the queue.
        return JSON.parse(
          JSON.stringify([...stored, ...capture.waiting(), ...aggregated]),
        ) as TelemetryEvent[];
      },
      () => [],
    ),
    status: () => ({
      consent: consent.get(),
      storage: consent.get() === 'granted' ? queue.storage() : 'none',
      queued: capture.size() + mounts.peek().length + queue.size(),
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
        await capture.ready();
        if (consent.get() === 'granted') await queue.persist();
        stopped = true;
        // A flush in progress ends its claims before the store closes under it.
        await delivery.idle();
        stopDelivery();
        for (const cleanup of cleanups.splice(0)) cleanup();
        queue.close();
      },
      () => undefined,
    ),
    preview: (eventType, metadata) => {
      try {
        if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) return null;
        const cleaned = cleanMetadata(metadata, (message) => debug(message)).value;
        const path = paths.current();
        // Built-in types get the fields their methods add, so the example matches a real event.
        if (eventType === 'page.view' && typeof cleaned.path !== 'string') cleaned.path = path;
        return capture.preview(eventType, cleaned, now(), path);
      } catch {
        return null;
      }
    },
  };

  if (consent.get() === 'granted') startDelivery();
  return client;
}
