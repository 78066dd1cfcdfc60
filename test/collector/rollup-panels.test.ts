import type { CollectorStats, EventStore } from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkManifest } from '../../collector/manifest-schema.js';
import { saveManifest } from '../../collector/manifest-store.js';
import { exampleEvents } from './example-dataset.js';
import { emptyStore } from './fixtures.js';
import { PANEL_LIBRARIES, PANEL_SERVICES, panelBatches } from './panel-dataset.js';
import { STORE_ENGINES } from './store-engines.js';

/**
 * Every panel of `/v1/stats` gives the same answer from the rollups (a range of whole days) as
 * from the raw events (the same range a millisecond short), under every filter the dashboard
 * offers: exactly, but for percentiles, which come from histograms within 2 %.
 */
const DAY = 86_400_000;
const ORIGIN = { service_name: 'demo-app', service_version: '1.2.0', consent_policy_version: 1 };
/** Histogram percentiles are within √1.04 − 1 (1.98 %) of the exact ones (collector/rollups/histogram.ts). */
const BUCKET_ERROR = 0.02;

/** A manifest of `ui-kit`, so `manifest` (its report against the mounts) is compared too. */
const MANIFEST = checkManifest({
  library: 'ui-kit',
  version: '1.2.0',
  components: [
    { name: 'C0', deprecated: 'Use C1.' },
    { name: 'C1', props: { variant: ['a', 'b', 'z'] } },
    { name: 'C2', props: { variant: ['c', 'd'] } },
    { name: 'NeverMounted' },
  ],
});

/** The panels with their percentiles and ratings set aside, for an exact comparison. */
function exactPart(stats: CollectorStats) {
  const { range: _range, ...panels } = stats;
  return {
    ...panels,
    sessions: { ...panels.sessions, median_duration_ms: null },
    web_vitals: panels.web_vitals.map(({ p75: _p75, rating: _rating, ...vital }) => vital),
    flows: panels.flows.map(({ p50_ms: _p50, p95_ms: _p95, ...flow }) => flow),
  };
}

/** The percentiles, in the order of their panels. */
function percentiles(stats: CollectorStats): (number | null)[] {
  return [
    stats.sessions.median_duration_ms,
    ...stats.web_vitals.map((vital) => vital.p75),
    ...stats.flows.flatMap((flow) => [flow.p50_ms, flow.p95_ms]),
  ];
}

function expectClose(rolled: (number | null)[], raw: (number | null)[], label: string) {
  expect(rolled.length, label).toBe(raw.length);
  raw.forEach((exact, index) => {
    const value = rolled[index];
    if (exact === null || exact === 0) expect(value, label).toBe(exact);
    else
      expect(Math.abs((value ?? Number.NaN) - exact) / Math.abs(exact), label).toBeLessThan(
        BUCKET_ERROR,
      );
  });
}

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`rollup panels on ${engine.name}`, () => {
    let store: EventStore;
    let drop: () => Promise<void>;
    const now = Date.now();
    const from = new Date(Math.floor(now / DAY) * DAY - 29 * DAY);
    const to = new Date(Math.floor(now / DAY) * DAY + DAY);

    beforeAll(async () => {
      ({ store, drop } = await engine.open());
      await emptyStore(store);
      for (const { origin, events } of panelBatches(now)) {
        // In batches of 50, as clients send them, so the rollups are summed over many upserts.
        for (let start = 0; start < events.length; start += 50) {
          await store.insertBatch(origin, events.slice(start, start + 50), {});
        }
      }
      await store.insertBatch(ORIGIN, exampleEvents(now), {});
      if (!MANIFEST.ok) throw new Error(MANIFEST.reason);
      await saveManifest(store.database, MANIFEST.manifest, new Date(now));
    }, 60_000);
    afterAll(async () => {
      await drop?.();
    });

    const services = [undefined, ...PANEL_SERVICES, 'demo-app', 'no-such-app'];
    const libraries = [undefined, ...PANEL_LIBRARIES, 'no-such-library'];
    it.each(services.flatMap((service) => libraries.map((library) => ({ service, library }))))(
      'service $service, library $library: the rollups answer as the raw events do',
      async ({ service, library }) => {
        const rolled = await store.stats({ from, to, service, library });
        const raw = await store.stats({ from, to: new Date(to.getTime() - 1), service, library });
        expect(exactPart(rolled)).toEqual(exactPart(raw));
        expectClose(percentiles(rolled), percentiles(raw), `${service} ${library}`);
      },
    );

    it('has data in every panel, so the comparison above compares something', async () => {
      const stats = await store.stats({ from, to });
      for (const panel of [
        'components',
        'component_services',
        'library_versions',
        'features',
        'pages',
        'daily_active',
        'cohorts',
        'errors',
        'web_vitals',
        'flows',
      ] as const) {
        expect(stats[panel].length, panel).toBeGreaterThan(1);
      }
      expect(stats.sessions.ended).toBeGreaterThan(0);
      expect(stats.sessions.median_duration_ms).toBeGreaterThan(0);
      expect(stats.seen.libraries).toEqual([...PANEL_LIBRARIES].sort());
      expect(stats.components.some((row) => row.top_variants.length > 1)).toBe(true);
      expect(stats.flows.every((flow) => flow.p95_ms !== null)).toBe(true);
      expect(stats.manifest?.deprecated_in_use.map((row) => row.component)).toEqual(['C0']);
      expect(stats.manifest?.never_mounted).toEqual(['NeverMounted']);
      expect(stats.manifest?.prop_coverage.some((prop) => prop.unused.length > 0)).toBe(true);
    });
  });
}
