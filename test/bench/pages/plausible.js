// plausible-tracker, sending to the local receiver (trackLocalhost: it ignores 127.0.0.1 otherwise).
import Plausible from 'plausible-tracker';

const { trackEvent, trackPageview } = Plausible({
  domain: 'bench.example',
  apiHost: location.origin,
  trackLocalhost: true,
});
window.bench = {
  name: 'plausible-tracker',
  readyAt: performance.now(),
  ready: Promise.resolve(),
  run(n) {
    for (let i = 0; i < n; i++)
      trackEvent('feature.use', { props: { feature: 'export', format: 'csv', rows: i } });
  },
  pageView() {
    trackPageview();
  },
  componentMount(i) {
    // Plausible props are flat: nested props are not supported.
    trackEvent('component.mount', {
      props: {
        component: 'Button',
        library: '@acme/ui',
        version: '2.1.0',
        variant: `v${i}`,
        size: 'md',
        disabled: false,
        count: 1,
      },
    });
  },
};
