import { createErrorReporter, type ErrorSource, watchErrors } from './autocapture/errors.js';
import { watchHistory } from './autocapture/pageViews.js';
import { type CleanMetadata, createCapture, type Draft, EVENT_TYPE } from './capture.js';
import { cleanShape } from './clean.js';
import { createMountLog } from './components.js';
import { browserOptedOut, consentStorageName, createConsent } from './consent.js';
import { createDebugReporter } from './debug.js';
import type { DropCounts } from './delivery.js';
import { clearDeviceKeys, deleteDatabase } from './deviceData.js';
import type { Engine, EngineContext } from './engine.js';
import { resolveEnvironment } from './environment.js';
import { createInertClient } from './inert.js';
import { createKeyValue } from './keyValue.js';
import type { MountCounter } from './mountCounter.js';
import { createPaths } from './paths.js';
import { resolveSettings } from './settings.js';
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
    debug('createTelemetry needs options; telemetry is off');
    return createInertClient();
  }
  const env = resolveEnvironment(options.environment);
  const { window: win, document: doc, navigator: nav, now } = env;
  // No DOM: server rendering or plain Node. An inert client keeps shared code paths working.
  if (!win || !doc) return createInertClient();

  const settings = resolveSettings(options, debug);
  if (!options.transport && !(typeof options.endpoint === 'string' && options.endpoint))
    debug('no endpoint or transport: nothing will be sent');

  const kv = createKeyValue(env.localStorage, settings.storageKey);
  const consent = createConsent({
    kv,
    consent: options.consent,
    policyVersion: settings.policyVersion,
    optedOut: browserOptedOut(nav, win),
    now,
  });
  const paths = createPaths(win, options.sanitizePath, debug);
  const log = createMountLog(now);
  /** Where logged mounts are counted: from the delivery chunk, once it is loaded. */
  let mounts: MountCounter | null = null;
  const report: EngineContext['report'] = { dropped: {}, lastSentAt: null, lastError: null };
  const startedAt = new Date(now()).toISOString();
  /** Set when `shutdown()` begins: no call is accepted from then on. */
  let closing = false;
  /** Set once the last events are persisted: nothing is written or sent from then on. */
  let stopped = false;
  const cleanups: Array<() => void> = [() => paths.dispose()];

  // The delivery engine: loaded once consent is granted, never before --------------------------

  /** The engine once loaded and started; null before consent or while it loads. */
  let engine: Engine | null = null;
  let loading: Promise<Engine | null> | null = null;
  /** Drops counted before the engine was there to keep them. */
  let early: DropCounts = {};
  /** An `identify()` made before the engine was there: kept in memory only, applied on start. */
  let pendingUserId: string | null | undefined;
  /** A deletion of the device's data in progress: a new grant waits for it. */
  let deleting: Promise<void> = Promise.resolve();

  /** The consent gate at persist and send time: re-reads the stored decision. */
  const allowed = () => !stopped && consent.refresh() === 'granted';
  const countDropped = (reason: DropReason, count: number) => {
    if (engine) engine.countDropped(reason, count);
    else early[reason] = (early[reason] ?? 0) + count;
  };

  const capture = createCapture({
    consent,
    now,
    debug,
    maxDrafts: settings.maxQueueSize,
    onAccepted: () => engine?.schedule(),
    countDropped,
    active: () => !closing,
  });

  /**
   * Loads the engine's chunk (once). It is also where drafts become events, so "show me the
   * data" and `preview()` load it before consent too: the request fetches the library's own
   * code and carries nothing about the user. Resolves null when the chunk cannot be loaded.
   */
  let loadingModule: Promise<typeof import('./engine.js') | null> | null = null;
  const loadModule = () =>
    (loadingModule ??= import('./engine.js').then(
      (loaded) => {
        mounts ??= loaded.createMountCounter(now);
        return loaded;
      },
      (error: unknown) => {
        // A failed chunk load (offline, a deploy that removed it) is retried on the next need.
        loadingModule = null;
        report.lastError = 'could not load the delivery code';
        debug(report.lastError, error);
        return null;
      },
    ));

  /** Drafts shown as events, with the ids there are so far. */
  const previewDrafts = async (drafts: Draft[], withMounts = false): Promise<TelemetryEvent[]> => {
    if (!drafts.length && !(withMounts && (log.size() || mounts?.size()))) return [];
    const loaded = await loadModule();
    if (!loaded || !mounts) return [];
    if (withMounts) {
      const { entries, at } = log.take();
      mounts.addLogged(entries, at);
      drafts = [...drafts, ...loaded.mergeMounts(mounts.peek().map(loaded.mountDraft), debug)];
    }
    const ids = {
      anonymousId: engine?.peekAnonymousId() ?? kv.get('id') ?? 'pending',
      sessionId: 'pending',
    };
    return loaded.previewEvents(drafts, nav, ids, debug);
  };

  /** Loads the engine (once); resolves null when its chunk cannot be loaded. */
  const loadEngine = (): Promise<Engine | null> =>
    (loading ??= loadModule().then((loaded) => {
      if (!loaded) {
        loading = null;
        return null;
      }
      return loaded.createEngine({
        options,
        settings,
        env,
        kv,
        consent,
        capture,
        debug,
        allowed,
        log,
        mounts: mounts as MountCounter,
        report,
        startedAt,
        currentPath: paths.current,
      });
    }));

  const startDelivery = async () => {
    await deleting;
    const loaded = await loadEngine();
    // A revoke or a shutdown while the chunk loaded wins.
    if (!loaded || engine || !allowed()) return;
    engine = loaded;
    const drops = early;
    early = {};
    const userId = pendingUserId;
    pendingUserId = undefined;
    loaded.start(drops, userId);
  };

  /**
   * A revoke or a forget: what waits in memory, the ids, the queue and the database go. After a
   * revoke the engine stops; after a forget it goes on, and the next event starts afresh.
   */
  const discardEverything = (revoked: boolean): Promise<void> => {
    capture.discard();
    log.clear();
    mounts?.clear();
    early = {};
    pendingUserId = undefined;
    const running = engine;
    if (revoked) {
      engine = null;
      running?.stop();
    }
    deleting = running
      ? running.discard()
      : (() => {
          // This tab never loaded the engine, but an earlier visit or another tab may have
          // stored ids and events: they go all the same.
          clearDeviceKeys(kv);
          return options.storage !== 'memory' && env.indexedDB
            ? deleteDatabase(env.indexedDB, settings.storageKey)
            : Promise.resolve();
        })();
    return deleting;
  };

  consent.subscribe((state) => {
    if (state === 'granted') void startDelivery();
    // A revoke, here or in another tab.
    else if (state === 'denied') void discardEverything(true);
  });

  const reportError = createErrorReporter(
    settings.errors,
    ({ metadata, frame, componentStack }, extra) => {
      const cleaned = extra === undefined ? {} : capture.clean(extra);
      if (cleaned)
        capture.accept('error', { ...cleaned, ...metadata }, paths.current(), {
          frame,
          componentStack,
        });
    },
    () => debug('error cap reached; later errors are not recorded'),
  );
  const onError = (
    error: unknown,
    source: ErrorSource,
    extra?: unknown,
    componentStack?: string,
  ) => {
    if (!closing && consent.get() !== 'denied') reportError(error, source, extra, componentStack);
  };

  // Listeners -------------------------------------------------------------------------------

  // Another tab decided: the storage event carries it here at once. (The page-lifecycle
  // listeners belong to the engine: before consent there is nothing to deliver.)
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === kv.keyOf(consentStorageName)) consent.refresh();
  };
  win.addEventListener('storage', onStorage);
  cleanups.push(() => win.removeEventListener('storage', onStorage));

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
  // Three parameters, not rest ones: `track()` is the hot path, and a rest array is an
  // allocation per call. No public method takes more than three.
  const guard =
    <A = undefined, B = undefined, C = undefined>(name: string, body: (a: A, b: B, c: C) => void) =>
    (a?: A, b?: B, c?: C): void => {
      try {
        body(a as A, b as B, c as C);
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

  const validName = (name: unknown, what: string): name is string => {
    if (typeof name === 'string' && name.length > 0 && name.length <= 200) return true;
    debug(`${what} needs a non-empty name; ignored`, name);
    return false;
  };

  /** The engine when consent is granted, waiting for it to load. */
  const grantedEngine = async (): Promise<Engine | null> => {
    if (consent.get() !== 'granted') return null;
    if (!engine) await startDelivery();
    return engine;
  };

  /** Events waiting; a logged mount not counted yet counts as one. */
  const queued = () => capture.size() + log.size() + (mounts?.size() ?? 0) + (engine?.size() ?? 0);

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
    // Not wrapped by `guard`: it runs once per tracked component instance, and the wrapper's
    // rest parameters cost an array per call.
    componentMounted(name: string, props?: Metadata, info?: ComponentInfo) {
      try {
        if (closing || consent.get() === 'denied' || !validName(name, 'componentMounted')) return;
        const logged = log.add(name, props, info);
        // The first of a log: the engine counts it (and what follows) a few milliseconds later.
        if (logged === 1) engine?.schedule();
        else if (logged === 0) {
          debug('too many component mounts waiting to be counted; the rest are not counted');
          if (consent.get() === 'granted') countDropped('overflow', 1);
        }
      } catch (error) {
        debug('componentMounted failed unexpectedly', error);
      }
    },
    captureError: guard('captureError', (error: unknown, metadata?: Metadata, info?: ErrorInfo) => {
      const source = info?.source === 'boundary' ? 'boundary' : 'manual';
      const stack = typeof info?.componentStack === 'string' ? info.componentStack : undefined;
      onError(error, source, metadata, stack);
    }),
    identify: guard('identify', (userId: string | null) => {
      if (userId !== null && (typeof userId !== 'string' || !userId)) {
        debug('identify() takes a non-empty string or null; ignored');
        return;
      }
      const state = consent.get();
      if (state === 'granted' && engine) engine.identify(userId);
      else if (state !== 'denied') pendingUserId = userId;
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
        const ready = await grantedEngine();
        return ready ? ready.flush('explicit') : { delivered: 0, pending: queued() };
      },
      () => ({ delivered: 0, pending: queued() }),
    ),
    pending: guardAsync(
      'pending',
      async () => {
        const ready = await grantedEngine();
        const stored = ready ? await ready.snapshot() : [];
        const waiting = await previewDrafts(capture.waiting(), true);
        // Copies: the caller may edit what it is shown without touching the queue.
        return JSON.parse(JSON.stringify([...stored, ...waiting])) as TelemetryEvent[];
      },
      () => [],
    ),
    status: () => {
      const dropped = { ...report.dropped };
      for (const [reason, count] of Object.entries(early) as Array<[DropReason, number]>)
        dropped[reason] = (dropped[reason] ?? 0) + count;
      return {
        consent: consent.get(),
        storage: consent.get() === 'granted' && engine ? engine.storage() : 'none',
        queued: queued(),
        dropped,
        lastSentAt: report.lastSentAt,
        lastError: report.lastError,
      };
    },
    forget: guardAsync(
      'forget',
      async () => {
        const anonymousId = engine?.peekAnonymousId() ?? kv.get('id');
        await discardEverything(false);
        if (!anonymousId) return;
        // The deletion request goes through the transport, which lives with the engine.
        const response = await (engine ?? (await loadEngine()))?.deleteSubject(anonymousId);
        if (response && (response.status < 200 || response.status >= 300)) {
          report.lastError = `the collector did not confirm the deletion (${response.status})`;
          debug(report.lastError);
        }
      },
      () => undefined,
    ),
    shutdown: guardAsync(
      'shutdown',
      async () => {
        if (closing) return;
        closing = true;
        const running = consent.get() === 'granted' ? await grantedEngine() : engine;
        await running?.shutdown();
        stopped = true;
        // A flush in progress ends its claims before the store closes under it.
        await running?.close();
        for (const cleanup of cleanups.splice(0)) cleanup();
      },
      () => undefined,
    ),
    preview: guardAsync(
      'preview',
      async (eventType: string, metadata?: Metadata) => {
        if (typeof eventType !== 'string' || !EVENT_TYPE.test(eventType)) return null;
        const cleaned = cleanShape(metadata, (message) => debug(message)).value;
        const path = paths.current();
        // Built-in types get the fields their methods add, so the example matches a real event.
        if (eventType === 'page.view' && typeof cleaned.path !== 'string') cleaned.path = path;
        const [event] = await previewDrafts([
          { type: eventType, metadata: cleaned, at: now(), path },
        ]);
        return event ?? null;
      },
      () => null,
    ),
  };

  if (consent.get() === 'granted') void startDelivery();
  return client;
}
