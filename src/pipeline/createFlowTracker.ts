import type { Draft } from '../capture/createInbox.js';
import type { DebugReporter } from '../lib/debug.js';

/** The outcomes a `flow.end` may have. */
const OUTCOMES = ['success', 'failure', 'cancelled', 'abandoned'];
/** Flows remembered, open or ended; the oldest are forgotten beyond this. */
const REMEMBERED = 1_000;
/** The longest flow name: the collector's limit on names. */
const MAX_NAME = 128;

/** A flow this page started: where and when, and whether it has ended. */
interface Started {
  name: string;
  at: number;
  path: string | undefined;
  open: boolean;
}

/**
 * The engine's side of flows: `flow.start` and `flow.end` events carry the flow's name (`flow`)
 * and its `correlation_id` in their metadata, and an end its `outcome` (DESIGN.md, "Flows"):
 * - `check` sees each `flow.start` / `flow.end` draft as the engine takes it, in order, and says
 *   whether it is kept. A start needs a name and a `correlation_id`; an end, a known outcome and
 *   a flow this page started and has not ended. It gives the end its `duration_ms`, from the
 *   start's time. What it drops it tells in a debug message (the caller counts it `invalid`).
 * - `abandon` ends every flow still open when the page goes away, as `abandoned`.
 * Flows do not outlive their page, so remembering this page's flows is enough. An end keeps the
 * `duration_ms` that `flow()` measured on the monotonic clock; an end recorded with `track()`
 * (and an abandoned flow) gets the time between the drafts' wall-clock times, clamped at 0: a
 * monotonic clock read for every call (`performance.now()`) would cost as much as the rest of
 * a `track()` in Chromium.
 */
export function createFlowTracker(debug: DebugReporter) {
  /** By correlation_id, oldest first. */
  const flows = new Map<string, Started>();
  const problemOf = (draft: Draft): string | null => {
    const metadata = draft.metadata;
    const { flow: name, correlation_id: id, outcome } = metadata;
    if (typeof name !== 'string' || !name || name.length > MAX_NAME)
      return `a flow needs a name (a string of 1 to ${MAX_NAME} characters), not ${JSON.stringify(name)}`;
    if (typeof id !== 'string' || !id) return `flow "${name}" has no correlation_id`;
    const started = flows.get(id);
    if (draft.type === 'flow.start') {
      if (started) return `flow "${name}" (${id}) was started twice`;
      flows.set(id, { name, at: draft.at, path: draft.path, open: true });
      if (flows.size > REMEMBERED) flows.delete(flows.keys().next().value as string);
      return null;
    }
    if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome))
      return `flow "${name}" ended with outcome ${JSON.stringify(outcome)}; use one of ${OUTCOMES.join(', ')}`;
    if (!started) return `flow "${name}" (${id}) was ended but never started`;
    if (!started.open) return `flow "${name}" (${id}) was ended twice; only the first end counts`;
    started.open = false;
    // `flow()` measured the flow on the monotonic clock; an end recorded with `track()` is
    // measured here, from the drafts' wall-clock times.
    const measured = metadata.duration_ms;
    metadata.duration_ms = Math.round(
      Math.max(0, typeof measured === 'number' ? measured : draft.at - started.at),
    );
    return null;
  };
  return {
    /** Whether the draft is kept; a kept `flow.end` gets its `duration_ms`. */
    check(draft: Draft): boolean {
      if (draft.type !== 'flow.start' && draft.type !== 'flow.end') return true;
      const problem = problemOf(draft);
      if (problem) debug(`flow event dropped: ${problem}`);
      return !problem;
    },
    /** The `flow.end` drafts of the flows still open, as `abandoned` at `at`. */
    abandon(at: number): Draft[] {
      const ends: Draft[] = [];
      for (const [id, started] of flows)
        if (started.open)
          ends.push({
            type: 'flow.end',
            metadata: { flow: started.name, correlation_id: id, outcome: 'abandoned' },
            at,
            path: started.path,
          });
      return ends;
    },
  };
}

export type FlowTracker = ReturnType<typeof createFlowTracker>;
