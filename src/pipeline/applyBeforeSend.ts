import { type DebugReporter, noteTo } from '../lib/debug.js';
import type { TelemetryOptions } from '../types.js';
import type { TelemetryEvent } from '../wire/event.js';
import { EVENT_TYPE_PATTERN } from '../wire/rules.js';
import { cleanMetadata } from './scrub.js';

/**
 * The caller's `beforeSend`: the event as it returns it, or null when it drops the event or
 * returns something that is not one. What it adds goes through the same scrubbing as caller
 * metadata. A throw or a non-event is `invalid`: the caller counts it.
 */
export function applyBeforeSend(
  beforeSend: TelemetryOptions['beforeSend'],
  event: TelemetryEvent,
  debug: DebugReporter,
): TelemetryEvent | null | 'invalid' {
  if (typeof beforeSend !== 'function') return event;
  let result: unknown;
  try {
    result = beforeSend(event);
  } catch (error) {
    debug('beforeSend threw; the event was dropped', error);
    return 'invalid';
  }
  if (!result) return null;
  const edited = result as Partial<TelemetryEvent>;
  if (
    typeof edited !== 'object' ||
    typeof edited.event_type !== 'string' ||
    !EVENT_TYPE_PATTERN.test(edited.event_type)
  ) {
    debug('beforeSend returned something that is not an event; it was dropped');
    return 'invalid';
  }
  return {
    ...event,
    event_type: edited.event_type,
    metadata: cleanMetadata(edited.metadata, noteTo(debug)).value,
  };
}
