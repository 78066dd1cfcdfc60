import type { TelemetryEvent } from 'telemetry-kit';
import { makeEvent, newId } from './fixtures.js';

/** Three installs: alice (returning after two weeks), bob (sampled at 50 %) and carol. */
export const ALICE = 'anon_alice_000000001';
export const BOB = 'anon_bob_00000000002';
export const CAROL = 'anon_carol_000000003';

/** A hostile string that must come out of the dashboard as text, never as markup. */
export const XSS = '<script>alert("pwned")</script><img src=x onerror=alert(1)>';

/**
 * A small, known set of events and the figures they must produce. Bob's page view and Alice's
 * Modal were kept at a 50 % sampling rate, so each stands for two.
 */
export function exampleEvents(now: number): TelemetryEvent[] {
  const at = (msAgo: number) => new Date(now - msAgo).toISOString();
  const hour = 3_600_000;
  const ev = (
    anonymous_id: string,
    session_id: string,
    event_type: string,
    metadata: TelemetryEvent['metadata'],
    extra: Partial<TelemetryEvent> = {},
  ) =>
    makeEvent({
      id: newId('ex'),
      anonymous_id,
      session_id,
      event_type,
      metadata,
      timestamp: at(hour),
      ...extra,
    });
  return [
    ev(
      ALICE,
      'sess_alice_old_00001',
      'page.view',
      { path: '/home' },
      { timestamp: at(14 * 24 * hour) },
    ),
    ev(ALICE, 'sess_alice_now_00001', 'page.view', { path: '/home' }),
    ev(ALICE, 'sess_alice_now_00001', 'page.view', { path: '/docs' }),
    ev(BOB, 'sess_bob_00000000001', 'page.view', { path: '/home' }, { sampling_rate: 0.5 }),
    ev(CAROL, 'sess_carol_000000001', 'page.view', { path: XSS }),
    ev(ALICE, 'sess_alice_now_00001', 'component.mount', {
      component: 'Button',
      library: 'ui-kit',
      version: '2.0.0',
      props: { variant: 'primary' },
      count: 3,
    }),
    ev(BOB, 'sess_bob_00000000001', 'component.mount', {
      component: 'Button',
      library: 'ui-kit',
      version: '2.0.0',
      props: { variant: 'ghost' },
      count: 1,
    }),
    ev(
      ALICE,
      'sess_alice_now_00001',
      'component.mount',
      {
        component: 'Modal',
        library: 'ui-kit',
        version: '2.0.0',
        props: {},
        count: 2,
      },
      { sampling_rate: 0.5 },
    ),
    ev(ALICE, 'sess_alice_now_00001', 'feature.toggle', { feature: 'dark-mode', enabled: true }),
    ev(BOB, 'sess_bob_00000000001', 'feature.toggle', { feature: 'dark-mode', enabled: false }),
    ev(ALICE, 'sess_alice_now_00001', 'feature.use', { feature: 'export', format: 'csv' }),
    ev(ALICE, 'sess_alice_now_00001', 'feature.use', { feature: 'export', format: 'pdf' }),
    ev(ALICE, 'sess_alice_now_00001', 'session.start', {}),
    ev(ALICE, 'sess_alice_now_00001', 'session.end', { duration_ms: 60_000 }),
    ev(BOB, 'sess_bob_00000000001', 'session.end', { duration_ms: 120_000 }),
    ev(CAROL, 'sess_carol_000000001', 'session.end', { duration_ms: 30_000 }),
    ev(ALICE, 'sess_alice_now_00001', 'error', {
      error_class: 'TypeError',
      message: 'x is undefined',
      error_hash: 'hash_type_error',
      source: 'window',
    }),
    ev(BOB, 'sess_bob_00000000001', 'error', {
      error_class: 'TypeError',
      message: 'x is undefined',
      error_hash: 'hash_type_error',
      source: 'window',
    }),
    ev(CAROL, 'sess_carol_000000001', 'error', {
      error_class: 'RangeError',
      message: XSS,
      error_hash: 'hash_range_error',
      source: 'boundary',
    }),
    ...[1000, 2000, 3000, 4000].map((value) =>
      ev(ALICE, 'sess_alice_now_00001', 'web_vital', {
        name: 'LCP',
        value,
        rating: 'good',
        path: '/home',
      }),
    ),
    ev(BOB, 'sess_bob_00000000001', 'web_vital', {
      name: 'CLS',
      value: 0.05,
      rating: 'good',
      path: '/home',
    }),
    ev(CAROL, 'sess_carol_000000001', 'web_vital', {
      name: 'INP',
      value: 600,
      rating: 'poor',
      path: '/docs',
    }),
  ];
}

/** What the dashboard and `GET /v1/stats` must show for `exampleEvents`. */
export const EXPECTED = {
  installs: 3,
  sessions: 4,
  sessionsEnded: 3,
  medianSessionMs: 60_000,
  pageViews: 6, // alice 3 + bob 1 at 50 % (= 2) + carol 1
  errors: 3,
  button: { mounts: 4, installs: 2, topVariant: { variant: 'primary' }, topVariantMounts: 3 },
  modal: { mounts: 4, installs: 1 },
  darkMode: { toggled_on: 1, toggled_off: 1, uses: 0, installs: 2 },
  export: { toggled_on: 0, toggled_off: 0, uses: 2, installs: 1 },
  homeViews: 4,
  lcpHomeP75: 3250, // percentile_cont(0.75) of 1000..4000
  deviceDrops: { overflow: 3, quota: 1 },
} as const;
