import type { ConsentGate } from './consent.js';
import type { DebugReporter } from './debug.js';
import { newId } from './ids.js';
import { cleanMetadata, LIMITS } from './scrub.js';
import type { DropReason, EventContext, MetadataValue, TelemetryEvent } from './types.js';

/** Event types: letters, digits, `.`, `_`, `-`, `:`; 1 to 64 characters. */
export const EVENT_TYPE = /^[A-Za-z0-9][\w.:-]{0,63}$/;
/** Events held in memory while the user has not decided yet; the oldest go first. */
const HELD_LIMIT = 100;

export type CleanMetadata = { [key: string]: MetadataValue };

/** An accepted event before the delivery engine gives it its session and anonymous id. */
export interface Draft {
  /**
   * The event id. `track()` leaves it out (one less thing per call); it is given the first time
   * the draft becomes an event — a preview ("show me the data") or the engine taking it — and
   * kept from then on, so the event shown is the event sent.
   */
  id?: string;
  type: string;
  metadata: CleanMetadata;
  at: number;
  path: string | undefined;
}

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
): TelemetryEvent {
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

export interface CaptureOptions {
  consent: ConsentGate;
  context: Omit<EventContext, 'path'>;
  now: () => number;
  debug: DebugReporter;
  /** Drafts kept while consent is granted but not yet taken by the engine; the oldest go. */
  maxDrafts: number;
  /** A draft was accepted with consent granted: the engine should take it soon. */
  onAccepted: () => void;
  countDropped: (reason: DropReason, count: number) => void;
  /** False once the client is shut down. */
  active: () => boolean;
  /** Ids to show in previews while no real ones exist. */
  previewIds: () => EventIds;
}

/**
 * The first step of the data flow, and all of it that runs inside a caller's `track()`:
 * capture → consent gate → scrub and limit → a draft in memory. Everything else (ids, session,
 * sampling, `beforeSend`, persisting, sending) happens later, in batches, in the delivery
 * engine, which is loaded only once consent is granted. Before a decision drafts wait here,
 * without ids, bounded; a revoke discards them.
 */
export function createCapture(options: CaptureOptions) {
  const { consent, debug, now } = options;
  const note = (message: string) => debug(message);
  let drafts: Draft[] = [];

  /**
   * Drafts before `head` are dropped (overflow): advancing an index keeps dropping the oldest
   * O(1) when a single task overfills the buffer, where a shift() per call would move the whole
   * array each time. They are cut off in bulk now and then.
   */
  let head = 0;
  const compact = () => {
    drafts.splice(0, head);
    head = 0;
  };

  const push = (draft: Draft, granted: boolean) => {
    if (drafts.push(draft) - head > (granted ? options.maxDrafts : HELD_LIMIT)) {
      if (++head > 1_000) compact();
      if (granted) options.countDropped('overflow', 1);
    }
    if (granted) options.onAccepted();
  };

  const preview = (draft: Draft): TelemetryEvent =>
    buildEvent(draft, options.context, options.previewIds());

  return {
    context: options.context,
    /** The consent gate where events are accepted. */
    accept(type: unknown, metadata: CleanMetadata, path: string | undefined) {
      if (!options.active()) return;
      const state = consent.get();
      if (state === 'denied') return;
      if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
        debug('event types are 1-64 of A-Z a-z 0-9 . _ - :; dropped', type);
        if (state === 'granted') options.countDropped('invalid', 1);
        return;
      }
      push({ type, metadata, at: now(), path }, state === 'granted');
    },
    /** Adds a draft made elsewhere (an aggregated mount count). Consent: granted. */
    enqueue: (draft: Draft) => push(draft, true),
    /** Cleans caller metadata; null (and counted) when it is too large even after limits. */
    clean(metadata: unknown): CleanMetadata | null {
      const cleaned = cleanMetadata(metadata, note);
      if (cleaned.size <= LIMITS.metadataSize) return cleaned.value;
      debug(`metadata over ${LIMITS.metadataSize} characters; dropped`);
      if (consent.get() === 'granted') options.countDropped('too_large', 1);
      return null;
    },
    /** Hands the oldest drafts to the engine, at most `max`. */
    take: (max: number): Draft[] => {
      compact();
      return drafts.splice(0, max);
    },
    /** Consent was revoked or the data forgotten: everything held here goes. */
    discard() {
      drafts = [];
      head = 0;
    },
    /** An example event built exactly like a real one, with placeholder ids. */
    preview,
    /** What waits here, shown as events. */
    waiting: (): TelemetryEvent[] => drafts.slice(head).map(preview),
    size: () => drafts.length - head,
  };
}

export type Capture = ReturnType<typeof createCapture>;
