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
  const pick = <K extends keyof TelemetryEnvironment>(
    key: K,
    read: () => TelemetryEnvironment[K],
  ): TelemetryEnvironment[K] =>
    (key in overrides ? overrides[key] : guarded(read)) as TelemetryEnvironment[K];
  return {
    window: pick('window', () => (typeof window === 'undefined' ? undefined : window)),
    document: pick('document', () => (typeof document === 'undefined' ? undefined : document)),
    navigator: pick('navigator', () => (typeof navigator === 'undefined' ? undefined : navigator)),
    localStorage: pick('localStorage', () => globalThis.localStorage),
    indexedDB: pick('indexedDB', () => globalThis.indexedDB),
    fetch: pick('fetch', () =>
      typeof fetch === 'function' ? (input, init) => fetch(input, init) : undefined,
    ),
    now: overrides.now ?? Date.now,
  };
}
