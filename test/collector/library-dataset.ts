import type { TelemetryEvent } from 'telemetry-kit';
import type { BatchOrigin } from 'telemetry-kit-collector';
import { makeEvent, newId } from './fixtures.js';

/**
 * Two apps sending to one collector, using two component libraries over three ISO weeks: the
 * library author's view. Mounts kept at a sampling rate stand for 1 / rate mounts.
 *
 * | week (Mon)  | shop-web                                  | admin-console                       |
 * |-------------|-------------------------------------------|-------------------------------------|
 * | 2026-11-02  | s1 Button@1.0.0 ×2, s2 Button@1.0.0 ×1    | a1 Table@1.0.0 ×1                   |
 * | 2026-11-09  | s1 Button@1.1.0 ×3, s2 Button@1.0.0 ×1,   | a1 Button@1.0.0 ×1 at 50 %,         |
 * |             | s2 Table@1.1.0 ×1                         | a2 LineChart@3.2.0 ×1 at 25 %       |
 * | 2026-11-16  | s1 Button@1.1.0 ×1, s2 Button@1.1.0 ×2,   | a1 Table@1.1.0 ×2 at 50 %,          |
 * |             | s3 LineChart@3.2.0 ×1; s1 views /cart,    | a2 LineChart@4.0.0 ×1; a2 views     |
 * |             | s3 views /home at 50 %                    | /reports and has an error           |
 *
 * Button and Table are `@acme/ui`'s, LineChart is `@other/charts`'. Devices lost 2 events
 * (overflow) in shop-web and 1 (quota) in admin-console.
 */
export const SHOP = 'shop-web';
export const ADMIN = 'admin-console';
export const ACME = '@acme/ui';
export const CHARTS = '@other/charts';
export const WEEKS = ['2026-11-02', '2026-11-09', '2026-11-16'] as const;
/** The collector's clock for these events, and the range that holds them all. */
export const LIBRARY_NOW = Date.parse('2026-11-20T12:00:00Z');
export const LIBRARY_RANGE = {
  from: new Date('2026-11-01T00:00:00Z'),
  to: new Date('2026-11-21T00:00:00Z'),
};

type Week = 0 | 1 | 2;
const LIBRARY_OF = { Button: ACME, Table: ACME, LineChart: CHARTS } as const;

/** Tuesday 10:00 UTC of week `week`. */
const tuesday = (week: Week) =>
  new Date(Date.parse(`${WEEKS[week]}T10:00:00Z`) + 86_400_000).toISOString();

const install = (name: string) => `anon_${name}`.padEnd(21, '0');

function event(
  who: string,
  week: Week,
  event_type: string,
  metadata: TelemetryEvent['metadata'],
  sampling_rate?: number,
): TelemetryEvent {
  return makeEvent({
    id: newId('lib'),
    event_type,
    timestamp: tuesday(week),
    anonymous_id: install(who),
    session_id: `sess_${who}_week${week}`.padEnd(21, '0'),
    metadata,
    ...(sampling_rate === undefined ? {} : { sampling_rate }),
  });
}

function mount(
  who: string,
  week: Week,
  component: keyof typeof LIBRARY_OF,
  version: string,
  count: number,
  sampling_rate?: number,
): TelemetryEvent {
  const metadata = { component, library: LIBRARY_OF[component], version, props: {}, count };
  return event(who, week, 'component.mount', metadata, sampling_rate);
}

/** The two apps' batches: what each sent, and what its devices reported lost. */
export function libraryBatches(): {
  origin: BatchOrigin;
  events: TelemetryEvent[];
  dropped: Record<string, number>;
}[] {
  const shop = [
    mount('s1', 0, 'Button', '1.0.0', 2),
    mount('s2', 0, 'Button', '1.0.0', 1),
    mount('s1', 1, 'Button', '1.1.0', 3),
    mount('s2', 1, 'Button', '1.0.0', 1),
    mount('s2', 1, 'Table', '1.1.0', 1),
    mount('s1', 2, 'Button', '1.1.0', 1),
    mount('s2', 2, 'Button', '1.1.0', 2),
    mount('s3', 2, 'LineChart', '3.2.0', 1),
    event('s1', 2, 'page.view', { path: '/cart' }),
    event('s3', 2, 'page.view', { path: '/home' }, 0.5),
  ];
  const admin = [
    mount('a1', 0, 'Table', '1.0.0', 1),
    mount('a1', 1, 'Button', '1.0.0', 1, 0.5),
    mount('a2', 1, 'LineChart', '3.2.0', 1, 0.25),
    mount('a1', 2, 'Table', '1.1.0', 2, 0.5),
    mount('a2', 2, 'LineChart', '4.0.0', 1),
    event('a2', 2, 'page.view', { path: '/reports' }),
    event('a2', 2, 'error', {
      error_class: 'TypeError',
      message: 'series is undefined',
      error_hash: 'hash_series_undefined',
      source: 'boundary',
    }),
  ];
  const origin = (service_name: string) => ({
    service_name,
    service_version: '1.0.0',
    consent_policy_version: 1,
  });
  return [
    { origin: origin(SHOP), events: shop, dropped: { overflow: 2 } },
    { origin: origin(ADMIN), events: admin, dropped: { quota: 1 } },
  ];
}
