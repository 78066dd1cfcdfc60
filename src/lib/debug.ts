/** Receives each distinct problem once: a stable message and, optionally, what caused it. */
export type DebugReporter = (message: string, detail?: unknown) => void;

/**
 * Makes the `debug` option into a reporter that says each distinct message once, so bad input
 * repeated in a render loop produces one line, not thousands.
 */
export function createDebugReporter(
  option: boolean | ((message: string, detail?: unknown) => void) | undefined,
): DebugReporter {
  if (!option) return () => {};
  const sink =
    typeof option === 'function'
      ? option
      : (message: string, detail?: unknown) =>
          console.debug(`[telemetry-kit] ${message}`, ...(detail === undefined ? [] : [detail]));
  const said = new Set<string>();
  return (message, detail) => {
    if (said.has(message) || said.size > 200) return;
    said.add(message);
    try {
      sink(message, detail);
    } catch {
      // A throwing debug sink is the host's bug; it must not break capture.
    }
  };
}
