// @snowplow/browser-tracker with its defaults (POST, one event per request, localStorage
// out-queue), collecting to the local receiver.
import { newTracker, trackPageView, trackSelfDescribingEvent } from '@snowplow/browser-tracker';

newTracker('sp', location.origin, { appId: 'bench-app', platform: 'web' });
const schema = 'iglu:com.acme/feature_use/jsonschema/1-0-0';
window.bench = {
  name: '@snowplow/browser-tracker',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  run(n) {
    for (let i = 0; i < n; i++)
      trackSelfDescribingEvent({
        event: { schema, data: { feature: 'export', format: 'csv', rows: i } },
      });
  },
  pageView() {
    trackPageView();
  },
  componentMount(i) {
    trackSelfDescribingEvent({
      event: {
        schema: 'iglu:com.acme/component_mount/jsonschema/1-0-0',
        data: {
          component: 'Button',
          library: '@acme/ui',
          version: '2.1.0',
          props: { variant: `v${i}`, size: 'md', disabled: false },
          count: 1,
        },
      },
    });
  },
};
