import { cut } from '../capture/cleanShape.js';
import type { DebugReporter } from '../lib/debug.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';

const ID_SEGMENT =
  /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,}|(?=.*\d)[\w-]{20,})$/i;

/**
 * The shape part of the built-in path sanitiser: no query string or fragment (they carry search
 * terms, tokens and campaign ids), and numeric, UUID, long hex and token-like segments become
 * `:id`, so that paths group by route and carry no identifiers. Segments are scrubbed after it
 * (`scrubPath`).
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
 * The path sanitiser of the `sanitizePath` option, or the built-in shape, applied when an event
 * is built (in the delivery engine's chunk, not in the code every page loads): a throwing or
 * non-string sanitiser falls back to the built-in one with one debug message. The last path and
 * its result are kept: events come in runs from the same page.
 */
export function createPathShaper(
  custom: ((path: string) => string) | undefined,
  debug: DebugReporter,
): (path: string) => string {
  let lastRaw: string | undefined;
  let lastShaped = '/';
  const shape = (path: string): string => {
    try {
      const result = custom ? custom(path) : shapePath(path);
      if (typeof result === 'string') return result.slice(0, CAPTURE_LIMITS.path);
    } catch {}
    debug('sanitizePath failed; the built-in one was used');
    return shapePath(path);
  };
  return (path) => {
    if (path !== lastRaw) {
      lastShaped = shape(path);
      lastRaw = path;
    }
    return lastShaped;
  };
}
