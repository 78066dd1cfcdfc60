import { cleanShape } from '../capture/cleanShape.js';
import { browserOptedOut, createConsent } from '../capture/createConsent.js';
import { createInbox } from '../capture/createInbox.js';
import { createPaths } from '../capture/createPaths.js';
import { createDebugReporter, noteTo } from '../lib/debug.js';
import { Message } from '../lib/message.js';
import { resolveEnvironment } from '../lib/resolveEnvironment.js';
import { resolveSettings } from '../lib/resolveSettings.js';
import { createKeyValue } from '../storage/keyValue.js';
import type { Metadata, TelemetryClient, TelemetryOptions, TelemetryStatus } from '../types.js';
import { EVENT_TYPE_PATTERN } from '../wire/rules.js';
import { createEngineSlot } from './createEngineSlot.js';
import { createInertClient } from './createInertClient.js';
import { createRecordingMethods } from './createRecordingMethods.js';
import { guard, guardAsync } from './guard.js';
import { startFlow } from './startFlow.js';
import { watchPage } from './watchPage.js';

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
    debug(Message.NeedsOptions);
    return createInertClient();
  }
  const env = resolveEnvironment(options.environment);
  const { window: win, document: doc, now } = env;
  // No DOM: server rendering or plain Node. An inert client keeps shared code paths working.
  if (!win || !doc) return createInertClient();

  const settings = resolveSettings(options, debug);
  if (!options.transport && !(typeof options.endpoint === 'string' && options.endpoint))
    debug(Message.NoEndpoint);
  const kv = createKeyValue(env.localStorage, settings.storageKey);
  const consent = createConsent(
    kv,
    options.consent,
    settings.policyVersion,
    browserOptedOut(env.navigator, win),
    now,
    debug,
  );
  const paths = createPaths(win);
  const inbox = createInbox(consent, now, debug, settings.maxQueueSize);
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

  const { onError, ...recording } = createRecordingMethods(
    inbox,
    consent,
    paths,
    settings.errors,
    debug,
  );
  const unwatch = watchPage(
    win,
    kv,
    consent,
    paths,
    options.pageViews ? () => recording.page() : null,
    options.captureErrors ? onError : null,
  );

  /** What `flush()` answers without an engine to flush. */
  const unflushed = () => ({ delivered: 0, pending: engines.status().queued });

  const client: TelemetryClient = {
    ...recording,
    flow: (name, metadata) => startFlow(client, name, metadata),
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
      source: () => consent.source(),
    },
    flush: guardAsync(
      debug,
      'flush',
      async () => (await engines.started())?.flush() ?? unflushed(),
      unflushed,
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
        return engine ? engine.snapshot() : [];
      },
      () => [],
    ),
    status: (): TelemetryStatus => ({ consent: consent.get(), ...engines.status() }),
    forget: guardAsync(debug, 'forget', () => engines.discard('forget')),
    collectorCopy: guardAsync(
      debug,
      'collectorCopy',
      async () => (await engines.started())?.collectorCopy() ?? null,
      () => null,
    ),
    shutdown: guardAsync(debug, 'shutdown', async () => {
      if (closing) return;
      closing = true;
      inbox.close();
      await (consent.get() === 'granted' ? await engines.started() : engines.loaded())?.shutdown();
      unwatch();
    }),
    preview: guardAsync(
      debug,
      'preview',
      async (eventType: string, metadata?: Metadata) => {
        if (typeof eventType !== 'string' || !EVENT_TYPE_PATTERN.test(eventType)) return null;
        // Cleaned in the call: the caller may change its object once the call returns.
        const cleaned = cleanShape(metadata, noteTo(debug)).value;
        const path = paths.current();
        const at = now();
        return (await engines.load())?.previewCall(eventType, cleaned, path, at) ?? null;
      },
      () => null,
    ),
  };

  if (consent.get() === 'granted') void engines.started();
  return client;
}
