import { type DebugReporter, noteTo } from '../lib/debug.js';
import { Message } from '../lib/message.js';
import type { ComponentInfo } from '../types.js';
import type { DropCounts, DropReason, MetadataValue } from '../wire/event.js';
import { CAPTURE_LIMITS, EVENT_TYPE_PATTERN } from '../wire/rules.js';
import { cleanShape } from './cleanShape.js';
import type { ConsentGate } from './createConsent.js';
import { createMountLog } from './createMountLog.js';

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
  /** Cleaned (`cleanShape`); scrubbed when the draft is finished (pipeline/finishDraft.ts). */
  metadata: CleanMetadata;
  at: number;
  /** Shaped (`shapePath` or the caller's sanitiser); scrubbed when the draft is finished. */
  path: string | undefined;
  /** What an error's hashes are made from when it is finished (`error_hash` and the like). */
  error?: { stack: string; header: string; componentStack: string | undefined } | undefined;
  /** Set once the draft is scrubbed and complete: finishing it again changes nothing. */
  finished?: true;
}

/**
 * The first step of the data flow, and all of it that runs inside a caller's `track()`:
 * capture → consent gate → clean and limit → a draft in memory. It is the one thing the client
 * hands the delivery engine: the client writes into it, the engine takes from it, and nothing
 * flows back. Scrubbing, ids, session, sampling, `beforeSend`, persisting and sending happen
 * later, in batches, in the engine, which is loaded only once consent is granted. Before a
 * decision drafts wait here without ids, bounded; a revoke discards them.
 */
export function createInbox(
  consent: ConsentGate,
  now: () => number,
  debug: DebugReporter,
  /** Drafts kept while consent is granted but not yet taken by the engine; the oldest go. */
  maxDrafts: number,
) {
  const note = noteTo(debug);
  const mounts = createMountLog(now);
  const listeners = new Set<() => void>();
  let drafts: Draft[] = [];
  /** Drops counted here, not yet taken by the engine (which reports them). */
  let dropped: DropCounts = {};
  /** An `identify()` the engine has not taken yet: undefined when there is none. */
  let userId: string | null | undefined;
  let open = true;

  /**
   * Tells the engine that something waits: for drafts and mounts once per empty-to-waiting
   * change, not per call.
   */
  const notify = () => {
    for (const listener of listeners) listener();
  };
  /**
   * One event dropped, counted only with consent, and told at once: a count must outlive a tab
   * closed right after.
   */
  const countDropped = (reason: DropReason) => {
    if (consent.get() !== 'granted') return;
    dropped[reason] = (dropped[reason] ?? 0) + 1;
    notify();
  };

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

  /** Cleans caller metadata; null (and counted) when it is too large even after limits. */
  const clean = (metadata: unknown): CleanMetadata | null => {
    const cleaned = cleanShape(metadata, note);
    if (cleaned.size <= CAPTURE_LIMITS.metadataSize) return cleaned.value;
    debug(Message.MetadataTooLarge);
    countDropped('too_large');
    return null;
  };

  return {
    /**
     * The consent gate where events are accepted: cleans what the caller passed (`metadata`,
     * inside its call: the caller may change its object afterwards), puts the method's own
     * `fields` on top and keeps the draft.
     */
    accept(
      type: unknown,
      metadata: unknown,
      path: string | undefined,
      fields?: CleanMetadata,
      error?: Draft['error'],
    ) {
      const state = consent.get();
      if (!open || state === 'denied') {
        debug(open ? Message.RefusedDenied : Message.RefusedClosed, undefined, String(type));
        return;
      }
      const cleaned = clean(metadata);
      if (!cleaned) return;
      if (typeof type !== 'string' || !EVENT_TYPE_PATTERN.test(type)) {
        debug(Message.InvalidEventType, type);
        countDropped('invalid');
        return;
      }
      const granted = state === 'granted';
      const waiting =
        drafts.push({
          type,
          metadata: fields ? { ...cleaned, ...fields } : cleaned,
          at: now(),
          path,
          error,
        }) - head;
      if (waiting > (granted ? maxDrafts : HELD_LIMIT)) {
        if (++head > 1_000) compact();
        countDropped('overflow');
      } else if (waiting === 1 && granted) notify();
    },
    /** Logs one component mount (see createMountLog); the engine counts the log later. */
    logMount(name: string, props: unknown, info: ComponentInfo | undefined) {
      if (!open || consent.get() === 'denied') return;
      const logged = mounts.add(name, props, info);
      if (logged === 1) {
        if (consent.get() === 'granted') notify();
      } else if (logged === 0) {
        debug(Message.TooManyMounts);
        countDropped('overflow');
      }
    },
    /** Records `identify()`; the engine applies it before the drafts it takes next. */
    identify(id: string | null) {
      if (!open || consent.get() === 'denied') return;
      userId = id;
      if (consent.get() === 'granted') notify();
    },
    /** `shutdown()`: nothing is accepted from now on. */
    close() {
      open = false;
    },

    // The engine's side ------------------------------------------------------------------------

    /** Calls `listener` when something arrives in an empty inbox. Returns its unsubscribe. */
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    /** The oldest drafts, at most `max`. */
    take(max: number): Draft[] {
      compact();
      return drafts.splice(0, max);
    },
    /** The mounts logged since the last take. */
    takeMounts: mounts.take,
    /** Drops counted here since the last take. */
    takeDropped(): DropCounts {
      const taken = dropped;
      dropped = {};
      return taken;
    },
    /** The last `identify()` since the last take, or undefined. */
    takeUserId(): string | null | undefined {
      const taken = userId;
      userId = undefined;
      return taken;
    },
    /** What waits here, without taking it (for "show me the data"). */
    waiting: (): Draft[] => drafts.slice(head),
    /** Drafts waiting. */
    draftCount: () => drafts.length - head,
    /** Drafts and logged mounts waiting; a logged mount counts as one. */
    size: () => drafts.length - head + mounts.size(),
    /** Drops counted and not taken yet, for `status()`. */
    untakenDrops: (): DropCounts => dropped,
    /** Consent was revoked or the data forgotten: everything held here goes. */
    discard() {
      drafts = [];
      head = 0;
      dropped = {};
      userId = undefined;
      mounts.discard();
    },
  };
}

export type Inbox = ReturnType<typeof createInbox>;
