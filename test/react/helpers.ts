import { cleanup } from '@testing-library/react';
import {
  createTelemetry,
  type TelemetryBatch,
  type TelemetryClient,
  type TelemetryEvent,
  type TelemetryOptions,
} from 'telemetry-kit';
import { afterEach } from 'vitest';

const createdClients = new Set<TelemetryClient>();

/**
 * Unmounts what a test rendered and forgets stored consent decisions, so tests do not leak
 * into each other (vitest runs without globals, so Testing Library cannot register this).
 */
export function cleanUpAfterEach() {
  afterEach(async () => {
    cleanup();
    await nextTask();
    await Promise.all([...createdClients].map((client) => client.shutdown()));
    createdClients.clear();
    localStorage.clear();
  });
}

/**
 * A real client (the core's `createTelemetry`) whose transport records every batch it is
 * asked to send, so tests count what would go over the wire.
 */
export function recordingTelemetry(options: Partial<TelemetryOptions> = {}) {
  const batches: TelemetryBatch[] = [];
  const fullOptions: TelemetryOptions = {
    serviceName: 'test',
    storage: 'memory',
    flushIntervalMs: 60_000,
    transport: {
      send: async (body) => {
        batches.push(JSON.parse(body) as TelemetryBatch);
        return { status: 200 };
      },
    },
    ...options,
  };
  return {
    options: fullOptions,
    batches,
    /** Every event sent so far, in order. */
    sent: (): TelemetryEvent[] => batches.flatMap((batch) => batch.events),
    /** Sent events of one type. */
    sentOfType: (type: string): TelemetryEvent[] =>
      batches.flatMap((batch) => batch.events).filter((event) => event.event_type === type),
    /** A client of its own; shut down after the test. */
    create: () => {
      const client = createTelemetry(fullOptions);
      createdClients.add(client);
      return client;
    },
  };
}

/** Lets queued microtasks and zero-delay timers (the provider's deferred shutdown) run. */
export const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Records console.error / console.warn calls made while `run` runs. */
export async function consoleProblems(run: () => Promise<void> | void): Promise<unknown[][]> {
  const problems: unknown[][] = [];
  const error = console.error;
  const warn = console.warn;
  console.error = (...args: unknown[]) => problems.push(['error', ...args]);
  console.warn = (...args: unknown[]) => problems.push(['warn', ...args]);
  try {
    await run();
  } finally {
    console.error = error;
    console.warn = warn;
  }
  return problems;
}
