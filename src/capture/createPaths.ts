import { CAPTURE_LIMITS } from '../wire/rules.js';

/**
 * The page's path as events record it at the call: `location.pathname`, cached. It is shaped
 * and scrubbed (the `sanitizePath` option, or the built-in sanitiser) when the event is built,
 * in the delivery engine, so that none of that is in the code every page loads.
 *
 * Reading `location.pathname` is itself a large part of a `track()` call (a new string from
 * the browser each time). Where the Navigation API is there, its `currententrychange` event —
 * fired synchronously by `pushState`, `replaceState`, fragment changes and traversals, every
 * way a page changes its URL without loading another — says when to read it again; elsewhere
 * it is read on every call.
 */
export function createPaths(win: Window) {
  let path = '/';
  /** True while the cached path is known to be the current one. */
  let known = false;
  const navigation = (win as Window & { navigation?: EventTarget }).navigation;
  let watching = typeof navigation?.addEventListener === 'function';
  const changed = () => {
    known = false;
  };
  if (watching) navigation?.addEventListener('currententrychange', changed);
  return {
    /** A path the caller gave (`page(path)`), bounded until it is shaped. */
    given: (value: string): string => value.slice(0, CAPTURE_LIMITS.path * 4),
    current(): string {
      if (known) return path;
      path = String(win.location?.pathname ?? '/');
      known = watching;
      return path;
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
