// biome-ignore-all lint/correctness/noUnusedImports: JSX compiles to createElement (the classic runtime, below), which the linter does not see
'use client';
import type { DestinationStatus, TelemetryEvent } from 'telemetry-kit';
import { DestinationList, describeDestination } from './DestinationList.js';
// The classic JSX runtime for the bundlers (esbuild, oxc): createElement(type, props, ...children)
// rather than jsx() and jsxs() with `children` props and a react/jsx-runtime import per module,
// about 70 B gzip less in every page that bundles these components; the elements are the same.
// (tsc reads pragmas only before the directive, so it checks this JSX as configured: same types.)
/** @jsxRuntime classic */
/** @jsx createElement */
import { createElement, type ReactNode, useEffect, useId, useState } from './reactApi.js';
import { useConsent } from './useConsent.js';
import { useTelemetry } from './useTelemetry.js';

/** Every text of `PrivacySettings`; replace any of them through its `labels` prop. */
export interface PrivacySettingsLabels {
  title: string;
  switchLabel: string;
  switchDescription: string;
  /** With a consent manager: the state, and what changes it. */
  managed: (granted: boolean) => string;
  /** With a consent manager: the button that opens its settings. */
  openConsentManager: string;
  /** Heading of the list of other parties the app shares some usage with (its destinations). */
  sharedWithHeading: string;
  /** What one of them receives. */
  receives: (destination: DestinationStatus) => string;
  queueHeading: string;
  queueEmpty: string;
  queueCount: (count: number) => string;
  download: string;
  delete: string;
  sharingOn: string;
  sharingOff: string;
  /** `server`: the events the collector holds, or null when it could not be asked. */
  downloaded: (count: number, server: number | null) => string;
  downloadFailed: string;
  deleted: string;
}

/** "1 event", "2 events". */
const events = (count: number) => (count === 1 ? '1 event' : `${count} events`);

/** The English texts `PrivacySettings` uses unless `labels` replaces them. */
export const defaultPrivacySettingsLabels: PrivacySettingsLabels = {
  title: 'Privacy settings',
  switchLabel: 'Share anonymous usage data',
  switchDescription:
    'Turning it off stops all collection and deletes what is waiting on this device.',
  managed: (granted) =>
    `${granted ? 'On' : 'Off'}: this site's consent settings decide, and you can change it there.`,
  openConsentManager: 'Open consent settings',
  sharedWithHeading: 'Also shared with',
  receives: describeDestination,
  queueHeading: 'Waiting on this device',
  queueEmpty: 'Nothing is waiting to be sent.',
  queueCount: (count) => `${events(count)} waiting to be sent.`,
  download: 'Download my data',
  delete: 'Delete my data',
  sharingOn: 'Sharing is on. Thank you.',
  sharingOff: 'Sharing is off. What was waiting was deleted.',
  downloaded: (count, server) =>
    `Downloaded ${events(count)} from this device${server === null ? '' : ` and ${events(server)} from the server`} as JSON.`,
  downloadFailed: 'The download could not start.',
  deleted: 'Deleted from this device; the server was asked to delete its copy.',
};

/** Props of `PrivacySettings`. */
export interface PrivacySettingsProps {
  /** Replaces some or all texts (translations, your own wording). */
  labels?: Partial<PrivacySettingsLabels>;
  /** Added to the root element, after its built-in `tk-privacy` class. */
  className?: string;
  /** Name of the downloaded file. Default `telemetry-data.json`. */
  fileName?: string;
  /**
   * With a consent manager deciding (`consent.source`), the switch gives way to the state and a
   * button that calls this to open the manager's own settings (e.g. `OneTrust.ToggleInfoDisplay`).
   */
  onOpenConsentManager?: () => void;
}

/** Blob URLs must outlive the click that starts the download in some browsers (Safari). */
const REVOKE_AFTER_MS = 30_000;

/** Starts the download of `data` as a JSON file. */
function downloadJson(data: unknown, fileName: string): void {
  const body = JSON.stringify(data, null, 2);
  const url = URL.createObjectURL(new Blob([body], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), REVOKE_AFTER_MS);
}

/**
 * The end user's controls: a switch bound to consent (which covers the app's destinations too,
 * listed with what each receives), the events queued on this device right
 * now (`client.pending()`, exactly what would be sent), "Download my data" (a JSON file of that
 * list, `device`, and of what the app's collector holds, `server`: `client.collectorCopy()`) and "Delete my data" (`client.forget()`: local data, ids, and a deletion request to the
 * collector). Each action reports its outcome in a polite live region.
 *
 * Renders the same markup on the server and in the first client render (switch off, empty
 * list); the queue is read after mounting.
 *
 * @example
 * <PrivacySettings labels={{ download: 'Télécharger mes données' }} />
 */
export function PrivacySettings({
  labels,
  className,
  fileName = 'telemetry-data.json',
  onOpenConsentManager,
}: PrivacySettingsProps): ReactNode {
  const texts = { ...defaultPrivacySettingsLabels, ...labels };
  const client = useTelemetry();
  const { state, grant, deny } = useConsent();
  const [events, setEvents] = useState<TelemetryEvent[]>([]);
  const [feedback, setFeedback] = useState('');
  const id = useId();

  /** Lists what is queued now, and returns it. */
  const refresh = async () => {
    const current = await client.pending();
    setEvents(current);
    return current;
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: `refresh` reads nothing but `client`
  useEffect(() => {
    void refresh();
    // A decision here or in another tab changes what is queued.
    return client.consent.subscribe(refresh);
  }, [client]);

  const granted = state === 'granted';
  const toggle = () => {
    if (granted) deny();
    else grant();
    setFeedback(granted ? texts.sharingOff : texts.sharingOn);
    return refresh();
  };

  const download = async () => {
    const [device, server] = await Promise.all([refresh(), client.collectorCopy()]);
    try {
      downloadJson({ device, server }, fileName);
      setFeedback(texts.downloaded(device.length, server ? server.events.length : null));
    } catch {
      setFeedback(texts.downloadFailed);
    }
  };

  const forget = async () => {
    await client.forget();
    await refresh();
    setFeedback(texts.deleted);
  };

  return (
    <section
      className={className ? `tk-privacy ${className}` : 'tk-privacy'}
      aria-labelledby={`${id}-title`}
    >
      <h2 id={`${id}-title`} className="tk-privacy__title">
        {texts.title}
      </h2>
      <div className="tk-privacy__setting">
        <span id={`${id}-label`} className="tk-privacy__label">
          {texts.switchLabel}
        </span>
        {client.consent.source() ? (
          onOpenConsentManager && (
            <button type="button" className="tk-privacy__button" onClick={onOpenConsentManager}>
              {texts.openConsentManager}
            </button>
          )
        ) : (
          <button
            type="button"
            role="switch"
            aria-checked={granted}
            aria-labelledby={`${id}-label`}
            aria-describedby={`${id}-description`}
            className="tk-privacy__switch"
            onClick={toggle}
          >
            <span className="tk-privacy__thumb" aria-hidden="true" />
          </button>
        )}
        <p id={`${id}-description`} className="tk-privacy__description">
          {client.consent.source() ? texts.managed(granted) : texts.switchDescription}
        </p>
      </div>
      <DestinationList client={client} labels={texts} />
      <h3 id={`${id}-queue`} className="tk-privacy__heading">
        {texts.queueHeading}
      </h3>
      <p className="tk-privacy__count">
        {events.length ? texts.queueCount(events.length) : texts.queueEmpty}
      </p>
      {events.length > 0 && (
        <ul className="tk-privacy__events" aria-labelledby={`${id}-queue`}>
          {events.map((event) => (
            <li key={event.id}>
              <details>
                <summary>
                  <code>{event.event_type}</code>{' '}
                  {/* Local time: the list is filled after mounting, never on the server. */}
                  <time dateTime={event.timestamp}>
                    {new Date(event.timestamp).toLocaleString()}
                  </time>
                </summary>
                {/* Scrollable, so reachable by keyboard (axe: scrollable-region-focusable). */}
                {/* biome-ignore lint/a11y/noNoninteractiveTabindex: keyboard users scroll it */}
                <pre className="tk-privacy__event" tabIndex={0}>
                  <code>{JSON.stringify(event, null, 2)}</code>
                </pre>
              </details>
            </li>
          ))}
        </ul>
      )}
      <div className="tk-privacy__actions">
        <button type="button" className="tk-privacy__button" onClick={download}>
          {texts.download}
        </button>
        <button type="button" className="tk-privacy__button" onClick={forget}>
          {texts.delete}
        </button>
      </div>
      <p role="status" aria-live="polite" className="tk-privacy__feedback">
        {feedback}
      </p>
    </section>
  );
}
