// biome-ignore-all lint/correctness/noUnusedImports: JSX compiles to createElement and Fragment (the classic runtime, below), which the linter does not see
'use client';
import type { DestinationStatus, TelemetryEvent } from 'telemetry-kit';
import { ClientStartedContext } from './clientStarted.js';
import { TelemetryContext } from './context.js';
import { DestinationList, describeDestination } from './DestinationList.js';
import { trapTab } from './focus.js';
// The classic JSX runtime for the bundlers (esbuild, oxc): createElement(type, props, ...children)
// rather than jsx() and jsxs() with `children` props and a react/jsx-runtime import per module,
// about 70 B gzip less in every page that bundles these components; the elements are the same.
// (tsc reads pragmas only before the directive, so it checks this JSX as configured: same types.)
/** @jsxRuntime classic */
/** @jsx createElement */
/** @jsxFrag Fragment */
import {
  createElement,
  Fragment,
  type KeyboardEvent,
  type ReactNode,
  useContext,
  useEffect,
  useId,
  useRef,
  useState,
  useSyncExternalStore,
} from './reactApi.js';
import { useTelemetry } from './useTelemetry.js';

/** Every text of `ConsentDialog`; replace any of them through its `labels` prop. */
export interface ConsentDialogLabels {
  title: string;
  description: string;
  /** Heading of the list of other parties the app shares some usage with (its destinations). */
  sharedWithHeading: string;
  /** What one of them receives. */
  receives: (destination: DestinationStatus) => string;
  accept: string;
  decline: string;
  showData: string;
  hideData: string;
  collectedHeading: string;
  collected: readonly string[];
  neverCollectedHeading: string;
  neverCollected: readonly string[];
  exampleHeading: string;
  /** Shown instead of the example where the client cannot build one (no DOM, shut down). */
  exampleUnavailable: string;
}

/** The English texts `ConsentDialog` uses unless `labels` replaces them. */
export const defaultConsentDialogLabels: ConsentDialogLabels = {
  title: 'Help improve this app?',
  description:
    'With your permission, we count how this app is used, never who you are. Nothing is sent unless you accept, and you can change your mind in the privacy settings.',
  sharedWithHeading: 'Also shared with',
  receives: describeDestination,
  accept: 'Accept',
  decline: 'Decline',
  showData: 'Show me the data',
  hideData: 'Hide the data',
  collectedHeading: 'What is collected',
  collected: [
    'Pages you open, without query strings or ids',
    'Features and components used',
    'How fast pages load',
    'Error types and cleaned messages',
    'Browser and OS family, language, device type',
    'A random id for this browser, which you can delete',
  ],
  neverCollectedHeading: 'What is never collected',
  neverCollected: [
    'Your name, email or what you type',
    'Your IP address or location',
    'Full addresses, searches or the site you came from',
    'Cookies or fingerprints that follow you across sites',
  ],
  exampleHeading: 'Example: what opening a page sends',
  exampleUnavailable: 'No example right now.',
};

/** Props of `ConsentDialog`. */
export interface ConsentDialogProps {
  /** Replaces some or all texts (translations, your own wording). */
  labels?: Partial<ConsentDialogLabels>;
  /** Added to the dialog's root element, after its built-in `tk-consent` class. */
  className?: string;
}

/**
 * The opt-in dialog. Shown while consent is `unknown`; gone once the user decides, and never
 * shown when Global Privacy Control or Do-Not-Track already decided (the client then reports
 * `denied`). Escape closes it without deciding: it comes back on the next page load.
 *
 * A modal dialog per the WAI-ARIA APG pattern: labelled and described, focus moves into it and
 * back to where it was, Tab stays inside. Accept and Decline are the same kind of button.
 * Destinations the app shares some usage with (a component library's maintainers) are listed by
 * name with what each receives, before the buttons. "Show me the data" lists what is and is never collected, with an example event built by the
 * client's own event builder (`client.preview`).
 *
 * Unstyled: style it through the `tk-consent*` classes and `--tk-*` custom properties, or import
 * `telemetry-kit/react/styles.css`. Renders nothing on the server and during hydration, since
 * only the browser knows the user's decision.
 *
 * @example
 * <TelemetryProvider serviceName="my-app" endpoint="/v1/events">
 *   <App />
 *   <ConsentDialog labels={{ title: 'Statistiques anonymes ?' }} />
 * </TelemetryProvider>
 */
export function ConsentDialog({ labels, className }: ConsentDialogProps): ReactNode {
  const texts = { ...defaultConsentDialogLabels, ...labels };
  // Without a provider nothing is collected, so there is nothing to ask about.
  const provided = useContext(TelemetryContext) !== null;
  const started = useContext(ClientStartedContext);
  const client = useTelemetry();
  const { consent } = client;
  // The user's decision, or null where it cannot be known yet: on the server, during hydration
  // and until a provider has created its client (which then notifies consent subscribers).
  const decision = useSyncExternalStore(
    consent.subscribe,
    () => (started ? consent.get() : null),
    () => null,
  );
  const [dismissed, setDismissed] = useState(false);
  const [showingData, setShowingData] = useState(false);
  // The example shown by "Show me the data": undefined until it is built, null where the client
  // cannot build one. Built when asked for, by the client's own event builder (which the client
  // loads on first use), so its path is sanitised as a real event's would be.
  const [example, setExample] = useState<TelemetryEvent | null>();
  const toggleData = () => {
    setShowingData(!showingData);
    setExample(undefined);
    if (!showingData) void client.preview('page.view').then(setExample, () => setExample(null));
  };
  const dialog = useRef<HTMLDivElement>(null);
  const id = useId();
  // An existing consent manager asks the user instead (`consent.source`).
  const open = provided && decision === 'unknown' && !dismissed && !consent.source();

  useEffect(() => {
    if (!open) return;
    const previous = document.activeElement as HTMLElement | null;
    // The dialog itself takes focus, not Accept: Enter must not agree on the user's behalf.
    dialog.current?.focus();
    // Back where it was; focusing an element no longer in the document does nothing.
    return () => previous?.focus();
  }, [open]);

  if (!open) return null;

  return (
    <div
      ref={dialog}
      role="dialog"
      aria-modal="true"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-description`}
      tabIndex={-1}
      className={className ? `tk-consent ${className}` : 'tk-consent'}
      onKeyDown={(event: KeyboardEvent<HTMLDivElement>) => {
        if (event.key !== 'Escape') return trapTab(event, event.currentTarget);
        event.stopPropagation();
        setDismissed(true);
      }}
    >
      <h2 id={`${id}-title`} className="tk-consent__title">
        {texts.title}
      </h2>
      <p id={`${id}-description`} className="tk-consent__description">
        {texts.description}
      </p>
      <DestinationList client={client} labels={texts} />
      <div className="tk-consent__actions">
        <button type="button" className="tk-consent__button" onClick={() => consent.grant()}>
          {texts.accept}
        </button>
        <button type="button" className="tk-consent__button" onClick={() => consent.deny()}>
          {texts.decline}
        </button>
      </div>
      <button
        type="button"
        className="tk-consent__toggle"
        aria-expanded={showingData}
        aria-controls={`${id}-data`}
        onClick={toggleData}
      >
        {showingData ? texts.hideData : texts.showData}
      </button>
      <div id={`${id}-data`} className="tk-consent__data" hidden={!showingData}>
        {showingData && (
          <>
            <h3 className="tk-consent__heading">{texts.collectedHeading}</h3>
            <ul className="tk-consent__list">
              {texts.collected.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
            <h3 className="tk-consent__heading">{texts.neverCollectedHeading}</h3>
            <ul className="tk-consent__list">
              {texts.neverCollected.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
            <h3 className="tk-consent__heading">{texts.exampleHeading}</h3>
            {example === undefined ? null : example ? (
              // A scrollable region must be reachable by keyboard (axe: scrollable-region-focusable).
              // biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users scroll it
              <pre className="tk-consent__example" tabIndex={0}>
                <code>{JSON.stringify(example, null, 2)}</code>
              </pre>
            ) : (
              <p>{texts.exampleUnavailable}</p>
            )}
          </>
        )}
      </div>
    </div>
  );
}
