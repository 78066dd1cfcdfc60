import { createBackoff } from '../delivery/createBackoff.js';
import { createBatchBody } from '../delivery/createBatchBody.js';
import { createDelivery } from '../delivery/createDelivery.js';
import { createPageHideSender } from '../delivery/createPageHideSender.js';
import { createReport } from '../lib/createReport.js';
import { coarseContext } from '../pipeline/coarseContext.js';
import { createEventPipeline } from '../pipeline/createEventPipeline.js';
import { createIdentity } from '../pipeline/createIdentity.js';
import { createQueue } from '../storage/createQueue.js';
import { queueDatabaseName } from '../storage/deviceData.js';
import { storedBeaconed, storedDropCounts, storedRetryAt } from '../storage/storedDeliveryState.js';
import { createFetchTransport } from '../transports/createFetchTransport.js';
import { createIntake } from './createIntake.js';
import type { EngineContext } from './engineContext.js';
import type { DeliverySettings } from './resolveDeliverySettings.js';

/**
 * The engine's stages, built and joined in the order events pass through them: the pipeline
 * (draft → event), the intake (inbox → pipeline → queue), the queue (staging, segments in
 * IndexedDB), delivery (claim → send → acknowledge) and the page-hide beacon, with the report
 * they count into and the transport they send with. Every part gets what it needs handed
 * down; none is given a way back up.
 */
export function assembleStages(
  context: EngineContext,
  settings: DeliverySettings,
  allowed: () => boolean,
) {
  const { options, env, kv, consent, inbox, debug } = context;
  const { now } = env;
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
  const body = createBatchBody({ settings, consent, startedAt: context.startedAt, now });
  const delivery = createDelivery({
    transport,
    queue,
    report,
    backoff,
    body: body.ofJson,
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
    body: body.ofEvents,
    beaconed,
  });

  return { report, transport, identity, eventContext, queue, backoff, delivery, intake, pageHide };
}

export type EngineStages = ReturnType<typeof assembleStages>;
