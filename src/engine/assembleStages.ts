import { coarseContext } from '../pipeline/coarseContext.js';
import { createEventPipeline } from '../pipeline/createEventPipeline.js';
import { createFlowTracker } from '../pipeline/createFlowTracker.js';
import { createIdentity } from '../pipeline/createIdentity.js';
import { createPathShaper } from '../pipeline/shapePath.js';
import { createIntake } from './createIntake.js';
import { createLanes } from './createLanes.js';
import type { EngineContext } from './engineContext.js';
import type { DeliverySettings } from './resolveDeliverySettings.js';

/**
 * The engine's stages, built and joined in the order events pass through them: the pipeline
 * (draft → event), the intake (inbox → pipeline → lanes), and the lanes, one per receiver (the
 * app's collector and each destination), each with its queue (staging, segments in IndexedDB),
 * delivery (claim → send → acknowledge), backoff, page-hide beacon and report. Every part gets
 * what it needs handed down; none is given a way back up.
 */
export function assembleStages(
  context: EngineContext,
  settings: DeliverySettings,
  allowed: () => boolean,
) {
  const { options, env, kv, inbox, debug } = context;
  const lanes = createLanes(context, settings, allowed);
  const { report } = lanes.main;
  const identity = createIdentity(
    kv,
    options.hashSalt ?? `telemetry-kit:${settings.serviceName}`,
    () => debug('identify() needs Web Crypto (a secure context); no user id is attached'),
  );
  const eventContext = coarseContext(env.navigator);
  const shapePath = createPathShaper(options.sanitizePath, debug);
  const flows = createFlowTracker(debug);
  const pipeline = createEventPipeline({
    flows,
    shapePath,
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
    flows,
    identity,
    lanes,
    report,
    debug,
    now: env.now,
    maxBatchSize: settings.maxBatchSize,
    allowed,
  });

  return { report, identity, eventContext, shapePath, lanes, intake };
}

export type EngineStages = ReturnType<typeof assembleStages>;
