import type { Draft, Inbox } from '../capture/createInbox.js';
import type { Report } from '../lib/createReport.js';
import type { DebugReporter } from '../lib/debug.js';
import type { FlowTracker } from '../pipeline/createFlowTracker.js';
import type { Identity } from '../pipeline/createIdentity.js';
import type { TelemetryEvent } from '../wire/event.js';
import type { Lanes } from './createLanes.js';
import { createMountWindow } from './createMountWindow.js';

/**
 * Drafts turned into events (scrubbed, given ids and a session, sampled, shown to `beforeSend`)
 * per task: a burst of 10,000 calls becomes 20 tasks of a few milliseconds, each far from 50 ms
 * even when garbage collection or a busy machine triples it. Persisting waits until all are
 * admitted, so the burst still takes 10 IndexedDB transactions (the queue's write chunk).
 */
const ADMIT_CHUNK = 500;
/** A burst of calls within this window is admitted and persisted together. */
const ADMIT_DELAY_MS = 20;

export interface IntakeOptions {
  inbox: Inbox;
  /** Draft → events (pipeline/createEventPipeline.ts). */
  pipeline: (draft: Draft) => TelemetryEvent[];
  /** The flows the pipeline has seen start, for `abandonFlows`. */
  flows: Pick<FlowTracker, 'abandon'>;
  identity: Identity;
  /** Where admitted events go: the app collector's queue and each destination's. */
  lanes: Pick<Lanes, 'stage' | 'schedule' | 'persist' | 'flush'>;
  report: Report;
  debug: DebugReporter;
  now: () => number;
  maxBatchSize: number;
  allowed: () => boolean;
}

/**
 * What the engine takes from the inbox, and when: drafts through the pipeline into the queue, a
 * chunk per task; logged mounts counted, and their window's counts turned into events; the
 * inbox's drop counts into the report; an `identify()` applied before the drafts after it.
 */
export function createIntake(options: IntakeOptions) {
  const { inbox, identity, lanes, report, debug, allowed } = options;
  const mounts = createMountWindow(inbox, report, debug, options.now);
  /** Events built while an `identify()` hash is being computed; staged once it is ready. */
  let awaitingUser: TelemetryEvent[] = [];
  let hashing = false;
  let sinceFlush = 0;
  /** A batch filled up during a burst's admission: flush once the admission ends. */
  let flushWanted = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** True while the start-up flush runs: new drafts wait for it (see `hold`). */
  let holding = false;

  const flushSoon = () => setTimeout(() => void lanes.flush('scheduled'), 0);
  const stage = (event: TelemetryEvent) => {
    if (hashing) {
      awaitingUser.push(event);
      return;
    }
    lanes.stage(event);
    if (++sinceFlush < options.maxBatchSize) return;
    sinceFlush = 0;
    // In the middle of a burst's admission, the flush waits for its end: flushing now would
    // persist a partial chunk in a transaction of its own.
    if (inbox.draftCount() > 0) flushWanted = true;
    else flushSoon();
  };
  const admit = (draft: Draft) => {
    for (const event of options.pipeline(draft)) stage(event);
  };
  const applyIdentify = () => {
    const userId = inbox.takeUserId();
    if (userId === undefined) return;
    identity.identify(userId);
    if (userId === null) return;
    hashing = true;
    void identity.ready().then(() => {
      hashing = false;
      const waiting = awaitingUser;
      awaitingUser = [];
      const hash = identity.userId();
      for (const event of waiting) {
        if (hash) event.user_id = hash;
        if (allowed()) stage(event);
      }
      lanes.schedule();
    });
  };
  /** Takes the inbox's drop counts, its `identify()` and up to `max` drafts. */
  const takeInbox = (max: number) => {
    report.countAll(inbox.takeDropped());
    applyIdentify();
    for (const draft of inbox.take(max)) admit(draft);
  };
  const admitSoon = (delay: number) => {
    timer ??= setTimeout(() => {
      timer = undefined;
      if (!allowed()) return;
      mounts.count(true);
      takeInbox(ADMIT_CHUNK);
      if (inbox.draftCount()) {
        admitSoon(0);
        return;
      }
      void lanes.persist();
      if (flushWanted) {
        flushWanted = false;
        flushSoon();
      }
    }, delay);
  };

  return {
    /**
     * Something waits in the inbox: drop counts are taken at once (their ledger is written at the
     * end of the task), the rest soon (after the start-up flush, if one runs).
     */
    schedule() {
      report.countAll(inbox.takeDropped());
      if (!holding) admitSoon(ADMIT_DELAY_MS);
    },
    /**
     * Consent is granted: drop counts and an `identify()` from before are taken now; drafts wait
     * until `startUp` has claimed what earlier pages left (at most a second). A batch claimed by
     * a page that closes before its answer stays leased, so fresh events are better left to the
     * next flush or the page-hide beacon.
     */
    hold(startUp: Promise<unknown>) {
      report.countAll(inbox.takeDropped());
      applyIdentify();
      holding = true;
      const release = () => {
        if (!holding) return;
        holding = false;
        clearTimeout(wait);
        admitSoon(0);
      };
      const wait = setTimeout(release, 1_000);
      void startUp.finally(release);
    },
    /** Takes everything now (a flush, a page hide, a shutdown): drafts, then the mount window. */
    admitAll() {
      clearTimeout(timer);
      timer = undefined;
      if (!allowed()) return;
      mounts.count(true);
      takeInbox(Number.POSITIVE_INFINITY);
      for (const draft of mounts.end()) admit(draft);
    },
    /** The page goes away: the flows still open end as `abandoned` (after `admitAll`). */
    abandonFlows() {
      if (allowed()) for (const draft of options.flows.abandon(options.now())) admit(draft);
    },
    /** Takes the drafts (not the mount window: "show me the data" only looks at it). */
    admitDrafts() {
      if (allowed()) takeInbox(Number.POSITIVE_INFINITY);
    },
    /** A draft made in the engine (a web vital): in at once. */
    enqueue(draft: Draft) {
      if (!allowed()) return;
      admit(draft);
      lanes.schedule();
    },
    /** The mount window so far, as the drafts it will become, without ending it. */
    previewMounts(): Draft[] {
      mounts.count(allowed());
      return mounts.peek();
    },
    /** Resolves when a pending `identify()` hash is ready. */
    ready: () => (hashing ? identity.ready() : Promise.resolve()),
    /** Events waiting for a user hash. */
    awaiting: (): TelemetryEvent[] => awaitingUser,
    /** Events not yet in the queue: waiting for a hash, or mount counts of this window. */
    size: () => awaitingUser.length + mounts.size(),
    /** A revoke or a forget: nothing taken is kept. */
    discard() {
      clearTimeout(timer);
      timer = undefined;
      awaitingUser = [];
      hashing = false;
      mounts.discard();
    },
    /** A shutdown: no admission is left scheduled. */
    close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}
