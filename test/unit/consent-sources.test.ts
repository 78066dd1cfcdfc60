// @vitest-environment jsdom
/**
 * The consent sources against fakes that follow each manager's documented API (TCF v2.2 CMP
 * API, GPP CMP API 1.1, gtag's dataLayer, OneTrust, Cookiebot, Usercentrics). The real IAB CMP
 * libraries and gtag's protocol in Chromium are in test/browser/consent-sources.test.ts.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  fromCookiebot,
  fromGoogleConsentMode,
  fromGpp,
  fromOneTrust,
  fromTcf,
  fromUsercentrics,
} from '../../src/consent/index.js';
import type { ConsentSource, ConsentState } from '../../src/index.js';

const page = window as unknown as Record<string, unknown>;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Subscribes and records what the source says, and the problems it reports. */
function observe(create: (onProblem: (message: string) => void) => ConsentSource) {
  const problems: string[] = [];
  const decisions: ConsentState[] = [];
  const source = create((message) => problems.push(message));
  const unsubscribe = source.subscribe((decision) => decisions.push(decision));
  return { source, decisions, problems, unsubscribe };
}

afterEach(() => {
  for (const name of [
    '__tcfapi',
    '__gpp',
    'dataLayer',
    'OneTrust',
    'OptanonActiveGroups',
    'Cookiebot',
    'UC_UI',
    '__ucCmp',
  ])
    delete page[name];
  vi.unstubAllGlobals();
});

type TcfCallback = (tcData: unknown, success: boolean) => void;

/** A CMP per the TCF v2.2 CMP API: addEventListener calls back now and on every change. */
function installTcfCmp() {
  const listeners = new Map<number, TcfCallback>();
  const removed: number[] = [];
  let nextId = 1;
  let tcData: Record<string, unknown> | undefined;
  page.__tcfapi = (command: string, _version: number, callback: TcfCallback, id?: number) => {
    if (command === 'addEventListener') {
      const listenerId = nextId++;
      listeners.set(listenerId, callback);
      if (tcData) callback({ ...tcData, listenerId }, true);
    } else if (command === 'removeEventListener' && id !== undefined) {
      removed.push(id);
      listeners.delete(id);
      callback(true, true);
    }
  };
  return {
    removed,
    listeners,
    answer(next: Record<string, unknown>) {
      tcData = next;
      for (const [listenerId, callback] of listeners) callback({ ...tcData, listenerId }, true);
    },
  };
}

const booleans = (ids: number[]) => Object.fromEntries(ids.map((id) => [id, true]));
const tcData = (
  eventStatus: string,
  publisherPurposes: number[],
  extra: Record<string, unknown> = {},
) => ({
  gdprApplies: true,
  eventStatus,
  cmpStatus: 'loaded',
  tcString: `TC-${eventStatus}-${publisherPurposes.join('-')}`,
  publisher: { consents: booleans(publisherPurposes), legitimateInterests: {} },
  purpose: { consents: {}, legitimateInterests: {} },
  vendor: { consents: {}, legitimateInterests: {} },
  ...extra,
});

describe('fromTcf', () => {
  it('grants when the publisher consents to purposes 1, 8, 9 and 10, with the TC string hashed as evidence', async () => {
    const cmp = installTcfCmp();
    cmp.answer(tcData('tcloaded', [1, 2, 8, 9, 10]));
    const { source, decisions } = observe((onProblem) => fromTcf({ onProblem }));
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    expect(source.name).toBe('tcf');
    expect(source.evidence?.()).toBe(sha256('TC-tcloaded-1-2-8-9-10'));
  });

  it('denies when one configured purpose lacks consent, and follows a change in the CMP', async () => {
    const cmp = installTcfCmp();
    cmp.answer(tcData('tcloaded', [1, 8, 9]));
    const { decisions } = observe((onProblem) => fromTcf({ onProblem }));
    await vi.waitFor(() => expect(decisions).toEqual(['denied']));
    cmp.answer(tcData('useractioncomplete', [1, 8, 9, 10]));
    await vi.waitFor(() => expect(decisions).toEqual(['denied', 'granted']));
  });

  it('stays unknown while the CMP shows its UI (cmpuishown), then takes the user action', async () => {
    const cmp = installTcfCmp();
    cmp.answer(tcData('cmpuishown', []));
    const { decisions, problems } = observe((onProblem) => fromTcf({ onProblem }));
    await pause(20);
    expect(decisions).toEqual([]);
    cmp.answer(tcData('useractioncomplete', [1, 8, 9, 10]));
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    expect(problems).toEqual([]);
  });

  it('with a vendor id, the vendor and each purpose need consent', async () => {
    const cmp = installTcfCmp();
    const purposes = { consents: booleans([1, 8, 9, 10]) };
    cmp.answer(tcData('tcloaded', [], { purpose: purposes, vendor: { consents: { 42: false } } }));
    const { decisions } = observe((onProblem) => fromTcf({ vendorId: 42, onProblem }));
    await vi.waitFor(() => expect(decisions).toEqual(['denied']));
    cmp.answer(tcData('tcloaded', [], { purpose: purposes, vendor: { consents: { 42: true } } }));
    await vi.waitFor(() => expect(decisions).toEqual(['denied', 'granted']));
  });

  it('tells the listener only of changes', async () => {
    const cmp = installTcfCmp();
    cmp.answer(tcData('tcloaded', [1, 8, 9, 10]));
    const { decisions, source } = observe((onProblem) => fromTcf({ onProblem }));
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    cmp.answer({ ...tcData('useractioncomplete', [1, 8, 9, 10]), tcString: 'TC-second' });
    await vi.waitFor(() => expect(source.evidence?.()).toBe(sha256('TC-second')));
    expect(decisions).toEqual(['granted']);
  });

  it('gdprApplies false follows whenNotApplicable: unknown by default, granted when asked', async () => {
    const cmp = installTcfCmp();
    cmp.answer({ gdprApplies: false, eventStatus: 'tcloaded', cmpStatus: 'loaded' });
    const byDefault = observe((onProblem) => fromTcf({ onProblem }));
    const granted = observe((onProblem) => fromTcf({ whenNotApplicable: 'granted', onProblem }));
    await vi.waitFor(() => expect(granted.decisions).toEqual(['granted']));
    expect(byDefault.decisions).toEqual([]);
    expect(granted.source.evidence?.()).toBeUndefined();
  });

  it('waits for a CMP that appears later', async () => {
    const { decisions } = observe((onProblem) => fromTcf({ onProblem }));
    await pause(120);
    const cmp = installTcfCmp();
    cmp.answer(tcData('tcloaded', [1, 8, 9, 10]));
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
  });

  it('a stub whose CMP never loads: stays unknown, one problem after the timeout', async () => {
    const queue: unknown[] = [];
    page.__tcfapi = (...args: unknown[]) => void queue.push(args);
    const { decisions, problems } = observe((onProblem) => fromTcf({ timeoutMs: 80, onProblem }));
    await pause(250);
    expect(queue).toHaveLength(1);
    expect(decisions).toEqual([]);
    expect(problems).toEqual([
      'consent source "tcf": the CMP (__tcfapi) did not answer within 80 ms',
    ]);
  });

  it('no CMP at all: stays unknown, one problem, and stops looking', async () => {
    const { decisions, problems } = observe((onProblem) => fromTcf({ timeoutMs: 60, onProblem }));
    await pause(200);
    installTcfCmp().answer(tcData('tcloaded', [1, 8, 9, 10]));
    await pause(120);
    expect(decisions).toEqual([]);
    expect(problems).toHaveLength(1);
  });

  it('a CMP that throws or answers garbage: no throw, stays unknown, one problem each', async () => {
    page.__tcfapi = () => {
      throw new Error('broken CMP');
    };
    const thrown = observe((onProblem) => fromTcf({ onProblem }));
    expect(thrown.decisions).toEqual([]);
    expect(thrown.problems).toEqual([
      'consent source "tcf": __tcfapi addEventListener threw: Error: broken CMP',
    ]);

    page.__tcfapi = (_c: string, _v: number, callback: TcfCallback) => {
      callback('garbage', true);
      callback({ eventStatus: 'tcloaded', gdprApplies: true, publisher: 7 }, true);
      callback({ eventStatus: 'tcloaded', gdprApplies: true, publisher: 7 }, true);
    };
    const garbage = observe((onProblem) => fromTcf({ onProblem }));
    await pause(20);
    expect(garbage.decisions).toEqual([]);
    expect(garbage.problems).toEqual([
      'consent source "tcf": __tcfapi addEventListener failed or answered no TCData',
      'consent source "tcf": TCData without readable consents',
    ]);
  });

  it('reports through console.debug only with debug: true', async () => {
    const debug = vi.spyOn(console, 'debug').mockImplementation(() => {});
    page.__tcfapi = () => {
      throw new Error('broken');
    };
    fromTcf().subscribe(() => {});
    expect(debug).not.toHaveBeenCalled();
    fromTcf({ debug: true }).subscribe(() => {});
    expect(debug).toHaveBeenCalledTimes(1);
    debug.mockRestore();
  });

  it('unsubscribing removes the CMP listener by its listenerId', async () => {
    const cmp = installTcfCmp();
    cmp.answer(tcData('tcloaded', [1, 8, 9, 10]));
    const { unsubscribe, decisions } = observe((onProblem) => fromTcf({ onProblem }));
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    unsubscribe();
    expect(cmp.removed).toEqual([1]);
    expect(cmp.listeners.size).toBe(0);
  });

  it('without a DOM (server rendering): subscribe is a no-op and reports nothing', () => {
    const calls: unknown[] = [];
    page.__tcfapi = (...args: unknown[]) => void calls.push(args);
    vi.stubGlobal('window', undefined);
    const problems: string[] = [];
    const unsubscribe = fromTcf({ onProblem: (m) => problems.push(m) }).subscribe(() => {});
    vi.unstubAllGlobals();
    unsubscribe();
    expect(calls).toEqual([]);
    expect(problems).toEqual([]);
  });
});

type GppCallback = (eventData: unknown, success: boolean) => void;

/** A CMP per the GPP CMP API 1.1, sections given as arrays of segments as the spec shows. */
function installGppCmp() {
  const listeners = new Map<number, GppCallback>();
  let nextId = 1;
  let pingData: Record<string, unknown> = { signalStatus: 'not ready', cmpStatus: 'loading' };
  const send = (listenerId: number, callback: GppCallback, eventName: string) =>
    callback({ eventName, listenerId, data: true, pingData }, true);
  page.__gpp = (command: string, callback: GppCallback, parameter?: number) => {
    if (command === 'addEventListener') {
      const listenerId = nextId++;
      listeners.set(listenerId, callback);
      send(listenerId, callback, 'listenerRegistered');
    } else if (command === 'removeEventListener' && parameter !== undefined) {
      listeners.delete(parameter);
    }
  };
  return {
    listeners,
    ready(next: Record<string, unknown>) {
      pingData = { signalStatus: 'ready', cmpStatus: 'loaded', ...next };
      for (const [listenerId, callback] of listeners) send(listenerId, callback, 'signalStatus');
    },
  };
}

const bits = (ids: number[]) => Array.from({ length: 24 }, (_, index) => ids.includes(index + 1));

describe('fromGpp', () => {
  it('tcfeuv2: grants on the publisher purposes segment (PubPurposesConsent), hashing the GPP string', async () => {
    const cmp = installGppCmp();
    const { decisions, source } = observe((onProblem) => fromGpp({ onProblem }));
    cmp.ready({
      applicableSections: [2],
      gppString: 'DBABM~tcf',
      parsedSections: {
        tcfeuv2: [
          { Version: 2, PurposeConsent: bits([1]) },
          { PubPurposesConsent: bits([1, 8, 9, 10]) },
        ],
      },
    });
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    expect(source.evidence?.()).toBe(sha256('DBABM~tcf'));
    cmp.ready({
      applicableSections: [2],
      gppString: 'DBABM~tcf2',
      parsedSections: { tcfeuv2: [{ Version: 2 }, { PubPurposesConsent: bits([1, 8]) }] },
    });
    await vi.waitFor(() => expect(decisions).toEqual(['granted', 'denied']));
  });

  it('stays unknown until signalStatus is ready', async () => {
    installGppCmp();
    const { decisions, problems } = observe((onProblem) => fromGpp({ onProblem }));
    await pause(20);
    expect(decisions).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('usnat: an opt-out of sale, sharing or targeted advertising denies; none grants', async () => {
    const cmp = installGppCmp();
    const { decisions } = observe((onProblem) => fromGpp({ onProblem }));
    const usnat = (fields: Record<string, number>) => ({
      applicableSections: [7],
      gppString: `DBABL~${JSON.stringify(fields)}`,
      parsedSections: { usnat: [{ Version: 1, SaleOptOut: 2, SharingOptOut: 2, ...fields }] },
    });
    cmp.ready(usnat({}));
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    cmp.ready(usnat({ TargetedAdvertisingOptOut: 1 }));
    await vi.waitFor(() => expect(decisions).toEqual(['granted', 'denied']));
  });

  it('a state section (usca) opt-out denies', async () => {
    const cmp = installGppCmp();
    const { decisions } = observe((onProblem) => fromGpp({ onProblem }));
    cmp.ready({
      applicableSections: [8],
      gppString: 'DBABBg~usca',
      parsedSections: { usca: [{ SaleOptOut: 1, SharingOptOut: 2 }] },
    });
    await vi.waitFor(() => expect(decisions).toEqual(['denied']));
  });

  it('no applicable section ([-1]) follows whenNotApplicable', async () => {
    const cmp = installGppCmp();
    const byDefault = observe((onProblem) => fromGpp({ onProblem }));
    const denied = observe((onProblem) => fromGpp({ whenNotApplicable: 'denied', onProblem }));
    cmp.ready({ applicableSections: [-1], gppString: 'DBAA', parsedSections: {} });
    await vi.waitFor(() => expect(denied.decisions).toEqual(['denied']));
    expect(byDefault.decisions).toEqual([]);
  });

  it('a CMP that never answers, or answers garbage: unknown, one problem', async () => {
    page.__gpp = () => ({ eventName: 'listenerRegistered', listenerId: 1, data: true });
    const silent = observe((onProblem) => fromGpp({ timeoutMs: 60, onProblem }));
    await pause(150);
    expect(silent.decisions).toEqual([]);
    expect(silent.problems).toEqual([
      'consent source "gpp": the CMP (__gpp) did not answer within 60 ms',
    ]);
    page.__gpp = (_command: string, callback: GppCallback) => {
      callback({ pingData: { signalStatus: 'ready', applicableSections: 'x' } }, true);
      callback({ pingData: { signalStatus: 'ready', applicableSections: 'x' } }, true);
    };
    const garbage = observe((onProblem) => fromGpp({ onProblem }));
    expect(garbage.decisions).toEqual([]);
    expect(garbage.problems).toEqual(['consent source "gpp": pingData without readable sections']);
  });
});

/** Google's gtag snippet: `function gtag(){dataLayer.push(arguments);}`. */
function installGtag() {
  page.dataLayer = (page.dataLayer as unknown[]) ?? [];
  return function gtag(..._args: unknown[]) {
    // biome-ignore lint/complexity/noArguments: gtag pushes the arguments object itself.
    (page.dataLayer as unknown[]).push(arguments);
  };
}

describe('fromGoogleConsentMode', () => {
  it('reads analytics_storage from consent default and update entries, never pushing', async () => {
    const gtag = installGtag();
    gtag('consent', 'default', { ad_storage: 'denied', analytics_storage: 'denied' });
    gtag('js', new Date());
    const { decisions, problems } = observe((onProblem) => fromGoogleConsentMode({ onProblem }));
    expect(decisions).toEqual(['denied']);
    gtag('consent', 'update', { analytics_storage: 'granted' });
    await vi.waitFor(() => expect(decisions).toEqual(['denied', 'granted']), { timeout: 2000 });
    expect((page.dataLayer as unknown[]).length).toBe(3);
    expect(problems).toEqual([]);
  });

  it('skips a default limited to regions, and an update without analytics_storage', async () => {
    const gtag = installGtag();
    gtag('consent', 'default', { analytics_storage: 'granted', region: ['US-CA'] });
    gtag('consent', 'update', { ad_storage: 'granted' });
    const { decisions } = observe((onProblem) => fromGoogleConsentMode({ onProblem }));
    await pause(20);
    expect(decisions).toEqual([]);
  });

  it('no consent entry: unknown, one problem after the timeout; garbage values are reported', async () => {
    installGtag();
    const silent = observe((onProblem) => fromGoogleConsentMode({ timeoutMs: 50, onProblem }));
    await pause(120);
    expect(silent.decisions).toEqual([]);
    expect(silent.problems).toHaveLength(1);
    installGtag()('consent', 'update', { analytics_storage: 'yes please' });
    const garbage = observe((onProblem) => fromGoogleConsentMode({ onProblem }));
    expect(garbage.decisions).toEqual([]);
    expect(garbage.problems).toEqual([
      'consent source "google-consent-mode": analytics_storage is "yes please"',
    ]);
  });
});

describe('fromOneTrust (a fake of the documented OneTrust web API)', () => {
  const load = (closed: boolean, groups: string) => {
    page.OptanonActiveGroups = groups;
    // biome-ignore lint/correctness/noComponentHookFactories: OneTrust's own method name, not a React component.
    page.OneTrust = { IsAlertBoxClosed: () => closed };
  };
  const update = (closed: boolean, groups: string[]) => {
    load(closed, `,${groups.join(',')},`);
    window.dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: groups }));
  };

  it('unknown before the user chooses, then the group decides, and follows changes', () => {
    const { decisions, problems } = observe((onProblem) => fromOneTrust({ onProblem }));
    update(false, ['C0001']);
    expect(decisions).toEqual([]);
    update(true, ['C0001', 'C0002']);
    expect(decisions).toEqual(['granted']);
    update(true, ['C0001']);
    expect(decisions).toEqual(['granted', 'denied']);
    expect(problems).toEqual([]);
  });

  it('reads a OneTrust that loaded before subscribe; another group when configured', () => {
    load(true, ',C0001,C0002,');
    expect(observe((onProblem) => fromOneTrust({ onProblem })).decisions).toEqual(['granted']);
    expect(observe((onProblem) => fromOneTrust({ group: 'C0004', onProblem })).decisions).toEqual([
      'denied',
    ]);
  });

  it('a throwing OneTrust or one that never loads: unknown, one problem', async () => {
    const silent = observe((onProblem) => fromOneTrust({ timeoutMs: 40, onProblem }));
    await pause(100);
    expect(silent.problems).toEqual([
      'consent source "onetrust": OneTrust did not load within 40 ms',
    ]);
    page.OneTrust = {
      // biome-ignore lint/correctness/noComponentHookFactories: OneTrust's own method name, not a React component.
      IsAlertBoxClosed: () => {
        throw new Error('nope');
      },
    };
    page.OptanonActiveGroups = ',C0002,';
    const thrown = observe((onProblem) => fromOneTrust({ onProblem }));
    window.dispatchEvent(new CustomEvent('OneTrustGroupsUpdated', { detail: ['C0002'] }));
    expect(thrown.decisions).toEqual([]);
    expect(thrown.problems).toEqual(['consent source "onetrust": OneTrust threw: Error: nope']);
  });
});

describe('fromCookiebot (a fake of the documented Cookiebot API)', () => {
  const set = (hasResponse: boolean, statistics: boolean, event: string) => {
    page.Cookiebot = { hasResponse, consent: { necessary: true, statistics, marketing: false } };
    window.dispatchEvent(new Event(event));
  };

  it('unknown until the user responds, then consent.statistics decides, and follows changes', () => {
    const { decisions, problems } = observe((onProblem) => fromCookiebot({ onProblem }));
    set(false, false, 'CookiebotOnConsentReady');
    expect(decisions).toEqual([]);
    set(true, true, 'CookiebotOnAccept');
    expect(decisions).toEqual(['granted']);
    set(true, false, 'CookiebotOnDecline');
    expect(decisions).toEqual(['granted', 'denied']);
    expect(problems).toEqual([]);
  });

  it('another category when configured; garbage consent is one problem', () => {
    page.Cookiebot = { hasResponse: true, consent: { statistics: true, marketing: false } };
    expect(
      observe((onProblem) => fromCookiebot({ category: 'marketing', onProblem })).decisions,
    ).toEqual(['denied']);
    page.Cookiebot = { hasResponse: true, consent: 'all' };
    const garbage = observe((onProblem) => fromCookiebot({ onProblem }));
    window.dispatchEvent(new Event('CookiebotOnConsentReady'));
    expect(garbage.decisions).toEqual([]);
    expect(garbage.problems).toEqual(['consent source "cookiebot": no boolean consent.statistics']);
  });
});

describe('fromUsercentrics (fakes of the documented v3 and v2 browser APIs)', () => {
  it('v3: the UC_CONSENT event and getConsentDetails(); only an explicit choice counts', async () => {
    const details = (type: string, given: boolean) => ({
      consent: { type, status: 'SOME_ACCEPTED' },
      services: {
        abc123: { name: 'telemetry-kit', consent: { given, type } },
        other: { name: 'Other', consent: { given: true, type } },
      },
    });
    page.__ucCmp = { getConsentDetails: async () => details('EXPLICIT', true) };
    const { decisions, problems } = observe((onProblem) =>
      fromUsercentrics({ service: 'telemetry-kit', onProblem }),
    );
    await vi.waitFor(() => expect(decisions).toEqual(['granted']));
    window.dispatchEvent(new CustomEvent('UC_CONSENT', { detail: details('EXPLICIT', false) }));
    expect(decisions).toEqual(['granted', 'denied']);
    page.__ucCmp = { getConsentDetails: async () => details('IMPLICIT', true) };
    const implicit = observe((onProblem) => fromUsercentrics({ service: 'abc123', onProblem }));
    window.dispatchEvent(new CustomEvent('UC_CONSENT', { detail: details('IMPLICIT', false) }));
    await pause(10);
    expect(implicit.decisions).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('v2: getServicesBaseInfo() after UC_UI_INITIALIZED, and the ucEvent consent_status event', () => {
    let status = false;
    let type = 'implicit';
    const { decisions, problems } = observe((onProblem) =>
      fromUsercentrics({ service: 'telemetry-kit', onProblem }),
    );
    page.UC_UI = {
      isInitialized: () => true,
      getServicesBaseInfo: () => [
        { id: 'xyz', name: 'telemetry-kit', consent: { status, history: [{ type, status }] } },
      ],
    };
    window.dispatchEvent(new Event('UC_UI_INITIALIZED'));
    expect(decisions).toEqual([]);
    status = true;
    type = 'explicit';
    window.dispatchEvent(new CustomEvent('UC_UI_CMP_EVENT', { detail: { type: 'ACCEPT_ALL' } }));
    expect(decisions).toEqual(['granted']);
    const detail = { event: 'consent_status', type: 'explicit', 'telemetry-kit': false };
    window.dispatchEvent(new CustomEvent('ucEvent', { detail }));
    expect(decisions).toEqual(['granted', 'denied']);
    expect(problems).toEqual([]);
  });

  it('an unknown service, or a CMP that never loads: unknown, one problem', async () => {
    page.UC_UI = { isInitialized: () => true, getServicesBaseInfo: () => [] };
    const missing = observe((onProblem) => fromUsercentrics({ service: 'nope', onProblem }));
    window.dispatchEvent(new Event('UC_UI_CMP_EVENT'));
    expect(missing.problems).toEqual([
      'consent source "usercentrics": no service "nope" in Usercentrics',
    ]);
    delete page.UC_UI;
    const silent = observe((onProblem) =>
      fromUsercentrics({ service: 'x', timeoutMs: 40, onProblem }),
    );
    await pause(100);
    expect(silent.decisions).toEqual([]);
    expect(silent.problems).toHaveLength(1);
  });
});

it('importing telemetry-kit/consent does no work: no global is read or written', async () => {
  vi.resetModules();
  const before = Object.keys(window).length;
  const module = await import('../../src/consent/index.js');
  expect(Object.keys(module).sort()).toEqual([
    'fromCookiebot',
    'fromGoogleConsentMode',
    'fromGpp',
    'fromOneTrust',
    'fromTcf',
    'fromUsercentrics',
  ]);
  expect(Object.keys(window).length).toBe(before);
});
