import type { ConsentGate } from '../capture/createConsent.js';
import { createErrorReporter, type ErrorSource } from '../capture/createErrorReporter.js';
import type { Inbox } from '../capture/createInbox.js';
import type { Paths } from '../capture/createPaths.js';
import type { DebugReporter } from '../lib/debug.js';
import { Message } from '../lib/message.js';
import { withFields } from '../lib/withFields.js';
import type {
  ComponentInfo,
  ErrorCaptureOptions,
  ErrorInfo,
  Metadata,
  TelemetryClient,
} from '../types.js';
import { CAPTURE_LIMITS } from '../wire/rules.js';
import { guard } from './guard.js';

/** The methods that record something, and `onError`, where captured errors go. */
export type RecordingMethods = Pick<
  TelemetryClient,
  | 'track'
  | 'page'
  | 'featureToggled'
  | 'featureUsed'
  | 'componentMounted'
  | 'captureError'
  | 'identify'
> & { onError(error: unknown, source: ErrorSource, extra?: unknown, stack?: string): void };

/**
 * The client's methods that record: each checks what it is given and hands it to the inbox,
 * which cleans the caller's metadata and applies the consent gate. All of it runs inside the
 * caller's call, so it is kept to a copy, a few checks and a push.
 */
export function createRecordingMethods(
  inbox: Inbox,
  consent: ConsentGate,
  paths: Paths,
  errors: ErrorCaptureOptions,
  debug: DebugReporter,
): RecordingMethods {
  const validName = (name: unknown, what: string): name is string => {
    if (typeof name === 'string' && name.length > 0 && name.length <= CAPTURE_LIMITS.name)
      return true;
    debug(Message.NeedsName, name, what);
    return false;
  };
  const reportError = createErrorReporter(
    errors,
    ({ metadata, stack, header, componentStack }, extra) =>
      inbox.accept('error', extra, paths.current(), metadata, { stack, header, componentStack }),
    () => debug(Message.ErrorCapReached),
  );
  const onError = (error: unknown, source: ErrorSource, extra?: unknown, stack?: string) => {
    if (consent.get() !== 'denied') reportError(error, source, extra, stack);
  };
  return {
    onError,
    track: guard(debug, 'track', (eventType: string, metadata?: Metadata) =>
      inbox.accept(eventType, metadata, paths.current()),
    ),
    page: guard(debug, 'page', (path?: string, metadata?: Metadata) => {
      const pagePath = typeof path === 'string' ? paths.given(path) : paths.current();
      // A `title` in the metadata stays where it is; `path` is the page's.
      inbox.accept('page.view', metadata, pagePath, { path: pagePath });
    }),
    featureToggled: guard(debug, 'featureToggled', (name: string, enabled: boolean) => {
      if (validName(name, 'featureToggled'))
        inbox.accept('feature.toggle', undefined, paths.current(), {
          feature: name,
          enabled: enabled === true,
        });
    }),
    featureUsed: guard(debug, 'featureUsed', (name: string, metadata?: Metadata) => {
      if (validName(name, 'featureUsed'))
        inbox.accept('feature.use', metadata, paths.current(), { feature: name });
    }),
    // Not wrapped by `guard`: it runs once per tracked component instance.
    componentMounted(name: string, props?: Metadata, info?: ComponentInfo) {
      try {
        if (validName(name, 'componentMounted')) inbox.logMount(name, props, info);
      } catch (error) {
        debug(Message.Failed, error, 'componentMounted');
      }
    },
    captureError: guard(
      debug,
      'captureError',
      (error: unknown, metadata?: Metadata, info?: ErrorInfo) => {
        const source = info?.source === 'boundary' ? 'boundary' : 'manual';
        const stack = typeof info?.componentStack === 'string' ? info.componentStack : undefined;
        const flowId = info?.flow?.id;
        onError(
          error,
          source,
          typeof flowId === 'string' ? withFields(metadata, { correlation_id: flowId }) : metadata,
          stack,
        );
      },
    ),
    identify: guard(debug, 'identify', (userId: string | null) => {
      if (userId === null || (typeof userId === 'string' && userId)) inbox.identify(userId);
      else debug(Message.IdentifyTakesString);
    }),
  };
}
