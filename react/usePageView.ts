'use client';
import { useEffect, useRef } from './reactApi.js';
import { useTelemetry } from './useTelemetry.js';

/**
 * Records `page.view` when `path` changes, for apps whose router owns the URL. Pass the
 * router's path (the core sanitises it: no query, no fragment, ids become `:id`); without one,
 * the current location is recorded once per mount. Once per path: StrictMode's repeated
 * effects and re-renders with the same path record nothing more.
 *
 * Use it instead of the `pageViews` option, not with it, or each navigation counts twice.
 *
 * @example
 * // React Router
 * const { pathname } = useLocation();
 * usePageView(pathname);
 */
export function usePageView(path?: string): void {
  const client = useTelemetry();
  // Null until the first record: distinct from every path and from `undefined` (the location).
  const recorded = useRef<string | undefined | null>(null);
  useEffect(() => {
    if (recorded.current === path) return;
    recorded.current = path;
    client.page(path);
  }, [client, path]);
}
