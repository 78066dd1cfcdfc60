import type { Draft } from './capture.js';
import { truncate } from './clean.js';
import { coarseContext } from './context.js';
import type { DebugReporter } from './debug.js';
import { fnv1a } from './hash.js';
import { newId } from './ids.js';
import { scrubPath, scrubTree } from './scrub.js';
import type { EventContext, MetadataValue, TelemetryEvent } from './types.js';

/**
 * Where a draft becomes an event. It lives with the delivery engine, in the chunk loaded once
 * consent is granted (or when "show me the data" asks before that), so that the scrubbing
 * patterns and the context's tables are not in the code every page loads.
 */

export interface EventIds {
  anonymousId: string;
  sessionId: string;
  userId?: string | undefined;
}

/** Fields of built-in events with a tighter limit than other metadata strings. */
const FIELD_LIMITS: { [type: string]: { [field: string]: number } } = {
  error: { error_class: 100, message: 500, stack: 2_000 },
  'component.mount': { library: 100, version: 50 },
};
/** The longest `component.mount` prop value. */
const PROP_LIMIT = 100;

/**
 * Scrubs a draft in place, once: metadata strings and the path, secret-looking keys, the tighter
 * limits of built-in fields, and an error's `error_hash` (made from the scrubbed message, so that
 * occurrences differing only in an email or an id group together, and no hash of personal data
 * leaves the page) and `component_stack_hash`. Returns the draft.
 */
export function finishDraft(draft: Draft, debug: DebugReporter): Draft {
  if (draft.finished) return draft;
  draft.finished = true;
  const note = (message: string) => debug(message);
  const metadata = draft.metadata;
  const rawPath = draft.path;
  // A path the client put in the metadata (page.view, web_vital) is the event's path, scrubbed
  // by segment like it; any other string is scrubbed whole.
  const pathField = rawPath !== undefined && metadata.path === rawPath;
  if (rawPath !== undefined) draft.path = scrubPath(rawPath);
  scrubTree(metadata, note);
  if (pathField) metadata.path = draft.path as string;
  const limits = FIELD_LIMITS[draft.type];
  if (limits) {
    for (const field in limits) {
      const value = metadata[field];
      if (typeof value === 'string') metadata[field] = truncate(value, limits[field] as number);
    }
    const props = metadata.props;
    if (draft.type === 'component.mount' && props && typeof props === 'object')
      for (const [key, value] of Object.entries(props))
        if (typeof value === 'string')
          (props as { [key: string]: MetadataValue })[key] = truncate(value, PROP_LIMIT);
  }
  const error = draft.error;
  if (error) {
    const message = typeof metadata.message === 'string' ? metadata.message : '';
    metadata.error_hash = hash(
      `${String(metadata.error_class)}|${message.replace(/\d+/g, '0')}|${error.frame}`,
    );
    if (error.componentStack)
      metadata.component_stack_hash = hashComponentStack(error.componentStack);
    draft.error = undefined;
  }
  return draft;
}

const hash = (text: string) => fnv1a(text).toString(16).padStart(8, '0');

/**
 * A hash of React's component stack: which components were involved, without their names
 * leaving the page. Source locations (URLs, line and column) are dropped first so that a new
 * build does not change the hash of the same failure.
 */
export function hashComponentStack(stack: string): string {
  const frames = stack
    .split('\n')
    .map((line) => line.replace(/\(.*\)|@.*$|https?:\/\/\S+/g, '').trim())
    .filter(Boolean);
  return hash(frames.join('>'));
}

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

/**
 * Drafts shown as the events they will become ("show me the data", `preview()`), with the ids
 * given: placeholders until the engine has real ones. Drafts are finished and given their ids
 * in place, so the event shown is the event sent.
 */
export function previewEvents(
  drafts: Draft[],
  navigator: Navigator | undefined,
  ids: EventIds,
  debug: DebugReporter,
): TelemetryEvent[] {
  const context = coarseContext(navigator);
  return drafts.map((draft) => buildEvent(draft, context, ids, debug));
}
