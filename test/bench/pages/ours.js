// telemetry-kit, as an app would set it up: IndexedDB storage (the default), consent granted.
import { createTelemetry } from 'telemetry-kit';

const client = createTelemetry({
  serviceName: 'bench-app',
  serviceVersion: '1.0.0',
  endpoint: `${location.origin}/v1/events`,
  // `?destination=1`: a component library's maintainers added as a destination (issue 17's
  // bench row). It receives component.mount of @acme/ui; the track() calls measured go to the
  // app's collector alone.
  destinations: new URLSearchParams(location.search).has('destination')
    ? [
        {
          name: 'acme-ui maintainers',
          endpoint: `${location.origin}/v1/library/events`,
          libraries: ['@acme/ui'],
        },
      ]
    : [],
});
client.consent.grant();
window.telemetry = client;
/** Ids of the flows `?call=track-flow` starts, unique across rounds as `flow()`'s are. */
let flowSeq = 0;
window.bench = {
  name: 'telemetry-kit',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  // Issue 15's bench row: `?call=flow` starts each event as a flow (`flow()` records a
  // `flow.start`); `?call=track-flow` records the same event with `track()`, by hand.
  run:
    {
      flow: (n) => {
        for (let i = 0; i < n; i++) client.flow('export', { format: 'csv', rows: i });
      },
      'track-flow': (n) => {
        for (let i = 0; i < n; i++)
          client.track('flow.start', {
            format: 'csv',
            rows: i,
            flow: 'export',
            correlation_id: `c${(flowSeq++).toString(36)}`,
          });
      },
    }[new URLSearchParams(location.search).get('call')] ??
    ((n) => {
      for (let i = 0; i < n; i++)
        client.track('feature.use', { feature: 'export', format: 'csv', rows: i });
    }),
  pageView() {
    client.page();
  },
  componentMount(i) {
    client.componentMounted(
      'Button',
      { variant: `v${i}`, size: 'md', disabled: false },
      { library: '@acme/ui', version: '2.1.0' },
    );
  },
  flush: () => client.flush(),
};
