import type { ConsentSource } from '../types.js';
import { createConsentSource, type SourceOptions } from './lib/createConsentSource.js';
import { createDeadline, DEFAULT_TIMEOUT_MS } from './lib/createDeadline.js';
import { guarded } from './lib/guarded.js';
import { isRecord } from './lib/isRecord.js';

/** Options of {@link fromCookiebot}. */
export interface CookiebotOptions extends SourceOptions {
  /** The Cookiebot category that covers this telemetry. Default `'statistics'`. */
  category?: 'necessary' | 'preferences' | 'statistics' | 'marketing';
  /** How long to wait for Cookiebot to load before reporting a problem. Default 10 000 ms. */
  timeoutMs?: number;
}

/** Cookiebot's window events after which its `consent` may have changed. */
const EVENTS = ['CookiebotOnConsentReady', 'CookiebotOnAccept', 'CookiebotOnDecline'];

/**
 * The user's decision as Cookiebot reports it: once the user has responded
 * (`Cookiebot.hasResponse`), `granted` when `Cookiebot.consent[category]` is true, else
 * `denied`. Re-read on `CookiebotOnConsentReady`, `CookiebotOnAccept` and `CookiebotOnDecline`.
 *
 * @see https://www.cookiebot.com/en/developer/
 * @example
 * createTelemetry({ consent: { source: fromCookiebot({ category: 'statistics' }) }, ... });
 */
export function fromCookiebot(options: CookiebotOptions = {}): ConsentSource {
  const { category = 'statistics', timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  return createConsentSource('cookiebot', options, (report) => {
    const deadline = createDeadline(timeoutMs, () =>
      report.problem(`Cookiebot did not load within ${timeoutMs} ms`),
    );
    const read = () => {
      const cookiebot = (window as unknown as Record<string, unknown>).Cookiebot;
      if (!isRecord(cookiebot)) return;
      deadline.answered();
      const consent = cookiebot.consent;
      const given = isRecord(consent) ? consent[category] : undefined;
      if (typeof given !== 'boolean') return report.problem(`no boolean consent.${category}`);
      if (cookiebot.hasResponse !== true) return;
      report.decide(given ? 'granted' : 'denied');
    };
    const onEvent = () => guarded(report, 'Cookiebot', read);
    onEvent();
    for (const name of EVENTS) window.addEventListener(name, onEvent);
    return () => {
      for (const name of EVENTS) window.removeEventListener(name, onEvent);
      deadline.cancel();
    };
  });
}
