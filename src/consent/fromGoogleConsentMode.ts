import type { ConsentSource, ConsentState } from '../types.js';
import { createConsentSource, type SourceOptions } from './lib/createConsentSource.js';
import { createDeadline, DEFAULT_TIMEOUT_MS } from './lib/createDeadline.js';
import { guarded } from './lib/guarded.js';
import { isRecord } from './lib/isRecord.js';

/** Options of {@link fromGoogleConsentMode}. */
export interface GoogleConsentModeOptions extends SourceOptions {
  /** The data layer's global name, if Google Tag Manager was set up with another. Default `dataLayer`. */
  dataLayerName?: string;
  /** How long to wait for a consent entry before reporting a problem. Default 10 000 ms. */
  timeoutMs?: number;
}

/**
 * How often the data layer is read. Polling rather than wrapping `dataLayer.push`: gtag.js and
 * gtm.js replace `push` with their own when they load (a wrapper installed before them is
 * dropped), other tags wrap it too, and a wrapper cannot be taken out on unsubscribe without
 * cutting off those wrapped over it. A look compares one length; consent changes at human speed.
 */
const READ_EVERY_MS = 500;

/**
 * The user's decision on `analytics_storage` as Google Consent Mode holds it in the data layer:
 * the entries `gtag('consent', 'default' | 'update', { analytics_storage })` pushes (an
 * `arguments` object). The latest `update` wins over the defaults; `granted` → granted,
 * `denied` → denied. Read-only: it never pushes. A default limited to regions (`region: [...]`)
 * is skipped: this source cannot tell the visitor's region.
 *
 * @see https://developers.google.com/tag-platform/security/guides/consent
 * @example
 * createTelemetry({ consent: { source: fromGoogleConsentMode() }, ... });
 */
export function fromGoogleConsentMode(options: GoogleConsentModeOptions = {}): ConsentSource {
  const { dataLayerName = 'dataLayer', timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  return createConsentSource('google-consent-mode', options, (report) => {
    let layer: unknown[] | undefined;
    let seen = 0;
    let updated: ConsentState | undefined;
    let byDefault: ConsentState | undefined;
    const deadline = createDeadline(timeoutMs, () =>
      report.problem(
        `no consent entry for analytics_storage in ${dataLayerName} in ${timeoutMs} ms`,
      ),
    );
    const readEntry = (entry: unknown) => {
      if (!isRecord(entry) || entry[0] !== 'consent') return;
      const command = entry[1];
      const parameters = entry[2];
      if (command !== 'default' && command !== 'update') return;
      if (!isRecord(parameters) || !('analytics_storage' in parameters)) return;
      if (command === 'default' && parameters.region !== undefined) return;
      const value = parameters.analytics_storage;
      if (value !== 'granted' && value !== 'denied') {
        return report.problem(`analytics_storage is ${JSON.stringify(value)}`);
      }
      if (command === 'update') updated = value;
      else byDefault = value;
    };
    const look = () => {
      const current = (window as unknown as Record<string, unknown>)[dataLayerName];
      if (!Array.isArray(current)) return;
      // A new array, or one emptied: read it from the start.
      if (current !== layer || current.length < seen) {
        layer = current;
        seen = 0;
        updated = byDefault = undefined;
      }
      for (; seen < current.length; seen++) readEntry(current[seen]);
      const decision = updated ?? byDefault;
      if (!decision) return;
      deadline.answered();
      report.decide(decision);
    };
    guarded(report, 'reading the data layer', look);
    const timer = setInterval(() => guarded(report, 'reading the data layer', look), READ_EVERY_MS);
    return () => {
      clearInterval(timer);
      deadline.cancel();
    };
  });
}
