import { CmpApi as GppCmpApi, SignalStatus } from '@iabgpp/cmpapi';
import { CmpApi as TcfCmpApi } from '@iabtcf/cmpapi';
import { GVL, TCModel, TCString } from '@iabtcf/core';
import {
  fromCookiebot,
  fromGoogleConsentMode,
  fromGpp,
  fromOneTrust,
  fromTcf,
  fromUsercentrics,
} from '../../../src/consent/index.js';
import {
  type ConsentSource,
  type ConsentState,
  createTelemetry,
  type TelemetryClient,
} from '../../../src/index.js';
import gvlJson from './minimal-gvl.json';

/**
 * The consent sources standalone, beside the real IAB CMP libraries (`@iabtcf/cmpapi` with TC
 * strings that `@iabtcf/core` encodes, `@iabgpp/cmpapi`) and Google's gtag protocol. A test
 * drives everything through `window.lab` with `page.evaluate`.
 */
const sources = {
  fromTcf,
  fromGpp,
  fromGoogleConsentMode,
  fromOneTrust,
  fromCookiebot,
  fromUsercentrics,
} as const;

export type SourceName = keyof typeof sources;

export interface Watched {
  decisions: ConsentState[];
  /** `evidence()` at the moment each decision was told. */
  evidence: (string | undefined)[];
  problems: string[];
}

let tcfCmp: TcfCmpApi | undefined;
let gppCmp: GppCmpApi | undefined;
const watching = new Map<string, { source: ConsentSource; stop: () => void; seen: Watched }>();

const lab = {
  /**
   * The client itself with `consent: { source: fromTcf() }`, sending to the test server: the
   * end-to-end path (the manager's decision gating storage and delivery).
   */
  startClient(): void {
    window.tk = createTelemetry({
      endpoint: `${location.origin}/v1/events`,
      serviceName: 'consent-lab',
      flushIntervalMs: 500,
      consent: { source: fromTcf({ timeoutMs: 5_000 }) },
    });
  },
  /** Subscribes a source made with `options` (plus an onProblem that records). */
  watch(key: string, name: SourceName, options: Record<string, unknown> = {}): void {
    const seen: Watched = { decisions: [], evidence: [], problems: [] };
    const create = sources[name] as (options: Record<string, unknown>) => ConsentSource;
    const source = create({
      ...options,
      onProblem: (message: string) => seen.problems.push(message),
    });
    const stop = source.subscribe((decision) => {
      seen.decisions.push(decision);
      seen.evidence.push(source.evidence?.());
    });
    watching.set(key, { source, stop, seen });
  },
  seen(key: string): Watched | undefined {
    return watching.get(key)?.seen;
  },
  unwatch(key: string): void {
    watching.get(key)?.stop();
  },

  /** The IAB's stub (`@iabtcf/stub`): `__tcfapi` queues calls until a CMP takes over. */
  async tcfStub(): Promise<void> {
    await import('@iabtcf/stub');
  },
  /** A real TCF CMP (service-specific, so TC strings carry the publisher TC segment). */
  tcfCmp(): void {
    tcfCmp = new TcfCmpApi(7, 1, true);
  },
  /** A real TC string: `purposes` and `vendors` consented, `publisherPurposes` in the publisher segment. */
  tcString(choice: { purposes: number[]; vendors: number[]; publisherPurposes: number[] }): string {
    const model = new TCModel(new GVL(gvlJson as never));
    model.cmpId = 7;
    model.cmpVersion = 1;
    model.isServiceSpecific = true;
    model.purposeConsents.set(choice.purposes);
    model.vendorConsents.set(choice.vendors);
    model.publisherConsents.set(choice.publisherPurposes);
    return TCString.encode(model);
  },
  /** `cmpApi.update(tcString, uiVisible)`; `null`: GDPR does not apply. */
  tcfUpdate(tcString: string | null, uiVisible = false): void {
    tcfCmp?.update(tcString, uiVisible);
  },

  /** A real GPP CMP (`@iabgpp/cmpapi`) with the given sections and fields, then signalStatus ready. */
  gppShow(
    applicable: number[],
    fields: [section: string, field: string, value: unknown][],
  ): string {
    gppCmp ??= new GppCmpApi(7, 1);
    gppCmp.setSignalStatus(SignalStatus.NOT_READY);
    gppCmp.clear();
    gppCmp.setApplicableSections(applicable);
    for (const [section, field, value] of fields) gppCmp.setFieldValue(section, field, value);
    gppCmp.setSignalStatus(SignalStatus.READY);
    return gppCmp.getGppString();
  },

  /** Google's gtag snippet, as pages paste it. */
  gtag(..._args: unknown[]): void {
    const page = window as unknown as { dataLayer: unknown[] };
    page.dataLayer = page.dataLayer || [];
    // biome-ignore lint/complexity/noArguments: gtag pushes the arguments object itself.
    page.dataLayer.push(arguments);
  },
};

declare global {
  interface Window {
    lab: typeof lab;
    tk: TelemetryClient;
  }
}
window.lab = lab;
