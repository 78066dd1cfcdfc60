import type { DestinationOptions, Transport } from '../types.js';
import type { DebugReporter } from './debug.js';
import { MAX_DESTINATIONS } from './maxDestinations.js';
import { Message } from './message.js';

/** A destination after validation: what the consent UI lists and the engine delivers to. */
export interface Destination {
  name: string;
  /** Used when there is no transport. */
  endpoint: string | undefined;
  transport: Transport | undefined;
  /** Event types it receives. */
  events: readonly string[];
  /** Libraries whose `component.mount` events it receives; null: every library. */
  libraries: readonly string[] | null;
}

/** Whether `value` is an array of strings. */
const strings = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/**
 * The `destinations` option, validated: each bad entry (no name, a repeated name, neither
 * endpoint nor transport, a `libraries` or an empty `events` that is not an array of strings)
 * is one debug message and is ignored, as is every entry past the fifth. (An event type no
 * event can have is harmless: nothing matches it.) Runs in the code every page loads, since the
 * consent dialog names the destinations before consent.
 */
export function resolveDestinations(value: unknown, debug: DebugReporter): Destination[] {
  const out: Destination[] = [];
  if (value !== undefined && !Array.isArray(value)) debug(Message.DestinationsNotArray);
  for (const given of Array.isArray(value) ? value : []) {
    const {
      name,
      endpoint,
      transport,
      events = ['component.mount'],
      libraries,
    } = Object(given) as Partial<DestinationOptions>;
    const room = out.length < MAX_DESTINATIONS;
    if (
      room &&
      typeof name === 'string' &&
      name &&
      !out.some((destination) => destination.name === name) &&
      (endpoint ? typeof endpoint === 'string' : typeof transport?.send === 'function') &&
      strings(events) &&
      events.length &&
      (libraries === undefined || strings(libraries))
    )
      out.push({
        name,
        endpoint,
        transport,
        events: [...events],
        libraries: libraries ? [...libraries] : null,
      });
    else
      debug(
        room ? Message.DestinationInvalid : Message.DestinationTooMany,
        undefined,
        String(name),
      );
  }
  return out;
}
