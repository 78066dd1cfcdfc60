import type { DebugReporter } from '../lib/debug.js';
import { Message } from '../lib/message.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';
import { cut } from './cleanShape.js';

const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|(?=.*\d)[\w-]{20,})$/i;

/**
 * The shape part of the built-in path sanitiser, done when an event is accepted: no query string
 * or fragment (they carry search terms, tokens and campaign ids), and numeric, UUID, long hex and
 * token-like segments become `:id`, so that paths group by route and carry no identifiers.
 * Segments are scrubbed when the event is built (`scrubPath`).
 */
export function shapePath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? '';
  const withoutOrigin = bare.replace(/^[a-z][a-z\d+.-]*:\/\/[^/]*/i, '');
  const segments = withoutOrigin
    .split('/')
    .map((segment) =>
      segment && ID_SEGMENT.test(segment) ? ':id' : cut(segment, CAPTURE_LIMITS.pathSegment),
    );
  const joined = segments.join('/') || '/';
  return cut(joined.startsWith('/') ? joined : `/${joined}`, CAPTURE_LIMITS.path);
}

/**
 * Sanitises paths with the caller's function or the built-in one's shape part (`shapePath`; the
 * segments are scrubbed when the event is built), and caches the current
 * page's path so `track()` does not re-run the sanitiser on every call.
 *
 * Reading `location.pathname` is itself a large part of a `track()` call (a new string from
 * the browser each time). Where the Navigation API is there, its `currententrychange` event —
 * fired synchronously by `pushState`, `replaceState`, fragment changes and traversals, every
 * way a page changes its URL without loading another — says when to read it again; elsewhere
 * it is read on every call.
 */
export function createPaths(
  win: Window,
  custom: ((path: string) => string) | undefined,
  debug: DebugReporter,
) {
  let raw = '';
  let clean = '/';
  /** True while the cached path is known to be the current one. */
  let known = false;
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  let watching = typeof navigation?.addEventListener === 'function';
  const changed = () => {
    known = false;
  };
  if (watching) navigation?.addEventListener('currententrychange', changed);
  const sanitize = (path: string): string => {
    try {
      const result = custom ? custom(path) : shapePath(path);
      if (typeof result === 'string') return result.slice(0, CAPTURE_LIMITS.path);
    } catch {}
    debug(Message.SanitizePathFailed);
    return shapePath(path);
  };
  return {
    sanitize,
    current(): string {
      if (known) return clean;
      const path = String(win.location?.pathname ?? '/');
      if (path !== raw) {
        raw = path;
        clean = sanitize(path);
      }
      known = watching;
      return clean;
    },
    /** Stops watching the URL (shutdown). */
    dispose() {
      if (watching) navigation?.removeEventListener('currententrychange', changed);
      watching = false;
      known = false;
    },
  };
}

export type Paths = ReturnType<typeof createPaths>;
