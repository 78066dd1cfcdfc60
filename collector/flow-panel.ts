import type { CollectorStats } from './collector-stats.js';
import { type CsvLink, num, type TableSpec, table } from './dashboard-table.js';
import { formatDuration } from './format-duration.js';
import { type Html, html } from './html.js';

const share = (part: number, whole: number) =>
  whole > 0 ? `${Math.round((part / whole) * 100)} %` : '—';
const ms = (value: number | null) => (value === null ? '—' : formatDuration(value));

/**
 * The flows panel (`stats.flows`): per flow, how many started, how they ended, the success
 * rate, p50 / p95 duration and the abandoned share (flows still open when the page went away).
 */
export function flowPanel(stats: CollectorStats, link: CsvLink): Html {
  return html`<section data-panel="flows"><h2>Flows <small>started, outcomes, durations</small></h2>
    ${table(flowsTable(stats), link)}
  </section>`;
}

type Flow = CollectorStats['flows'][number];

/** The flows table; in its CSV, durations are milliseconds and shares fractions (0 to 1). */
export function flowsTable(stats: CollectorStats): TableSpec<Flow> {
  const count = (
    heading: string,
    key: 'started' | 'succeeded' | 'failed' | 'cancelled' | 'abandoned',
  ) => ({
    heading,
    cell: (f: Flow) => num(f[key]),
    value: (f: Flow) => f[key],
  });
  return {
    name: 'flows',
    label: 'flows',
    rows: stats.flows,
    empty: 'No flow events in this range.',
    columns: [
      { heading: 'Flow', cell: (f) => html`<code>${f.flow}</code>`, value: (f) => f.flow },
      count('#Started', 'started'),
      count('#Succeeded', 'succeeded'),
      count('#Failed', 'failed'),
      count('#Cancelled', 'cancelled'),
      count('#Abandoned', 'abandoned'),
      {
        heading: '#Success rate',
        cell: (f) =>
          html`<span class="num">${f.success_rate === null ? '—' : share(f.succeeded, f.started)}</span>`,
        value: (f) => f.success_rate,
      },
      {
        heading: '#p50',
        cell: (f) => html`<span class="num">${ms(f.p50_ms)}</span>`,
        value: (f) => f.p50_ms,
      },
      {
        heading: '#p95',
        cell: (f) => html`<span class="num">${ms(f.p95_ms)}</span>`,
        value: (f) => f.p95_ms,
      },
      {
        heading: '#Abandoned share',
        cell: (f) => html`<span class="num">${share(f.abandoned, f.started)}</span>`,
        value: (f) => (f.started > 0 ? f.abandoned / f.started : null),
      },
    ],
  };
}
