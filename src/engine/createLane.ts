import { createBackoff } from '../delivery/createBackoff.js';
import type { createBatchBody } from '../delivery/createBatchBody.js';
import { createDelivery } from '../delivery/createDelivery.js';
import { createPageHideSender } from '../delivery/createPageHideSender.js';
import { createReport } from '../lib/createReport.js';
import type { DebugReporter } from '../lib/debug.js';
import { createQueue } from '../storage/createQueue.js';
import type { KeyValue } from '../storage/keyValue.js';
import { storedBeaconed, storedDropCounts, storedRetryAt } from '../storage/storedDeliveryState.js';
import { createFetchTransport } from '../transports/createFetchTransport.js';
import type {
  CollectorCopy,
  TelemetryEnvironment,
  Transport,
  TransportResponse,
} from '../types.js';
import type { DeliverySettings } from './resolveDeliverySettings.js';

export interface LaneOptions {
  /** The receiver's transport, or the endpoint to build the default one for. */
  transport: Transport | undefined;
  endpoint: string | undefined;
  /** The lane's own view of localStorage (its backoff, drop counts, beacon log, ids). */
  kv: KeyValue;
  databaseName: string;
  env: TelemetryEnvironment;
  settings: DeliverySettings;
  useIndexedDb: boolean;
  /** The batch envelope, shared by every lane (the app's service and consent receipt). */
  body: ReturnType<typeof createBatchBody>;
  allowed: () => boolean;
  debug: DebugReporter;
}

/**
 * One receiver's way off the device: its queue (its own database, shared by the tabs), its
 * backoff and `Retry-After`, its delivery loop, its page-hide beacon and its report. Lanes share
 * nothing but the consent gate and the batch envelope, so an outage at one receiver never
 * delays or loses another's events.
 */
export function createLane(options: LaneOptions) {
  const { env, kv, settings, allowed } = options;
  const { now } = env;
  const report = createReport(options.debug, storedDropCounts(kv, allowed));
  const transport =
    options.transport ??
    (options.endpoint
      ? createFetchTransport({
          endpoint: options.endpoint,
          fetch: env.fetch,
          navigator: env.navigator,
        })
      : undefined);
  const queue = createQueue({
    indexedDB: options.useIndexedDb ? env.indexedDB : undefined,
    databaseName: options.databaseName,
    maxSize: settings.maxQueueSize,
    segmentSize: settings.maxBatchSize,
    now,
    allowed,
    report,
  });
  const backoff = createBackoff({ retryAt: storedRetryAt(kv), now, random: Math.random });
  const beaconed = storedBeaconed(kv);
  const delivery = createDelivery({
    transport,
    queue,
    report,
    backoff,
    body: options.body.ofJson,
    maxBatchSize: settings.maxBatchSize,
    maxEventAgeMs: settings.maxEventAgeMs,
    now,
    allowed,
    beaconed,
  });
  const pageHide = createPageHideSender({
    navigator: env.navigator,
    transport,
    queue,
    delivery,
    backoff,
    report,
    body: options.body.ofEvents,
    beaconed,
  });
  return { report, transport, queue, backoff, delivery, pageHide };
}

export type Lane = ReturnType<typeof createLane>;

/**
 * Asks a lane's receiver to delete what it holds about `anonymousId` (a forget; for a
 * destination, also a revoke). An unconfirmed deletion is the lane's last error.
 */
export async function askToDelete(lane: Lane, anonymousId: string): Promise<void> {
  let response: TransportResponse = { status: 0 };
  try {
    if (lane.transport?.deleteSubject) response = await lane.transport.deleteSubject(anonymousId);
    else return;
  } catch {}
  if (response.status < 200 || response.status >= 300)
    lane.report.problem(`the collector did not confirm the deletion (${response.status})`);
}

/**
 * Asks a lane's receiver what it holds about `anonymousId` (`GET /v1/subjects/:id`); null
 * without an id (nothing was sent under one), without `getSubject`, or without a 200 answer
 * with events.
 */
export async function askForCopy(
  lane: Lane,
  anonymousId: string | null | undefined,
): Promise<CollectorCopy | null> {
  const { transport } = lane;
  const response =
    anonymousId && transport?.getSubject ? await transport.getSubject(anonymousId) : undefined;
  const body = response?.status === 200 ? (response.body as CollectorCopy | undefined) : null;
  return body && Array.isArray(body.events) ? body : null;
}
