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

/** One layer of a stacked chart: a value per label. */
export interface ChartSeries {
  name: string;
  values: readonly number[];
}

/** Options of `stackedBarChart`. */
export interface StackedBarChartOptions {
  /** Accessible name of the chart: say what a bar is and where the numbers are as text. */
  title: string;
  /** One bar per label, left to right. */
  labels: readonly string[];
  /** Stacked bottom first, one value per label; the legend lists them in this order. */
  series: readonly ChartSeries[];
  /** Formats values for the axis and tooltips. Default: locale integer. */
  format?: (value: number) => string;
}

/** How many series `stackedBarChart` tells apart by colour (classes `s0` .. `s5`). */
export const SERIES_COLOURS = 6;

const WIDTH = 640;
const HEIGHT = 180;
const PAD = { top: 12, right: 8, bottom: 26, left: 44 };
const PLOT_WIDTH = WIDTH - PAD.left - PAD.right;
const PLOT_HEIGHT = HEIGHT - PAD.top - PAD.bottom;
const BASELINE = PAD.top + PLOT_HEIGHT;
const integer = (value: number) => Math.round(value).toLocaleString('en-US');

/**
 * A bar chart as inline SVG: no script, no external asset, sharp at any zoom, and readable by
 * screen readers through its title and a per-bar `<title>`.
 */
export function barChart(options: BarChartOptions): Html {
  const format = options.format ?? integer;
  const points = options.points;
  const axes = chartAxes(
    points.map((point) => point.label),
    Math.max(0, ...points.map((point) => point.value)),
    format,
  );
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
    <title>${options.title}</title>
    ${axes.markup}
    ${points.map((point, index) => {
      const top = axes.y(point.value);
      return html`<rect class="bar" x="${axes.barX(index).toFixed(1)}" y="${top.toFixed(1)}" width="${axes.barWidth.toFixed(1)}" height="${(BASELINE - top).toFixed(1)}"><title>${point.label}: ${format(point.value)}</title></rect>`;
    })}
  </svg>`;
}

/**
 * A stacked bar chart as inline SVG, with an HTML legend under it. Like `barChart` it has a
 * title for screen readers; pair it with a table of the same numbers, since a stack of
 * coloured segments is not something a title can read out.
 */
export function stackedBarChart(options: StackedBarChartOptions): Html {
  const format = options.format ?? integer;
  const { labels, series } = options;
  const totals = labels.map((_, index) =>
    series.reduce((sum, layer) => sum + (layer.values[index] ?? 0), 0),
  );
  const axes = chartAxes(labels, Math.max(0, ...totals), format);
  const bars = labels.map((label, index) => {
    let below = 0;
    return series.map((layer, layerIndex) => {
      const value = layer.values[index] ?? 0;
      if (value <= 0) return '';
      const top = axes.y(below + value);
      const bottom = axes.y(below);
      below += value;
      return html`<rect class="seg s${layerIndex % SERIES_COLOURS}" x="${axes.barX(index).toFixed(1)}" y="${top.toFixed(1)}" width="${axes.barWidth.toFixed(1)}" height="${(bottom - top).toFixed(1)}"><title>${label}, ${layer.name}: ${format(value)}</title></rect>`;
    });
  });
  return html`<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${options.title}">
    <title>${options.title}</title>
    ${axes.markup}
    ${bars}
  </svg>
  <ul class="legend">${series.map(
    (layer, index) =>
      html`<li><span class="swatch s${index % SERIES_COLOURS}" aria-hidden="true"></span>${layer.name}</li>`,
  )}</ul>`;
}

/** A proportion bar for table cells (0..1). */
export function meter(fraction: number): Html {
  const width = Math.max(0, Math.min(1, fraction)) * 100;
  return html`<svg class="meter" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"><rect class="meter-track" width="100" height="8" rx="2"/><rect class="bar" width="${width.toFixed(1)}" height="8" rx="2"/></svg>`;
}

/** Gridlines, value and label axes for bars at `labels`, scaled to `max`. */
function chartAxes(labels: readonly string[], maxValue: number, format: (value: number) => string) {
  const max = niceCeiling(maxValue);
  const step = labels.length > 0 ? PLOT_WIDTH / labels.length : PLOT_WIDTH;
  // A few bars would otherwise be slabs as wide as the chart; past 96 units they stay 96.
  const barWidth = Math.max(1, Math.min(96, step * 0.72));
  const y = (value: number) => BASELINE - (max === 0 ? 0 : (value / max) * PLOT_HEIGHT);
  const barX = (index: number) => PAD.left + index * step + (step - barWidth) / 2;
  const labelEvery = Math.max(1, Math.ceil(labels.length / 6));
  const markup = html`${[0, max / 2, max].map(
    (
      value,
    ) => html`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}"/>
      <text class="axis" x="${PAD.left - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${format(value)}</text>`,
  )}
    ${labels.map((label, index) =>
      index % labelEvery === 0
        ? html`<text class="axis" x="${(barX(index) + barWidth / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${shortLabel(label)}</text>`
        : '',
    )}
    ${labels.length === 0 ? html`<text class="axis" x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle">No data in this range</text>` : ''}`;
  return { markup, y, barX, barWidth };
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
