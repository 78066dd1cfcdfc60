// posthog-js, offline against the local receiver: no remote config or flags, no autocapture,
// no recordings or surveys; headless Chromium not filtered as a bot, and the client-side rate
// limit raised so that a burst is captured, not dropped. Everything else is posthog's default
// (persistence localStorage+cookie, batching, gzip compression). `?persistence=localStorage`
// runs the same set-up without the cookie, to show what the cookie costs.
import posthog from 'posthog-js';

let markReady;
const ready = new Promise((resolve) => {
  markReady = resolve;
});
window.bench = {
  name: 'posthog-js',
  ready,
  run(n) {
    for (let i = 0; i < n; i++)
      posthog.capture('feature.use', { feature: 'export', format: 'csv', rows: i });
  },
  pageView() {
    posthog.capture('$pageview');
  },
  componentMount(i) {
    posthog.capture('component.mount', {
      component: 'Button',
      library: '@acme/ui',
      version: '2.1.0',
      props: { variant: `v${i}`, size: 'md', disabled: false },
      count: 1,
    });
  },
};
posthog.init('phc_bench', {
  api_host: location.origin,
  advanced_disable_flags: true,
  advanced_disable_decide: true,
  advanced_disable_feature_flags: true,
  autocapture: false,
  capture_pageview: false,
  capture_pageleave: false,
  capture_performance: false,
  capture_exceptions: false,
  capture_dead_clicks: false,
  rageclick: false,
  disable_session_recording: true,
  disable_surveys: true,
  disable_product_tours: true,
  disable_conversations: true,
  disable_web_experiments: true,
  disable_external_dependency_loading: true,
  opt_out_useragent_filter: true,
  rate_limiting: { events_per_second: 1e9, events_burst_limit: 1e9 },
  ...(new URLSearchParams(location.search).get('persistence') === 'localStorage'
    ? { persistence: 'localStorage' }
    : {}),
  loaded: () => {
    window.bench.readyAt = performance.now();
    markReady();
  },
});
window.posthog = posthog;
