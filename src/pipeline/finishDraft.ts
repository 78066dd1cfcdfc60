import { truncate } from '../capture/cleanShape.js';
import type { Draft } from '../capture/createInbox.js';
import { type DebugReporter, noteTo } from '../lib/debug.js';
import { fnv1a } from '../lib/fnv1a.js';
import type { MetadataValue } from '../wire/event.js';
import { FIELD_LIMITS } from '../wire/fieldLimits.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';
import { topFrame } from './errorFrame.js';
import { scrubPath, scrubTree } from './scrub.js';

/**
 * Where a draft is scrubbed. It lives with the delivery engine, in the chunk loaded once consent
 * is granted (or when "show me the data" asks before that), so that the scrubbing patterns are
 * not in the code every page loads.
 */

/** What a `correlation_id` kept unscrubbed looks like: an id, not a sentence or an address. */
const CORRELATION_ID = /^(?=[\w-]*[A-Za-z])[\w-]{1,64}$/;

/** Fields of built-in events with a tighter limit than other metadata strings. */
const BUILT_IN_LIMITS: { [type: string]: { [field: string]: number } } = {
  error: {
    error_class: CAPTURE_LIMITS.errorClass,
    message: CAPTURE_LIMITS.errorMessage,
    stack: CAPTURE_LIMITS.errorStack,
  },
  'component.mount': { library: FIELD_LIMITS.library, version: FIELD_LIMITS.version },
};

/**
 * Scrubs a draft in place, once: metadata strings and the path (shaped first by `shape`, for
 * drafts that come with the page's raw path), secret-looking keys, the tighter
 * limits of built-in fields, and an error's `error_hash` (made from the scrubbed message, so that
 * occurrences differing only in an email or an id group together, and no hash of personal data
 * leaves the page) and `component_stack_hash`. Returns the draft.
 */
export function finishDraft(
  draft: Draft,
  debug: DebugReporter,
  shape?: (path: string) => string,
): Draft {
  if (draft.finished) return draft;
  draft.finished = true;
  const note = noteTo(debug);
  const metadata = draft.metadata;
  const rawPath = draft.path;
  // A path the client put in the metadata (page.view, web_vital) is the event's path, scrubbed
  // by segment like it; any other string is scrubbed whole.
  const pathField = rawPath !== undefined && metadata.path === rawPath;
  if (rawPath !== undefined) draft.path = scrubPath(shape ? shape(rawPath) : rawPath);
  // A flow's id (a UUID, say) looks like a secret to the scrubber; an id it is, when it has the
  // shape of one (no spaces, no '@' or '.', a letter somewhere), and it is kept as given.
  const correlationId = metadata.correlation_id;
  scrubTree(metadata, note);
  if (typeof correlationId === 'string' && CORRELATION_ID.test(correlationId))
    metadata.correlation_id = correlationId;
  if (pathField) metadata.path = draft.path as string;
  const limits = BUILT_IN_LIMITS[draft.type];
  if (limits) {
    for (const field in limits) {
      const value = metadata[field];
      if (typeof value === 'string') metadata[field] = truncate(value, limits[field] as number);
    }
    const props = metadata.props;
    if (draft.type === 'component.mount' && props && typeof props === 'object')
      for (const [key, value] of Object.entries(props))
        if (typeof value === 'string')
          (props as { [key: string]: MetadataValue })[key] = truncate(
            value,
            FIELD_LIMITS.propValue,
          );
  }
  const error = draft.error;
  if (error) {
    const message = typeof metadata.message === 'string' ? metadata.message : '';
    metadata.error_hash = hash(
      `${String(metadata.error_class)}|${message.replace(/\d+/g, '0')}|${topFrame(error.header, error.stack)}`,
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
