import type { Message } from './message.js';

/**
 * Receives each distinct problem once: a message (a `Message` number from the code every page
 * loads, or a text from the delivery engine), what caused it, and the subject a numbered text
 * names (`{}`).
 */
export type DebugReporter = (message: Message | string, detail?: unknown, subject?: string) => void;

/**
 * Makes the `debug` option into a reporter that says each distinct message once, so bad input
 * repeated in a render loop produces one line, not thousands. Numbered messages are told once
 * their texts have loaded (a chunk of this library's own, fetched only when `debug` is on), a
 * moment after the call.
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
  const tell = (message: string, detail: unknown) => {
    try {
      sink(message, detail);
    } catch {
      // A throwing debug sink is the host's bug; it must not break capture.
    }
  };
  let texts: Promise<typeof import('./messageTexts.js')> | undefined;
  const said = new Set<string>();
  return (message, detail, subject = '') => {
    const key = `${message}|${subject}`;
    if (said.has(key) || said.size > 200) return;
    said.add(key);
    if (typeof message === 'string') {
      tell(message, detail);
      return;
    }
    texts ??= import('./messageTexts.js');
    texts.then(
      ({ MESSAGE_TEXTS }) => tell(MESSAGE_TEXTS[message].replace('{}', subject), detail),
      () => tell(`telemetry-kit debug message ${message}`, detail),
    );
  };
}

/** A reporter as the `note` of cleaning and scrubbing (which name a subject, not a detail). */
export const noteTo =
  (debug: DebugReporter) =>
  (message: Message | string, subject?: string): void =>
    debug(message, undefined, subject);
