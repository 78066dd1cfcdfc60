import type { Draft } from '../capture/createInbox.js';
import type { DebugReporter } from '../lib/debug.js';
import { newId } from '../lib/newId.js';
import type { EventContext, TelemetryEvent } from '../wire/event.js';
import { finishDraft } from './finishDraft.js';

/** The ids an event carries: placeholders in a preview, the real ones once consent is granted. */
export interface EventIds {
  anonymousId: string;
  sessionId: string;
  userId?: string | undefined;
}

/** The wire shape of one event (see DESIGN.md, "Events and the wire"). */
export function buildEvent(
  draft: Draft,
  context: Omit<EventContext, 'path'>,
  ids: EventIds,
  debug: DebugReporter,
): TelemetryEvent {
  finishDraft(draft, debug);
  draft.id ??= newId();
  const event: TelemetryEvent = {
    id: draft.id,
    event_type: draft.type,
    timestamp: new Date(draft.at).toISOString(),
    anonymous_id: ids.anonymousId,
    session_id: ids.sessionId,
    metadata: draft.metadata,
    context: draft.path === undefined ? { ...context } : { ...context, path: draft.path },
  };
  if (ids.userId) event.user_id = ids.userId;
  return event;
}
