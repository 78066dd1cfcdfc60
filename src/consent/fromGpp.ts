import type { ConsentSource, ConsentState } from '../types.js';
import { createConsentSource, type SourceOptions } from './lib/createConsentSource.js';
import { createDeadline, DEFAULT_TIMEOUT_MS } from './lib/createDeadline.js';
import { isRecord } from './lib/isRecord.js';
import { whenFunction } from './lib/whenFunction.js';

/** Options of {@link fromGpp}. */
export interface GppOptions extends SourceOptions {
  /** TCF purposes that must all have consent in the `tcfeuv2` section. Default `[1, 8, 9, 10]`. */
  purposes?: readonly number[];
  /**
   * Your IAB vendor id: then the vendor and each purpose need consent (`VendorConsent`,
   * `PurposeConsent`); without it the publisher purposes segment decides (`PubPurposesConsent`).
   */
  vendorId?: number;
  /** The decision when no section applies (`applicableSections: [-1]`). Default `'unknown'`. */
  whenNotApplicable?: ConsentState;
  /** How long to wait for the CMP's first answer before reporting a problem. Default 10 000 ms. */
  timeoutMs?: number;
}

type GppApi = (
  command: string,
  callback: (eventData: unknown, success: unknown) => void,
  parameter?: unknown,
) => unknown;

/** GPP section ids (GPP "Section Information"): 2 is `tcfeuv2`, 6–27 are the US sections. */
const TCF_EU = 2;
const isUsSection = (id: unknown) => typeof id === 'number' && id >= 6 && id <= 27;

/** US opt-outs: MSPA `Int(2)` fields, where 1 means "opted out" (0 n/a, 2 did not opt out). */
const OPT_OUTS = ['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut'];

/**
 * A section as one object. The CMP API spec gives each section as an array of its segments
 * (core, publisher purposes …); IAB Tech Lab's own `@iabgpp/cmpapi` merges them into one object.
 */
const sectionFields = (section: unknown): Record<string, unknown> | undefined => {
  if (Array.isArray(section)) return Object.assign({}, ...section.filter(isRecord));
  return isRecord(section) ? section : undefined;
};

/** The first of `names` that is present: the spec's field name, or `@iabgpp/cmpapi`'s. */
const field = (fields: Record<string, unknown>, ...names: string[]) =>
  names.map((name) => fields[name]).find((value) => value !== undefined);

/**
 * The user's decision as an IAB GPP CMP reports it through `__gpp('addEventListener')`, read
 * whenever `pingData.signalStatus` is `ready`. When `tcfeuv2` applies: `granted` once the
 * configured purposes have consent, as in {@link fromTcf} (a Bitfield per purpose, purpose 1 at
 * index 0). When a US section applies: `denied` if the user opted out of sale, sharing or
 * targeted advertising (`uspv1`: `OptOutSale` `Y`), else `granted`. No section applicable
 * (`[-1]`): `whenNotApplicable`. Evidence: the SHA-256 of the GPP string.
 *
 * @see https://github.com/InteractiveAdvertisingBureau/Global-Privacy-Platform/blob/main/Core/CMP%20API%20Specification.md
 * @example
 * createTelemetry({ consent: { source: fromGpp() }, ... });
 */
export function fromGpp(options: GppOptions = {}): ConsentSource {
  const {
    purposes = [1, 8, 9, 10],
    vendorId,
    whenNotApplicable = 'unknown',
    timeoutMs = DEFAULT_TIMEOUT_MS,
  } = options;

  const readTcf = (fields: Record<string, unknown>): ConsentState | undefined => {
    const bits =
      vendorId === undefined
        ? field(fields, 'PubPurposesConsent', 'PublisherPurposesConsent', 'PublisherConsents')
        : field(fields, 'PurposeConsent', 'PurposeConsents');
    const vendors = vendorId === undefined ? [] : field(fields, 'VendorConsent', 'VendorConsents');
    if (!Array.isArray(bits) || !Array.isArray(vendors)) return undefined;
    const granted =
      (vendorId === undefined || vendors.includes(vendorId)) &&
      purposes.every((purpose) => bits[purpose - 1] === true || bits[purpose - 1] === 1);
    return granted ? 'granted' : 'denied';
  };

  const readUs = (sections: Record<string, unknown>): ConsentState | undefined => {
    let read: ConsentState | undefined;
    for (const [name, section] of Object.entries(sections)) {
      const fields = name.startsWith('us') ? sectionFields(section) : undefined;
      if (!fields) continue;
      read = 'granted';
      if (OPT_OUTS.some((optOut) => fields[optOut] === 1)) return 'denied';
      if (name === 'uspv1' && fields.OptOutSale === 'Y') return 'denied';
    }
    return read;
  };

  const read = (pingData: Record<string, unknown>): ConsentState | undefined | null => {
    const applicable = pingData.applicableSections;
    const sections = pingData.parsedSections;
    if (!Array.isArray(applicable) || !isRecord(sections)) return undefined;
    if (applicable.includes(TCF_EU)) {
      const fields = sectionFields(sections.tcfeuv2);
      return fields ? readTcf(fields) : undefined;
    }
    if (applicable.some(isUsSection)) return readUs(sections);
    if (applicable.length === 1 && applicable[0] === -1) return whenNotApplicable;
    // Another framework applies (e.g. tcfcav1), which this source does not read.
    return null;
  };

  return createConsentSource('gpp', options, (report) => {
    let api: GppApi | undefined;
    let listenerId: number | undefined;
    let stopped = false;
    const deadline = createDeadline(timeoutMs, () =>
      report.problem(`the CMP (__gpp) did not answer within ${timeoutMs} ms`),
    );
    const remember = (eventData: unknown) => {
      if (isRecord(eventData) && typeof eventData.listenerId === 'number') {
        listenerId = eventData.listenerId;
      }
    };
    const remove = () => {
      if (api === undefined || listenerId === undefined) return;
      try {
        api('removeEventListener', () => {}, listenerId);
      } catch (error) {
        report.problem(`__gpp removeEventListener threw: ${String(error)}`);
      }
    };
    const listen = (eventData: unknown, success: unknown) => {
      deadline.answered();
      if (!isRecord(eventData) || !isRecord(eventData.pingData) || success === false) {
        return report.problem('__gpp addEventListener failed or answered no pingData');
      }
      remember(eventData);
      if (stopped) return remove();
      const pingData = eventData.pingData;
      if (pingData.signalStatus !== 'ready') return;
      const decision = read(pingData);
      if (decision === undefined) return report.problem('pingData without readable sections');
      if (decision === null) return;
      const gppString = pingData.gppString;
      report.decide(decision, typeof gppString === 'string' ? gppString : undefined);
    };
    const cancelWait = whenFunction<GppApi>('__gpp', timeoutMs, (found) => {
      api = found;
      try {
        // The spec's stub answers addEventListener by return value and queues the listener.
        remember(found('addEventListener', listen));
      } catch (error) {
        deadline.cancel();
        report.problem(`__gpp addEventListener threw: ${String(error)}`);
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
