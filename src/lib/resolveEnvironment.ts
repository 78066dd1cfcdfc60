import type { TelemetryEnvironment } from '../types.js';

/** Reads a global that may be missing or may throw on access (localStorage in a sandbox). */
function guarded<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * Resolves the platform at call time, never at import time, so importing the package on a
 * server touches nothing. Overrides win, including an explicit `undefined`.
 */
export function resolveEnvironment(
  overrides: Partial<TelemetryEnvironment> = {},
): TelemetryEnvironment {
  // `globalThis[key]` is what `typeof window === 'undefined' ? undefined : window` reads, shorter.
  const pick = <K extends keyof TelemetryEnvironment>(
    key: K,
    read = () => (globalThis as unknown as Partial<TelemetryEnvironment>)[key],
  ): TelemetryEnvironment[K] =>
    (key in overrides ? overrides[key] : guarded(read)) as TelemetryEnvironment[K];
  return {
    window: pick('window'),
    document: pick('document'),
    navigator: pick('navigator'),
    localStorage: pick('localStorage'),
    indexedDB: pick('indexedDB'),
    fetch: pick('fetch', () =>
      typeof fetch === 'function' ? (input, init) => fetch(input, init) : undefined,
    ),
    now: overrides.now ?? Date.now,
  };
}
