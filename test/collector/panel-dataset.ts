import type { TelemetryEvent } from 'telemetry-kit';
import type { BatchOrigin } from 'telemetry-kit-collector';
import { makeEvent } from './fixtures.js';

/** The services and libraries of `panelBatches`. */
export const PANEL_SERVICES = ['shop-web', 'admin-console'] as const;
export const PANEL_LIBRARIES = ['ui-kit', 'charts'] as const;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const OUTCOMES = ['success', 'failure', 'cancelled', 'abandoned'];

/** The metadata of event `i`: every event type a panel reads, cycling through their values. */
function eventOf(i: number): Pick<TelemetryEvent, 'event_type' | 'metadata'> {
  // The type cycles with i; its values with j, so every value meets every type.
  const j = Math.floor(i / 10);
  switch (i % 10) {
    case 0:
    case 1:
      return { event_type: 'page.view', metadata: { path: `/p${j % 4}` } };
    case 2:
      return {
        event_type: 'component.mount',
        metadata: {
          component: `C${j % 3}`,
          ...(j % 7 === 0 ? {} : { library: PANEL_LIBRARIES[j % 2] }),
          version: `1.${j % 3}.0`,
          props: { variant: ['a', 'b', 'c', 'd'][j % 4] ?? 'a' },
          count: 1 + (j % 3),
        },
      };
    case 3:
      return {
        event_type: 'feature.toggle',
        metadata: { feature: `f${j % 3}`, enabled: j % 4 === 3 },
      };
    case 4:
      return { event_type: 'feature.use', metadata: { feature: `f${j % 4}` } };
    case 5:
      return {
        event_type: 'error',
        metadata: {
          error_hash: `h${j % 3}`,
          error_class: 'TypeError',
          message: `m${j}`,
          source: `s${j % 2}`,
        },
      };
    case 6: {
      const name = ['LCP', 'INP', 'CLS'][j % 3] ?? 'LCP';
      const value =
        name === 'LCP'
          ? 1000 + ((j * 37) % 3000)
          : name === 'INP'
            ? (j * 13) % 500
            : ((j * 7) % 30) / 100;
      return {
        event_type: 'web_vital',
        metadata: { name, value, ...(j % 4 === 0 ? {} : { path: `/p${j % 2}` }) },
      };
    }
    case 7:
      return { event_type: 'session.end', metadata: { duration_ms: (j * 997) % 600_000 } };
    case 8:
      return { event_type: 'flow.start', metadata: { flow: j % 3 === 0 ? 'signup' : 'checkout' } };
    default:
      return {
        event_type: 'flow.end',
        metadata: {
          flow: j % 3 === 0 ? 'signup' : 'checkout',
          outcome: OUTCOMES[j % 4] ?? 'success',
          duration_ms: (j * 113) % 9000,
        },
      };
  }
}

/**
 * `count` events of every type the panels read, over 20 days before `now`, nine installs,
 * two services (a batch per service), two libraries, and a 50 % sampling rate on every sixth.
 * Times are distinct, so "the latest error" is one event.
 */
export function panelBatches(
  now: number,
  count = 400,
): { origin: BatchOrigin; events: TelemetryEvent[] }[] {
  const batches = PANEL_SERVICES.map((service_name) => ({
    origin: { service_name, service_version: '2.0.0', consent_policy_version: 1 },
    events: [] as TelemetryEvent[],
  }));
  for (let i = 0; i < count; i += 1) {
    const install = i % 9;
    const daysAgo = (i * 7) % 20;
    batches[i % 3 === 0 ? 1 : 0]?.events.push(
      makeEvent({
        id: `ev_panel_${String(i).padStart(6, '0')}`,
        anonymous_id: `anon_panel_${String(install).padStart(8, '0')}`,
        session_id: `sess_panel_${install}_${String(daysAgo).padStart(4, '0')}`,
        timestamp: new Date(now - daysAgo * DAY - (i % 23) * HOUR - i * 1000).toISOString(),
        ...(i % 6 === 0 ? { sampling_rate: 0.5 } : {}),
        ...eventOf(i),
      }),
    );
  }
  // Values of zero, where a percentile is exactly 0: a flow that ends at once, a page that
  // never shifts.
  const zeros: Pick<TelemetryEvent, 'event_type' | 'metadata'>[] = [
    { event_type: 'flow.start', metadata: { flow: 'instant' } },
    { event_type: 'flow.end', metadata: { flow: 'instant', outcome: 'success', duration_ms: 0 } },
    { event_type: 'web_vital', metadata: { name: 'CLS', value: 0, path: '/still' } },
    { event_type: 'web_vital', metadata: { name: 'CLS', value: 0, path: '/still' } },
  ];
  zeros.forEach((event, index) => {
    batches[0]?.events.push(
      makeEvent({
        id: `ev_panel_zero_${String(index).padStart(6, '0')}`,
        anonymous_id: 'anon_panel_00000000',
        session_id: 'sess_panel_zero_0001',
        timestamp: new Date(now - 2 * HOUR - index * 1000).toISOString(),
        ...event,
      }),
    );
  });
  return batches;
}
