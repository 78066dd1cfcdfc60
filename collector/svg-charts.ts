import { type Html, html } from './html.js';

/** One bar of a chart. */
export interface ChartPoint {
  label: string;
  value: number;
}

/** Options of `barChart`. */
export interface BarChartOptions {
  /** Accessible name of the chart. */
  title: string;
  points: readonly ChartPoint[];
  /** Formats values for the axis and tooltips. Default: locale integer. */
  format?: (value: number) => string;
}

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 26, left: 44 };

/**
 * A bar chart as inline SVG: no script, no external asset, sharp at any zoom, and readable by
 * screen readers through its title and a per-bar `<title>`.
 */
export function barChart(options: BarChartOptions): Html {
  const format = options.format ?? ((value: number) => Math.round(value).toLocaleString('en-US'));
  const points = options.points;
  const max = niceCeiling(Math.max(0, ...points.map((point) => point.value)));
  const plotWidth = WIDTH - PAD.left - PAD.right;
  const plotHeight = HEIGHT - PAD.top - PAD.bottom;
  const step = points.length > 0 ? plotWidth / points.length : plotWidth;
  const barWidth = Math.max(1, step * 0.72);
  const y = (value: number) => PAD.top + plotHeight - (max === 0 ? 0 : (value / max) * plotHeight);
  const gridValues = [0, max / 2, max];
  const labelEvery = Math.max(1, Math.ceil(points.length / 6));

  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
    <title>${options.title}</title>
    ${gridValues.map(
      (
        value,
      ) => html`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}"/>
      <text class="axis" x="${PAD.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${format(value)}</text>`,
    )}
    ${points.map((point, index) => {
      const x = PAD.left + index * step + (step - barWidth) / 2;
      const top = y(point.value);
      return html`<rect class="bar" x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(PAD.top + plotHeight - top).toFixed(1)}"><title>${point.label}: ${format(point.value)}</title></rect>
      ${
        index % labelEvery === 0
          ? html`<text class="axis" x="${(x + barWidth / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${shortLabel(point.label)}</text>`
          : ''
      }`;
    })}
    ${points.length === 0 ? html`<text class="axis" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">No data in this range</text>` : ''}
  </svg>`;
}

/** A proportion bar for table cells (0..1). */
export function meter(fraction: number): Html {
  const width = Math.max(0, Math.min(1, fraction)) * 100;
  return html`<svg class="meter" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"><rect class="meter-track" width="100" height="8" rx="2"/><rect class="bar" width="${width.toFixed(1)}" height="8" rx="2"/></svg>`;
}

/** `2026-11-24` -> `Nov 24`; other labels unchanged. */
function shortLabel(label: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})$/.exec(label);
  if (!match) return label;
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  return `${months[Number(match[1]) - 1] ?? ''} ${Number(match[2])}`;
}

/** Rounds an axis maximum up to 1, 2 or 5 times a power of ten, so gridlines read cleanly. */
function niceCeiling(value: number): number {
  if (value <= 0) return 0;
  // Small counts: an even maximum keeps the middle gridline on a whole number.
  if (value <= 10) return Math.ceil(value / 2) * 2;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const factor of [1, 2, 5, 10]) {
    if (value <= factor * magnitude) return factor * magnitude;
  }
  return 10 * magnitude;
}
