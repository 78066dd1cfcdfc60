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
window.bench = {
  name: 'telemetry-kit',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  // `?call=flow`: the same events started as flows (issue 15's bench row): `flow()` records a
  // `flow.start` with the same metadata, plus its name and correlation_id.
  run: new URLSearchParams(location.search).has('call')
    ? (n) => {
        for (let i = 0; i < n; i++) client.flow('export', { format: 'csv', rows: i });
      }
    : (n) => {
        for (let i = 0; i < n; i++)
          client.track('feature.use', { feature: 'export', format: 'csv', rows: i });
      },
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
