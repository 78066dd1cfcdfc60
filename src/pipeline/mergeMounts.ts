import type { Draft } from '../capture/createInbox.js';
import type { DebugReporter } from '../lib/debug.js';
import { finishDraft } from './finishDraft.js';

/**
 * Merges `component.mount` drafts whose props scrub to the same values (two email addresses in
 * an `alt` prop both become `[email]`): one event per combination as sent, with the counts
 * added. The drafts come finished; the first of each combination keeps its id.
 */
export function mergeMounts(drafts: Draft[], debug: DebugReporter): Draft[] {
  const byKey = new Map<string, Draft>();
  for (const draft of drafts) {
    const { count, ...rest } = finishDraft(draft, debug).metadata;
    const key = JSON.stringify(rest);
    const first = byKey.get(key);
    if (first) (first.metadata.count as number) += count as number;
    else byKey.set(key, draft);
  }
  return [...byKey.values()];
}
