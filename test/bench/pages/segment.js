// @segment/analytics-next, offline: CDN settings given inline (no settings fetch), the
// Segment.io destination pointed at the local receiver, remote metrics off. Delivery is
// Segment's default (one request per event, localStorage-backed retry queue).
import { AnalyticsBrowser } from '@segment/analytics-next';

const writeKey = 'bench-write-key';
const analytics = AnalyticsBrowser.load(
  {
    writeKey,
    cdnURL: location.origin,
    cdnSettings: {
      integrations: {
        'Segment.io': { apiKey: writeKey, apiHost: `${location.host}/v1`, protocol: 'http' },
      },
      metrics: { sampleRate: 0 },
      plan: {},
    },
  },
  { initialPageview: false },
);
window.analytics = analytics;
window.bench = {
  name: '@segment/analytics-next',
  ready: analytics.then(() => {
    window.bench.readyAt = performance.now();
  }),
  run(n) {
    for (let i = 0; i < n; i++)
      analytics.track('feature.use', { feature: 'export', format: 'csv', rows: i });
  },
  pageView() {
    analytics.page();
  },
  componentMount(i) {
    analytics.track('component.mount', {
      component: 'Button',
      library: '@acme/ui',
      version: '2.1.0',
      props: { variant: `v${i}`, size: 'md', disabled: false },
      count: 1,
    });
  },
};
