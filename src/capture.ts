import { cleanShape, LIMITS } from './clean.js';
import type { ConsentGate } from './consent.js';
import type { DebugReporter } from './debug.js';
import type { DropReason, MetadataValue } from './types.js';

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
  /** Cleaned (`cleanShape`); scrubbed when the draft is finished (src/finish.ts). */
  metadata: CleanMetadata;
  at: number;
  /** Shaped (`shapePath` or the caller's sanitiser); scrubbed when the draft is finished. */
  path: string | undefined;
  /** What an error's hashes are made from when it is finished (`error_hash` and the like). */
  error?: { frame: string; componentStack: string | undefined } | undefined;
  /** Set once the draft is scrubbed and complete: finishing it again changes nothing. */
  finished?: true;
}

export interface CaptureOptions {
  consent: ConsentGate;
  now: () => number;
  debug: DebugReporter;
  /** Drafts kept while consent is granted but not yet taken by the engine; the oldest go. */
  maxDrafts: number;
  /** A draft was accepted with consent granted: the engine should take it soon. */
  onAccepted: () => void;
  countDropped: (reason: DropReason, count: number) => void;
  /** False once the client is shut down. */
  active: () => boolean;
}

/**
 * The first step of the data flow, and all of it that runs inside a caller's `track()`:
 * capture → consent gate → clean and limit → a draft in memory. Everything else (scrubbing,
 * ids, session, sampling, `beforeSend`, persisting, sending) happens later, in batches, in the
 * delivery engine, which is loaded only once consent is granted. Before a decision drafts wait here,
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

  return {
    /** The consent gate where events are accepted. */
    accept(
      type: unknown,
      metadata: CleanMetadata,
      path: string | undefined,
      error?: Draft['error'],
    ) {
      if (!options.active()) return;
      const state = consent.get();
      if (state === 'denied') return;
      if (typeof type !== 'string' || !EVENT_TYPE.test(type)) {
        debug('event types are 1-64 of A-Z a-z 0-9 . _ - :; dropped', type);
        if (state === 'granted') options.countDropped('invalid', 1);
        return;
      }
      push({ type, metadata, at: now(), path, error }, state === 'granted');
    },
    /** Adds a draft made elsewhere (an aggregated mount count). Consent: granted. */
    enqueue: (draft: Draft) => push(draft, true),
    /** Cleans caller metadata; null (and counted) when it is too large even after limits. */
    clean(metadata: unknown): CleanMetadata | null {
      const cleaned = cleanShape(metadata, note);
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
    /** What waits here (for "show me the data"). */
    waiting: (): Draft[] => drafts.slice(head),
    size: () => drafts.length - head,
  };
}

export type Capture = ReturnType<typeof createCapture>;
