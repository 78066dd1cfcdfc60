import type { ConsentSource, ConsentState } from '../types.js';
import { createConsentSource, type SourceOptions } from './lib/createConsentSource.js';
import { createDeadline, DEFAULT_TIMEOUT_MS } from './lib/createDeadline.js';
import { isRecord } from './lib/isRecord.js';
import { whenFunction } from './lib/whenFunction.js';

/** Options of {@link fromTcf}. */
export interface TcfOptions extends SourceOptions {
  /**
   * TCF purposes that must all have consent. Default `[1, 8, 9, 10]`: store and access
   * information on a device, measure content performance, understand audiences through
   * statistics, develop and improve services.
   */
  purposes?: readonly number[];
  /**
   * Your IAB vendor id: then the user must consent to this vendor and to each purpose
   * (`vendor.consents`, `purpose.consents`). Without it, the publisher's own purpose consents
   * decide (`publisher.consents`, the TC string's publisher segment).
   */
  vendorId?: number;
  /** The decision when the CMP says GDPR does not apply (`gdprApplies: false`). Default `'unknown'`. */
  whenNotApplicable?: ConsentState;
  /** How long to wait for the CMP's first answer before reporting a problem. Default 10 000 ms. */
  timeoutMs?: number;
}

type TcfApi = (
  command: string,
  version: number,
  callback: (tcData: unknown, success: unknown) => void,
  parameter?: unknown,
) => unknown;

/** TCData `eventStatus` values after which the TC string holds the user's choices (TCF v2.2 CMP API). */
const SETTLED = ['tcloaded', 'useractioncomplete'];

/**
 * The user's decision as an IAB TCF v2 CMP reports it through `__tcfapi('addEventListener', 2)`:
 * `granted` once the configured purposes all have consent (the publisher's, or those of your
 * vendor id), `denied` otherwise, after `tcloaded` or `useractioncomplete`; `cmpuishown` leaves
 * the decision as it is. Evidence: the SHA-256 of the TC string. A CMP that is missing, throws
 * or never answers leaves it `unknown`.
 *
 * @see https://github.com/InteractiveAdvertisingBureau/GDPR-Transparency-and-Consent-Framework/blob/master/TCFv2/IAB%20Tech%20Lab%20-%20CMP%20API%20v2.md
 * @example
 * createTelemetry({ consent: { source: fromTcf({ purposes: [1, 8, 9, 10] }) }, ... });
 */
export function fromTcf(options: TcfOptions = {}): ConsentSource {
  const {
    purposes = [1, 8, 9, 10],
    vendorId,
    whenNotApplicable = 'unknown',
    timeoutMs = DEFAULT_TIMEOUT_MS,
  } = options;

  const read = (tcData: Record<string, unknown>): ConsentState | undefined => {
    const consents = (owner: unknown) =>
      isRecord(owner) && isRecord(owner.consents) ? owner.consents : undefined;
    const byPurpose = consents(vendorId === undefined ? tcData.publisher : tcData.purpose);
    const byVendor = vendorId === undefined ? {} : consents(tcData.vendor);
    if (!byPurpose || !byVendor) return undefined;
    const granted =
      (vendorId === undefined || byVendor[vendorId] === true) &&
      purposes.every((purpose) => byPurpose[purpose] === true);
    return granted ? 'granted' : 'denied';
  };

  return createConsentSource('tcf', options, (report) => {
    let api: TcfApi | undefined;
    let listenerId: number | undefined;
    let stopped = false;
    const deadline = createDeadline(timeoutMs, () =>
      report.problem(`the CMP (__tcfapi) did not answer within ${timeoutMs} ms`),
    );
    const remove = () => {
      if (api === undefined || listenerId === undefined) return;
      try {
        api('removeEventListener', 2, () => {}, listenerId);
      } catch (error) {
        report.problem(`__tcfapi removeEventListener threw: ${String(error)}`);
      }
    };
    const listen = (tcData: unknown, success: unknown) => {
      deadline.answered();
      if (!isRecord(tcData) || success === false) {
        return report.problem('__tcfapi addEventListener failed or answered no TCData');
      }
      if (typeof tcData.listenerId === 'number') listenerId = tcData.listenerId;
      // An answer after unsubscribe (the stub's queue ran late): now the id is known to remove.
      if (stopped) return remove();
      if (tcData.gdprApplies === false) return report.decide(whenNotApplicable);
      if (tcData.eventStatus === 'cmpuishown') return;
      if (!SETTLED.includes(tcData.eventStatus as string)) {
        return report.problem(`unexpected TCData eventStatus ${String(tcData.eventStatus)}`);
      }
      const decision = read(tcData);
      if (!decision) return report.problem('TCData without readable consents');
      report.decide(decision, typeof tcData.tcString === 'string' ? tcData.tcString : undefined);
    };
    const cancelWait = whenFunction<TcfApi>('__tcfapi', timeoutMs, (found) => {
      api = found;
      try {
        found('addEventListener', 2, listen);
      } catch (error) {
        deadline.cancel();
        report.problem(`__tcfapi addEventListener threw: ${String(error)}`);
      }
    });
    return () => {
      stopped = true;
      cancelWait();
      deadline.cancel();
      remove();
    };
  });
}
