import type { ConsentSource } from '../types.js';
import { createConsentSource, type SourceOptions } from './lib/createConsentSource.js';
import { createDeadline, DEFAULT_TIMEOUT_MS } from './lib/createDeadline.js';
import { guarded } from './lib/guarded.js';
import { isRecord } from './lib/isRecord.js';

/** Options of {@link fromUsercentrics}. */
export interface UsercentricsOptions extends SourceOptions {
  /** The data processing service that covers this telemetry: its name in Usercentrics, or its id. */
  service: string;
  /**
   * The window event configured under Implementation → Data Layer & Events (CMP v2), which
   * carries `consent_status`. Default `'ucEvent'`.
   */
  windowEvent?: string;
  /** How long to wait for Usercentrics to load before reporting a problem. Default 10 000 ms. */
  timeoutMs?: number;
}

type Record_ = Record<string, unknown>;

/**
 * The user's decision for one service as the Usercentrics web CMP reports it, v3 or v2. Only an
 * explicit choice counts (`type` `EXPLICIT`; before the user interacts Usercentrics reports an
 * implicit state, which stays `unknown`): `granted` when the service has consent, else `denied`.
 *
 * - CMP v3: `__ucCmp.getConsentDetails()` and the `UC_CONSENT` window event
 *   (`services[id].consent.given`).
 * - CMP v2: `UC_UI.getServicesBaseInfo()` (`consent.status`, the last `consent.history` entry's
 *   type), re-read on `UC_UI_INITIALIZED` and `UC_UI_CMP_EVENT`, and the `consent_status`
 *   window event (`ucEvent`: `{ type, [service name]: boolean }`).
 *
 * @see https://usercentrics.com/docs/web/implementation/ui/interfaces/
 * @example
 * createTelemetry({ consent: { source: fromUsercentrics({ service: 'telemetry-kit' }) }, ... });
 */
export function fromUsercentrics(options: UsercentricsOptions): ConsentSource {
  const { service, windowEvent = 'ucEvent', timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  const explicit = (type: unknown) => String(type).toLowerCase() === 'explicit';
  const named = (id: string, entry: Record_) => id === service || entry.name === service;

  return createConsentSource('usercentrics', options, (report) => {
    const page = window as unknown as Record_;
    const deadline = createDeadline(timeoutMs, () =>
      report.problem(`Usercentrics did not load within ${timeoutMs} ms`),
    );
    const decide = (given: unknown) => {
      if (typeof given !== 'boolean') return report.problem(`no boolean consent for "${service}"`);
      report.decide(given ? 'granted' : 'denied');
    };
    const missing = () => report.problem(`no service "${service}" in Usercentrics`);

    /** v3 ConsentDetails, from `getConsentDetails()` or the `UC_CONSENT` event. */
    const readDetails = (details: unknown) => {
      if (!isRecord(details) || !isRecord(details.services)) {
        return report.problem('consent details without services');
      }
      deadline.answered();
      const entry = Object.entries(details.services).find(
        ([id, value]) => isRecord(value) && named(id, value),
      )?.[1] as Record_ | undefined;
      if (!entry) return missing();
      const consent = isRecord(entry.consent) ? entry.consent : {};
      const type = consent.type ?? (isRecord(details.consent) ? details.consent.type : undefined);
      if (explicit(type)) decide(consent.given);
    };

    /** v2: the services' base info. */
    const readServices = () => {
      const ui = page.UC_UI;
      if (!isRecord(ui) || typeof ui.getServicesBaseInfo !== 'function') return;
      if (typeof ui.isInitialized === 'function' && ui.isInitialized() !== true) return;
      deadline.answered();
      const services: unknown = ui.getServicesBaseInfo();
      if (!Array.isArray(services)) return report.problem('getServicesBaseInfo() is no array');
      const entry = services.find((value) => isRecord(value) && named(String(value.id), value));
      if (!entry) return missing();
      const consent = isRecord(entry.consent) ? entry.consent : {};
      const history = Array.isArray(consent.history) ? consent.history : [];
      const last: unknown = history[history.length - 1];
      if (isRecord(last) && explicit(last.type)) decide(consent.status);
    };

    /** v2's configurable window event with `consent_status`. */
    const readStatus = (detail: unknown) => {
      if (!isRecord(detail) || detail.event !== 'consent_status') return;
      deadline.answered();
      if (explicit(detail.type)) decide(detail[service]);
    };

    const readNow = () => {
      const cmp = page.__ucCmp;
      if (isRecord(cmp) && typeof cmp.getConsentDetails === 'function') {
        Promise.resolve(cmp.getConsentDetails()).then(readDetails, (error: unknown) =>
          report.problem(`getConsentDetails() failed: ${String(error)}`),
        );
      } else readServices();
    };
    const on: [string, (event: Event) => void][] = [
      ['UC_CONSENT', (event) => readDetails((event as CustomEvent).detail)],
      ['UC_UI_INITIALIZED', readNow],
      ['UC_UI_CMP_EVENT', readNow],
      [windowEvent, (event) => readStatus((event as CustomEvent).detail)],
    ];
    const handlers = on.map(([name, read]) => {
      const handler = (event: Event) => guarded(report, 'Usercentrics', () => read(event));
      window.addEventListener(name, handler);
      return [name, handler] as const;
    });
    guarded(report, 'Usercentrics', readNow);
    return () => {
      for (const [name, handler] of handlers) window.removeEventListener(name, handler);
      deadline.cancel();
    };
  });
}
