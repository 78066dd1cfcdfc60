import { cleanShape } from '../capture/cleanShape.js';
import { browserOptedOut, createConsent } from '../capture/createConsent.js';
import { createErrorReporter, type ErrorSource } from '../capture/createErrorReporter.js';
import { type CleanMetadata, createInbox, type Draft } from '../capture/createInbox.js';
import { createPaths } from '../capture/createPaths.js';
import { watchErrors } from '../capture/watchErrors.js';
import { watchHistory } from '../capture/watchHistory.js';
import { createDebugReporter } from '../lib/debug.js';
import { resolveEnvironment } from '../lib/resolveEnvironment.js';
import { resolveSettings } from '../lib/resolveSettings.js';
import { DEVICE_KEYS } from '../storage/deviceData.js';
import { createKeyValue } from '../storage/keyValue.js';
import type {
  ComponentInfo,
  ErrorInfo,
  Metadata,
  TelemetryClient,
  TelemetryOptions,
  TelemetryStatus,
} from '../types.js';
import type { DropReason, TelemetryEvent } from '../wire/event.js';
import { EVENT_TYPE_PATTERN, LIMITS } from '../wire/rules.js';
import { createEngineSlot } from './createEngineSlot.js';
import { createInertClient } from './createInertClient.js';
import { guard, guardAsync } from './guard.js';

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
  const { window: win, document: doc, now } = env;
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
    optedOut: browserOptedOut(env.navigator, win),
    now,
  });
  const paths = createPaths(win, options.sanitizePath, debug);
  const inbox = createInbox({ consent, now, debug, maxDrafts: settings.maxQueueSize });
  const engines = createEngineSlot({
    options,
    settings,
    env,
    kv,
    consent,
    inbox,
    debug,
    currentPath: paths.current,
    startedAt: new Date(now()).toISOString(),
  });
  /** Set when `shutdown()` begins: no call is accepted from then on. */
  let closing = false;

  consent.subscribe((state) => {
    if (state === 'granted') void engines.started();
    // A revoke, here or in another tab.
    else if (state === 'denied') void engines.discard('revoke');
  });

  const reportError = createErrorReporter(
    settings.errors,
    ({ metadata, frame, componentStack }, extra) => {
      const cleaned = extra === undefined ? {} : inbox.clean(extra);
      if (cleaned)
        inbox.accept('error', { ...cleaned, ...metadata }, paths.current(), {
          frame,
          componentStack,
        });
    },
    () => debug('error cap reached; later errors are not recorded'),
  );
  const onError = (error: unknown, source: ErrorSource, extra?: unknown, stack?: string) => {
    if (!closing && consent.get() !== 'denied') reportError(error, source, extra, stack);
  };

  // Another tab decided: the storage event carries it here at once. (The page-lifecycle
  // listeners belong to the engine: before consent there is nothing to deliver.)
  const onStorage = (event: StorageEvent) => {
    if (event.key === null || event.key === kv.keyOf(DEVICE_KEYS.consent)) consent.refresh();
  };
  win.addEventListener('storage', onStorage);
  const cleanups: Array<() => void> = [
    () => paths.dispose(),
    () => win.removeEventListener('storage', onStorage),
  ];
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

  const validName = (name: unknown, what: string): name is string => {
    if (typeof name === 'string' && name.length > 0 && name.length <= LIMITS.name) return true;
    debug(`${what} needs a non-empty name; ignored`, name);
    return false;
  };
  const queued = () => inbox.size() + (engines.loaded()?.status().queued ?? 0);
  /** Copies: the caller may edit what it is shown without touching the queue. */
  const copy = (events: TelemetryEvent[]) => JSON.parse(JSON.stringify(events)) as TelemetryEvent[];

  const client: TelemetryClient = {
    track: guard(debug, 'track', (eventType: string, metadata?: Metadata) => {
      const cleaned = inbox.clean(metadata);
      if (cleaned) inbox.accept(eventType, cleaned, paths.current());
    }),
    page: guard(debug, 'page', (path?: string, metadata?: Metadata) => {
      const cleaned = inbox.clean(metadata);
      if (!cleaned) return;
      const pagePath = typeof path === 'string' ? paths.sanitize(path) : paths.current();
      const pageMetadata: CleanMetadata = { path: pagePath };
      if (typeof cleaned.title === 'string') pageMetadata.title = cleaned.title;
      inbox.accept('page.view', { ...cleaned, ...pageMetadata }, pagePath);
    }),
    featureToggled: guard(debug, 'featureToggled', (name: string, enabled: boolean) => {
      if (validName(name, 'featureToggled'))
        inbox.accept(
          'feature.toggle',
          { feature: name, enabled: enabled === true },
          paths.current(),
        );
    }),
    featureUsed: guard(debug, 'featureUsed', (name: string, metadata?: Metadata) => {
      if (!validName(name, 'featureUsed')) return;
      const cleaned = inbox.clean(metadata);
      if (cleaned) inbox.accept('feature.use', { ...cleaned, feature: name }, paths.current());
    }),
    // Not wrapped by `guard`: it runs once per tracked component instance.
    componentMounted(name: string, props?: Metadata, info?: ComponentInfo) {
      try {
        if (validName(name, 'componentMounted')) inbox.logMount(name, props, info);
      } catch (error) {
        debug('componentMounted failed unexpectedly', error);
      }
    },
    captureError: guard(
      debug,
      'captureError',
      (error: unknown, metadata?: Metadata, info?: ErrorInfo) => {
        const source = info?.source === 'boundary' ? 'boundary' : 'manual';
        const stack = typeof info?.componentStack === 'string' ? info.componentStack : undefined;
        onError(error, source, metadata, stack);
      },
    ),
    identify: guard(debug, 'identify', (userId: string | null) => {
      if (userId === null || (typeof userId === 'string' && userId)) inbox.identify(userId);
      else debug('identify() takes a non-empty string or null; ignored');
    }),
    consent: {
      get: () => consent.get(),
      grant: guard(debug, 'consent.grant', () => consent.grant()),
      deny: guard(debug, 'consent.deny', () => consent.deny()),
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
      debug,
      'flush',
      async () => (await engines.started())?.flush() ?? { delivered: 0, pending: queued() },
      () => ({ delivered: 0, pending: queued() }),
    ),
    pending: guardAsync(
      debug,
      'pending',
      async () => {
        // Before consent only drafts wait: their preview needs the engine's chunk, nothing else.
        const engine =
          (await engines.started()) ??
          engines.loaded() ??
          (inbox.size() ? await engines.load() : null);
        return engine ? copy(await engine.snapshot()) : [];
      },
      () => [],
    ),
    status: (): TelemetryStatus => {
      const engine = engines.loaded()?.status();
      const dropped = { ...engine?.dropped };
      for (const [reason, count] of Object.entries(inbox.untakenDrops()) as Array<
        [DropReason, number]
      >)
        dropped[reason] = (dropped[reason] ?? 0) + count;
      const state = consent.get();
      return {
        consent: state,
        storage: state === 'granted' && engines.isStarted() && engine ? engine.storage : 'none',
        queued: queued(),
        dropped,
        lastSentAt: engine?.lastSentAt ?? null,
        lastError: engine?.lastError ?? engines.loadError(),
      };
    },
    forget: guardAsync(
      debug,
      'forget',
      () => engines.discard('forget'),
      () => undefined,
    ),
    shutdown: guardAsync(
      debug,
      'shutdown',
      async () => {
        if (closing) return;
        closing = true;
        inbox.close();
        await (consent.get() === 'granted'
          ? await engines.started()
          : engines.loaded()
        )?.shutdown();
        for (const cleanup of cleanups.splice(0)) cleanup();
      },
      () => undefined,
    ),
    preview: guardAsync(
      debug,
      'preview',
      async (eventType: string, metadata?: Metadata) => {
        if (typeof eventType !== 'string' || !EVENT_TYPE_PATTERN.test(eventType)) return null;
        const cleaned = cleanShape(metadata, (message) => debug(message)).value;
        const path = paths.current();
        // Built-in types get the fields their methods add, so the example matches a real event.
        if (eventType === 'page.view' && typeof cleaned.path !== 'string') cleaned.path = path;
        const draft: Draft = { type: eventType, metadata: cleaned, at: now(), path };
        return (await engines.load())?.preview(draft) ?? null;
      },
      () => null,
    ),
  };

  if (consent.get() === 'granted') void engines.started();
  return client;
}
