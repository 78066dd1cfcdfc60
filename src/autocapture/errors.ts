import { fnv1a } from '../hash.js';
import { scrubString } from '../scrub.js';
import type { ErrorCaptureOptions, MetadataValue } from '../types.js';

export type ErrorSource = 'window' | 'promise' | 'boundary' | 'manual';

/**
 * The `error` event's metadata. `error_hash` groups occurrences of the same error: class,
 * message with numbers blanked, and the first stack frame without line and column.
 */
export function describeError(
  error: unknown,
  source: ErrorSource,
  includeStack: boolean,
): { [key: string]: MetadataValue } {
  let errorClass = 'Error';
  let message = '';
  let stack = '';
  try {
    if (error instanceof Error || (error && typeof error === 'object' && 'message' in error)) {
      const e = error as {
        name?: unknown;
        message?: unknown;
        stack?: unknown;
        constructor?: { name?: unknown };
      };
      errorClass = String(e.name || e.constructor?.name || 'Error');
      message = String(e.message ?? '');
      stack = typeof e.stack === 'string' ? e.stack : '';
    } else {
      errorClass = error === null ? 'null' : typeof error;
      message = typeof error === 'string' ? error : '';
    }
  } catch {
    errorClass = 'UnreadableError';
  }
  const cleanMessage = scrubString(message, 500);
  const topFrame =
    stack
      .split('\n')
      .find((line) => /\bat\b|@/.test(line))
      ?.replace(/:\d+(?::\d+)?\)?\s*$/, '')
      .replace(/\?[^\s)]*/g, '')
      .trim() ?? '';
  const errorHash = fnv1a(`${errorClass}|${cleanMessage.replace(/\d+/g, '0')}|${topFrame}`)
    .toString(16)
    .padStart(8, '0');
  const metadata: { [key: string]: MetadataValue } = {
    error_class: scrubString(errorClass, 100),
    message: cleanMessage,
    error_hash: errorHash,
    source,
  };
  if (includeStack && stack) metadata.stack = scrubString(stack, 2000);
  return metadata;
}

/**
 * A hash of React's component stack: which components were involved, without their names
 * leaving the page. Source locations (URLs, line and column) are dropped first so that a new
 * build does not change the hash of the same failure.
 */
export function hashComponentStack(stack: string): string {
  const frames = stack
    .split('\n')
    .map((line) => line.replace(/\(.*\)|@.*$|https?:\/\/\S+/g, '').trim())
    .filter(Boolean);
  return fnv1a(frames.join('>')).toString(16).padStart(8, '0');
}

/** Listens for uncaught errors and unhandled rejections. Returns the uninstaller. */
export function watchErrors(
  win: Window,
  onError: (error: unknown, source: ErrorSource) => void,
): () => void {
  const onWindowError = (event: ErrorEvent) => onError(event.error ?? event.message, 'window');
  const onRejection = (event: PromiseRejectionEvent) => onError(event.reason, 'promise');
  win.addEventListener('error', onWindowError);
  win.addEventListener('unhandledrejection', onRejection);
  return () => {
    win.removeEventListener('error', onWindowError);
    win.removeEventListener('unhandledrejection', onRejection);
  };
}

/** Most error events per session unless `captureErrors.maxPerSession` says otherwise. */
const ERRORS_PER_SESSION = 25;

/**
 * Describes errors and applies the limits: uncaught errors repeat (a failing render loop, a
 * timer), so each distinct one is recorded once, and at most `maxPerSession` are recorded.
 * The counts live with the client, so they reset with each page load.
 */
export function createErrorReporter(
  options: ErrorCaptureOptions,
  record: (metadata: { [key: string]: MetadataValue }, extra: unknown) => void,
  onCapReached: () => void,
) {
  const seen = new Set<string>();
  /** Error objects a boundary or the app already reported. */
  const caught = new WeakSet<object>();
  let recorded = 0;
  const report = (
    error: unknown,
    source: ErrorSource,
    extra?: unknown,
    componentStack?: string,
  ) => {
    const metadata = describeError(error, source, options.includeStack === true);
    if (componentStack) metadata.component_stack_hash = hashComponentStack(componentStack);
    const hash = String(metadata.error_hash);
    if ((source === 'window' || source === 'promise') && seen.has(hash)) return;
    if (recorded >= (options.maxPerSession ?? ERRORS_PER_SESSION)) {
      onCapReached();
      return;
    }
    recorded++;
    seen.add(hash);
    record(metadata, extra);
  };
  return (error: unknown, source: ErrorSource, extra?: unknown, componentStack?: string) => {
    if (source === 'boundary' || source === 'manual') {
      if (error && typeof error === 'object') caught.add(error);
      report(error, source, extra, componentStack);
      return;
    }
    // React 18 in development replays a failed render so that the error also reaches
    // window.onerror, and only then hands it to the error boundary, in the same task. Waiting
    // one task lets the boundary's report win instead of counting the crash twice.
    setTimeout(() => {
      if (!(error && typeof error === 'object' && caught.has(error))) report(error, source, extra);
    }, 0);
  };
}
