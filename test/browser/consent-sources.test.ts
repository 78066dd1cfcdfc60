/**
 * The consent sources standalone in Chromium, against real implementations: the IAB's own
 * `@iabtcf/cmpapi` (TC strings encoded by `@iabtcf/core` with a minimal GVL fixture, and
 * `@iabtcf/stub`), IAB Tech Lab's `@iabgpp/cmpapi`, and the dataLayer protocol as Google's
 * gtag snippet writes it. OneTrust, Cookiebot and Usercentrics publish no package: their
 * sources are tested against fakes of their documented APIs in test/unit/consent-sources.test.ts.
 */
import { createHash } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SourceName, Watched } from './pages/consentSources.js';
import { setUpBrowserSuite } from './support/suite.js';
import { pause, waitFor } from './support/wire.js';

const suite = setUpBrowserSuite();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function openLab(context?: BrowserContext): Promise<Page> {
  const page = await (context ?? (await suite.newContext())).newPage();
  await page.goto(suite.server.pageUrl('consentSources'));
  await page.waitForFunction(() => window.lab !== undefined, undefined, { timeout: 10_000 });
  return page;
}

const watch = (page: Page, key: string, name: SourceName, options: Record<string, unknown> = {}) =>
  page.evaluate(([k, n, o]) => window.lab.watch(k, n, o), [key, name, options] as const);

const seen = async (page: Page, key: string): Promise<Watched> => {
  const value = await page.evaluate((k) => window.lab.seen(k), key);
  if (!value) throw new Error(`nothing watched as ${key}`);
  return value;
};

const decisionsOf = async (page: Page, key: string, count: number) => {
  await waitFor(
    `${count} decision(s) from ${key}`,
    async () => (await seen(page, key)).decisions.length >= count,
    5_000,
  );
  return seen(page, key);
};

const tcString = (
  page: Page,
  choice: { purposes: number[]; vendors: number[]; publisherPurposes: number[] },
) => page.evaluate((c) => window.lab.tcString(c), choice);

describe('fromTcf against the IAB CmpApi (@iabtcf/cmpapi) and real TC strings (@iabtcf/core)', () => {
  it('grants on a TC string with the purposes, switches to denied on one without, hashing each string', async () => {
    const page = await openLab();
    const withPurposes = await tcString(page, {
      purposes: [1, 8, 9, 10],
      vendors: [42],
      publisherPurposes: [1, 8, 9, 10],
    });
    const without = await tcString(page, { purposes: [1], vendors: [], publisherPurposes: [1] });
    await page.evaluate(() => window.lab.tcfCmp());
    await watch(page, 'publisher', 'fromTcf');
    await watch(page, 'vendor', 'fromTcf', { vendorId: 42 });
    await page.evaluate((tc) => window.lab.tcfUpdate(tc), withPurposes);
    expect((await decisionsOf(page, 'publisher', 1)).decisions).toEqual(['granted']);
    expect((await decisionsOf(page, 'vendor', 1)).evidence).toEqual([sha256(withPurposes)]);

    // The user changes their mind in the CMP's UI: cmpuishown first, then useractioncomplete.
    await page.evaluate((tc) => window.lab.tcfUpdate(tc, true), withPurposes);
    await page.evaluate((tc) => window.lab.tcfUpdate(tc, false), without);
    const publisher = await decisionsOf(page, 'publisher', 2);
    expect(publisher.decisions).toEqual(['granted', 'denied']);
    expect(publisher.evidence).toEqual([sha256(withPurposes), sha256(without)]);
    expect((await decisionsOf(page, 'vendor', 2)).decisions).toEqual(['granted', 'denied']);
    expect(publisher.problems).toEqual([]);
    console.log(`[browser] tcf: ${publisher.decisions.join(' → ')}; TC string ${withPurposes}`);
  });

  it('with the stub first and the CMP loading later: unknown while the UI shows, then the choice', async () => {
    const page = await openLab();
    await page.evaluate(() => window.lab.tcfStub());
    await watch(page, 'tcf', 'fromTcf');
    await pause(300);
    expect((await seen(page, 'tcf')).decisions).toEqual([]);
    const granted = await tcString(page, {
      purposes: [1, 8, 9, 10],
      vendors: [],
      publisherPurposes: [1, 8, 9, 10],
    });
    // A new visitor: the CMP loads, shows its UI, and the user accepts.
    await page.evaluate(() => {
      window.lab.tcfCmp();
      window.lab.tcfUpdate('', true);
    });
    await pause(200);
    expect((await seen(page, 'tcf')).decisions).toEqual([]);
    await page.evaluate((tc) => window.lab.tcfUpdate(tc, false), granted);
    expect((await decisionsOf(page, 'tcf', 1)).decisions).toEqual(['granted']);
  });

  it('a revoke (a TC string without the purposes) denies; gdprApplies false follows whenNotApplicable', async () => {
    const page = await openLab();
    await page.evaluate(() => window.lab.tcfCmp());
    await watch(page, 'tcf', 'fromTcf');
    await watch(page, 'outsideEu', 'fromTcf', { whenNotApplicable: 'granted' });
    const granted = await tcString(page, {
      purposes: [1, 8, 9, 10],
      vendors: [],
      publisherPurposes: [1, 8, 9, 10],
    });
    const revoked = await tcString(page, { purposes: [], vendors: [], publisherPurposes: [] });
    await page.evaluate((tc) => window.lab.tcfUpdate(tc), granted);
    await decisionsOf(page, 'tcf', 1);
    await page.evaluate((tc) => window.lab.tcfUpdate(tc), revoked);
    expect((await decisionsOf(page, 'tcf', 2)).decisions).toEqual(['granted', 'denied']);
    await page.evaluate(() => window.lab.tcfUpdate(null));
    const outside = await decisionsOf(page, 'outsideEu', 3);
    expect(outside.decisions).toEqual(['granted', 'denied', 'granted']);
    expect(outside.evidence[2]).toBeUndefined();
    // Default whenNotApplicable: unknown, announced as a change from denied.
    expect((await decisionsOf(page, 'tcf', 3)).decisions).toEqual(['granted', 'denied', 'unknown']);
  });

  it('the stub alone (the CMP never loads): stays unknown, one problem after the timeout', async () => {
    const page = await openLab();
    await page.evaluate(() => window.lab.tcfStub());
    await watch(page, 'tcf', 'fromTcf', { timeoutMs: 500 });
    await pause(1_000);
    const tcf = await seen(page, 'tcf');
    expect(tcf.decisions).toEqual([]);
    expect(tcf.problems).toEqual([
      'consent source "tcf": the CMP (__tcfapi) did not answer within 500 ms',
    ]);
  });

  it('unsubscribe removes its listener from the CMP, by the listenerId the CMP gave', async () => {
    const page = await openLab();
    await page.evaluate(() => {
      window.lab.tcfCmp();
      // A spy in front of the real CMP: which listener ids it handed out, and what it said to
      // each removeEventListener.
      const page = window as unknown as { __tcfapi: (...args: unknown[]) => void; log: unknown[] };
      const cmp = page.__tcfapi;
      page.log = [];
      page.__tcfapi = (command, version, callback, parameter) =>
        cmp(
          command,
          version,
          (data: { listenerId?: number } | boolean, success: boolean) => {
            if (command === 'addEventListener' && typeof data === 'object') {
              page.log.push(['listenerId', data.listenerId]);
            }
            if (command === 'removeEventListener') page.log.push(['removed', parameter, data]);
            (callback as (...args: unknown[]) => void)(data, success);
          },
          parameter,
        );
    });
    await watch(page, 'tcf', 'fromTcf');
    const granted = await tcString(page, {
      purposes: [],
      vendors: [],
      publisherPurposes: [1, 8, 9, 10],
    });
    await page.evaluate((tc) => window.lab.tcfUpdate(tc), granted);
    await decisionsOf(page, 'tcf', 1);
    await page.evaluate(() => window.lab.unwatch('tcf'));
    const log = await page.evaluate(() => (window as unknown as { log: unknown[][] }).log);
    const listenerId = log.find(([kind]) => kind === 'listenerId')?.[1];
    expect(typeof listenerId).toBe('number');
    expect(log.filter(([kind]) => kind === 'removed')).toEqual([['removed', listenerId, true]]);
    await page.evaluate(() => window.lab.tcfUpdate(''));
    await pause(200);
    expect((await seen(page, 'tcf')).decisions).toEqual(['granted']);
  });
});

const bits = (ids: number[]) => Array.from({ length: 24 }, (_, index) => ids.includes(index + 1));

describe('fromGpp against IAB Tech Lab GPP CmpApi (@iabgpp/cmpapi)', () => {
  it('tcfeuv2: the publisher purposes grant, then a change denies; evidence is the GPP string hash', async () => {
    const page = await openLab();
    await watch(page, 'gpp', 'fromGpp');
    await watch(page, 'vendor', 'fromGpp', { vendorId: 42 });
    const grantedString = await page.evaluate(
      ([p, v]) =>
        window.lab.gppShow(
          [2],
          [
            ['tcfeuv2', 'PurposeConsents', p],
            ['tcfeuv2', 'VendorConsents', v],
            ['tcfeuv2', 'PublisherConsents', p],
          ],
        ),
      [bits([1, 8, 9, 10]), [42]] as const,
    );
    const gpp = await decisionsOf(page, 'gpp', 1);
    expect(gpp.decisions).toEqual(['granted']);
    expect(gpp.evidence).toEqual([sha256(grantedString)]);
    expect((await decisionsOf(page, 'vendor', 1)).decisions).toEqual(['granted']);
    await page.evaluate(
      (p) => window.lab.gppShow([2], [['tcfeuv2', 'PublisherConsents', p]]),
      bits([1, 8]),
    );
    expect((await decisionsOf(page, 'gpp', 2)).decisions).toEqual(['granted', 'denied']);
    expect((await decisionsOf(page, 'vendor', 2)).decisions).toEqual(['granted', 'denied']);
    console.log(`[browser] gpp: GPP string ${grantedString}`);
  });

  it('usnat: no opt-out grants, an opt-out of sale denies', async () => {
    const page = await openLab();
    await watch(page, 'gpp', 'fromGpp');
    await page.evaluate(() =>
      window.lab.gppShow(
        [7],
        [
          ['usnat', 'SaleOptOutNotice', 1],
          ['usnat', 'SaleOptOut', 2],
          ['usnat', 'SharingOptOut', 2],
        ],
      ),
    );
    expect((await decisionsOf(page, 'gpp', 1)).decisions).toEqual(['granted']);
    await page.evaluate(() =>
      window.lab.gppShow(
        [7],
        [
          ['usnat', 'SaleOptOutNotice', 1],
          ['usnat', 'SaleOptOut', 1],
        ],
      ),
    );
    const gpp = await decisionsOf(page, 'gpp', 2);
    expect(gpp.decisions).toEqual(['granted', 'denied']);
    expect(gpp.problems).toEqual([]);
  });

  it('no __gpp on the page: stays unknown, one problem after the timeout', async () => {
    const page = await openLab();
    await watch(page, 'gpp', 'fromGpp', { timeoutMs: 300 });
    await pause(700);
    const gpp = await seen(page, 'gpp');
    expect(gpp.decisions).toEqual([]);
    expect(gpp.problems).toEqual([
      'consent source "gpp": the CMP (__gpp) did not answer within 300 ms',
    ]);
  });
});

describe("fromGoogleConsentMode against gtag's dataLayer protocol", () => {
  it('default denied, then update granted, then a revoke; the data layer is never written', async () => {
    const page = await openLab();
    await page.evaluate(() => {
      window.lab.gtag('consent', 'default', { analytics_storage: 'denied', ad_storage: 'denied' });
      window.lab.gtag('js', new Date());
      window.lab.gtag('config', 'G-XXXXXXX');
    });
    await watch(page, 'gcm', 'fromGoogleConsentMode');
    expect((await decisionsOf(page, 'gcm', 1)).decisions).toEqual(['denied']);
    await page.evaluate(() =>
      window.lab.gtag('consent', 'update', { analytics_storage: 'granted' }),
    );
    expect((await decisionsOf(page, 'gcm', 2)).decisions).toEqual(['denied', 'granted']);
    await page.evaluate(() =>
      window.lab.gtag('consent', 'update', { analytics_storage: 'denied' }),
    );
    const gcm = await decisionsOf(page, 'gcm', 3);
    expect(gcm.decisions).toEqual(['denied', 'granted', 'denied']);
    expect(gcm.problems).toEqual([]);
    const entries = await page.evaluate(
      () => (window as unknown as { dataLayer: unknown[] }).dataLayer.length,
    );
    expect(entries).toBe(5);
  });
});

describe('the client with consent: { source: fromTcf() } and the real IAB CmpApi', () => {
  it('sends and stores nothing until the CMP answers; its grant delivers, its revoke deletes', async () => {
    const page = await openLab();
    const granted = await tcString(page, {
      purposes: [1, 8, 9, 10],
      vendors: [],
      publisherPurposes: [1, 8, 9, 10],
    });
    const revoked = await tcString(page, { purposes: [1], vendors: [], publisherPurposes: [1] });
    await page.evaluate(() => window.lab.tcfStub());
    await page.evaluate(() => {
      window.lab.startClient();
      window.tk.track('before.answer');
    });
    await pause(700);
    const before = await page.evaluate(async () => ({
      consent: window.tk.consent.get(),
      source: window.tk.consent.source(),
      databases: (await indexedDB.databases()).map((info) => info.name),
      keys: Object.keys(localStorage),
    }));
    expect(before).toEqual({ consent: 'unknown', source: 'tcf', databases: [], keys: [] });
    expect(suite.server.requests).toEqual([]);

    await page.evaluate(() => window.lab.tcfCmp());
    await page.evaluate((tc) => window.lab.tcfUpdate(tc), granted);
    await waitFor('the grant', () => page.evaluate(() => window.tk.consent.get() === 'granted'));
    await page.evaluate(() => window.tk.flush());
    await waitFor('the event to arrive', () =>
      suite.server.requests.some((request) =>
        request.batch?.events.some((event) => event.event_type === 'before.answer'),
      ),
    );
    const receipt = await page.evaluate(() => window.tk.consent.receipt());
    expect(receipt).toMatchObject({
      state: 'granted',
      source: 'tcf',
      evidence_sha256: sha256(granted),
    });
    expect(JSON.stringify(receipt)).not.toContain(granted);

    await page.evaluate((tc) => window.lab.tcfUpdate(tc), revoked);
    await waitFor('the revoke', () => page.evaluate(() => window.tk.consent.get() === 'denied'));
    await waitFor(
      'the queue database to be deleted',
      async () => (await page.evaluate(async () => (await indexedDB.databases()).length)) === 0,
    );
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual(['telemetry-kit:consent']);
  });
});
