import type { DebugReporter } from '../lib/debug.js';
import { Message } from '../lib/message.js';

/**
 * Public methods never throw into the host app; a failure becomes one debug line. Three
 * parameters, not rest ones: `track()` is the hot path, and a rest array is an allocation per
 * call. No public method takes more than three.
 */
export const guard =
  <A = undefined, B = undefined, C = undefined>(
    debug: DebugReporter,
    name: string,
    body: (a: A, b: B, c: C) => void,
  ) =>
  (a?: A, b?: B, c?: C): void => {
    try {
      body(a as A, b as B, c as C);
    } catch (error) {
      debug(Message.Failed, error, name);
    }
  };

/**
 * The same for methods that return a promise: it resolves with `fallback()` instead (undefined
 * without one).
 */
export const guardAsync =
  <A extends unknown[], R>(
    debug: DebugReporter,
    name: string,
    body: (...args: A) => Promise<R>,
    fallback?: () => R,
  ) =>
  async (...args: A): Promise<R> => {
    try {
      return await body(...args);
    } catch (error) {
      debug(Message.Failed, error, name);
      return fallback?.() as R;
    }
  };
