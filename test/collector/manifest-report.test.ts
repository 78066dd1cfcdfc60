import type { TelemetryEvent } from 'telemetry-kit';
import type { EventStore } from 'telemetry-kit-collector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifestReport } from '../../collector/manifest-report.js';
import { checkManifest } from '../../collector/manifest-schema.js';
import { saveManifest } from '../../collector/manifest-store.js';
import { makeEvent } from './fixtures.js';
import { STORE_ENGINES } from './store-engines.js';

const DAY = 86_400_000;
const TO = new Date('2025-03-10T00:00:00.000Z');
const FROM = new Date(TO.getTime() - 7 * DAY);
const IN_RANGE = new Date(TO.getTime() - DAY).toISOString();
const BEFORE_RANGE = new Date(FROM.getTime() - DAY).toISOString();

const MANIFEST = {
  library: '@acme/ui',
  version: '2.1.0',
  components: [
    {
      name: 'Button',
      props: {
        variant: ['primary', 'ghost', 'danger'],
        size: ['sm', 'md', 'lg'],
        disabled: [true, false],
      },
    },
    { name: 'OldTabs', deprecated: 'Use Tabs instead.' },
    { name: 'Tabs', props: { orientation: ['horizontal', 'vertical'] } },
    { name: 'Legacy', deprecated: true },
    { name: 'Tooltip' },
  ],
};

/** Mounts of one component by one install of one app. */
function mount(
  service: string,
  anonymousId: string,
  component: string,
  metadata: { props?: TelemetryEvent['metadata'][string]; count: number; library?: string },
  extra: Partial<TelemetryEvent> = {},
) {
  const event = makeEvent({
    event_type: 'component.mount',
    anonymous_id: anonymousId,
    timestamp: IN_RANGE,
    metadata: { component, library: '@acme/ui', version: '2.0.0', props: {}, ...metadata },
    ...extra,
  });
  return { service, event };
}

/**
 * Two apps. bob's mounts and one of alice's were kept at 50 % and 25 %, so they stand for two
 * and four. Outside the counts: another library's Button, a mount before the range, a component
 * the manifest does not list, a page view, and a value (`size: 'xl'`) it does not list.
 */
const MOUNTS = [
  mount('shop', 'anon_alice_00000001', 'Button', {
    props: { variant: 'primary', size: 'md', disabled: false },
    count: 3,
  }),
  mount(
    'shop',
    'anon_bob_000000000002',
    'Button',
    { props: { variant: 'ghost', size: 'md' }, count: 2 },
    { sampling_rate: 0.5 },
  ),
  mount('admin', 'anon_carol_00000003', 'Button', {
    props: { variant: 'primary', size: 'xl' },
    count: 1,
  }),
  mount('admin', 'anon_carol_00000003', 'OldTabs', { count: 2 }),
  mount('shop', 'anon_alice_00000001', 'OldTabs', { count: 1 }, { sampling_rate: 0.25 }),
  mount('admin', 'anon_carol_00000003', 'Tabs', { props: { orientation: 'horizontal' }, count: 1 }),
  // A `props` that is not an object, as another client might send: counted, with no values.
  mount('admin', 'anon_carol_00000003', 'Tabs', { props: ['horizontal'], count: 1 }),
  mount('shop', 'anon_alice_00000001', 'Button', { count: 100, library: 'other-lib' }),
  mount('shop', 'anon_alice_00000001', 'Button', { count: 50 }, { timestamp: BEFORE_RANGE }),
  mount('shop', 'anon_dave_000000004', 'Card', { count: 5 }),
  { service: 'shop', event: makeEvent({ timestamp: IN_RANGE }) },
];

for (const engine of STORE_ENGINES) {
  describe.skipIf(!engine.enabled)(`readManifestReport on ${engine.name}`, () => {
    let store: EventStore;
    let drop: () => Promise<void>;

    beforeAll(async () => {
      ({ store, drop } = await engine.open());
      for (const service of ['shop', 'admin']) {
        const events = MOUNTS.filter((entry) => entry.service === service).map((e) => e.event);
        const origin = {
          service_name: service,
          service_version: '1.0.0',
          consent_policy_version: 1,
        };
        await store.insertBatch(origin, events, {});
      }
      const checked = checkManifest(MANIFEST);
      if (!checked.ok) throw new Error(checked.reason);
      await saveManifest(store.database, checked.manifest, TO);
    }, 60_000);
    afterAll(async () => {
      await drop?.();
    });

    it('is null for a library with no stored manifest', async () => {
      expect(
        await readManifestReport(store.database, { library: 'nobody', from: FROM, to: TO }),
      ).toBeNull();
    });

    it('counts every app: never mounted, deprecated in use, and each listed value', async () => {
      const report = await readManifestReport(store.database, {
        library: '@acme/ui',
        from: FROM,
        to: TO,
      });
      expect(report).toEqual({
        library: '@acme/ui',
        version: '2.1.0',
        never_mounted: ['Legacy', 'Tooltip'],
        deprecated_in_use: [
          {
            component: 'OldTabs',
            deprecated: 'Use Tabs instead.',
            mounts: 6,
            installs: 2,
            services: ['admin', 'shop'],
          },
        ],
        prop_coverage: [
          {
            component: 'Button',
            prop: 'disabled',
            values: [
              { value: true, mounts: 0 },
              { value: false, mounts: 3 },
            ],
            unused: [true],
          },
          {
            component: 'Button',
            prop: 'size',
            values: [
              { value: 'sm', mounts: 0 },
              { value: 'md', mounts: 7 },
              { value: 'lg', mounts: 0 },
            ],
            unused: ['sm', 'lg'],
          },
          {
            component: 'Button',
            prop: 'variant',
            values: [
              { value: 'primary', mounts: 4 },
              { value: 'ghost', mounts: 4 },
              { value: 'danger', mounts: 0 },
            ],
            unused: ['danger'],
          },
          {
            component: 'Tabs',
            prop: 'orientation',
            values: [
              { value: 'horizontal', mounts: 1 },
              { value: 'vertical', mounts: 0 },
            ],
            unused: ['vertical'],
          },
        ],
      });
    });

    it('counts one app only when asked for its service', async () => {
      const report = await readManifestReport(store.database, {
        library: '@acme/ui',
        from: FROM,
        to: TO,
        service: 'shop',
      });
      expect(report?.never_mounted).toEqual(['Tabs', 'Legacy', 'Tooltip']);
      expect(report?.deprecated_in_use).toEqual([
        {
          component: 'OldTabs',
          deprecated: 'Use Tabs instead.',
          mounts: 4,
          installs: 1,
          services: ['shop'],
        },
      ]);
      const variant = report?.prop_coverage.find((row) => row.prop === 'variant');
      expect(variant?.values).toEqual([
        { value: 'primary', mounts: 3 },
        { value: 'ghost', mounts: 4 },
        { value: 'danger', mounts: 0 },
      ]);
    });

    it('reports everything as unused in a range with no mounts', async () => {
      const report = await readManifestReport(store.database, {
        library: '@acme/ui',
        from: new Date(TO.getTime() + DAY),
        to: new Date(TO.getTime() + 2 * DAY),
      });
      expect(report?.never_mounted).toEqual(['Button', 'OldTabs', 'Tabs', 'Legacy', 'Tooltip']);
      expect(report?.deprecated_in_use).toEqual([]);
      expect(report?.prop_coverage.map((row) => row.unused)).toEqual([
        [true, false],
        ['sm', 'md', 'lg'],
        ['primary', 'ghost', 'danger'],
        ['horizontal', 'vertical'],
      ]);
    });
  });
}
