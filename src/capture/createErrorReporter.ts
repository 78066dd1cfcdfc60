import type { ErrorCaptureOptions } from '../types.js';
import type { MetadataValue } from '../wire/event.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';
import { cut } from './cleanShape.js';

export type ErrorSource = 'window' | 'promise' | 'boundary' | 'manual';

/** An error as captured: its metadata, not yet scrubbed, and where it was thrown. */
export interface ErrorDescription {
  metadata: { [key: string]: MetadataValue };
  /**
   * The raw stack and its "Name: message" header, in memory only: the top frame is read from
   * them when the event is built (pipeline/errorFrame.ts) and, with the class and the scrubbed
   * message, makes `error_hash`, which groups occurrences of the same error.
   */
  stack: string;
  header: string;
  /** What tells repeats of one error apart here, before there is a hash. */
  key: string;
  /** React's component stack, for a boundary's error: hashed when the event is built. */
  componentStack?: string | undefined;
}

/**
 * The `error` event's metadata, cut to twice its limits: scrubbing and the final cut happen when
 * the event is built.
 */
export function describeError(
  error: unknown,
  source: ErrorSource,
  includeStack: boolean,
): ErrorDescription {
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
  const header = message ? `${errorClass}: ${message}` : errorClass;
  const metadata: { [key: string]: MetadataValue } = {
    error_class: cut(errorClass, CAPTURE_LIMITS.errorClass),
    message: cut(message, CAPTURE_LIMITS.errorMessage),
    source,
  };
  if (includeStack && stack) metadata.stack = cut(stack, CAPTURE_LIMITS.errorStack);
  return {
    metadata,
    stack: stack.slice(0, 10_000),
    header,
    // Numbers blanked: "item 3 failed" and "item 4 failed", thrown at the same place, repeat.
    key: `${errorClass}|${message.slice(0, 1_000)}|${stack.slice(0, 1_000)}`.replace(/\d+/g, '0'),
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
  record: (error: ErrorDescription, extra: unknown) => void,
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
    const described = describeError(error, source, options.includeStack === true);
    if (componentStack) described.componentStack = cut(componentStack, 10_000);
    const { key } = described;
    if ((source === 'window' || source === 'promise') && seen.has(key)) return;
    if (recorded >= (options.maxPerSession ?? ERRORS_PER_SESSION)) {
      onCapReached();
      return;
    }
    recorded++;
    seen.add(key);
    record(described, extra);
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
