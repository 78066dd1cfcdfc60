import type { DebugReporter } from './debug.js';
import { sanitizePath } from './scrub.js';

/**
 * Sanitises paths with the caller's function or the built-in one, and caches the current
 * page's path so `track()` does not re-run the sanitiser on every call.
 */
export function createPaths(
  win: Window,
  custom: ((path: string) => string) | undefined,
  debug: DebugReporter,
) {
  let raw = '';
  let clean = '/';
  const sanitize = (path: string): string => {
    try {
      const result = custom ? custom(path) : sanitizePath(path);
      if (typeof result === 'string') return result.slice(0, 300);
    } catch {}
    debug('sanitizePath failed; the built-in one was used');
    return sanitizePath(path);
  };
  return {
    sanitize,
    current(): string {
      const path = String(win.location?.pathname ?? '/');
      if (path !== raw) {
        raw = path;
        clean = sanitize(path);
      }
      return clean;
    },
  };
}
