import type { ConsentGate } from './consent.js';
import type { DebugReporter } from './debug.js';
import type { Identity } from './identity.js';
import { newId } from './ids.js';
import { cleanMetadata, LIMITS } from './scrub.js';
import type {
  DropReason,
  EventContext,
  MetadataValue,
  TelemetryEvent,
  TelemetryOptions,
} from './types.js';

/** Event types: letters, digits, `.`, `_`, `-`, `:`; 1 to 64 characters. */
export const EVENT_TYPE = /^[A-Za-z0-9][\w.:-]{0,63}$/;
/** Events held in memory while the user has not decided yet; the oldest go first. */
const HELD_LIMIT = 100;

export type CleanMetadata = { [key: string]: MetadataValue };

/** An accepted event before consent gives it ids. */
export interface Draft {
  /** The event id, given at once so the event keeps it from "show me the data" to the wire. */
  id: string;
  type: string;
  metadata: CleanMetadata;
  at: number;
  path: string | undefined;
}

export interface CaptureOptions {
  consent: ConsentGate;
  identity: Identity;
  /** The event's sampling rate for this session, or 0 to drop it. */
  sample: (eventType: string, sessionId: string) => number;
  context: Omit<EventContext, 'path'>;
  beforeSend: TelemetryOptions['beforeSend'];
  now: () => number;
  debug: DebugReporter;
  /** Hands a finished event to the queue. */
  stage: (event: TelemetryEvent) => void;
  countDropped: (reason: DropReason, count: number) => void;
  /** False once the client is shut down. */
  active: () => boolean;
}

/**
 * Turns calls into events: capture → consent gate → ids and session → sampling → beforeSend →
 * stage. Before a decision, accepted events wait here as drafts, without ids.
 */
export function createCapture(options: CaptureOptions) {
  const { consent, identity, debug, now } = options;
  const note = (message: string) => debug(message);
  let held: Draft[] = [];
  /** Events built while an `identify()` hash is being computed; staged once it is ready. */
  let awaitingUser: TelemetryEvent[] = [];
  let hashing = false;
  /** An `identify()` made before consent: kept in memory only, applied on grant. */
  let pendingUserId: string | null | undefined;

  const build = (
    type: string,
    metadata: CleanMetadata,
    at: number,
    path: string | undefined,
    ids: { anonymousId: string; sessionId: string; userId?: string | undefined },
    id: string = newId(),
  ): TelemetryEvent => {
    const event: TelemetryEvent = {
      id,
      event_type: type,
      timestamp: new Date(at).toISOString(),
      anonymous_id: ids.anonymousId,
      session_id: ids.sessionId,
      metadata,
      context: path === undefined ? { ...options.context } : { ...options.context, path },
    };
    if (ids.userId) event.user_id = ids.userId;
    return event;
  };

  const applyBeforeSend = (event: TelemetryEvent): TelemetryEvent | null => {
    const { beforeSend } = options;
    if (typeof beforeSend !== 'function') return event;
    let result: unknown;
    try {
      result = beforeSend(event);
    } catch (error) {
      debug('beforeSend threw; the event was dropped', error);
      options.countDropped('invalid', 1);
      return null;
    }
    if (!result) return null;
    const edited = result as Partial<TelemetryEvent>;
    if (
      typeof edited !== 'object' ||
      typeof edited.event_type !== 'string' ||
      !EVENT_TYPE.test(edited.event_type)
    ) {
      debug('beforeSend returned something that is not an event; it was dropped');
      options.countDropped('invalid', 1);
      return null;
    }
    // Whatever beforeSend added goes through the same scrubbing as caller metadata.
    return {
      ...event,
      event_type: edited.event_type,
      metadata: cleanMetadata(edited.metadata, note).value,
    };
  };

  /** Gives an accepted event its ids and session, samples it, and stages it. Consent: granted. */
  const admit = (draft: Draft) => {
    const session = identity.touchSession(draft.at);
    const anonymousId = identity.anonymousId();
    const userId = identity.userId();
    const add = (
      type: string,
      metadata: CleanMetadata,
      at: number,
      path: string | undefined,
      sessionId: string,
      rate = 1,
      id?: string,
    ) => {
      const built = build(type, metadata, at, path, { anonymousId, sessionId, userId }, id);
      if (rate < 1) built.sampling_rate = rate;
      const event = applyBeforeSend(built);
      if (!event) return;
      if (hashing) awaitingUser.push(event);
      else options.stage(event);
    };
    if (session.ended) {
      const { ended } = session;
      add('session.end', { duration_ms: ended.durationMs }, ended.at, undefined, ended.sessionId);
    }
    if (session.started) add('session.start', {}, draft.at, draft.path, session.sessionId);
    const rate = options.sample(draft.type, session.sessionId);
    if (rate > 0)
      add(draft.type, draft.metadata, draft.at, draft.path, session.sessionId, rate, draft.id);
  };

  const applyIdentify = (userId: string | null) => {
    identity.identify(userId);
    if (userId === null) return;
    hashing = true;
    void identity.ready().then(() => {
      hashing = false;
      const ready = awaitingUser;
      awaitingUser = [];
      const hash = identity.userId();
      for (const event of ready) {
        if (hash) event.user_id = hash;
        if (consent.refresh() === 'granted') options.stage(event);
      }
    });
  };

  const previewIds = () => ({
    anonymousId: identity.peekAnonymousId() ?? 'pending',
    sessionId: 'pending',
  });

  return {
    /** The consent gate where events are accepted. */
    accept(type: unknown, metadata: CleanMetadata, path: string | undefined) {
      if (!options.active()) return;
      const state = consent.get();
      if (state === 'denied') return;
      if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
        debug(
          'event types are 1-64 letters, digits, ".", "_", "-" or ":"; the event was dropped',
          type,
        );
        if (state === 'granted') options.countDropped('invalid', 1);
        return;
      }
      const draft: Draft = { id: newId(), type, metadata, at: now(), path };
      if (state === 'granted') {
        admit(draft);
        return;
      }
      held.push(draft);
      if (held.length > HELD_LIMIT) held.shift();
    },
    admit,
    /** Cleans caller metadata; null (and counted) when it is too large even after limits. */
    clean(metadata: unknown): CleanMetadata | null {
      const cleaned = cleanMetadata(metadata, note);
      if (cleaned.size <= LIMITS.metadataSize) return cleaned.value;
      debug(`metadata over ${LIMITS.metadataSize} characters; the event was dropped`);
      if (consent.get() === 'granted') options.countDropped('too_large', 1);
      return null;
    },
    identify(userId: string | null) {
      const state = consent.get();
      if (state === 'granted') applyIdentify(userId);
      else if (state === 'unknown') pendingUserId = userId;
    },
    /** Consent was granted: drafts and a pending identify get their ids, in order. */
    release() {
      if (pendingUserId !== undefined) applyIdentify(pendingUserId);
      pendingUserId = undefined;
      const drafts = held;
      held = [];
      for (const draft of drafts) admit(draft);
    },
    /** Consent was revoked or the data forgotten: everything held here goes. */
    discard() {
      held = [];
      awaitingUser = [];
      pendingUserId = undefined;
    },
    /** Resolves once an `identify()` hash in progress is attached. */
    ready: () => (hashing ? identity.ready() : Promise.resolve()),
    /** An example event built exactly like a real one, with placeholder ids where none exist. */
    preview: (
      type: string,
      metadata: CleanMetadata,
      at: number,
      path: string | undefined,
      id?: string,
    ) => build(type, metadata, at, path, previewIds(), id),
    /** What waits here (held drafts, events waiting for a hash), shown as events. */
    waiting: (): TelemetryEvent[] => [
      ...awaitingUser,
      ...held.map((draft) =>
        build(draft.type, draft.metadata, draft.at, draft.path, previewIds(), draft.id),
      ),
    ],
    size: () => held.length + awaitingUser.length,
  };
}

export type Capture = ReturnType<typeof createCapture>;
