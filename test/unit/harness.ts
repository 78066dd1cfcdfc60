import { IDBFactory } from 'fake-indexeddb';
import {
  createTelemetry,
  type TelemetryBatch,
  type TelemetryClient,
  type TelemetryEvent,
  type TelemetryOptions,
  type Transport,
} from 'telemetry-kit';
import { afterEach } from 'vitest';

/** A minimal valid event with the given id, for tests of the queue and the store. */
export const testEvent = (id: string, eventType = 't'): TelemetryEvent => ({
  id,
  event_type: eventType,
  timestamp: new Date(0).toISOString(),
  anonymous_id: 'a',
  session_id: 's',
  metadata: {},
  context: {},
});

/** What a fake collector answers: a status, optionally a Retry-After. */
export type Answer = number | { status: number; retryAfter?: string; body?: unknown };

/**
 * A recording transport: every request body it is given, parsed, in order. `answer` decides the
 * response per request (default 200), so tests can script outages.
 */
export function recordingTransport(
  answer: (request: number, batch: TelemetryBatch) => Answer = () => 200,
) {
  const batches: TelemetryBatch[] = [];
  const beacons: string[] = [];
  const deletions: string[] = [];
  let beaconAccepts = true;
  const transport: Transport & { beacon: (body: string) => boolean } = {
    async send(body) {
      const batch = JSON.parse(body) as TelemetryBatch;
      batches.push(batch);
      const result = answer(batches.length, batch);
      return typeof result === 'number' ? { status: result } : result;
    },
    beacon(body) {
      if (!beaconAccepts) return false;
      beacons.push(body);
      return true;
    },
    async deleteSubject(anonymousId) {
      deletions.push(anonymousId);
      return { status: 204 };
    },
  };
  return {
    transport,
    batches,
    beacons,
    deletions,
    /** Every event the collector received, in order, across all requests and beacons. */
    received() {
      return [
        ...batches.flatMap((batch) => batch.events),
        ...beacons.flatMap((body) => (JSON.parse(body) as TelemetryBatch).events),
      ];
    },
    refuseBeacons() {
      beaconAccepts = false;
    },
  };
}

const clients: TelemetryClient[] = [];

/**
 * A client on a fresh fake IndexedDB and the DOM environment's localStorage (cleared after each
 * test), consent granted unless the test says otherwise.
 */
export function makeClient(overrides: Partial<TelemetryOptions> = {}, { grant = true } = {}) {
  const indexedDB = overrides.environment?.indexedDB ?? new IDBFactory();
  const recorder = recordingTransport();
  const client = createTelemetry({
    serviceName: 'test-app',
    serviceVersion: '1.0.0',
    transport: recorder.transport,
    flushIntervalMs: 60_000,
    ...overrides,
    environment: { indexedDB, ...overrides.environment },
  });
  clients.push(client);
  if (grant) client.consent.grant();
  return { client, indexedDB, ...recorder };
}

/**
 * Waits until the client's delivery engine (loaded on consent) has opened its store. Tests of
 * what happens in the same task as a grant need it; real pages hide long after a grant.
 */
export async function engineStarted(client: TelemetryClient): Promise<void> {
  await eventually(() => {
    if (client.status().storage === 'none') throw new Error('the engine has not started');
  });
}

/** Names of the IndexedDB databases that exist in `factory`. */
export async function databaseNames(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((info) => info.name ?? '');
}

/** Every localStorage key, sorted. */
export function storageKeys(): string[] {
  return Object.keys(localStorage).sort();
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` passes or `timeoutMs` elapses (then the last failure is thrown). */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 2_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(10);
    }
  }
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.shutdown()));
  localStorage.clear();
});
