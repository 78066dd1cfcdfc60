import { createBatchBody } from '../delivery/createBatchBody.js';
import type { FlushMode } from '../delivery/createDelivery.js';
import { fnv1a } from '../lib/fnv1a.js';
import { newId } from '../lib/newId.js';
import type { Destination } from '../lib/resolveDestinations.js';
import { createIdentity } from '../pipeline/createIdentity.js';
import { copyForDestination, routesTo } from '../pipeline/routeToDestination.js';
import {
  eraseLane,
  laneDatabaseName,
  queueDatabaseName,
  storedLanes,
} from '../storage/deviceData.js';
import { DEVICE_KEYS } from '../storage/deviceKeys.js';
import { eraseDeviceKeys } from '../storage/eraseDeviceKeys.js';
import type { KeyValue } from '../storage/keyValue.js';
import { laneKeys } from '../storage/laneKeys.js';
import type { DestinationStatus, FlushResult } from '../types.js';
import type { TelemetryEvent } from '../wire/event.js';
import { askToDelete, createLane, type Lane } from './createLane.js';
import type { EngineContext } from './engineContext.js';
import type { DeliverySettings } from './resolveDeliverySettings.js';

/** A destination's lane: the lane, and the ids its copies of events carry. */
export interface DestinationLane extends Lane {
  destination: Destination;
  /** Names its keys (`<key>@<id>`) and its database (`<storageKey>@<id>`). */
  id: string;
  kv: KeyValue;
  identity: ReturnType<typeof createIdentity>;
}

/** A lane's name on the device: a short hash of the destination's name (names are unique). */
const laneId = (name: string) => fnv1a(name).toString(36);

/** One destination as `status()` reports it. */
function destinationStatus({ destination, queue, report }: DestinationLane): DestinationStatus {
  const { lastSentAt, lastError } = report.snapshot();
  return {
    name: destination.name,
    events: destination.events,
    libraries: destination.libraries,
    queued: queue.size(),
    lastSentAt,
    lastError,
  };
}

/**
 * Every receiver's lane: the app's own collector (`main`), which receives every event, and one
 * per destination, which receives its own copy of the events routed to it. Staging, persisting,
 * flushing and discarding fan out to all; each lane then delivers on its own.
 */
export function createLanes(
  context: EngineContext,
  settings: DeliverySettings,
  allowed: () => boolean,
) {
  const { options, env, kv, debug } = context;
  const shared = {
    env,
    settings,
    useIndexedDb: options.storage !== 'memory',
    body: createBatchBody({
      settings,
      consent: context.consent,
      startedAt: context.startedAt,
      now: env.now,
    }),
    allowed,
  };
  const main = createLane({
    ...shared,
    transport: options.transport,
    endpoint: typeof options.endpoint === 'string' ? options.endpoint : undefined,
    kv,
    databaseName: queueDatabaseName(settings.storageKey),
    debug,
  });
  const destinations: DestinationLane[] = settings.destinations.map((destination) => {
    const id = laneId(destination.name);
    const laneKv = laneKeys(kv, id);
    return {
      ...createLane({
        ...shared,
        transport: destination.transport,
        endpoint: destination.endpoint,
        kv: laneKv,
        databaseName: laneDatabaseName(settings.storageKey, id),
        // Engine messages are texts: each says which destination it is about.
        debug: (message, detail, subject) =>
          debug(
            typeof message === 'string' ? `${destination.name}: ${message}` : message,
            detail,
            subject,
          ),
      }),
      destination,
      id,
      kv: laneKv,
      identity: createIdentity(laneKv, '', () => {}),
    };
  });
  const all: Lane[] = [main, ...destinations];
  const ids = destinations.map((lane) => lane.id);
  /** Deletes what lanes of destinations this client does not configure left on the device. */
  const eraseUnconfigured = () =>
    storedLanes(kv)
      .filter((id) => !ids.includes(id))
      .map((id) =>
        eraseLane(kv, shared.useIndexedDb ? env.indexedDB : undefined, settings.storageKey, id),
      );

  return {
    main,
    destinations,
    /** An event for the app's collector, and its copy for each destination it is routed to. */
    stage(event: TelemetryEvent) {
      main.queue.stage(event);
      for (const lane of destinations) {
        if (!routesTo(lane.destination, event)) continue;
        lane.queue.stage(
          copyForDestination(event, {
            id: newId(),
            anonymousId: lane.identity.anonymousId(),
            sessionId: lane.identity.touchSession(env.now()).sessionId,
          }),
        );
      }
    },
    schedule() {
      for (const lane of all) lane.queue.schedule();
    },
    persist: async (): Promise<void> => {
      await Promise.all(all.map((lane) => lane.queue.persist()));
    },
    /** Flushes every lane (each on its own backoff); resolves with the app collector's result. */
    async flush(mode: FlushMode): Promise<FlushResult> {
      const [result] = await Promise.all(all.map((lane) => lane.delivery.flush(mode)));
      return result as FlushResult;
    },
    /** The periodic flush: each lane with something waiting. */
    flushWaiting() {
      for (const lane of all) if (lane.queue.size() > 0) void lane.delivery.flush('scheduled');
    },
    /** Opens every lane's store (status() reports the app's). */
    open() {
      for (const lane of all) void lane.queue.store();
    },
    /**
     * Records the configured lanes beside those already recorded (another tab, or a version of
     * the app that configured other destinations, may still use them): a revoke or a forget,
     * even in a tab without this code, deletes every recorded one. Only with consent.
     */
    record() {
      const recorded = storedLanes(kv);
      const missing = ids.filter((id) => !recorded.includes(id));
      if (missing.length) kv.set(DEVICE_KEYS.lanes, JSON.stringify([...recorded, ...missing]));
    },
    /** The destinations as `status()` reports them. */
    status: (): DestinationStatus[] => destinations.map(destinationStatus),
    /**
     * A revoke or a forget: every lane stops and deletes its queue and values; each destination
     * that holds an id of this device is asked to delete it; lanes another tab or an earlier
     * visit configured are deleted too. Runs at once up to its first await (see the engine's
     * `discard`); the app collector's own deletion request is the engine's.
     */
    discard(): Promise<void> {
      const deletions: Array<Promise<unknown>> = eraseUnconfigured();
      for (const lane of all) {
        lane.delivery.abort();
        lane.backoff.reset();
        lane.report.clearUnreported();
        deletions.push(lane.queue.destroy());
      }
      for (const lane of destinations) {
        // Every tab asks for the id it used (the same one, normally: a repeated deletion finds
        // nothing left), so that an id a tab created in the same moment as another is not missed.
        const anonymousId = lane.identity.peekAnonymousId();
        lane.identity.discard();
        eraseDeviceKeys(lane.kv);
        if (anonymousId && lane.transport?.deleteSubject)
          deletions.push(askToDelete(lane, anonymousId));
      }
      // A flush the abort cut short may still count drops as it settles: they were of the
      // discarded events, and a forget (consent stands) would write them back to the device.
      return Promise.all(deletions).then(() => {
        for (const lane of all) lane.report.clearUnreported();
      });
    },
    /** Stops every lane (after `persist`): lets flushes end, then closes the stores. */
    async close() {
      await Promise.all(all.map((lane) => lane.delivery.idle()));
      for (const lane of all) lane.queue.close();
    },
  };
}

export type Lanes = ReturnType<typeof createLanes>;
