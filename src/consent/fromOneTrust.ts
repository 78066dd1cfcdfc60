import type { ConsentSource } from '../types.js';
import { createConsentSource, type SourceOptions } from './lib/createConsentSource.js';
import { createDeadline, DEFAULT_TIMEOUT_MS } from './lib/createDeadline.js';
import { guarded } from './lib/guarded.js';
import { isRecord } from './lib/isRecord.js';

/** Options of {@link fromOneTrust}. */
export interface OneTrustOptions extends SourceOptions {
  /** The cookie category (group) id that covers this telemetry. Default `'C0002'` (performance). */
  group?: string;
  /** How long to wait for OneTrust to load before reporting a problem. Default 10 000 ms. */
  timeoutMs?: number;
}

/**
 * The user's decision as OneTrust's Cookie Consent (web CMP) reports it: once the user has made
 * a choice (`OneTrust.IsAlertBoxClosed()`), `granted` when `group` is among the active groups
 * (`OptanonActiveGroups`, or the `OneTrustGroupsUpdated` event's `detail`), else `denied`.
 * Re-read on every `OneTrustGroupsUpdated` window event, which OneTrust fires when its script
 * loads and on every change; the app's own `OptanonWrapper` is left alone.
 *
 * @see https://developer.onetrust.com/onetrust/docs/javascript-events-guide
 * @example
 * createTelemetry({ consent: { source: fromOneTrust({ group: 'C0002' }) }, ... });
 */
export function fromOneTrust(options: OneTrustOptions = {}): ConsentSource {
  const { group = 'C0002', timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  return createConsentSource('onetrust', options, (report) => {
    const deadline = createDeadline(timeoutMs, () =>
      report.problem(`OneTrust did not load within ${timeoutMs} ms`),
    );
    const read = (detail?: unknown) => {
      const page = window as unknown as Record<string, unknown>;
      const oneTrust = page.OneTrust;
      if (!isRecord(oneTrust) || typeof oneTrust.IsAlertBoxClosed !== 'function') return;
      deadline.answered();
      const active = Array.isArray(detail)
        ? detail
        : (page.OptanonActiveGroups ?? page.OnetrustActiveGroups);
      const groups = typeof active === 'string' ? active.split(',') : active;
      if (!Array.isArray(groups)) return report.problem('no readable OptanonActiveGroups');
      if (oneTrust.IsAlertBoxClosed() !== true) return;
      report.decide(groups.includes(group) ? 'granted' : 'denied');
    };
    const onUpdate = (event: Event) =>
      guarded(report, 'OneTrust', () => read((event as CustomEvent).detail));
    guarded(report, 'OneTrust', read);
    window.addEventListener('OneTrustGroupsUpdated', onUpdate);
    return () => {
      window.removeEventListener('OneTrustGroupsUpdated', onUpdate);
      deadline.cancel();
    };
  });
}
