import type { TelemetryEvent } from '../../../src/index.js';
import type { ReceivedRequest, SentBy } from './server.js';

/** One event as it arrived, with the request that carried it. */
export interface WireEvent {
  event: TelemetryEvent;
  at: number;
  by: SentBy;
  status: number;
}

/** Every event in every batch the receiver got, in arrival order (repeats included). */
export function eventsOnWire(requests: readonly ReceivedRequest[]): WireEvent[] {
  return requests.flatMap((request) =>
    (request.batch?.events ?? []).map((event) => ({
      event,
      at: request.at,
      by: request.by,
      status: request.status,
    })),
  );
}

/** Events the collector acknowledged (a 2xx answer), each id once. */
export function acceptedEvents(requests: readonly ReceivedRequest[]): TelemetryEvent[] {
  const byId = new Map<string, TelemetryEvent>();
  for (const { event, status } of eventsOnWire(requests)) {
    if (status >= 200 && status < 300 && !byId.has(event.id)) byId.set(event.id, event);
  }
  return [...byId.values()];
}

/** The `label` metadata tests give their events, to match what was tracked with what arrived. */
export const labelOf = (event: TelemetryEvent): string | undefined =>
  typeof event.metadata.label === 'string' ? event.metadata.label : undefined;

/** Labels of accepted events. */
export function acceptedLabels(requests: readonly ReceivedRequest[]): Set<string> {
  const labels = new Set<string>();
  for (const event of acceptedEvents(requests)) {
    const label = labelOf(event);
    if (label !== undefined) labels.add(label);
  }
  return labels;
}

export interface WireFigures {
  requests: number;
  /** Event copies in all batches, repeats included. */
  eventsOnWire: number;
  /** Distinct event ids among them. */
  distinctIds: number;
  /** Copies of an id after its first 2xx delivery: what the collector had to dedupe. */
  duplicatesAfterAccepted: number;
  /** All repeats of an id, including retries of batches that were answered 5xx. */
  repeatsOnWire: number;
  byBeacon: number;
  byFetch: number;
}

export function wireFigures(requests: readonly ReceivedRequest[]): WireFigures {
  const wire = eventsOnWire(requests);
  const seen = new Set<string>();
  const accepted = new Set<string>();
  let duplicatesAfterAccepted = 0;
  for (const { event, status } of wire) {
    if (accepted.has(event.id)) duplicatesAfterAccepted++;
    seen.add(event.id);
    if (status >= 200 && status < 300) accepted.add(event.id);
  }
  return {
    requests: requests.length,
    eventsOnWire: wire.length,
    distinctIds: seen.size,
    duplicatesAfterAccepted,
    repeatsOnWire: wire.length - seen.size,
    byBeacon: requests.filter((request) => request.by === 'beacon').length,
    byFetch: requests.filter((request) => request.by === 'fetch').length,
  };
}

/**
 * Polls `check` until it returns true, at most `timeoutMs`; a bounded wait instead of a sleep.
 * Throws with `what` when the deadline passes.
 */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await check()) return Date.now() - start;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Sleeps; only for the "nothing happens for this long" half of a scenario. */
export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Logs a scenario's measured figures in one greppable line for the closing note. */
export function report(scenario: string, figures: object): void {
  console.log(`[browser] ${scenario}: ${JSON.stringify(figures)}`);
}
