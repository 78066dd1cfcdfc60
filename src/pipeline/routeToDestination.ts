import type { Destination } from '../lib/resolveDestinations.js';
import type { TelemetryEvent } from '../wire/event.js';

/**
 * Whether a destination receives an event: its type is one the destination takes, and a
 * `component.mount` is of one of its libraries (when it names any). Other event types carry no
 * library and go by type alone.
 */
export function routesTo(destination: Destination, event: TelemetryEvent): boolean {
  if (!destination.events.includes(event.event_type)) return false;
  const { libraries } = destination;
  return (
    !libraries ||
    event.event_type !== 'component.mount' ||
    libraries.includes(event.metadata.library as string)
  );
}

/**
 * The copy of an event a destination receives: a fresh event id, the destination's own
 * anonymous and session ids, and neither the user id nor the page path, so that no two
 * receivers can join their data by id and a library's maintainers learn nothing about the
 * app's pages or users.
 */
export function copyForDestination(
  event: TelemetryEvent,
  ids: { id: string; anonymousId: string; sessionId: string },
): TelemetryEvent {
  const { user_id: _user, context, ...rest } = event;
  const { path: _path, ...coarse } = context;
  return {
    ...rest,
    id: ids.id,
    anonymous_id: ids.anonymousId,
    session_id: ids.sessionId,
    context: coarse,
  };
}
