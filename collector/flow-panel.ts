import type { CollectorStats } from './collector-stats.js';
import { num, table } from './dashboard-table.js';
import { formatDuration } from './format-duration.js';
import { type Html, html } from './html.js';

const share = (part: number, whole: number) =>
  whole > 0 ? `${Math.round((part / whole) * 100)} %` : '—';
const ms = (value: number | null) => (value === null ? '—' : formatDuration(value));

/**
 * The flows panel (`stats.flows`): per flow, how many started, how they ended, the success
 * rate, p50 / p95 duration and the abandoned share (flows still open when the page went away).
 */
export function flowPanel(stats: CollectorStats): Html {
  return html`<section data-panel="flows"><h2>Flows <small>started, outcomes, durations</small></h2>
    ${table(
      'flows',
      [
        'Flow',
        '#Started',
        '#Succeeded',
        '#Failed',
        '#Cancelled',
        '#Abandoned',
        '#Success rate',
        '#p50',
        '#p95',
        '#Abandoned share',
      ],
      stats.flows.map((f) => [
        html`<code>${f.flow}</code>`,
        num(f.started),
        num(f.succeeded),
        num(f.failed),
        num(f.cancelled),
        num(f.abandoned),
        html`<span class="num">${f.success_rate === null ? '—' : share(f.succeeded, f.started)}</span>`,
        html`<span class="num">${ms(f.p50_ms)}</span>`,
        html`<span class="num">${ms(f.p95_ms)}</span>`,
        html`<span class="num">${share(f.abandoned, f.started)}</span>`,
      ]),
      'No flow events in this range.',
    )}
  </section>`;
}
