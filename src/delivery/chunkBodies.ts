import { KEEPALIVE_LIMIT, utf8Length } from '../transports/keepalive.js';
import type { TelemetryEvent } from '../wire/event.js';

/**
 * Splits events into request bodies of at most `limit` bytes each. `envelope` builds a body
 * for a list of events; an event too large to fit alone is left out (it stays queued and goes
 * by `fetch` on the next visit).
 */
export function chunkBodies(
  events: readonly TelemetryEvent[],
  envelope: (events: TelemetryEvent[]) => string,
  limit: number = KEEPALIVE_LIMIT,
): Array<{ body: string; events: TelemetryEvent[] }> {
  const chunks: Array<{ body: string; events: TelemetryEvent[] }> = [];
  const base = utf8Length(envelope([]));
  let current: TelemetryEvent[] = [];
  let size = base;
  const close = () => {
    if (!current.length) return;
    const body = envelope(current);
    chunks.push({ body, events: current });
    current = [];
    size = base;
  };
  for (const event of events) {
    // +1 for the comma between events in the array.
    const bytes = utf8Length(JSON.stringify(event)) + 1;
    if (base + bytes > limit) continue;
    if (size + bytes > limit) close();
    current.push(event);
    size += bytes;
  }
  close();
  return chunks;
}
