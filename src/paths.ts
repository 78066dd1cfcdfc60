import { shapePath } from './clean.js';
import type { DebugReporter } from './debug.js';

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
      if (typeof result === 'string') return result.slice(0, 300);
    } catch {}
    debug('sanitizePath failed; the built-in one was used');
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
