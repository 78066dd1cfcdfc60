import type { Draft, Inbox } from '../capture/createInbox.js';
import type { Report } from '../lib/createReport.js';
import type { DebugReporter } from '../lib/debug.js';
import { createMountCounter, mountDraft } from '../pipeline/createMountCounter.js';
import { mergeMounts } from '../pipeline/mergeMounts.js';

/**
 * The mount-count window: mounts the inbox logged, counted by component + props + library, and
 * turned into one `component.mount` draft per combination when the window ends (a flush, a
 * page hide, the interval). Counts whose props scrub to the same values become one.
 */
export function createMountWindow(
  inbox: Inbox,
  report: Pick<Report, 'countDropped'>,
  debug: DebugReporter,
  now: () => number,
) {
  const counter = createMountCounter(now);
  const drafts = (counts: ReturnType<typeof counter.peek>): Draft[] =>
    mergeMounts(counts.map(mountDraft), debug);
  return {
    /**
     * Counts the mounts logged since the last count. Drops are counted only with consent
     * (`counting`): a preview before it counts but reports nothing.
     */
    count(counting: boolean) {
      const { entries, at } = inbox.takeMounts();
      const rejected = counter.addLogged(entries, at);
      if (!rejected || !counting) return;
      debug('too many component + props combinations in one window; the rest are not counted');
      report.countDropped('overflow', rejected, 'component.mount');
    },
    /** Ends the window: its counts as drafts. */
    end: (): Draft[] => drafts(counter.drain()),
    /** The window so far, as the drafts it will become, without ending it. */
    peek: (): Draft[] => drafts(counter.peek()),
    /** Combinations counted: the events the window will become. */
    size: () => counter.size(),
    discard: () => counter.discard(),
  };
}
